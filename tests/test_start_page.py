"""The start page: what it lists and says, loaded without the format files."""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from app import exchange
from app.carry import summary
from app.store import DraftStore
from conftest import PINGTAN_JSON, ZUNHUADIAN_JSON
from ui.start_page import StartPage


def test_from_previous_explains_what_is_carried_when_the_mouse_rests_on_it(qtbot):
    page = StartPage()
    qtbot.addWidget(page)
    page.show()
    button = page.from_prev_button
    point = QtCore.QPoint(5, 5)
    QtWidgets.QApplication.sendEvent(
        button, QtGui.QHelpEvent(QtCore.QEvent.Type.ToolTip, point, button.mapToGlobal(point)))
    assert button.toolTip() == "以一份上年度的报告（草稿或文件）为基础新建：" + summary()
    assert "沿用报告单位" in button.toolTip()


def test_the_list_shows_each_draft_newest_first(qtbot, tmp_path):
    with DraftStore.open(tmp_path) as store:
        older = store.create(exchange.read_file(ZUNHUADIAN_JSON))
        newer = store.create(exchange.read_file(PINGTAN_JSON))
        infos = store.drafts()
    page = StartPage()
    qtbot.addWidget(page)
    page.set_drafts(infos)
    rows = [[page.drafts.index(r, c).data() for c in range(6)] for r in range(page.drafts.rowCount())]
    assert [r[:5] for r in rows] == [
        ["平潭综合实验区2021年政府信息公开工作年度报告", "2021", "2021 版", rows[0][3], rows[0][4]],
        [exchange.read_file(ZUNHUADIAN_JSON).title, "2020", "2019 版", rows[1][3], rows[1][4]]]
    assert all(r[3].endswith("%") and r[5].count(":") == 1 for r in rows)
    assert page.selected_id() == newer and older != newer
