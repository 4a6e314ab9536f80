"""The window's autosave timing: debounced, never more than a few seconds behind, retried."""
from __future__ import annotations

import errno
import os

import pytest

from app import exchange
from app import files
from app.store import DraftStore
from app.store.autosave import Autosaver
from conftest import PINGTAN_JSON


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def setup(tmp_path):
    store = DraftStore.open(tmp_path)
    report = exchange.read_file(PINGTAN_JSON)
    draft = store.create(report)
    clock = Clock()
    saver = Autosaver(store, retry_every=5.0, clock=clock)  # delay 0.5 s, max_wait 1 s
    yield store, report, draft, clock, saver
    store.close()


def type_text(saver, draft, report, text):
    report.texts["other"] = text
    saver.edited(draft, lambda: (report.copy(), None))


def on_disk(store, draft) -> str:
    return DraftStore.open(store.layout.root).load(draft).texts["other"]  # read-only copy


def test_saves_half_a_second_after_the_last_edit(setup):
    store, report, draft, clock, saver = setup
    type_text(saver, draft, report, "甲")
    clock.now += 0.3
    assert not saver.tick() and saver.dirty
    clock.now += 0.3
    assert saver.tick() and not saver.dirty
    assert on_disk(store, draft) == "甲"


def test_continuous_typing_is_never_more_than_a_second_behind(setup):
    store, report, draft, clock, saver = setup
    for n in range(60):          # a keystroke every 0.2 s for 12 s, ticks in between
        type_text(saver, draft, report, f"第{n}字")
        clock.now += 0.2
        saver.tick()
        saved = int(on_disk(store, draft).strip("第字") or -1) if n % 10 == 9 else None
        if saved is not None:
            assert n - saved <= 5, (n, saved)   # 5 keystrokes = 1 s
    assert 10 <= store.info(draft).rev <= 14


def test_failed_save_is_retried_and_reported(setup, monkeypatch):
    store, report, draft, clock, saver = setup

    class FullDisk:
        def __getattr__(self, name):
            if name == "write":
                def fail(*args):
                    raise OSError(errno.ENOSPC, "No space left on device")
                return fail
            return getattr(os, name)

    monkeypatch.setattr(files, "os", FullDisk())
    type_text(saver, draft, report, "满盘时输入")
    clock.now += 0.6
    saver.tick()
    assert saver.dirty and "磁盘已满" in saver.error
    monkeypatch.undo()
    clock.now += 1.0
    assert not saver.tick()          # waits retry_every before trying again
    clock.now += 5.0
    assert saver.tick() and not saver.dirty and saver.error is None
    assert on_disk(store, draft) == "满盘时输入"


def test_flush_saves_at_once_when_switching_drafts(setup):
    store, report, draft, clock, saver = setup
    second = exchange.read_file(PINGTAN_JSON)
    other = store.create(second)
    type_text(saver, draft, report, "第一份的修改")
    type_text(saver, other, second, "第二份的修改")   # switching flushes the first
    assert on_disk(store, draft) == "第一份的修改"
    assert saver.flush()
    assert on_disk(store, other) == "第二份的修改"
