"""The window proposes file names Windows accepts, however long or odd the organ's name,
and exports into a folder with Chinese characters, spaces and full-width brackets."""
from __future__ import annotations

import random
from pathlib import Path

from PySide6 import QtWidgets

from factories import consistent_report
from test_paths import FOLDER, LONG_ORGAN, assert_windows_accepts
from ui_support import open_window


def test_export_proposes_a_safe_short_name_and_writes_in_a_chinese_folder(qtbot, tmp_path, monkeypatch):
    report = consistent_report("2019", random.Random(5))
    report.organ = LONG_ORGAN.replace("关于", "关于/")
    window, _ = open_window(qtbot, report, tmp_path / "草稿库 （U盘）")
    check = window.editor.go_to_step("check")
    folder = tmp_path / FOLDER
    folder.mkdir()
    proposed = []

    def save_as(parent, title, default, filter_):
        proposed.append(Path(default).name)
        return str(folder / Path(default).name), filter_
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName", save_as)

    for button in (check.export_button, check.docx_button):
        button.click()
        check.wait_for_export()
        qtbot.waitUntil(lambda: check.last_export is not None and check.last_export.name == proposed[-1],
                        timeout=30000)
    for name, suffix in zip(proposed, (".pdf", ".docx"), strict=True):
        assert_windows_accepts(name)
        assert name.startswith("平顶山市人民政府办公室关于／")
        assert name.endswith("遵化店镇人民政府2020年政府信息公开工作年度报告" + suffix)
    assert sorted(p.name for p in folder.iterdir()) == sorted(proposed)

    asked = []
    monkeypatch.setattr(QtWidgets.QFileDialog, "getSaveFileName",
                        lambda parent, title, default, filter_: asked.append(default) or ("", ""))
    window.save_json_as()
    assert_windows_accepts(asked[0])
    assert asked[0].endswith("年度报告.json")
