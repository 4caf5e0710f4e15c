"""Labelers on a label store (SQLite file and PostgreSQL database): resume, many sessions at once,
the undo and conflict rules, snapshots, conversion from a journal, damaged data, hostile names."""

import sqlite3

import numpy as np
import pandas as pd
import pytest

from corral import Labeler
from corral.labels.session import LabelSession
from corral.labels.shared import SharedSession
from corral.labels.store import StoreError, convert, open_store

N = 300
TEXTS = [f"text number {i}" for i in range(N)]
COORDS = np.random.default_rng(0).normal(size=(N, 2))


def labeler(target, annotator=None, **kw):
    lab = Labeler(TEXTS, coords=COORDS, autosave=target, **kw)
    lab._session._stop.set()  # the tests sync by hand (the poll thread is tested on its own)
    lab.annotator = annotator
    return lab


def test_operations_survive_reopen_with_history_and_undo(store_target):
    lab = labeler(store_target, "ana")
    lab.assign(np.arange(0, 100), "rain")
    lab.assign(np.arange(50, 150), "sun")
    lab.clear([0, 1])
    lab.undo()
    lab.session.close()
    again = labeler(store_target, "ana")
    assert again.labels.equals(lab.labels)
    assert again.history[["kind", "label", "count", "annotator"]].values.tolist() == \
        lab.history[["kind", "label", "count", "annotator"]].values.tolist()
    again.undo()  # undo survives the restart: the "sun" operation
    assert (again.labels.iloc[50:100] == "rain").all() and again.labels.iloc[100:150].isna().all()


def test_two_sessions_converge_and_undo_only_their_own(store_target):
    a, b = labeler(store_target, "ana"), labeler(store_target, "ben")
    a.assign(np.arange(0, 10), "x")
    b.assign(np.arange(5, 15), "y")  # b applies a's operation first (seq order), then its own
    assert b.labels.iloc[:5].eq("x").all() and b.labels.iloc[5:15].eq("y").all()
    assert a.sync() == 1 and a.labels.equals(b.labels)
    # ana's undo takes back her own operation, not ben's later one, and leaves ben's texts alone
    a.undo()
    assert a.labels.iloc[:5].isna().all() and a.labels.iloc[5:15].eq("y").all()
    assert not a.session.can_undo and a.session.can_redo
    b.sync()
    assert b.session.can_undo and not b.session.can_redo
    b.undo()
    a.sync()
    assert a.labels.isna().all() and b.labels.isna().all()
    a.redo()
    b.sync()
    assert b.labels.iloc[:5].eq("x").all() and b.labels.iloc[5:10].eq("x").all()
    assert list(b.history["annotator"]) == ["ana", "ben", "ana", "ben", "ana"]


def test_last_writer_wins_by_store_sequence(store_target):
    a, b = labeler(store_target, "ana"), labeler(store_target, "ben")
    a.assign([1, 2, 3], "x")
    b.assign([2], "y")  # later in the store: wins on text 2
    a.assign([3], "z")
    for lab in (a, b):
        lab.sync()
        assert lab.labels.iloc[1:4].tolist() == ["x", "y", "z"]


def test_views_hear_others_operations(store_target):
    a, b = labeler(store_target, "ana"), labeler(store_target, "ben")
    heard = []
    a.session.subscribe(heard.append)
    b.assign([4, 5], "x")
    a.sync()
    assert [(op.kind, op.label, op.count, op.annotator) for op in heard] == [("assign", "x", 2, "ben")]


def test_poll_thread_picks_up_others_operations(store_target):
    import time

    b = labeler(store_target, "ben")
    a = Labeler(TEXTS, coords=COORDS, autosave=store_target)  # polling on (the latest in this process)
    b.assign([7], "x")
    deadline = time.time() + 10
    while a.labels.iloc[7] != "x" and time.time() < deadline:
        time.sleep(0.05)
    assert a.labels.iloc[7] == "x"
    a.session.close()


def test_snapshot_opening_equals_full_replay(store_target):
    rng = np.random.default_rng(1)
    store = open_store(store_target)
    s = SharedSession.open(store, N, {"n": N, "fingerprint": "f"}, poll=None, snapshot_every=7)
    for i in range(40):
        s.annotator = ["ana", "ben"][i % 2]
        s.assign(np.sort(rng.choice(N, size=30, replace=False)), f"l{i % 5}")
        if i % 6 == 5:
            s.undo()
    s.settle()  # snapshots are written off the operations' path
    assert store.snapshot() is not None and store.snapshot().seq > 0
    fresh = SharedSession.open(open_store(store_target), N, {"n": N, "fingerprint": "f"}, poll=None)
    assert fresh.labels().tolist() == s.labels().tolist()
    assert fresh.writers.tolist() == s.writers.tolist()
    # and a replay from nothing (snapshots dropped) agrees too
    store._execute("DELETE FROM corral_snapshots")
    replayed = SharedSession.open(open_store(store_target), N, {"n": N, "fingerprint": "f"}, poll=None)
    assert replayed.labels().tolist() == s.labels().tolist()
    assert len(replayed.history) == len(s.history)


def test_convert_a_journal_keeps_labels_history_and_undo(tmp_path, store_target):
    journal = tmp_path / "labels.journal"
    lab = Labeler(TEXTS, coords=COORDS, autosave=journal, labels=["seed"] * 10 + [None] * (N - 10))
    lab.annotator = "ana"
    lab.assign(np.arange(0, 50), "x")
    lab.annotator = "ben"
    lab.assign(np.arange(40, 60), "y")
    lab.undo()  # the journal's single stack: ben's
    lab.annotator = "ana"
    lab.assign([100], "z")
    lab.session._journal.close()
    convert(journal, store_target)
    moved = labeler(store_target, "ana")
    assert moved.labels.equals(lab.labels)
    assert moved.history[["kind", "label", "count", "annotator"]].values.tolist() == \
        lab.history[["kind", "label", "count", "annotator"]].values.tolist()
    assert np.allclose(moved.history["time"].astype("int64"), lab.history["time"].astype("int64"))
    moved.undo()
    moved.undo()
    assert moved.labels.iloc[:10].eq("seed").all() and moved.labels.iloc[10:].isna().all()
    with pytest.raises(StoreError, match="already holds labels"):
        convert(journal, store_target)


def test_other_texts_are_refused(store_target):
    labeler(store_target).assign([0], "x")
    with pytest.raises(StoreError, match="other texts"):
        Labeler(TEXTS[:-1], coords=COORDS[:-1], autosave=store_target)


def test_damaged_rows_are_reported_not_used(tmp_path):
    path = tmp_path / "labels.db"
    labeler(path).assign([0, 1], "x")
    db = sqlite3.connect(path)
    db.execute("UPDATE corral_ops SET label = 'tampered' WHERE seq = 1")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="operation 1 .*damaged"):
        labeler(path)


def test_a_file_that_is_not_sqlite_is_reported(tmp_path):
    path = tmp_path / "labels.db"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="not a usable SQLite"):
        labeler(path)


HOSTILE = ["x'); DROP TABLE corral_ops; --", "<img src=x onerror=alert(1)>", "\" OR 1=1 --", "ünï\u202ecode"]


def test_hostile_label_and_annotator_names_stay_data(store_target):
    lab = labeler(store_target)
    for i, name in enumerate(HOSTILE):
        lab.annotator = name
        lab.assign([i], name)
    lab.session.close()
    again = labeler(store_target)
    assert again.labels.iloc[:4].tolist() == HOSTILE
    assert again.history["annotator"].tolist() == HOSTILE
    assert open_store(store_target).head() == 4  # the table is still there


def test_a_write_the_store_refuses_changes_nothing(store_target):
    lab = labeler(store_target)
    lab.assign([0], "ok")
    if store_target.startswith("postgresql://"):  # PostgreSQL text cannot hold NUL: a clear error
        with pytest.raises(StoreError, match="NUL"):
            lab.assign([1], "a\x00b")
        assert lab.labels.iloc[1] != lab.labels.iloc[1] and open_store(store_target).head() == 1
    else:
        lab.assign([1], "a\x00b")
        assert labeler(store_target).labels.iloc[1] == "a\x00b"
    lab.assign([2], "after")  # the session still works after a refused write
    assert labeler(store_target).labels.iloc[2] == "after"


def test_bad_indices_write_nothing(store_target):
    lab = labeler(store_target)
    with pytest.raises(IndexError):
        lab.session.assign(np.array([0, N]), "x")
    assert open_store(store_target).head() == 0 and lab.labels.isna().all()


def test_journal_paths_keep_the_journal(tmp_path):
    lab = Labeler(TEXTS, coords=COORDS, autosave=tmp_path / "labels.journal")
    assert type(lab.session) is LabelSession
    lab.assign([0], "x")
    assert (tmp_path / "labels.journal").read_text().count("\n") == 2


def test_a_rerun_cell_leaves_one_poller(store_target):
    first = Labeler(TEXTS, coords=COORDS, autosave=store_target)
    second = Labeler(TEXTS, coords=COORDS, autosave=store_target)
    assert first.session._stop.is_set() and not second.session._stop.is_set()
    first.assign([3], "x")  # the older one still labels (it syncs on each write)
    second.sync()
    assert second.labels.iloc[3] == "x"
    second.session.close()
    assert not second.session._poller.is_alive()


def test_agreement_and_export_read_every_annotator_from_the_store(store_target, tmp_path):
    from corral.review.agreement import annotator_labels

    a, b = labeler(store_target, "ana"), labeler(store_target, "ben")
    a.assign(np.arange(0, 20), "x")
    b.assign(np.arange(10, 30), "y")
    b.assign(np.arange(0, 5), "x")
    b.undo()  # ben's last: his "x" on 0..4 no longer counts
    fresh = labeler(store_target)  # another kernel, later: reads everyone's operations from the store
    per = annotator_labels(fresh.session.records, N)
    assert per["ana"].iloc[:20].eq("x").all() and per["ana"].iloc[20:].isna().all()
    assert per["ben"].iloc[10:30].eq("y").all() and per["ben"].iloc[:10].isna().all()
    frame = pd.read_csv(fresh.export(tmp_path / "out.csv"))
    assert frame["last_annotator"].iloc[:10].eq("ana").all() and frame["last_annotator"].iloc[10:30].eq("ben").all()


def test_accepted_suggestions_are_one_operation_in_the_store_with_their_source(store_target):
    """assign_many (a label per point, as accept_suggestions journals it) through the store:
    other sessions see it, undo and redo take the whole batch, the source survives a reopen."""
    a, b = labeler(store_target, "ana"), labeler(store_target, "ben")
    a.assign(np.arange(0, 5), "rain")
    op = a.session.assign_many([40, 10, 30, 20], ["sun", "rain", "sun", "rain"], source="suggestion")
    assert (op.kind, op.count, op.source) == ("assign_many", 4, "suggestion")
    expected = {10: "rain", 20: "rain", 30: "sun", 40: "sun"}
    assert b.sync() == 2 and all(b.labels.iloc[i] == name for i, name in expected.items())
    b.assign([30], "fog")  # ben's later edit wins on that text
    a.sync()
    a.undo()  # ana's batch goes, except the text ben changed since
    assert a.labels.iloc[[10, 20, 40]].isna().all() and a.labels.iloc[30] == "fog"
    a.redo()
    assert a.labels.iloc[[10, 20, 40]].tolist() == ["rain", "rain", "sun"] and a.labels.iloc[30] == "fog"
    a.session.close()
    again = labeler(store_target, "ana")
    assert again.labels.equals(a.labels)
    assert again.history.set_index("seq")["source"].tolist() == ["python", "suggestion", "python", "python", "python"]


def test_a_version_1_store_opens_and_is_upgraded(tmp_path):
    """A store written before 4-bit arrays (version 1) opens; it is marked version 2 before the first
    write, so an older corral refuses it clearly instead of meeting blobs it cannot read."""
    import json

    path = str(tmp_path / "old.db")
    lab = labeler(path, "ana")
    lab.assign(np.arange(0, 100), "rain")
    lab.session.close()
    db = sqlite3.connect(path)
    header = json.loads(db.execute("SELECT value FROM corral_meta WHERE key = 'header'").fetchone()[0])
    db.execute("UPDATE corral_meta SET value = ? WHERE key = 'header'", (json.dumps({**header, "version": 1}),))
    db.commit()
    db.close()
    again = labeler(path, "ana")
    assert (again.labels.iloc[:100] == "rain").all()
    assert again.session.store.header()["version"] == 2
    again.undo()
    assert again.labels.isna().all()
    again.session.close()
