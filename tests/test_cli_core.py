"""The ``nianbao`` command for the core: new, validate, --version, usage errors."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from app import __version__
from cli_helpers import run_nianbao
from conftest import PINGTAN_JSON, ZUNHUADIAN_JSON


def test_version():
    res = run_nianbao("--version")
    assert res.returncode == 0
    assert res.stdout.strip() == f"nianbao {__version__}"


def test_new_then_validate_reports_what_is_missing(tmp_path):
    out = tmp_path / "r.json"
    res = run_nianbao("new", "--year", "2026", "--organ", "某某镇人民政府", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert "某某镇人民政府2026年政府信息公开工作年度报告（2021 版格式）" in res.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert (data["format"], data["year"], data["organ"]) == ("2021", 2026, "某某镇人民政府")

    res = run_nianbao("validate", str(out))
    assert res.returncode == 1
    assert "错误【必填项】第三部分 新收行：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他法人或其他组织、总计未填写（没有请填 0）" in res.stdout
    assert "错误【必填正文】一、总体情况：未填写" in res.stdout
    assert res.stdout.strip().splitlines()[-1].endswith("有错误，不能正式导出。")


def test_new_refuses_to_overwrite(tmp_path):
    out = tmp_path / "r.json"
    out.write_text("keep me", encoding="utf-8")
    res = run_nianbao("new", "--year", "2020", "--organ", "某镇", "-o", str(out))
    assert res.returncode == 2
    assert "已存在" in res.stderr
    assert out.read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize("year", [2018, dt.date.today().year + 1])
def test_new_refuses_a_year_no_report_is_made_for(tmp_path, year):
    res = run_nianbao("new", "--year", str(year), "--organ", "某镇", "-o", str(tmp_path / "r.json"))
    assert res.returncode == 2
    assert f"年度 {year} 不对：应在 2019 至 {dt.date.today().year} 之间" in res.stderr
    assert not (tmp_path / "r.json").exists()


def test_validate_fixture_is_clean():
    res = run_nianbao("validate", str(ZUNHUADIAN_JSON))
    assert res.returncode == 0
    assert res.stdout.strip().splitlines() == [
        "提示【半角标点】第五部分第1段“2020年, 政府信息公开工作取得了一定成绩, 但也存在一些薄弱环节。”等处："
        "中文句子中用了 15 个半角标点“,”，应为全角“，”",
        "共 1 个提示：没有错误。"]


def test_validate_json_output_and_warnings_exit_0():
    res = run_nianbao("validate", str(PINGTAN_JSON), "--json")
    assert res.returncode == 0
    data = json.loads(res.stdout)
    assert data["findings"][0] == {
        "rule": "text.overview_length", "name": "总体情况字数", "severity": "warning",
        "section": "overview", "cells": [],
        "message": "一、总体情况：共 1553 字，超过“原则上不超过1000字”的要求 553 字"}
    assert data["findings"][1] == {
        "rule": "text.doubled", "name": "重复字词", "severity": "info", "section": "overview", "cells": [],
        "message": "第一部分第4段“二是规范审核审核发布机制。”：“审核”连写了两次", "span": ["overview", 1067, 1080]}
    assert [f["severity"] for f in data["findings"][2:]] == ["info"] * 3


def test_validate_errors_exit_1_with_cells(tmp_path):
    data = json.loads(ZUNHUADIAN_JSON.read_text(encoding="utf-8"))
    data["tables"]["requests"]["new"]["natural"] = 5
    data["tables"]["requests"]["new"]["total"] = 5
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    res = run_nianbao("validate", str(path), "--json")
    assert res.returncode == 1
    found = json.loads(res.stdout)["findings"]
    assert found[0] == {
        "rule": "requests.balance", "name": "申请收结平衡", "severity": "error", "section": "requests",
        "cells": [["requests", "new", "natural"], ["requests", "carried_in", "natural"],
                  ["requests", "total", "natural"], ["requests", "carried_out", "natural"]],
        "message": "第三部分 自然人列：新收(5)+上年结转(0)=5，但办理结果总计(0)+结转下年度(0)=0，相差5"}


@pytest.mark.parametrize("content, expected", [
    (b"", "文件是空的"),
    (b"not json at all", "不是有效的 JSON"),
    (b"{\"hello\": 1}", "缺少键 “schema”"),
    (None, "文件过大（50.0 MB）"),
    ("FULLWIDTH", "“tables.requests.new.natural” 应为整数，实际为 字符串 “１２”"),
])
def test_bad_files_exit_2_without_traceback(tmp_path, content, expected):
    path = tmp_path / "bad.json"
    if content is None:
        with open(path, "wb") as fh:
            fh.truncate(50 * 1024 * 1024)
    elif content == "FULLWIDTH":
        data = json.loads(ZUNHUADIAN_JSON.read_text(encoding="utf-8"))
        data["tables"]["requests"]["new"]["natural"] = "１２"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    else:
        path.write_bytes(content)
    res = run_nianbao("validate", str(path))
    assert res.returncode == 2
    assert expected in res.stderr
    assert str(path) in res.stderr
    assert "Traceback" not in res.stderr + res.stdout


@pytest.mark.parametrize("args, expected", [
    (["validate"], "缺少必需的参数"),
    (["new", "--year", "abc", "--organ", "x", "-o", "y"], "参数 --year"),
    (["frobnicate"], "无效的选项"),
])
def test_usage_errors_exit_2_in_chinese(args, expected):
    res = run_nianbao(*args)
    assert res.returncode == 2
    assert expected in res.stderr
    assert "用法：" in res.stderr


def test_no_arguments_without_a_display_says_why(monkeypatch):
    res = run_nianbao(env={"DISPLAY": "", "WAYLAND_DISPLAY": "", "QT_QPA_PLATFORM": ""})
    assert res.returncode == 2
    assert "没有可用的图形显示" in res.stderr
