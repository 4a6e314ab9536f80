"""``app/`` is the domain core and never imports Qt (the UI lives in ``ui/``)."""
from __future__ import annotations

import ast
import os
import subprocess
import sys

from conftest import ROOT


def test_no_module_in_app_imports_pyside6():
    offenders = []
    for path in (ROOT / "app").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            tops = {n.split(".")[0] for n in names}
            launcher = path == ROOT / "app" / "cli" / "gui.py"  # starts the window: may name ui
            if tops & {"PySide6", "shiboken6"} or ("ui" in tops and not launcher):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_importing_every_core_module_loads_no_qt():
    code = (
        "import importlib, pkgutil, sys, app\n"
        "for m in pkgutil.walk_packages(app.__path__, 'app.'):\n"
        "    if m.name != 'app.cli.gui': importlib.import_module(m.name)\n"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT,
                         encoding="utf-8", env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert res.returncode == 0, res.stdout + res.stderr
