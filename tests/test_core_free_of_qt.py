"""``app/`` is the domain core and never imports Qt or the UI (which lives in ``ui/``).

The console script is ``ui.launcher``: it opens the window when no argument is given and
otherwise runs ``app.cli`` without loading Qt.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _python(code: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, cwd=ROOT,
                          encoding="utf-8", env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def test_import_linter_contract_keeps_the_core_free_of_ui_and_qt():
    """The contract in pyproject.toml ([tool.importlinter]): app never imports ui,
    PySide6 or shiboken6, directly or through another module."""
    res = subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], capture_output=True,
                         cwd=ROOT, encoding="utf-8", env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert res.returncode == 0, res.stdout + res.stderr
    assert "The core never imports the UI or Qt KEPT" in res.stdout


def test_importing_every_core_module_loads_no_qt():
    """Also what no static check sees: a module imported by name at run time."""
    res = _python(
        "import importlib, pkgutil, sys, app\n"
        "for m in pkgutil.walk_packages(app.__path__, 'app.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'ui'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n")
    assert res.returncode == 0, res.stdout + res.stderr


def test_the_command_line_through_the_console_script_loads_no_qt(tmp_path):
    """``nianbao new …`` goes through the launcher to app.cli and never loads Qt."""
    out = tmp_path / "r.json"
    res = _python(
        "import sys\n"
        "from ui.launcher import main\n"
        "code = main(sys.argv[1:])\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print('QT', bad); sys.exit(code)\n",
        "new", "--year", "2024", "--organ", "测试镇人民政府", "-o", str(out))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "QT []" in res.stdout and out.exists()
