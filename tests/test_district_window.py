"""The district desk in the real window: roster, statuses, ratios, last year, the district's
own report, 问题清单 in one click, reading in the background with 取消, the record reopened."""
from __future__ import annotations

import threading

import pytest
from docx import Document
from PySide6 import QtCore, QtWidgets

from app.aggregate import district
from app.aggregate.record import load_record
from tests.district_data import MISSING, ROSTER, Numbers, build, scenario, write
from ui.aggregate_window import AggregateWindow


@pytest.fixture
def window(qtbot):
    w = AggregateWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.wait()


def run(w, qtbot) -> bool:
    with qtbot.waitSignal(w.runFinished, timeout=60000) as finished:
        w.run_button.click()
    return finished.args[0]


def column(table, c: int) -> list[str]:
    return [table.item(r, c).text() for r in range(table.rowCount())]


def rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


@pytest.fixture
def ran(window, tmp_path, qtbot):
    s = scenario(tmp_path)
    window.add_files(s.files)
    assert window.set_roster_file(s.roster)
    window.set_previous(s.previous)
    window.set_parent(s.parent)
    window.organ_edit.setText("某某区")
    window.office_edit.setText("某某区政务公开办公室")
    assert window.roster_label.text() == "名单.txt（12 个单位）"
    assert window.previous_label.text() == "8 份"
    assert run(window, qtbot)
    return s, window


def test_roster_and_statuses(ran):
    _, w = ran
    assert w.tabs.currentWidget() is w.units_table
    table = rows(w.units_table)
    assert [r[0] for r in table] == ROSTER + ["某某科技有限公司"]
    status = {r[0]: r[1] for r in table}
    assert [u for u in ROSTER if status[u] == "未收到"] == MISSING
    assert status["焦店镇"] == "有错误" and status["荆山街道"] == "有警告"
    assert status["滍阳镇"] == "重复报送（2 份）" and status["某某科技有限公司"] == "名单外"
    assert status["遵化店镇"] == "已收到"
    names = {r[0]: r[5] for r in table}
    assert names["区发改委"] == "名称近似（简称）：名单“区发改委”，报告“某某区发展和改革委员会”"
    assert names["遵化店镇"] == "名称写法不同：名单“遵化店镇”，报告“遵化店镇人民政府”"
    text = w.status.text()
    assert f"名单 12 个单位，未收到 4 个：{'、'.join(MISSING)}。" in text
    assert "名单外 1 个：某某科技有限公司。" in text and "重复报送：滍阳镇（2 份）。" in text
    assert "2 个名称需要核对" in text and "本级报告与各单位合计有 2 处不同" in text


def test_files_tab_says_where_the_numbers_came_from_and_the_unit(ran):
    s, w = ran
    files = {r[0]: r for r in rows(w.table)}
    assert files["荆山街道.pdf"][6] == "PDF 内嵌的年报数据" and files["焦店镇.json"][6] == "年报数据文件"
    assert files["发改委.json"][2] == "区发改委？"
    assert files["某某科技公司.json"][2] == "名单外"
    assert files["焦店镇.json"][3:6] == ["已计入", "2", "0"]
    w.tabs.setCurrentWidget(w.table)
    w.table.selectRow(w.paths.index(next(p for p in s.files if p.name == "发改委.json")))
    details = w.details.toPlainText()
    assert details.startswith("发改委.json（某某区发展和改革委员会）数字来源：年报数据文件")
    assert "名称近似（简称）" in details
    w.tabs.setCurrentWidget(w.units_table)
    w.units_table.selectRow(ROSTER.index("荆山街道"))
    assert "警告【上年结转】第三部分 自然人列：上年结转(0)，但上年报告结转下年度(3)，相差3" in w.details.toPlainText()
    w.units_table.selectRow(ROSTER.index("皇台街道"))
    assert w.details.toPlainText() == "皇台街道：未收到报告。"


def test_ratios_equal_hand_computed_ones(ran):
    _, w = ran
    table = rows(w.ratios_table)
    header = [w.ratios_table.horizontalHeaderItem(c).text() for c in range(w.ratios_table.columnCount())]
    assert header == ["单位", "文件", "实质公开率", "行政复议纠错率", "行政诉讼纠错率", "申请量增减"]
    by_unit = {r[0]: r for r in table}
    assert by_unit["遵化店镇"][2:] == ["62.5%（40/64）", "20.0%（1/5，不足30件）", "—（无案件）",
                                      "+64.1%（25/39）"]
    assert by_unit["区发改委"][2] == "37.5%（15/40）偏低"
    assert table[-1] == ["合计", "", "56.6%（112/198）", "21.7%（5/23，不足30件）",
                         "0.0%（0/2，不足30件）", "+36.3%（53/146）"]
    assert "（（一）予以公开 + （二）部分公开）÷（七）总计" in w.ratios_table.horizontalHeaderItem(2).toolTip()


def test_year_over_year_lists_exactly_the_planted_changes(ran):
    _, w = ran
    assert sorted(map(tuple, rows(w.years_table))) == sorted([
        ("遵化店镇", "第三部分 予以公开行 自然人列", "5", "30", "本年为上年的6.0倍"),
        ("遵化店镇", "第三部分 予以公开行 总计列", "5", "30", "本年为上年的6.0倍"),
        ("焦店镇", "新收申请", "0", "11", "由 0 变为非 0"),
        ("荆山街道", "上年结转核对", "", "", "第三部分 自然人列：上年结转(0)，但上年报告结转下年度(3)，相差3"),
        ("荆山街道", "上年结转核对", "", "", "第三部分 总计列：上年结转(0)，但上年报告结转下年度(3)，相差3"),
        ("区财政局", "行政复议", "12", "0", "由非 0 变为 0"),
        ("区教育局", "行政诉讼", "0", "2", "由 0 变为非 0"),
        ("区民政局", "第二部分 行政事业性收费行 本年收费金额列", "1.5000", "9.0000", "本年为上年的6.0倍"),
        ("合计", "行政诉讼", "0", "2", "由 0 变为非 0"),
    ])


def test_the_districts_own_report(ran):
    _, w = ran
    assert w.parent_view.toPlainText().splitlines() == [
        "本级报告 某某区本级.json 与各单位合计：2 处不同",
        "第二部分 行政许可行 本年处理决定数量列：本级报告 98，各单位合计 100，相差2",
        "第二部分 行政事业性收费行 本年收费金额列：本级报告 22.4000，各单位合计 22.5000，相差0.1000"]


def test_nothing_in_the_window_shows_a_rule_id_or_the_program_name(ran):
    _, w = ran
    shown = [w.status.text(), w.parent_view.toPlainText()]
    for table in (w.table, w.units_table, w.ratios_table, w.years_table):
        shown += [cell for row in rows(table) for cell in row]
        shown += [table.item(r, c).toolTip() for r in range(table.rowCount()) for c in range(table.columnCount())]
    for r in range(w.table.rowCount()):
        w.table.selectRow(r)
        shown.append(w.details.toPlainText())
    for widget in w.findChildren(QtWidgets.QLabel) + w.findChildren(QtWidgets.QAbstractButton):
        shown.append(widget.text())
    joined = "\n".join(shown)
    assert "nianbao" not in joined.lower()
    for rule_id in ("carry.requests", "requests.row_total", "requests.balance", "text.", "[requests"):
        assert rule_id not in joined


def test_feedback_in_one_click(ran, tmp_path, qtbot, monkeypatch):
    _, w = ran
    folder = tmp_path / "退回"
    monkeypatch.setattr(QtWidgets.QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    with qtbot.waitSignal(w.feedbackFinished, timeout=60000) as finished:
        w.feedback_button.click()
    assert finished.args == [True]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["焦店镇问题清单.docx", "焦店镇问题清单.pdf", "荆山街道问题清单.docx", "荆山街道问题清单.pdf",
         "问题清单汇总.docx", "问题清单汇总.pdf"])
    assert w.status.text() == f"已生成 2 个单位的问题清单和“问题清单汇总.docx”：{folder}"
    doc = Document(folder / "焦店镇问题清单.docx")
    assert [c.text for c in doc.tables[0].rows[1].cells][1:3] == ["错误", "申请情况合计（按行）"]
    assert "某某区政务公开办公室" in [p.text for p in doc.paragraphs]


def test_feedback_asks_before_replacing_files_in_the_folder(ran, tmp_path, qtbot, monkeypatch):
    """The overwrite policy of every output: the window asks; 否 leaves the folder as it was."""
    _, w = ran
    folder = tmp_path / "退回"
    folder.mkdir()
    (folder / "焦店镇问题清单.docx").write_bytes(b"sent last week")
    Button = QtWidgets.QMessageBox.StandardButton
    asked, answer = [], [Button.No]
    monkeypatch.setattr(QtWidgets.QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append(text) or answer[0])
    assert not w.write_feedback_to(folder)
    assert asked == [f"文件夹 {folder} 中已有同名的文件：焦店镇问题清单.docx。\n要用新生成的问题清单覆盖它们吗？"]
    assert w.status.text() == f"没有生成问题清单：{folder} 中已有的同名文件保持不变。"
    assert [p.name for p in folder.iterdir()] == ["焦店镇问题清单.docx"]
    assert (folder / "焦店镇问题清单.docx").read_bytes() == b"sent last week"
    answer[0] = Button.Yes
    with qtbot.waitSignal(w.feedbackFinished, timeout=60000) as finished:
        assert w.write_feedback_to(folder)
    assert finished.args == [True] and len(asked) == 2
    assert len(list(folder.iterdir())) == 6
    assert Document(folder / "焦店镇问题清单.docx").tables[0].rows[1].cells[2].text == "申请情况合计（按行）"


def test_writing_the_feedback_shows_progress_and_can_be_cancelled(ran, tmp_path, qtbot, monkeypatch):
    """取消 while the 问题清单 are written: the list being written is finished, no other is
    begun, and the window says that only part was written."""
    from app.aggregate import feedback

    _, w = ran
    folder = tmp_path / "退回"
    gate, writing = threading.Event(), threading.Event()
    real = feedback.write_docx

    def slow(doc, path):
        writing.set()
        gate.wait(10)
        return real(doc, path)

    monkeypatch.setattr(feedback, "write_docx", slow)
    assert w.write_feedback_to(folder)
    qtbot.waitUntil(writing.is_set, timeout=10000)
    qtbot.waitUntil(lambda: w.status.text().startswith("正在生成"), timeout=5000)
    assert w.status.text() == "正在生成第 1/3 份问题清单：焦店镇问题清单"
    assert w.cancel_button.isVisible() and not w.feedback_button.isEnabled()
    with qtbot.waitSignal(w.feedbackFinished, timeout=20000) as finished:
        w.cancel_button.click()
        assert w.status.text() == "正在取消：当前这份问题清单写完后停止…"
        gate.set()
    assert finished.args == [False]
    assert w.status.text() == f"已取消生成问题清单：只写入了部分单位的问题清单（在 {folder}），请重新生成。"
    assert sorted(p.name for p in folder.iterdir()) == ["焦店镇问题清单.docx", "焦店镇问题清单.pdf"]
    assert w.feedback_button.isEnabled() and not w.cancel_button.isVisible()


def test_reading_runs_in_the_background_and_can_be_cancelled(window, tmp_path, qtbot, monkeypatch):
    s = scenario(tmp_path)
    window.add_files(s.files)
    gate, reading = threading.Event(), threading.Event()
    real = district.read_file

    def slow(path):
        reading.set()
        gate.wait(10)
        return real(path)

    monkeypatch.setattr(district, "read_file", slow)
    ticks = []
    timer = QtCore.QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    window.run_button.click()
    qtbot.waitUntil(reading.is_set, timeout=5000)
    qtbot.waitUntil(lambda: len(ticks) >= 5, timeout=5000)   # the window keeps going
    assert window.progress.isVisible() and window.cancel_button.isVisible()
    assert window.status.text() == "正在读取第 1/10 个文件：遵化店镇人民政府.json"
    assert not window.run_button.isEnabled() and not window.add_button.isEnabled()
    with qtbot.waitSignal(window.runFinished, timeout=20000) as finished:
        window.cancel_button.click()
        gate.set()
    assert finished.args == [False]
    assert window.status.text() == "已取消汇总，没有得到汇总结果。"
    assert window.result is None and not window.progress.isVisible()
    assert window.run_button.isEnabled() and not window.save_button.isEnabled()


def test_saved_summary_reopens_with_what_has_arrived_since(ran, tmp_path, qtbot):
    s, w = ran
    out = tmp_path / "某某区汇总.xlsx"
    assert w.save_to(out)
    record = tmp_path / "某某区汇总.汇总记录.json"
    assert record.exists() and str(record) in w.status.text()
    late = s.folder / "皇台街道.json"
    write(build("皇台街道", 2024, Numbers(7, 0, 3)), late)
    again = AggregateWindow()
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.runFinished, timeout=60000):
        assert again.open_record(record)
    assert again.organ_edit.text() == "某某区" and again.roster_label.text() == "名单.txt（12 个单位）"
    assert again.previous_label.text() == "8 份（含汇总记录中保存的）"
    assert rows(again.units_table) == rows(w.units_table)
    again.add_files([late])
    assert run(again, qtbot)
    status = {r[0]: r[1] for r in rows(again.units_table)}
    assert status["皇台街道"] == "已收到"
    assert "未收到 3 个" in again.status.text() and "新收到 1 个文件" in again.status.text()
    assert {r[0]: r[3] for r in rows(again.table)}["皇台街道.json"] == "已计入（新收到）"
    again.wait()


def select_unit(w, unit: str) -> None:
    w.units_table.selectRow(column(w.units_table, 0).index(unit))


def test_a_doubtful_name_confirmed_or_ruled_out_is_kept_and_not_asked_again(ran, tmp_path, qtbot):
    s, w = ran
    select_unit(w, "遵化店镇")          # 人民政府 left out: not doubtful, nothing to say
    assert not w.same_button.isVisible() and not w.undo_names_button.isVisible()
    select_unit(w, "区发改委")
    assert w.same_button.isVisible() and w.not_same_button.isVisible()
    assert not w.undo_names_button.isVisible()
    w.same_button.click()
    names = {r[0]: r[5] for r in rows(w.units_table)}
    assert names["区发改委"] == "已确认是同一单位：名单“区发改委”，报告“某某区发展和改革委员会”"
    assert "1 个名称需要核对" in w.status.text()
    assert "名称核对结果将在“保存汇总结果…”时保存到汇总记录中" in w.status.text()
    assert w.undo_names_button.isVisible() and not w.same_button.isVisible()
    select_unit(w, "区财政局")
    w.not_same_button.click()
    status = {r[0]: r[1] for r in rows(w.units_table)}
    assert status["区财政局"] == "未收到" and status["某某区财政局"] == "名单外"
    assert {r[0]: r[2] for r in rows(w.table)}["财政局.json"] == "名单外"
    assert "名称需要核对" not in w.status.text()
    assert "未收到 5 个" in w.status.text() and "名单外 2 个：某某区财政局、某某科技有限公司。" in w.status.text()
    out = tmp_path / "某某区汇总.xlsx"
    assert w.save_to(out)

    again = AggregateWindow()
    qtbot.addWidget(again)
    again.show()
    record = tmp_path / "某某区汇总.汇总记录.json"
    with qtbot.waitSignal(again.runFinished, timeout=60000):
        assert again.open_record(record)
    assert rows(again.units_table) == rows(w.units_table)
    assert "名称需要核对" not in again.status.text()
    select_unit(again, "区发改委")            # taken back: asked again, and the record says so
    assert again.undo_names_button.isVisible() and not again.same_button.isVisible()
    again.undo_names_button.click()
    assert "1 个名称需要核对" in again.status.text()
    assert f"名称核对结果已保存到汇总记录：{record}" in again.status.text()
    assert again.same_button.isVisible()
    names = [(d.name, d.unit, d.same) for d in load_record(record).inputs.names]
    assert names == [("某某区财政局", "区财政局", False)]
    again.wait()


def test_every_cell_against_last_year_when_asked(ran):
    _, w = ran
    w.only_flagged.setChecked(False)
    table = rows(w.years_table)
    assert ["区民政局", "第二部分 行政许可行 本年处理决定数量列", "12", "10", "-2"] in table
    assert ["遵化店镇", "第三部分 新收行 总计列", "39", "64", "+25"] in table
    assert ["遵化店镇", "第三部分 予以公开行 总计列", "5", "30", "本年为上年的6.0倍"] in table
    assert len(table) > 9 * 100
    w.only_flagged.setChecked(True)
    assert w.years_table.rowCount() == 9
