"""The static checks configured in pyproject.toml pass on the whole checkout: ruff
([tool.ruff]: pyflakes, import order, pyupgrade, bugbear…, and no `noqa` that suppresses
nothing). The import-linter contract is checked by test_core_free_of_qt.py."""
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
