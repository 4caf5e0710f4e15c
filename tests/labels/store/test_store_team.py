"""Team features on a label store (SQLite file and PostgreSQL database): guidelines, rename and
merge, task plans and blind passes seen by every session on the store."""

import numpy as np
import pytest

from corral import Labeler
from corral.map import protocol as P

N = 200
TEXTS = [f"text number {i}" for i in range(N)]
COORDS = np.random.default_rng(0).normal(size=(N, 2))


def labeler(target, annotator, **kw):
    lab = Labeler(TEXTS, coords=COORDS, autosave=target, annotator=annotator, **kw)
    lab._session._stop.set()  # the tests sync by hand
    return lab


def test_guidelines_and_their_version_reach_every_session(store_target):
    a, b = labeler(store_target, "ana"), labeler(store_target, "ben")
    a.guidelines = {"rain": {"definition": "wet weather", "color": "#0000ff"}}
    b.sync()
    assert b.guidelines == a.guidelines and b.guidelines_version == 1
    b.guidelines = {**b.guidelines, "sun": "dry"}  # version 2, written by ben
    op = a.assign([0], "rain")  # ana applies ben's version first, then stamps her operation with it
    assert a.guidelines_version == 2 and a.session.store.record(op.seq)["guidelines_version"] == 2


def test_rename_and_merge_through_the_store_undo_only_by_whoever_did_it(store_target):
    a, b = labeler(store_target, "ana"), labeler(store_target, "ben")
    a.assign(np.arange(0, 10), "cat")
    b.assign(np.arange(10, 20), "kitty")
    op = a.merge_labels(["cat", "kitty"], "feline")  # ana reads ben's kitty first (the store's latest)
    assert op.count == 20 and a.labels.iloc[:20].eq("feline").all()
    b.sync()
    assert b.labels.equals(a.labels)
    b.undo()  # ben's own last operation is his "kitty": the merge is later, so his texts stay feline
    a.sync()
    assert a.labels.iloc[10:20].eq("feline").all()
    a.undo()  # ana's merge: what each text had just before it
    b.sync()
    assert b.labels.iloc[:10].eq("cat").all() and b.labels.iloc[10:20].isna().all()
    again = labeler(store_target, "cy")
    assert again.labels.equals(b.labels)


def test_tasks_plan_is_shared_and_blind_sessions_see_only_their_own(store_target):
    a = labeler(store_target, "ana", blind=True)
    b = labeler(store_target, "ben", blind=True)
    plan = a.assign_tasks(["ana", "ben"], overlap=0.25, seed=3)
    overlap = np.asarray(plan["overlap"])
    assert overlap.size == 50
    mine, his = a.my_tasks(), b.my_tasks()  # ben reads the plan from the store
    assert np.intersect1d(mine, his).tolist() == overlap.tolist()
    assert np.union1d(mine, his).tolist() == list(range(N))
    a.assign(mine, "x")
    b.assign(his[: his.size // 2], "y")
    w = a.show()
    a.sync()
    # ana's map and labels: her own labels only, though ben's overwrote some of them in the store
    codes = P.decode_codes(w.codes)
    assert set(np.array(w.categories)[codes[codes >= 0]]) == {"x"} and (codes >= 0).sum() == mine.size
    assert a.labels.notna().sum() == mine.size and a.session.labels().tolist().count("y") > 0
    assert b.labels.dropna().eq("y").all() and b.labels.notna().sum() == his.size // 2
    with pytest.raises(ValueError, match="'cy' has no tasks"):
        labeler(store_target, "cy").my_tasks()
