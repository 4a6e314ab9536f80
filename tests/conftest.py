"""Shared test helpers: where the fixtures are, and a temporary data folder for every test."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REPORTS = FIXTURES / "reports"
ZUNHUADIAN_JSON = REPORTS / "2020-zunhuadian-town.json"
PINGTAN_JSON = REPORTS / "2021-pingtan-zone.json"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """No test ever reads or writes the user's real drafts or settings."""
    monkeypatch.setenv("NIANBAO_DATA_DIR", str(tmp_path_factory.mktemp("nianbao-data")))
    monkeypatch.setenv("NIANBAO_CONFIG_DIR", str(tmp_path_factory.mktemp("nianbao-config")))
