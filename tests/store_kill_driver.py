"""Kill a saving process with SIGKILL, again and again, and check the store after each kill.

Run by ``tests/test_store_kill.py`` in a fresh interpreter (forking the pytest process,
which may hold Qt threads, would not be safe). For each round: fork a child that opens
the store and saves, creates and renames drafts in a loop, printing each operation to a
pipe only AFTER it returned; kill it after a random short delay; then open the store as
the next start of the program would and check that it opens cleanly (no recovery needed)
and holds every operation the child had reported. Prints a JSON summary on stdout.

Usage: python store_kill_driver.py DATA_DIR KILLS SEED REPORT_JSON
"""
from __future__ import annotations

import json
import os
import random
import select
import signal
import sys
import time
from pathlib import Path

from app import exchange
from app.report import Report
from app.store import DraftStore

MAX_DRAFTS = 6
ROUND_SEQ = 1_000_000


def with_seq(base: Report, seq: int) -> Report:
    report = base.copy()
    report.organ = f"测试镇{seq}"
    report.texts = dict(base.texts, other=f"seq={seq}")
    return report


def child(data_dir: Path, out: int, start: int, seed: int, base: Report) -> None:
    """Save in a loop; report each finished operation as 'OP ID SEQ' on fd ``out``."""
    rng = random.Random(seed)
    store = DraftStore.open(data_dir, history_interval=rng.choice([0.0, 0.02, 60.0]),
                            backup_interval=rng.choice([0.0, 60.0]))
    if store.read_only:
        os.write(out, b"READONLY\n")
        return
    os.write(out, b"READY\n")
    ids = [i.id for i in store.drafts()]
    seq = start
    while True:
        seq += 1
        roll = rng.random()
        if not ids or (roll < 0.05 and len(ids) < MAX_DRAFTS):
            draft_id = store.create(with_seq(base, seq), {"seq": seq})
            ids.append(draft_id)
            op = "C"
        elif roll < 0.08:
            draft_id = rng.choice(ids)
            store.rename(draft_id, f"名称{seq}")
            op = "R"
        else:
            draft_id = rng.choice(ids)
            store.save(draft_id, with_seq(base, seq), {"seq": seq})
            op = "S"
        os.write(out, f"{op} {draft_id} {seq}\n".encode())


def one_round(data_dir: Path, rng: random.Random, start: int, base: Report) -> list[str]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_fd)
        try:
            child(data_dir, write_fd, start, rng.randrange(1 << 30), base)
        finally:
            os._exit(0)
    os.close(write_fd)
    chunks: list[bytes] = []
    roll = rng.random()
    # Most kills land in the save loop whatever the load of the machine (a save takes
    # 1 ms on an idle disk, 30 ms on a busy one); the others fall anywhere, opening included.
    if roll < 0.4:
        read_until(read_fd, chunks, lambda text: "READY\n" in text)
    elif roll < 0.8:
        read_until(read_fd, chunks, lambda text: any(len(ln.split()) == 3 for ln in text.splitlines()))
    time.sleep(rng.uniform(0.0, 0.03))
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    while chunk := os.read(read_fd, 65536):
        chunks.append(chunk)
    os.close(read_fd)
    return b"".join(chunks).decode("utf-8", "replace").splitlines()


def read_until(read_fd: int, chunks: list[bytes], done, timeout: float = 20.0) -> None:
    """Collect the child's output into ``chunks`` until ``done(text so far)``."""
    deadline = time.monotonic() + timeout
    while not done(b"".join(chunks).decode("utf-8", "replace")) and time.monotonic() < deadline:
        ready, _, _ = select.select([read_fd], [], [], 0.5)
        if ready:
            chunk = os.read(read_fd, 65536)
            if not chunk:
                return
            chunks.append(chunk)


def check(data_dir: Path, lines: list[str], acked: dict) -> list[str]:
    """Update ``acked`` with this round's operations; return the problems found."""
    problems = []
    for line in lines:
        parts = line.split()
        if parts == ["READONLY"]:
            problems.append("child opened the store read-only: the lock of a killed copy stayed")
        elif len(parts) == 3:
            op, draft_id, seq = parts[0], parts[1], int(parts[2])
            acked.setdefault(draft_id, {}).update({op: seq} if op == "R" else {"S": seq})
    store = DraftStore.open(data_dir)
    try:
        if store.read_only or store.notices:
            problems.append(f"store did not open cleanly: read_only={store.read_only} "
                            f"notices={store.notices}")
        infos = {i.id: i for i in store.drafts()}
        for draft_id, ops in acked.items():
            problems += check_draft(store, infos, draft_id, ops)
    finally:
        store.close()
    return problems


def check_draft(store: DraftStore, infos: dict, draft_id: str, ops: dict) -> list[str]:
    if draft_id not in infos:
        return [f"draft {draft_id} lost"]
    report = store.load(draft_id)
    stored = int(report.texts["other"].split("=")[1])
    extras_seq = store.load_extras(draft_id)["seq"]
    problems = []
    saved = ops.get("S", 0)  # 0: created unreported, then only renamed
    if stored < saved or extras_seq < saved:
        problems.append(f"draft {draft_id}: holds save {stored}/{extras_seq}, "
                        f"but save {saved} had returned")
    if infos[draft_id].organ != report.organ:
        problems.append(f"draft {draft_id}: list says {infos[draft_id].organ}, "
                        f"draft holds {report.organ}")
    if "R" in ops and int(infos[draft_id].name.removeprefix("名称")) < ops["R"]:
        problems.append(f"draft {draft_id}: rename {ops['R']} lost ({infos[draft_id].name})")
    return problems


def main() -> None:
    data_dir, kills, seed, report_path = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rng = random.Random(seed)
    base = exchange.read_file(report_path)
    acked: dict = {}
    problems: list[str] = []
    rounds_with_ops = ops_total = 0
    started = time.monotonic()
    for n in range(kills):
        lines = one_round(data_dir, rng, (n + 1) * ROUND_SEQ, base)
        ops = sum(len(line.split()) == 3 for line in lines)
        rounds_with_ops += ops > 0
        ops_total += ops
        problems += [f"round {n}: {p}" for p in check(data_dir, lines, acked)]
    print(json.dumps({"kills": kills, "rounds_with_ops": rounds_with_ops, "ops": ops_total,
                      "drafts": len(acked), "seconds": round(time.monotonic() - started, 1),
                      "problems": problems[:20]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
