"""Several processes on one store at once (SQLite file and PostgreSQL): nothing lost, every
session converges; a process killed mid-stream loses nothing it reported done."""

import hashlib
import os
import signal
import subprocess
import sys
import textwrap

import numpy as np

from corral import Labeler

N = 2_000
WORKER = textwrap.dedent("""
    import hashlib, sys, time
    import numpy as np
    from corral import Labeler
    target, me, ops, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    n = 2000
    lab = Labeler([f"text number {i}" for i in range(n)], coords=np.zeros((n, 2)), autosave=target)
    lab.annotator = f"worker {me}"
    rng = np.random.default_rng(me)
    mine = []
    for i in range(ops):
        if i % 10 == 9:
            op = lab.undo()
        else:
            op = lab.assign(np.sort(rng.choice(n, size=int(rng.integers(1, 400)), replace=False)), f"l{(me + i) % 7}")
        mine.append((op.seq, op.kind, op.label, op.count))
    print("ops", repr(mine), flush=True)
    store = lab.session.store
    deadline = time.time() + 300
    while store.head() < total and time.time() < deadline:  # wait for the others, then converge
        time.sleep(0.05)
    lab.sync()
    print("digest", hashlib.sha256(lab.session.codes.tobytes()).hexdigest(), len(lab.session.history), flush=True)
""")


def _run_workers(target, workers=4, ops=500):
    total = workers * ops
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(target), str(k), str(ops), str(total)],
                              stdout=subprocess.PIPE, text=True) for k in range(workers)]
    outs = [p.communicate(timeout=900)[0] for p in procs]
    assert [p.returncode for p in procs] == [0] * workers, outs
    reported, digests = {}, []
    for k, out in enumerate(outs):
        for line in out.splitlines():
            if line.startswith("ops "):
                reported[k] = eval(line[4:])
            elif line.startswith("digest "):
                digests.append((line.split()[1], int(line.split()[2])))
    return total, reported, digests


def test_four_processes_500_operations_each(store_target):
    total, reported, digests = _run_workers(store_target)
    lab = Labeler([f"text number {i}" for i in range(N)], coords=np.zeros((N, 2)), autosave=store_target)
    history = lab.history
    assert len(history) == total
    assert history["seq"].tolist() == list(range(1, total + 1))
    for k, ops in reported.items():  # every operation a worker was told was done is in the store, as told
        assert len(ops) == 500
        for seq, kind, label, count in ops:
            row = history.iloc[seq - 1]
            assert (row["kind"], row["label"], row["count"], row["annotator"]) == (kind, label, count, f"worker {k}")
    mine = hashlib.sha256(lab.session.codes.tobytes()).hexdigest()
    assert digests == [(mine, total)] * 4  # every session converged to the same labels
    assert lab.labels.notna().sum() > 100
    lab.session.close()


CHILD = textwrap.dedent("""
    import sys
    import numpy as np
    from corral import Labeler
    n = 500
    lab = Labeler([f"text number {i}" for i in range(n)], coords=np.zeros((n, 2)), autosave=sys.argv[1])
    i = 0
    while True:
        lab.assign(np.arange(i % n, min(n, i % n + 50)), f"label {i % 13}")
        if i % 10 == 9:
            lab.undo()
        print(i, flush=True)  # printed only after the call returned
        i += 1
""")


def test_sigkill_mid_labeling_loses_nothing_reported(store_target):
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(store_target)], stdout=subprocess.PIPE, text=True)
    done = -1
    for line in child.stdout:
        done = int(line)
        if done >= 80:
            break
    os.kill(child.pid, signal.SIGKILL)
    rest = child.stdout.read()
    child.wait()
    done = max([done] + [int(x) for x in rest.split()])
    assert child.returncode == -signal.SIGKILL
    n = 500
    lab = Labeler([f"text number {i}" for i in range(n)], coords=np.zeros((n, 2)), autosave=store_target)
    assigns = lab.history[lab.history["kind"] == "assign"]
    assert done + 1 <= len(assigns) <= done + 2  # at most one more was committed but not yet reported
    again = Labeler([f"text number {i}" for i in range(n)], coords=np.zeros((n, 2)))
    i = 0
    for kind in lab.history["kind"]:
        if kind == "assign":
            again.assign(np.arange(i % n, min(n, i % n + 50)), f"label {i % 13}")
            i += 1
        else:
            again.undo()
    assert lab.labels.equals(again.labels)
    lab.session.close()
