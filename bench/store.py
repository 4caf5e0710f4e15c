"""Label store cost at scale: per-operation cost, reopen time and memory for today's JSONL
journal, the SQLite store and the PostgreSQL store, side by side.

    python bench/store.py [--n 1000000] [--ops 1000] [--size 500000] [--backends journal,sqlite,postgres]
    python bench/store.py --quick   # 100 operations (50 for the journal): about a minute

The machine's load average is printed with each row (on a shared machine, compare rows of one run).

Each operation labels ``size`` random points (of ``n``) with one of 8 labels (every 10th is an
undo). "store ms/op" is the mean time of an operation minus the same operation on a session with
no store (the in-memory work both pay). Memory is the process's resident set, after the first
10% of operations and at the end ("flat" means the growth between is small). Reopen is a new
session built from the store (a journal replays every operation; a store reads its snapshot).
PostgreSQL runs on a private server from Debian's package (tests/pgserver.py) on loopback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests"))

from corral.labels import persist, shared  # noqa: E402
from corral.labels.session import LabelSession  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def workload(n: int, ops: int, size: int):
    rng = np.random.default_rng(0)
    for i in range(ops):
        if i % 10 == 9:
            yield None
        else:
            yield np.sort(rng.choice(n, size=size, replace=False)), f"label {i % 8}"


def run(session: LabelSession, n: int, ops: int, size: int) -> tuple[list[float], list[float]]:
    times, rss = [], []
    for i, op in enumerate(workload(n, ops, size)):
        t = time.perf_counter()
        session.undo() if op is None else session.assign(*op)
        times.append(time.perf_counter() - t)
        if i == max(1, ops // 10) - 1 or i == ops - 1:
            rss.append(rss_mb())
    return times, rss


def open_target(kind: str, target, n: int, fp: str) -> LabelSession:
    if kind == "journal":
        return persist.attach_autosave(target, LabelSession(n), fp, False)
    return shared.attach_autosave(target, LabelSession(n), fp, False, poll=None)


def close(session) -> None:
    if hasattr(session, "close"):
        session.close()
    elif session._journal is not None:
        session._journal.close()
        persist._open_journals.clear()


def bench(kind: str, target, n: int, ops: int, size: int, baseline: float) -> dict:
    fp = "bench"
    session = open_target(kind, target, n, fp)
    times, rss = run(session, n, ops, size)
    codes = session.codes.copy()
    close(session)
    t = time.perf_counter()
    again = open_target(kind, target, n, fp)
    reopen = time.perf_counter() - t
    assert np.array_equal(again.codes, codes), "reopened labels differ"
    close(again)
    size_mb = os.path.getsize(target) / 2**20 if kind != "postgres" else None
    assigns = [x for i, x in enumerate(times) if i % 10 != 9]
    return {"backend": kind, "ops": ops, "ms_per_op": 1000 * float(np.mean(assigns)),
            "store_ms_per_op": 1000 * (float(np.mean(assigns)) - baseline),
            "p95_ms": 1000 * float(np.percentile(assigns, 95)), "undo_ms": 1000 * float(np.mean(times[9::10])),
            "reopen_s": reopen, "rss_mb_at_10pct": rss[0], "rss_mb_end": rss[-1], "file_mb": size_mb}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--ops", type=int, default=1000)
    ap.add_argument("--size", type=int, default=500_000)
    ap.add_argument("--backends", default="sqlite,postgres,journal")
    ap.add_argument("--journal-ops", type=int, default=300, help="the journal keeps every index array in RAM "
                    "(~4 MB per operation here) and replays them all on reopen: fewer operations for it")
    ap.add_argument("--quick", action="store_true", help="100 operations (50 for the journal)")
    args = ap.parse_args()
    if args.quick:
        args.ops, args.journal_ops = min(args.ops, 100), min(args.journal_ops, 50)
    times, _ = run(LabelSession(args.n), args.n, min(args.ops, 50), args.size)
    baseline = float(np.mean([x for i, x in enumerate(times) if i % 10 != 9]))
    print(f"in-memory operation (no store): {1000 * baseline:.1f} ms", flush=True)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.backends.split(","):
            if kind == "postgres":
                from pgserver import fresh_database, postgres_server

                with postgres_server() as dsn:
                    result = bench(kind, fresh_database(dsn, "bench"), args.n, args.ops, args.size, baseline)
            else:
                path = os.path.join(tmp, "labels.journal" if kind == "journal" else "labels.db")
                ops = min(args.ops, args.journal_ops) if kind == "journal" else args.ops
                result = bench(kind, path, args.n, ops, args.size, baseline)
            result["load_average"] = os.getloadavg()[0]
            print(json.dumps(result), flush=True)
            out.append(result)
    print(f"\n| backend | operations | ms/op | store ms/op | p95 ms | undo ms | reopen s | RSS MB at 10% -> end | file MB | load |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in out:
        file_mb = "-" if r["file_mb"] is None else f"{r['file_mb']:.0f}"
        print(f"| {r['backend']} | {r['ops']} | {r['ms_per_op']:.0f} | {r['store_ms_per_op']:.0f} | {r['p95_ms']:.0f} | "
              f"{r['undo_ms']:.0f} | {r['reopen_s']:.2f} | {r['rss_mb_at_10pct']:.0f} -> {r['rss_mb_end']:.0f} | {file_mb} | {r['load_average']:.1f} |")


if __name__ == "__main__":
    main()
