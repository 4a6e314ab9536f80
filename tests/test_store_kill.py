"""Power-cut safety: a process killed with SIGKILL while saving never loses a returned save."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PINGTAN_JSON

DRIVER = Path(__file__).with_name("store_kill_driver.py")


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL and fork are POSIX")
@pytest.mark.parametrize("seed", [11, 12])
def test_sigkill_while_saving_loses_no_returned_save(tmp_path, seed):
    """2 × 110 kills at random moments of a save/create/rename loop (see the driver)."""
    run = subprocess.run([sys.executable, str(DRIVER), str(tmp_path), "110", str(seed),
                          str(PINGTAN_JSON)], capture_output=True, text=True, encoding="utf-8",
                         timeout=300)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["problems"] == []
    assert result["kills"] == 110
    # The kills must really land while saving, not before the child got going.
    assert result["rounds_with_ops"] >= 30, result
    assert result["drafts"] >= 3, result
