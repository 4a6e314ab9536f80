"""PyInstaller run-time hook (``packaging/nianbao.spec``): PySide6 compiles its support code
once per machine in the packaged program too (``ui.pyside_bytecode``).

PyInstaller's own run-time hook for PySide6 imports PySide6 before the program's first
line, so the import within ``compiled_once`` in ``ui.main`` would come too late there. The
spec's own run-time hooks run before PyInstaller's: this one imports shiboken6 (where
PySide6 compiles that code) within ``compiled_once``.
"""
from ui.pyside_bytecode import compiled_once

with compiled_once():
    import shiboken6  # noqa: F401
