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


def test_windows_version_resource_names_the_product_and_the_package_version():
    """What Explorer shows under 属性 → 详细信息 (the text PyInstaller evaluates on Windows)."""
    spec = importlib.util.spec_from_file_location(
        "version_info", ENTRY.parent / "windows" / "version_info.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from app import __version__

    text = module.version_info_text(__version__, "nianbao-cli", "政府信息公开年报（命令行）")
    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct")
    def maker(name: str):
        return lambda *a, **k: (name, a, k)

    built = eval(text, {n: maker(n) for n in names})
    _, _, info = built
    assert info["ffi"][2]["filevers"] == info["ffi"][2]["prodvers"] == module.version_numbers(__version__)
    [(_, (tables,), _), (_, ([(_, (_, translation), _)],), _)] = info["kids"]
    [(_, (language, structs), _)] = tables
    strings = dict(s[1] for s in structs)
    assert strings["ProductName"] == "政府信息公开年报"
    assert strings["FileVersion"] == strings["ProductVersion"] == __version__
    assert strings["OriginalFilename"] == "nianbao-cli.exe"
    assert language == "080404B0" and translation == [0x0804, 1200]   # 中文（简体）, Unicode
    assert module.version_numbers("1.2") == (1, 2, 0, 0)
