"""``nianbao drafts …`` as a user or script runs it."""
from __future__ import annotations

import json

from app import exchange
from app.store import DraftStore
from cli_helpers import run_nianbao
from conftest import PINGTAN_JSON, ZUNHUADIAN_JSON


def drafts(data_dir, *args):
    return run_nianbao("drafts", "--data-dir", str(data_dir), *args)


def test_add_list_get_round_trip(tmp_path):
    added = drafts(tmp_path, "add", str(PINGTAN_JSON))
    assert added.returncode == 0, added.stderr
    draft_id = added.stdout.strip()
    assert len(draft_id) == 8

    listing = drafts(tmp_path, "list")
    assert listing.returncode == 0
    header, line = listing.stdout.splitlines()
    assert header.split("\t") == ["编号", "年度", "格式", "最后修改", "完成度", "错误", "名称"]
    cols = line.split("\t")
    assert cols[:3] == [draft_id, "2021", "2021版"] and cols[4:] == [
        "100%", "0", "平潭综合实验区2021年政府信息公开工作年度报告"]

    out = tmp_path / "out.json"
    got = drafts(tmp_path, "get", draft_id, "-o", str(out))
    assert got.returncode == 0, got.stderr
    assert out.read_text(encoding="utf-8") == exchange.dumps(exchange.read_file(PINGTAN_JSON))
    again = drafts(tmp_path, "get", draft_id, "-o", str(out))
    assert again.returncode == 2 and "已存在" in again.stderr


def test_list_json(tmp_path):
    first = drafts(tmp_path, "add", str(PINGTAN_JSON), "--name", "平潭").stdout.strip()
    second = drafts(tmp_path, "add", str(ZUNHUADIAN_JSON)).stdout.strip()
    listing = drafts(tmp_path, "list", "--json")
    data = json.loads(listing.stdout)["drafts"]
    assert [d["id"] for d in data] == [second, first]
    assert data[1]["name"] == "平潭" and data[1]["organ"] == "平潭综合实验区"
    assert data[1]["year"] == 2021 and data[1]["format"] == "2021"
    assert data[1]["completeness"] == 1.0 and data[1]["error_count"] == 0
    assert data[0]["format"] == "2019" and data[0]["updated"]


def test_history_and_restore(tmp_path):
    with DraftStore.open(tmp_path, history_interval=0) as store:
        draft = store.create(exchange.read_file(PINGTAN_JSON))
        for text in ("第一稿", "第二稿"):
            report = store.load(draft)
            report.texts["other"] = text
            store.save(draft, report)
    history = drafts(tmp_path, "history", draft)
    assert history.returncode == 0
    lines = history.stdout.splitlines()
    assert lines[0].split("\t") == ["版本", "保存时间", "完成度", "错误"]
    assert [ln.split("\t")[0] for ln in lines[1:]] == ["3", "2", "1"]
    assert lines[1].endswith("（当前）")

    restored = drafts(tmp_path, "restore", draft, "2")
    assert restored.returncode == 0, restored.stderr
    assert f"已把草稿 {draft}" in restored.stdout and "恢复到第 2 版，现为第 4 版" in restored.stdout
    with DraftStore.open(tmp_path) as store:
        assert store.load(draft).texts["other"] == "第一稿"

    missing = drafts(tmp_path, "restore", draft, "99")
    assert missing.returncode == 2 and "没有第 99 版" in missing.stderr


def test_environment_variable_chooses_the_store(tmp_path):
    env = {"NIANBAO_DATA_DIR": str(tmp_path / "env-store")}
    added = run_nianbao("drafts", "add", str(PINGTAN_JSON), env=env)
    assert added.returncode == 0
    assert (tmp_path / "env-store" / "drafts" / added.stdout.strip() / "draft.json").is_file()
    option_after = run_nianbao("drafts", "list", "--data-dir", str(tmp_path / "env-store"))
    assert added.stdout.strip() in option_after.stdout


def test_bad_input_is_explained(tmp_path):
    unknown = drafts(tmp_path, "get", "12345678", "-o", str(tmp_path / "x.json"))
    assert unknown.returncode == 2 and "没有编号为 12345678 的草稿" in unknown.stderr
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    bad = drafts(tmp_path, "add", str(broken))
    assert bad.returncode == 2 and "不是有效的 JSON" in bad.stderr
    empty = drafts(tmp_path, "list")
    assert empty.returncode == 0 and "还没有草稿" in empty.stdout


def test_recovery_notice_is_printed(tmp_path):
    drafts(tmp_path, "add", str(PINGTAN_JSON))
    drafts(tmp_path, "add", str(PINGTAN_JSON))
    (tmp_path / "index.json").write_bytes(b'{"meta":')
    listing = drafts(tmp_path, "list")
    assert listing.returncode == 0
    assert "草稿库目录文件" in listing.stderr and "不完整" in listing.stderr
    assert len(listing.stdout.splitlines()) == 3
