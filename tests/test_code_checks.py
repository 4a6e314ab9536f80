"""The static checks configured in pyproject.toml pass: ruff on the whole checkout
([tool.ruff]: pyflakes, import order, pyupgrade, bugbear…, and no `noqa` that suppresses
nothing) and mypy on the core ([tool.mypy]: ``app/`` with its function bodies checked).
The import-linter contract is checked by test_core_free_of_qt.py."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

BIN = Path(sys.executable).parent


def _run(tool: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / tool), *args], capture_output=True, cwd=ROOT,
                          encoding="utf-8", env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def test_ruff_finds_nothing():
    res = _run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert res.returncode == 0, res.stdout + res.stderr


def test_mypy_finds_nothing_in_the_core():
    res = _run("mypy")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Success: no issues found" in res.stdout
