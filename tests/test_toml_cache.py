"""The format files are parsed once per machine (app.toml_cache): a later process reads
the same data from the cache; an edited format file is parsed again; a cache file that is
damaged, too large, not ours or not a file is ignored; an unwritable cache folder changes nothing."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
import tomllib

import pytest

from app import cache_folder, toml_cache
from app.formats import _build, load_format
from app.paths import resource_path
from conftest import ROOT, ZUNHUADIAN_JSON

FORMAT_2021 = resource_path("formats", "2021.toml")


@pytest.fixture
def cache(monkeypatch, tmp_path):
    monkeypatch.setenv(cache_folder.ENV_VAR, str(tmp_path / "cache"))
    return tmp_path / "cache" / "formats"


def entry_for(folder, path):
    return folder / f"{hashlib.sha256(path.read_bytes()).hexdigest()}.json"


def test_a_later_read_comes_from_the_cache_and_equals_the_parse(cache, monkeypatch):
    parsed = tomllib.loads(FORMAT_2021.read_text(encoding="utf-8"))
    assert toml_cache.read_toml(FORMAT_2021) == parsed          # parses and writes the cache
    assert entry_for(cache, FORMAT_2021).is_file()
    monkeypatch.setattr(tomllib, "loads", lambda *_: pytest.fail("parsed again"))
    again = toml_cache.read_toml(FORMAT_2021)
    assert again == parsed
    built, fresh = _build(again), _build(parsed)                  # the same Format, rules and all
    assert all(getattr(built, f.name) == getattr(fresh, f.name) for f in dataclasses.fields(fresh))


def test_an_edited_format_file_is_parsed_again(cache, tmp_path):
    copy = tmp_path / "2021.toml"
    copy.write_bytes(FORMAT_2021.read_bytes())
    toml_cache.read_toml(copy)
    copy.write_text(FORMAT_2021.read_text(encoding="utf-8").replace('name = "', 'name = "改', 1),
                    encoding="utf-8")                              # same size class, new bytes
    data = toml_cache.read_toml(copy)
    assert data == tomllib.loads(copy.read_text(encoding="utf-8"))
    assert len(list(cache.iterdir())) == 2


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000,
                                     b'{"sections": []}' + b" " * (toml_cache.MAX_CACHED_BYTES + 1)])
def test_a_damaged_or_foreign_cache_file_is_ignored(cache, content):
    entry = entry_for(cache, FORMAT_2021)
    cache.mkdir(parents=True)
    entry.write_bytes(content)
    assert toml_cache.read_toml(FORMAT_2021) == tomllib.loads(FORMAT_2021.read_text(encoding="utf-8"))


def test_a_pipe_in_place_of_a_cache_file_is_not_read(cache):
    """Reading it would wait for ever (app.cache_folder.read_entry); it is replaced."""
    entry = entry_for(cache, FORMAT_2021)
    cache.mkdir(parents=True)
    os.mkfifo(entry)
    assert toml_cache.read_toml(FORMAT_2021) == tomllib.loads(FORMAT_2021.read_text(encoding="utf-8"))
    assert entry.is_file()


def test_an_unwritable_cache_folder_changes_nothing(monkeypatch, tmp_path):
    blocker = tmp_path / "a file, not a folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(cache_folder.ENV_VAR, str(blocker))
    assert toml_cache.read_toml(FORMAT_2021) == tomllib.loads(FORMAT_2021.read_text(encoding="utf-8"))


def test_data_json_cannot_give_back_is_not_cached(cache, tmp_path):
    dated = tmp_path / "dated.toml"
    dated.write_text("when = 2021-01-15\n", encoding="utf-8")
    assert toml_cache.read_toml(dated) == {"when": tomllib.loads("when = 2021-01-15")["when"]}
    assert not cache.exists() or not list(cache.iterdir())


def test_the_formats_the_program_uses_go_through_the_cache(cache):
    load_format.cache_clear()
    try:
        fmt = load_format("2021")
    finally:
        load_format.cache_clear()
    assert entry_for(cache, FORMAT_2021).is_file()
    assert json.loads(entry_for(cache, FORMAT_2021).read_text(encoding="utf-8"))["rules"]
    assert fmt.rules


EXPORT_THEN_SAY = """\
import sys
from app.cli import main
code = main(["export", sys.argv[1], "-o", sys.argv[2], "--force"])
print("exit", code, "tomllib imported:", "tomllib" in sys.modules)
"""


def test_a_second_export_parses_no_toml(tmp_path):
    """The formats, the PDF style and every other TOML the export reads come from the
    cache once it is filled: a second ``nianbao export`` neither parses TOML nor imports
    tomllib (~6 ms of every command)."""
    env = {**os.environ, cache_folder.ENV_VAR: str(tmp_path / "cache"), "PYTHONIOENCODING": "utf-8"}
    lines = []
    for n in (1, 2):
        res = subprocess.run([sys.executable, "-c", EXPORT_THEN_SAY, str(ZUNHUADIAN_JSON), str(tmp_path / f"{n}.pdf")],
                             capture_output=True, encoding="utf-8", env=env, cwd=ROOT, timeout=120)
        lines.append(res.stdout.splitlines()[-1] if res.stdout else res.stderr)
    assert lines == ["exit 0 tomllib imported: True", "exit 0 tomllib imported: False"], lines
