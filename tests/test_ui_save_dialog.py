"""The window asks before replacing a file: the save dialog confirms the name typed, and
a suffix added afterwards (``年报`` → ``年报.json``) names a file it never confirmed."""
from __future__ import annotations

import pytest
from PySide6 import QtWidgets

from app import exchange
from conftest import PINGTAN_JSON
from ui_support import open_window


@pytest.mark.parametrize("answer, replaced", [
    (QtWidgets.QMessageBox.StandardButton.No, False),
    (QtWidgets.QMessageBox.StandardButton.Yes, True),
])
def test_save_as_asks_before_replacing_the_file_the_suffix_names(qtbot, tmp_path, monkeypatch,
                                                                 answer, replaced):
    window, _ = open_window(qtbot, exchange.read_file(PINGTAN_JSON), tmp_path / "data")
    existing = tmp_path / "年报.json"
    existing.write_bytes(b"keep me")
    asked = []
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda *a: (str(tmp_path / "年报"), "年报数据文件 (*.json)"))
    monkeypatch.setattr(QtWidgets.QMessageBox, "question",
                        lambda parent, title, text, *a: asked.append((title, text)) or answer)
    window.save_json_as()
    assert asked == [("文件已存在", f"{existing} 已存在。要替换它吗？")]
    if replaced:
        assert exchange.read_file(existing).organ == "平潭综合实验区"
    else:
        assert existing.read_bytes() == b"keep me"
    window.close()


def test_save_as_names_the_reason_in_chinese(qtbot, tmp_path, monkeypatch):
    window, _ = open_window(qtbot, exchange.read_file(PINGTAN_JSON), tmp_path / "data")
    target = tmp_path / "missing-folder" / "年报.json"
    shown = []
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    monkeypatch.setattr(QtWidgets.QMessageBox, "warning", lambda p, t, text: shown.append((t, text)))
    window.save_json_as()
    assert shown == [("无法保存", f"无法写入 {target}：找不到文件或文件夹")]
    window.close()
