"""The crash-safe file writing under the store: whole files, backups of the last good ones."""
from __future__ import annotations

from tinydb import TinyDB

from app.store.atomic_storage import atomic_write_bytes, backup_path
from app.store.tinydb_storage import AtomicJSONStorage


def test_backups_keep_the_last_good_files_newest_first(tmp_path):
    path = tmp_path / "index.json"
    for n in range(6):
        atomic_write_bytes(path, f"版本{n}".encode(), backups=3)
    assert path.read_text(encoding="utf-8") == "版本5"
    assert [backup_path(path, k).read_text(encoding="utf-8") for k in (1, 2, 3)] == [
        "版本4", "版本3", "版本2"]
    assert not backup_path(path, 4).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "index.json", "index.json.1.bak", "index.json.2.bak", "index.json.3.bak"]


def test_backups_rotate_at_most_once_per_interval(tmp_path):
    """An autosave every second would otherwise push good backups out within seconds."""
    path = tmp_path / "draft.json"
    for n in range(6):
        atomic_write_bytes(path, f"版本{n}".encode(), backups=3, backup_min_age=60)
    assert backup_path(path, 1).read_text(encoding="utf-8") == "版本0"
    assert not backup_path(path, 2).exists()


def test_tinydb_storage_writes_utf8_whatever_the_locale(tmp_path):
    path = tmp_path / "db.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.table("drafts").insert({"organ": "某某镇人民政府"})
    assert "某某镇人民政府".encode() in path.read_bytes()
    assert TinyDB(path, storage=AtomicJSONStorage).table("drafts").all() == [{"organ": "某某镇人民政府"}]
    assert [p.name for p in tmp_path.iterdir()] == ["db.json"]  # no temporary file left
