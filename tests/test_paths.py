"""Folders and file names as a Chinese clerk has them: Chinese characters, spaces and
full-width brackets in every folder, organ names that are long or hold characters Windows
refuses in file names. Runs in the GB18030 pass of test.sh too (file names are then
GB18030 bytes on disk, as on a Linux machine with that locale)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.filenames import MAX_NAME_UNITS, safe_filename
from cli_helpers import run_nianbao
from conftest import PINGTAN_JSON, ZUNHUADIAN_JSON

FOLDER = "年报 （2020 年度）【第一版】"
TITLE_END = "2020年政府信息公开工作年度报告"
LONG_ORGAN = "平顶山市人民政府办公室关于" + "高新技术产业开发区管理委员会" * 10 + "遵化店镇人民政府"

WINDOWS_FORBIDDEN = set('\\/:*?"<>|') | {chr(c) for c in range(32)}
WINDOWS_DEVICES = re.compile(r"(CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|(COM|LPT)[0-9¹²³])$", re.I)


def utf16_units(name: str) -> int:
    return len(name.encode("utf-16-le")) // 2


def assert_windows_accepts(name: str) -> None:
    """The rules of Windows' file names (learn.microsoft.com, “Naming Files, Paths, and
    Namespaces”), checked apart from the code under test."""
    assert not WINDOWS_FORBIDDEN & set(name), name
    assert not name.endswith((".", " ")), name
    assert not WINDOWS_DEVICES.match(name.split(".")[0].rstrip(" ")), name
    assert 0 < utf16_units(name) <= MAX_NAME_UNITS, name


@pytest.fixture
def folder(tmp_path) -> Path:
    where = tmp_path / FOLDER / "收到的报告 （乡镇）"
    where.mkdir(parents=True)
    return where


def report_file(where: Path, source: Path, name: str, organ: str | None = None) -> Path:
    data = json.loads(source.read_text(encoding="utf-8"))
    if organ is not None:
        data["organ"] = organ
    path = where / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


# ------------------------------------------------------------------ safe_filename
@pytest.mark.parametrize("stem, expected", [
    ("某某区/某某镇2020年报告", "某某区／某某镇2020年报告.pdf"),
    ('a\\b:c*d?e"f<g>h|i', "a＼b：c＊d？e＂f＜g＞h｜i.pdf"),
    ("报告。。..  ", "报告。。.pdf"),
    ("  第一行\n第二行\t", "第一行 第二行.pdf"),
    ("CON", "CON_.pdf"),
    ("nul", "nul_.pdf"),
    ("com1.2020", "com1_.2020.pdf"),
    ("LPT9 ", "LPT9_.pdf"),
    ("CONSOLE", "CONSOLE.pdf"),
    ("...", "年度报告.pdf"),
    ("", "年度报告.pdf"),
])
def test_names_windows_refuses_are_made_safe(stem, expected):
    assert safe_filename(stem, ".pdf") == expected
    assert_windows_accepts(expected)


def test_a_long_organ_keeps_its_start_and_the_year_and_kind_of_report():
    name = safe_filename(LONG_ORGAN + TITLE_END, ".pdf")
    assert utf16_units(name) == MAX_NAME_UNITS
    assert name.startswith("平顶山市人民政府办公室关于高新技术")
    assert name.endswith("遵化店镇人民政府" + TITLE_END + ".pdf")
    assert name.count("…") == 1


def test_characters_beyond_the_basic_plane_count_twice_as_on_windows():
    name = safe_filename("𠮷" * 100, ".json")
    assert utf16_units(name) <= MAX_NAME_UNITS
    assert len(name.encode("utf-8")) <= 255


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=0, max_size=300))
def test_any_text_gives_a_name_both_windows_and_linux_accept(tmp_path_factory, stem):
    name = safe_filename(stem, ".pdf")
    assert_windows_accepts(name)
    path = tmp_path_factory.mktemp("n") / name
    path.write_bytes(b"%PDF")      # Linux: at most 255 bytes, no "/" and no NUL
    assert path.is_file()


# ------------------------------------------------------------------ the command line
def test_new_validate_export_import_in_a_chinese_folder(folder):
    data = folder / "草稿 （一）.json"
    done = run_nianbao("new", "--year", "2021", "--organ", "某某镇人民政府（试点）", "-o", str(data))
    assert done.returncode == 0, done.stderr
    assert json.loads(data.read_text(encoding="utf-8"))["organ"] == "某某镇人民政府（试点）"
    assert run_nianbao("validate", str(data)).returncode == 1      # blank: errors, not a crash

    source = report_file(folder, ZUNHUADIAN_JSON, "遵化店镇 （2020）.json")
    assert run_nianbao("validate", str(source)).returncode == 0
    pdf, docx = folder / "导出 【终稿】" / "遵化店镇 年报.pdf", folder / "遵化店镇 （Word）.docx"
    pdf.parent.mkdir()
    for out in (pdf, docx):
        done = run_nianbao("export", str(source), "-o", str(out))
        assert done.returncode == 0, done.stderr
        assert str(out) in done.stdout and out.stat().st_size > 10_000
    for exported in (pdf, docx):
        back = exported.with_name(exported.stem + " 导回.json")
        done = run_nianbao("import", str(exported), "-o", str(back))
        assert done.returncode == 0, done.stderr
        assert json.loads(back.read_text(encoding="utf-8"))["tables"] == \
            json.loads(source.read_text(encoding="utf-8"))["tables"]


def test_export_without_output_names_the_file_after_a_long_organ(folder):
    source = report_file(folder, ZUNHUADIAN_JSON, "r.json", organ=LONG_ORGAN)
    done = run_nianbao("export", str(source), cwd=folder)
    assert done.returncode == 0, done.stderr
    [pdf] = folder.glob("*.pdf")
    assert_windows_accepts(pdf.name)
    assert pdf.name.startswith("平顶山市") and pdf.name.endswith(TITLE_END + ".pdf")
    assert str(pdf.name) in done.stdout


def test_export_without_output_makes_an_organ_with_a_slash_a_file_not_a_folder(folder):
    source = report_file(folder, ZUNHUADIAN_JSON, "r.json", organ="平顶山高新区/遵化店镇: 试点*")
    done = run_nianbao("export", str(source), "-o", str(folder), "--draft")
    assert done.returncode == 0, done.stderr
    assert [p.name for p in folder.glob("*.pdf")] == ["平顶山高新区／遵化店镇： 试点＊" + TITLE_END + ".pdf"]


def test_aggregate_reads_and_writes_in_chinese_folders(folder):
    first = report_file(folder, ZUNHUADIAN_JSON, "甲 （镇）.json")
    second = report_file(folder, ZUNHUADIAN_JSON, "乙 【街道】.json", organ="某某街道办事处")
    out_dir = folder.parent / "汇总 （区）"
    out_dir.mkdir()
    for out in (out_dir / "某区 汇总.json", out_dir / "某区 汇总（表）.xlsx"):
        done = run_nianbao("aggregate", str(first), str(second), "--organ", "某某区", "-o", str(out))
        assert done.returncode == 0, done.stdout + done.stderr
        assert out.stat().st_size > 0
    total = json.loads((out_dir / "某区 汇总.json").read_text(encoding="utf-8"))
    assert total["organ"] == "某某区"
    assert total["tables"]["active"]["procurement"] == {"projects": 24, "amount": "8.186"}


def test_drafts_live_in_a_data_folder_with_a_chinese_name(folder):
    data_dir = folder.parent / "草稿库 （U盘）"
    env = {"NIANBAO_DATA_DIR": str(data_dir)}
    source = report_file(folder, PINGTAN_JSON, "平潭 （2021）.json")
    done = run_nianbao("drafts", "add", str(source), "--name", "平潭 【综合实验区】", env=env)
    assert done.returncode == 0, done.stderr
    draft_id = done.stdout.split()[-1]
    listed = run_nianbao("drafts", "list", env=env)
    assert "平潭" in listed.stdout, listed.stdout + listed.stderr
    back = folder / "取回 （副本）.json"
    done = run_nianbao("drafts", "get", draft_id, "-o", str(back), env=env)
    assert done.returncode == 0, done.stderr
    assert back.read_text(encoding="utf-8") == PINGTAN_JSON.read_text(encoding="utf-8")
    assert (data_dir / "index.json").is_file()
