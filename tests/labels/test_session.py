import numpy as np
import pytest

from corral.labels.session import LabelSession


def test_assign_clear_undo_redo():
    s = LabelSession(5)
    s.assign(np.array([0, 1, 2]), "a")
    s.assign(np.array([2, 3]), "b")
    assert s.labels().tolist() == ["a", "a", "b", "b", None]
    s.clear(np.array([0]))
    assert s.labels().tolist() == [None, "a", "b", "b", None]
    assert s.undo().kind == "undo"
    assert s.labels().tolist() == ["a", "a", "b", "b", None]
    s.undo()
    assert s.labels().tolist() == ["a", "a", "a", None, None]
    s.redo()
    assert s.labels().tolist() == ["a", "a", "b", "b", None]
    s.assign(np.array([4]), "c")  # a new operation drops the redo stack
    assert s.redo() is None and not s.can_redo
    assert [op.kind for op in s.history] == ["assign", "assign", "clear", "undo", "undo", "redo", "assign"]
    assert s.counts() == {"a": 2, "b": 2, "c": 1}


def test_undo_with_nothing_returns_none():
    s = LabelSession(2)
    assert s.undo() is None and s.redo() is None and s.history == []


def test_initial_labels_and_stable_categories():
    s = LabelSession(4, np.array(["z", None, "a", "z"], dtype=object))
    assert s.categories == ["a", "z"]
    assert s.codes.tolist() == [1, -1, 0, 1]
    s.assign(np.array([1]), "new")
    s.undo()
    assert s.categories == ["a", "z", "new"]  # a label keeps its code (and colour) after undo
    assert s.counts() == {"a": 1, "z": 2}


def test_many_labels_no_cap():
    s = LabelSession(1000)
    for i in range(300):
        s.assign(np.array([i]), f"class {i}")
    assert len(s.categories) == 300 and s.labels()[299] == "class 299"


def test_replay_gives_the_same_state():
    s = LabelSession(6)
    s.annotator = "ana"
    s.assign(np.arange(3), "x")
    s.assign(np.arange(2, 6), "y")
    s.undo()
    s.clear(np.array([0]))
    s.undo()
    s.redo()
    t = LabelSession(6)
    t.replay(s.records)
    assert t.labels().tolist() == s.labels().tolist()
    assert [(o.kind, o.label, o.count, o.annotator) for o in t.history] == [
        (o.kind, o.label, o.count, o.annotator) for o in s.history]
    assert t.can_undo and t.undo() is not None


def test_listeners_and_unsubscribe():
    s = LabelSession(3)
    seen = []
    stop = s.subscribe(lambda op: seen.append(op.kind))
    s.assign(np.array([0]), "a")
    stop()
    s.assign(np.array([1]), "a")
    assert seen == ["assign"]


def test_bad_replay_records_raise():
    s = LabelSession(3)
    with pytest.raises(IndexError, match="outside 0..2"):
        s.replay([{"op": "assign", "label": "a", "indices": [5], "seq": 1}])
    with pytest.raises(ValueError, match="nothing to undo"):
        LabelSession(3).replay([{"op": "undo"}])
    with pytest.raises(ValueError, match="unknown operation"):
        LabelSession(3).replay([{"op": "explode"}])


def test_journal_written_before_applying(tmp_path):
    from corral.labels.journal import Journal, read_journal

    s = LabelSession(3)
    j = Journal.create(tmp_path / "j", {"n": 3})
    s.attach(j)
    j.close()  # the journal cannot be written: the operation must not happen either
    with pytest.raises(Exception, match="taken over"):
        s.assign(np.array([0]), "a")
    assert s.labels().tolist() == [None, None, None] and s.history == []
    assert read_journal(tmp_path / "j").records == []
