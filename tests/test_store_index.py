"""The draft index: the start page's list comes from ``index.json`` alone.

What the list shows (name, organ, year, format, completeness, error count, last change) is
kept in the index; opening the store and listing reads that one file, and a session that
only looks does not write it. An entry written by an older version without some of these
fields is filled in once from its draft file, never shown with blanks.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from app import exchange
from app.store import DraftStore
from conftest import PINGTAN_JSON, ZUNHUADIAN_JSON


def index_data(root: Path) -> dict:
    return json.loads((root / "index.json").read_text(encoding="utf-8"))


def entries(root: Path) -> dict[str, dict]:
    return {e["id"]: e for e in index_data(root)["drafts"].values()}


def test_listing_reads_the_index_not_the_draft_files(tmp_path):
    with DraftStore.open(tmp_path) as store:
        first = store.create(exchange.read_file(PINGTAN_JSON))
    draft_file = tmp_path / "drafts" / first / "draft.json"
    st = draft_file.stat()
    with open(draft_file, "r+b") as f:     # the same file (inode, size, time), unreadable now
        f.write(b"\xff" * st.st_size)
    os.utime(draft_file, ns=(st.st_atime_ns, st.st_mtime_ns))
    with DraftStore.open(tmp_path) as store:
        [info] = store.drafts()
        assert store.notices == []         # reading it would have found the damage
    assert (info.organ, info.year, info.version) == ("平潭综合实验区", 2021, "2021")
    assert info.name == "平潭综合实验区2021年政府信息公开工作年度报告"


def test_opening_and_listing_leave_the_index_as_it_was(tmp_path):
    with DraftStore.open(tmp_path) as store:
        store.create(exchange.read_file(PINGTAN_JSON))
    before = (tmp_path / "index.json").read_bytes()
    with DraftStore.open(tmp_path) as store:
        store.drafts()
        assert index_data(tmp_path)["meta"]["1"]["in_use"] is False
    assert (tmp_path / "index.json").read_bytes() == before


def test_the_first_write_marks_the_index_in_use_until_a_clean_close(tmp_path):
    """So that a crash after a save is noticed and the next start reads every draft file."""
    with DraftStore.open(tmp_path) as store:
        first = store.create(exchange.read_file(PINGTAN_JSON))
        assert index_data(tmp_path)["meta"]["1"]["in_use"] is True
    assert index_data(tmp_path)["meta"]["1"]["in_use"] is False
    with DraftStore.open(tmp_path) as store:
        report = store.load(first)
        assert index_data(tmp_path)["meta"]["1"]["in_use"] is False   # reading is not writing
        report.texts["other"] = "改过"
        store.save(first, report)
        assert index_data(tmp_path)["meta"]["1"]["in_use"] is True


def test_an_index_entry_without_the_list_fields_is_filled_once_from_the_draft(tmp_path):
    with DraftStore.open(tmp_path) as store:
        first = store.create(exchange.read_file(ZUNHUADIAN_JSON))
        second = store.create(exchange.read_file(PINGTAN_JSON))
        expected = {i.id: i for i in store.drafts()}
    data = index_data(tmp_path)
    for entry in data["drafts"].values():
        if entry["id"] == first:    # as an older nianbao wrote it
            for key in ("organ", "year", "version", "completeness", "error_count"):
                del entry[key]
    (tmp_path / "index.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with DraftStore.open(tmp_path) as store:
        listed = {i.id: i for i in store.drafts()}
    assert listed == expected
    town = exchange.read_file(ZUNHUADIAN_JSON)
    assert (listed[first].organ, listed[first].year) == (town.organ, 2020)
    filled = entries(tmp_path)[first]      # written back: the next start reads it from the index
    assert (filled["organ"], filled["year"], filled["version"]) == (town.organ, 2020, "2019")
    assert entries(tmp_path)[second]["organ"] == "平潭综合实验区"
