"""The window when the draft store has trouble: a damaged draft repaired while opening it
is told to the user; a save the disk refuses is retried until it succeeds, and the title
says 未保存 until then. Faults are injected as in test_store_disk.py."""
from __future__ import annotations

import errno
import os

from PySide6.QtCore import Qt

from app import exchange, files
from app.store import DraftStore
from conftest import PINGTAN_JSON
from test_store_disk import FailingOs
from ui.main_window import MainWindow

REF = ("requests", "new", "natural")


def store_with_draft(data_dir):
    store = DraftStore.open(data_dir, history_interval=0, backup_interval=0)
    report = exchange.read_file(PINGTAN_JSON)
    draft = store.create(report)
    for text in ("第一次保存", "第二次保存"):      # each save leaves a backup
        report.texts["other"] = text
        store.save(draft, report)
    return store, draft


def show_window(qtbot, store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    return window


def test_damage_found_while_opening_a_draft_is_shown(qtbot, tmp_path):
    store, draft = store_with_draft(tmp_path / "data")
    window = show_window(qtbot, store)
    assert not window.saving.notice_bar.isVisible()
    path = store.layout.draft_file(draft)
    path.write_bytes(path.read_bytes()[:100])           # cut short behind the store's back
    window.open_draft(draft)
    assert window.saving.notice_bar.isVisible()
    text = window.saving.notice_bar.text()
    assert f"数据文件 {path} 不完整，结尾被截断" in text and "保存的历史版本（第 3 版）恢复" in text
    assert "请核对这份报告的内容" in text
    assert window.session.report.texts["other"] == "第二次保存"   # the newest good copy
    window.back_to_start()
    assert not window.saving.notice_bar.isVisible()
    window.open_draft(draft)                             # nothing new: nothing shown again
    assert not window.saving.notice_bar.isVisible()
    window.close()


def test_failed_save_is_retried_until_the_disk_takes_it(qtbot, tmp_path, monkeypatch):
    store, draft = store_with_draft(tmp_path / "data")
    window = show_window(qtbot, store)
    window.saving.retry_timer.setInterval(50)
    window.open_draft(draft)
    attempts = []

    class CountingFailingOs(FailingOs):
        def __getattr__(self, name):
            if name == "write":
                attempts.append(name)
            return super().__getattr__(name)
    monkeypatch.setattr(files, "os", CountingFailingOs(errno.ENOSPC))

    window.session.set_cells({REF: 41})
    assert not window.session.save()
    assert "未保存" in window.windowTitle()
    assert window.saving.problem_bar.isVisible() and "磁盘已满" in window.saving.problem_bar.text()
    assert "您的修改仍保留在程序中，没有丢失" in window.saving.problem_bar.text()
    qtbot.waitUntil(lambda: len(attempts) >= 3, timeout=5000)      # retried, no edit needed
    assert "未保存" in window.windowTitle()

    monkeypatch.setattr(files, "os", os)                 # space freed
    qtbot.waitUntil(lambda: "已保存" in window.windowTitle(), timeout=5000)
    assert not window.saving.problem_bar.isVisible()
    assert "已重新保存" in window.statusBar().currentMessage()
    assert not window.saving.retry_timer.isActive()
    window.close()                                       # closes the store too
    with DraftStore.open(tmp_path / "data") as again:
        assert again.load(draft).cells[REF] == 41


def test_edits_kept_after_leaving_the_draft_are_still_written(qtbot, tmp_path, monkeypatch):
    store, draft = store_with_draft(tmp_path / "data")
    window = show_window(qtbot, store)
    window.saving.retry_timer.setInterval(50)
    window.open_draft(draft)
    monkeypatch.setattr(files, "os", FailingOs(errno.EROFS, "open"))
    window.session.set_cells({REF: 7})
    window.back_to_start()                                # its save fails: edits stay in memory
    assert window.saving.problem_bar.isVisible()
    assert "磁盘是只读的" in window.saving.problem_bar.text()
    monkeypatch.setattr(files, "os", os)
    qtbot.waitUntil(lambda: not window.saving.problem_bar.isVisible(), timeout=5000)
    window.close()
    with DraftStore.open(tmp_path / "data") as again:
        assert again.load(draft).cells[REF] == 7


def test_the_store_notice_can_be_closed(qtbot, tmp_path):
    store, draft = store_with_draft(tmp_path / "data")
    window = show_window(qtbot, store)
    path = store.layout.draft_file(draft)
    path.write_bytes(path.read_bytes()[:100])
    window.open_draft(draft)
    assert window.saving.notice_bar.isVisible()
    button = window.saving.notice_bar.close_button
    assert button.isVisible() and button.toolTip() == "关闭这条提示"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not window.saving.notice_bar.isVisible()
    assert window.editor.isVisible()                      # only the notice went away
    window.close()


def test_a_failed_save_is_told_once(qtbot, tmp_path, monkeypatch):
    store, draft = store_with_draft(tmp_path / "data")
    window = show_window(qtbot, store)
    window.open_draft(draft)
    monkeypatch.setattr(files, "os", FailingOs(errno.ENOSPC))
    window.session.set_cells({REF: 41})
    saved = window.session.save()
    bar, status = window.saving.problem_bar.text(), window.statusBar().currentMessage()
    monkeypatch.setattr(files, "os", os)            # before asserting: no hang on close
    assert not saved
    assert "磁盘已满" in bar                                 # the reason, in the bar
    assert status == "未保存" and "磁盘已满" not in status  # not a second time below
    window.close()


def damage(path) -> None:
    """Cut the draft file short behind the store's back (another program, a bad disk)."""
    path.write_bytes(path.read_bytes()[:100])


def test_damage_found_by_an_autosave_is_shown_at_once(qtbot, tmp_path):
    store, draft = store_with_draft(tmp_path / "data")
    window = show_window(qtbot, store)
    window.open_draft(draft)
    assert not window.saving.notice_bar.isVisible()
    path = store.layout.draft_file(draft)
    damage(path)
    window.session.set_cells({REF: 12})
    qtbot.waitUntil(lambda: "已保存" in window.windowTitle(), timeout=5000)   # the autosave
    assert window.saving.notice_bar.isVisible()                   # without opening anything again
    assert f"数据文件 {path} 不完整，结尾被截断" in window.saving.notice_bar.text()
    window.close()
    with DraftStore.open(tmp_path / "data") as again:
        assert again.load(draft).cells[REF] == 12             # and the edit is on disk


def test_damage_found_by_a_retried_save_is_shown_at_once(qtbot, tmp_path, monkeypatch):
    store, draft = store_with_draft(tmp_path / "data")
    window = show_window(qtbot, store)
    window.saving.retry_timer.setInterval(50)
    window.open_draft(draft)
    monkeypatch.setattr(files, "os", FailingOs(errno.ENOSPC))
    window.session.set_cells({REF: 13})
    assert not window.session.save()
    path = store.layout.draft_file(draft)
    damage(path)
    monkeypatch.setattr(files, "os", os)            # space freed: the retry writes
    qtbot.waitUntil(lambda: not window.saving.problem_bar.isVisible(), timeout=5000)
    assert window.saving.notice_bar.isVisible()
    assert f"数据文件 {path} 不完整，结尾被截断" in window.saving.notice_bar.text()
    window.close()
    with DraftStore.open(tmp_path / "data") as again:
        assert again.load(draft).cells[REF] == 13


def test_damage_found_by_the_save_on_leaving_a_draft_is_shown_on_the_start_page(qtbot, tmp_path):
    store, draft = store_with_draft(tmp_path / "data")
    window = show_window(qtbot, store)
    window.open_draft(draft)
    path = store.layout.draft_file(draft)
    damage(path)
    window.session.set_cells({REF: 14})
    window.back_to_start()                                   # its last save meets the damage
    assert not window.saving.notice_bar.isVisible()
    assert window.start.message.isVisible()
    assert f"数据文件 {path} 不完整，结尾被截断" in window.start.message.text()
    window.close()
