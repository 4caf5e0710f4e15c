"""Independent passes across processes: two annotators in two processes label one SQLite store
blind (each sees only their own labels); agreement and consensus read every annotator from it."""

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from corral import Labeler

N = 120
TEXTS = [f"message {i}" for i in range(N)]
COORDS = np.random.default_rng(1).normal(size=(N, 2))
BEN = textwrap.dedent("""
    import sys
    import numpy as np
    from corral import Labeler
    n = 120
    lab = Labeler([f"message {i}" for i in range(n)], coords=np.random.default_rng(1).normal(size=(n, 2)),
                  autosave=sys.argv[1], annotator="ben", blind=True)
    mine = lab.my_tasks()
    assert lab.labels.isna().all(), "blind: ben must not see ana's labels"
    lab.assign(mine[mine % 2 == 0], "even")
    lab.assign(mine[mine % 2 == 1], "odd")
    lab.assign(mine[mine % 3 == 0], "three")  # ben calls multiples of 3 "three"
    print(lab.labels.notna().sum(), flush=True)
""")


def test_two_blind_annotators_in_two_processes_then_consensus(tmp_path):
    store = str(tmp_path / "team.db")
    ana = Labeler(TEXTS, coords=COORDS, autosave=store, annotator="ana", blind=True, )
    ana.session._stop.set()
    plan = ana.assign_tasks(["ana", "ben"], overlap=0.25, seed=0)
    overlap = np.asarray(plan["overlap"])
    mine = ana.my_tasks()
    ana.assign(mine[mine % 2 == 0], "even")
    ana.assign(mine[mine % 2 == 1], "odd")
    done = subprocess.run([sys.executable, "-c", BEN, store], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    ben_tasks = np.union1d(overlap, plan["split"]["ben"])
    assert int(done.stdout.split()[-1]) == ben_tasks.size
    ana.sync()
    # blind: ana still sees her own labels only (ben's "three" overwrote some of hers in the store)
    assert ana.labels.notna().sum() == mine.size and set(ana.labels.dropna()) == {"even", "odd"}
    assert "three" in set(ana.session.labels()) and "three" not in ana.show().categories
    # a lead (not blind) reads both passes from the store
    lead = Labeler(TEXTS, coords=COORDS, autosave=store, annotator="lead")
    lead.session._stop.set()
    table = lead.agreement().labels
    assert list(table.columns) == ["ana", "ben"]
    both = table.notna().all(axis=1).to_numpy()
    assert np.flatnonzero(both).tolist() == overlap.tolist()
    votes = lead.consensus()
    assert votes["votes"].to_numpy()[overlap].tolist() == [2] * overlap.size
    three = overlap[overlap % 3 == 0]
    agree = np.setdiff1d(overlap, three)
    assert votes["tie"].to_numpy()[three].all() and votes["label"].to_numpy()[three].tolist() == [None] * three.size
    assert votes["label"].to_numpy()[agree].tolist() == ["even" if i % 2 == 0 else "odd" for i in agree]
    assert (votes["agreement"].to_numpy()[agree] == 1.0).all()
    single = np.setdiff1d(np.arange(N), overlap)
    assert (votes["votes"].to_numpy()[single] == 1).all()
    # ben renamed nothing; the lead merges "three" into "odd" for everyone: his column follows
    lead.merge_labels(["three"], "odd")
    after = lead.agreement().labels
    assert "three" not in set(after["ben"].dropna()) and after["ana"].equals(table["ana"])
    lead.undo()
    assert lead.agreement().labels.equals(table)


def test_my_tasks_needs_a_plan_and_a_name(tmp_path):
    lab = Labeler(TEXTS, coords=COORDS, autosave=str(tmp_path / "x.db"), annotator="ana")
    lab.session._stop.set()
    with pytest.raises(ValueError, match="no tasks assigned"):
        lab.my_tasks()
    lab.assign_tasks(["ben"])
    with pytest.raises(ValueError, match="'ana' has no tasks"):
        lab.my_tasks()
