"""The clerk's path with a draft: ``nianbao new --from`` → ``drafts add`` → the window →
``drafts get`` → ``validate``. Last year's report, the carried marks and the
acknowledged warnings travel the whole way."""
from __future__ import annotations

import json

from PySide6.QtCore import Qt

from app.formats import load_format
from app.store import DraftStore
from cli_helpers import run_nianbao
from conftest import PINGTAN_JSON
from ui.main_window import MainWindow
from ui_support import type_into_cell

REASON = "本年未收取信息处理费，第六部分稍后补写"
NATURAL_IN = ("requests", "carried_in", "natural")


def open_in_window(qtbot, data, draft_id) -> MainWindow:
    window = MainWindow(DraftStore.open(data))
    qtbot.addWidget(window)
    window.show()
    window.open_draft(draft_id)
    return window


def test_new_from_then_drafts_add_keeps_last_year_marks_and_acknowledgements(
        qtbot, tmp_path, monkeypatch):
    started = tmp_path / "2022.json"
    new = run_nianbao("new", "--from", str(PINGTAN_JSON), "--year", "2022", "-o", str(started))
    assert new.returncode == 0, new.stderr
    assert "已从上年报告带入 6 个数字" in new.stdout
    data = tmp_path / "data"
    added = run_nianbao("drafts", "--data-dir", str(data), "add", str(started))
    assert added.returncode == 0, added.stderr
    draft_id = added.stdout.strip()

    # the window shows the carried marks, and checks them against last year's report
    window = open_in_window(qtbot, data, draft_id)
    page = window.editor.go_to_step("requests")
    idx = page.model.index_of(NATURAL_IN)
    assert page.model.data(idx, Qt.ItemDataRole.FontRole).italic()
    assert "从 2021 年度报告带入：上年报告结转下年度(1)。请核对" in page.model.data(
        idx, Qt.ItemDataRole.ToolTipRole)
    assert not any(f.rule.startswith("carry.") for f in window.session.findings)
    type_into_cell(qtbot, page.view, idx, "3")
    carry = {f.cells: f for f in window.session.findings if f.rule == "carry.requests"}
    assert set(carry) == {(NATURAL_IN,), (("requests", "carried_in", "total"),)}
    assert "相差2" in carry[(NATURAL_IN,)].message
    (fee,) = [f for f in window.session.findings if f.rule == "text.fee_report"]
    window.session.acknowledge(fee, REASON)
    window.close()

    # the format file words the warning differently now: still acknowledged
    rule = load_format("2021").rule("text.fee_report")
    monkeypatch.setitem(rule.params, "message", "第六部分没有写信息处理费（改写后的说法）")
    again = open_in_window(qtbot, data, draft_id)
    (fee,) = [f for f in again.session.findings if f.rule == "text.fee_report"]
    assert fee.message == "第六部分没有写信息处理费（改写后的说法）"
    assert again.session.acknowledgement(fee) == REASON
    check = again.editor.go_to_step("check")
    assert any(f"〔已核实：{REASON}〕" in i.text(0) for i in check.tree.items())
    assert any(f.rule == "carry.requests" for f in again.session.findings)
    again.close()

    # drafts get writes the draft file; validate runs the carry rules from it alone
    back = tmp_path / "back.json"
    got = run_nianbao("drafts", "--data-dir", str(data), "get", draft_id, "-o", str(back))
    assert got.returncode == 0, got.stderr
    assert "草稿文件" in got.stdout
    saved = json.loads(back.read_text(encoding="utf-8"))
    assert saved["schema"] == "nianbao.draft/1" and saved["previous"]["year"] == 2021
    checked = run_nianbao("validate", str(back))
    lines = checked.stdout.splitlines()
    assert any(line.startswith("警告【上年结转】第三部分 自然人列：") and "相差2" in line for line in lines)
    assert any(line.startswith("警告【信息处理费说明】") and line.endswith(f"（已核实：{REASON}）")
               for line in lines)
    as_json = json.loads(run_nianbao("validate", str(back), "--json").stdout)["findings"]
    assert [f["acknowledged"] for f in as_json if "acknowledged" in f] == [REASON]


def test_importing_a_draft_file_in_the_window_keeps_what_it_holds(qtbot, tmp_path, monkeypatch):
    """文件 › 导入文件… with the file ``nianbao new --from`` wrote: the same draft as
    ``drafts add`` gives, carried marks and last year's report included."""
    from PySide6 import QtWidgets
    started = tmp_path / "2022.json"
    assert run_nianbao("new", "--from", str(PINGTAN_JSON), "--year", "2022",
                       "-o", str(started)).returncode == 0
    window = MainWindow(DraftStore.open(tmp_path / "data"))
    qtbot.addWidget(window)
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", lambda *a, **k: (str(started), ""))
    window.drafts.import_report()
    qtbot.waitUntil(lambda: window.session is not None, timeout=20000)   # read off the UI thread
    draft = window.session.draft
    assert draft.previous is not None and draft.previous.year == 2021
    assert draft.unconfirmed("requests") and draft.is_unconfirmed(NATURAL_IN)
    window.close()
