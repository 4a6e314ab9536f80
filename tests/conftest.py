"""Shared test helpers: where the fixtures are, and a temporary data folder for every test."""
from __future__ import annotations

import locale
import os
import sys
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


# The part of the suite that test.sh runs under LC_ALL=zh_CN.GB18030, where Python's default
# encoding is GB18030 as on Chinese Windows: command line, import, export, store, aggregate.
# Qt switches a non-UTF-8 locale to UTF-8 inside its process, so window tests are not here.
GB18030_MODULES = {
    "test_cli_core", "test_store_cli", "test_pdf_cli", "test_import_fixtures",
    "test_import_variants", "test_pdf_export", "test_pdf_fonts", "test_docx_export",
    "test_export_files", "test_exchange", "test_carry", "test_aggregate",
    "test_store_drafts", "test_store_atomic", "test_store_recovery", "test_store_lock",
    "test_store_disk", "test_store_kill", "test_paths", "test_encoding_gb18030",
    "test_draft", "test_files", "test_import_pdf", "test_import_real_lines", "test_import_corpus",
    "test_pdf_layout", "test_district_desk", "test_district_parts", "test_district_roster",
}
missing = {m for m in GB18030_MODULES if not (Path(__file__).parent / f"{m}.py").is_file()}
assert not missing, f"conftest.GB18030_MODULES names missing test files: {sorted(missing)}"


def pytest_collection_modifyitems(config, items):
    """Mark the GB18030 part; with NIANBAO_TEST_PASS=main or =gb18030 (set by test.sh) keep
    only the rest or only that part, so that each test runs once."""
    for item in items:
        if item.module.__name__ in GB18030_MODULES:
            item.add_marker(pytest.mark.gb18030)
    chosen = os.environ.get("NIANBAO_TEST_PASS")
    if chosen not in ("main", "gb18030"):
        return
    keep = [i for i in items if (i.get_closest_marker("gb18030") is not None) == (chosen == "gb18030")]
    dropped = [i for i in items if i not in keep]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(autouse=True)
def _still_gb18030():
    """In the GB18030 pass, a test that ran under another encoding would prove nothing."""
    if os.environ.get("NIANBAO_TEST_PASS") == "gb18030":
        assert (locale.getencoding().upper(), sys.flags.utf8_mode) == ("GB18030", 0)
    yield
