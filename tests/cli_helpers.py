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


def run_nianbao(*args: str, cwd=None, env: dict | None = None, input: str | None = None):
    """Run ``nianbao ARGS``; returns CompletedProcess with text stdout/stderr."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    cmd = [str(NIANBAO), *args] if NIANBAO.exists() else [sys.executable, "-m", "ui.launcher", *args]
    result = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", cwd=cwd,
                            env=full_env, input=input, timeout=120)
    assert not OWN_ENCODING_WARNING.search(result.stderr), result.stderr
    return result
