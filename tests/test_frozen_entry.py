"""The frozen program's entry (packaging/nianbao_entry.py), without building it."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ENTRY = Path(__file__).resolve().parent.parent / "packaging" / "nianbao_entry.py"


def load_entry():
    spec = importlib.util.spec_from_file_location("nianbao_entry", ENTRY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_windowed_failure_is_shown_to_the_user(monkeypatch):
    """nianbao.exe has no console: a failing start must end in a message box, in Chinese."""
    entry = load_entry()
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    shown = []

    def failing_cli() -> int:
        print("nianbao：图形界面无法启动：找不到 Qt 平台插件", file=sys.stderr)
        return 2

    assert entry.run_without_console(failing_cli, shown.append) == 2
    assert shown == ["nianbao：图形界面无法启动：找不到 Qt 平台插件"]


def test_windowed_success_shows_nothing(monkeypatch):
    entry = load_entry()
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    shown = []

    def fine_cli() -> int:
        print("已导出正式版")
        return 0

    assert entry.run_without_console(fine_cli, shown.append) == 0
    assert shown == []
