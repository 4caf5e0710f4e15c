"""Kill a labeling process mid-stream with SIGKILL: every operation it finished is in the journal."""

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np

from corral import Labeler

CHILD = textwrap.dedent("""
    import sys
    import numpy as np
    from corral import Labeler
    n = 500
    texts = [f"text number {i}" for i in range(n)]
    coords = np.random.default_rng(0).normal(size=(n, 2))
    lab = Labeler(texts, coords=coords, autosave=sys.argv[1])
    i = 0
    while True:
        lab.assign([i % n, (i * 7) % n], f"label {i % 13}")
        if i % 10 == 9:
            lab.undo()
        print(i, flush=True)  # printed only after the call returned
        i += 1
""")


def test_sigkill_mid_labeling_loses_nothing(tmp_path):
    journal = tmp_path / "labels.journal"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(journal)], stdout=subprocess.PIPE, text=True)
    done = -1
    for line in child.stdout:
        done = int(line)
        if done >= 120:
            break
    os.kill(child.pid, signal.SIGKILL)
    rest = child.stdout.read()  # whatever it printed before dying
    child.wait()
    done = max([done] + [int(x) for x in rest.split()])
    assert child.returncode == -signal.SIGKILL

    n = 500
    texts = [f"text number {i}" for i in range(n)]
    lab = Labeler(texts, coords=np.zeros((n, 2)), autosave=journal)
    assigns = lab.history[lab.history["kind"] == "assign"]
    # every reported assign is there; at most one more was journaled but not yet reported
    assert done + 1 <= len(assigns) <= done + 2
    # the same operations, done again in memory, give the same labels
    again = Labeler(texts, coords=np.zeros((n, 2)))
    i = 0
    for kind in lab.history["kind"]:
        if kind == "assign":
            again.assign([i % n, (i * 7) % n], f"label {i % 13}")
            i += 1
        else:
            assert kind == "undo" and i % 10 == 0
            again.undo()
    assert lab.labels.equals(again.labels)
    assert lab.labels.notna().sum() > 100
