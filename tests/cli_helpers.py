"""Run the real ``nianbao`` console script in a subprocess, as a user or script would."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

NIANBAO = Path(sys.executable).with_name("nianbao")
# test.sh sets PYTHONWARNDEFAULTENCODING=1: the program's own files must name their encoding
OWN_ENCODING_WARNING = re.compile(r"[\\/](?:app|ui)[\\/][^:\n]+\.py:\d+: EncodingWarning")
ENCODING_WARNING = re.compile(r"^[^\n]*: EncodingWarning: [^\n]*\n(?:[ \t]+[^\n]*\n)?", re.MULTILINE)
"""A warning with its source line, as Python prints it: a library's (openpyxl's, in a
path that names the checkout) is no part of what a user reads, who never sets it."""


def run_nianbao(*args: str, cwd=None, env: dict | None = None, input: str | None = None):
    """Run ``nianbao ARGS``; returns CompletedProcess with text stdout/stderr."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    cmd = [str(NIANBAO), *args] if NIANBAO.exists() else [sys.executable, "-m", "ui.launcher", *args]
    result = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", cwd=cwd,
                            env=full_env, input=input, timeout=120)
    assert not OWN_ENCODING_WARNING.search(result.stderr), result.stderr
    result.stderr = ENCODING_WARNING.sub("", result.stderr)
    return result
