"""Fuzzing every reader (see ``fuzz_support``): a few hundred mutated report files of each
kind, each aggregated between two good reports; only the project's own errors, no case
over 10 s, the good reports always summed. Bounded and derandomized so that the suite stays
fast and repeatable; ``bench/fuzz_inputs.py`` runs the long random version."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from fuzz_support import KINDS, check, mutated

EXAMPLES = {"html": 30, "mht": 20, "txt": 50, "docx": 40, "json": 60, "pdf": 25}


@pytest.mark.parametrize("kind", KINDS)
def test_mutated_files_only_raise_our_errors_and_never_stop_the_aggregate(kind):
    @settings(max_examples=EXAMPLES[kind], deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(mutated(kind))
    def case(data: bytes) -> None:
        with tempfile.TemporaryDirectory(prefix="nianbao-fuzz-") as folder:
            check(kind, data, Path(folder))
    case()
