"""The aggregate window: pick files, run, read per-file problems, save the sum."""
from __future__ import annotations

import random

import openpyxl
import pytest

from app import exchange
from tests.conftest import REPORTS
from tests.factories import consistent_report
from ui.aggregate_window import AggregateWindow


def town(tmp_path, name: str, seed: int, year: int = 2024):
    r = consistent_report("2021", random.Random(seed))
    r.organ, r.year = name, year
    path = tmp_path / f"{name}.json"
    exchange.write_file(r, path)
    return r, path


@pytest.fixture
def window(qtbot):
    w = AggregateWindow()
    qtbot.addWidget(w)
    w.show()
    return w


def cell(w, row: int, col: int) -> str:
    return w.table.item(row, col).text()


def run(window, qtbot) -> bool:
    """Click 开始汇总 and wait for the background run to end; True when a sum was made."""
    with qtbot.waitSignal(window.runFinished, timeout=30000) as finished:
        window.run_button.click()
    return finished.args[0]


def test_sums_and_shows_each_file(window, tmp_path, qtbot):
    a, pa = town(tmp_path, "甲镇", 1)
    b, pb = town(tmp_path, "乙镇", 2)
    b.cells[("requests", "new", "total")] += 1
    exchange.write_file(b, pb)
    bad = tmp_path / "坏文件.json"
    bad.write_text("{", encoding="utf-8")
    window.add_files([pa, pb, bad])
    window.organ_edit.setText("某某区")
    assert not window.save_button.isEnabled()
    assert run(window, qtbot)
    total = window.result.total
    assert total.organ == "某某区"
    assert total.cells[("requests", "granted", "natural")] == \
           a.cells[("requests", "granted", "natural")] + b.cells[("requests", "granted", "natural")]
    assert [cell(window, r, 3) for r in range(3)] == ["已计入", "已计入", "无法读取"]
    assert cell(window, 1, 4) != "0" and cell(window, 0, 4) == "0"
    assert [cell(window, r, 6) for r in range(2)] == ["年报数据文件", "年报数据文件"]
    assert "已汇总 2 份报告" in window.status.text()
    assert "1 个文件无法读取" in window.status.text()
    window.table.selectRow(2)
    assert window.details.toPlainText().startswith("坏文件.json：无法读取，未计入汇总：")
    window.table.selectRow(1)
    assert "【申请情况合计（按行）】" in window.details.toPlainText()
    assert window.save_button.isEnabled()


def test_saves_json_and_xlsx(window, tmp_path, qtbot):
    _, pa = town(tmp_path, "甲镇", 1)
    _, pb = town(tmp_path, "乙镇", 2)
    window.add_files([pa, pb])
    assert run(window, qtbot)
    assert window.save_to(tmp_path / "sum.json")
    assert exchange.read_file(tmp_path / "sum.json").organ == "2个单位汇总"
    assert window.save_to(tmp_path / "sum.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "sum.xlsx").active            # the first table's
    below_header = int(sheet.freeze_panes[1:])
    assert [r[0] for r in sheet.iter_rows(min_row=below_header, values_only=True)] == ["甲镇", "乙镇", "2个单位汇总"]
    assert "已保存汇总结果" in window.status.text()


def test_mixed_years_are_refused_in_the_window(window, tmp_path, qtbot):
    _, pa = town(tmp_path, "甲镇", 1, 2024)
    _, pb = town(tmp_path, "乙镇", 2, 2023)
    window.add_files([pa, pb])
    assert not run(window, qtbot)
    assert "只能汇总同一年度、同一格式的报告" in window.status.text()
    assert not window.save_button.isEnabled()


def test_published_page_can_be_summed(window, qtbot):
    window.add_files([REPORTS / "2021-pingtan-zone.html", REPORTS / "2021-pingtan-zone.json"])
    assert run(window, qtbot)
    assert window.result.total.cells[("requests", "new", "total")] == 140
    window.table.selectRow(0)
    assert "【总体情况字数】" in window.details.toPlainText()
    assert cell(window, 0, 6) == "印出的表格" and cell(window, 1, 6) == "年报数据文件"


def test_remove_and_clear(window, tmp_path):
    _, pa = town(tmp_path, "甲镇", 1)
    _, pb = town(tmp_path, "乙镇", 2)
    window.add_files([pa, pb, pa])
    assert window.table.rowCount() == 2
    window.table.selectRow(0)
    window.remove_button.click()
    assert [cell(window, r, 0) for r in range(window.table.rowCount())] == ["乙镇.json"]
    window.clear_button.click()
    assert window.table.rowCount() == 0
    assert not window.run_button.isEnabled()


def test_files_dropped_on_the_window_are_added(window, tmp_path):
    from PySide6 import QtCore, QtGui
    _, pa = town(tmp_path, "甲镇", 1)
    mime = QtCore.QMimeData()
    mime.setUrls([QtCore.QUrl.fromLocalFile(str(pa))])
    event = QtGui.QDropEvent(QtCore.QPointF(10, 10), QtCore.Qt.CopyAction, mime,
                             QtCore.Qt.LeftButton, QtCore.Qt.NoModifier)
    window.dropEvent(event)
    assert [cell(window, r, 0) for r in range(window.table.rowCount())] == ["甲镇.json"]
    assert window.run_button.isEnabled()


@pytest.mark.parametrize("width", [820, 960])
def test_district_name_fits_in_the_organ_field(qtbot, width):
    """A district's full name is shown whole, not cut off (as it was beside the buttons)."""
    w = AggregateWindow()
    qtbot.addWidget(w)
    w.resize(width, 600)
    w.show()
    qtbot.waitExposed(w)
    name = "平顶山高新技术产业开发区管理委员会"
    w.organ_edit.setText(name)
    margins = w.organ_edit.textMargins()
    room = w.organ_edit.contentsRect().width() - margins.left() - margins.right() - 8  # frame padding
    assert w.organ_edit.fontMetrics().horizontalAdvance(name) <= room
