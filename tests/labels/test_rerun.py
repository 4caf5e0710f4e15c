"""Restart and Run All: resuming is visible, and re-run cells do not rewrite a person's corrections.

Each "process" is a new Labeler on the same autosave path (it takes the journal over, as a
re-run notebook cell does); corrections come through the map's message handler, as a lasso does.
"""

import numpy as np
import pandas as pd
import pytest

from corral import HashingEmbedder, Labeler
from corral.labels.journal import read_journal
from corral.map import protocol as P
from corral.map.commands import handle

TEXTS = ([f"rain or sunny weather {i}" for i in range(30)] + [f"play some music {i}" for i in range(30)]
         + [f"book a table at a restaurant {i}" for i in range(30)])


@pytest.fixture
def start(tmp_path, blobs):
    coords, _ = blobs
    path = tmp_path / "notebook.journal"

    def new_process():
        return Labeler(pd.Series(TEXTS), coords=coords, embedder=HashingEmbedder(dim=16), autosave=path)

    return new_process, path


def script(lab):
    """The notebook's cells (as in notebooks/quickstart.ipynb: two rules, an undo, a third rule)."""
    texts = pd.Series(lab.texts)
    ops = [lab.assign(texts.str.contains("weather"), "weather"),
           lab.assign(texts.str.contains("music|restaurant"), "music"),
           lab.undo(),
           lab.assign(texts.str.contains("music"), "music")]
    return ops


def lasso(lab, indices, label):
    """A person's correction on the map (the browser's assign message)."""
    reply, _ = handle(lab, {"kind": P.MSG_ASSIGN, "label": label}, [memoryview(P.encode_indices(indices))])
    assert reply["kind"] == P.MSG_STATUS, reply


def corrections(lab):
    lasso(lab, [0, 1, 2], "music")  # a person disagrees with the weather rule here
    lasso(lab, np.arange(60, 90), "restaurant")
    handle(lab, {"kind": P.MSG_UNDO}, [])  # ... and undoes a correction of their own
    lasso(lab, np.arange(60, 80), "restaurant")


def test_restart_and_run_all_keeps_the_corrections(start, capsys):
    new_process, path = start
    first = new_process()
    script(first)
    corrections(first)
    labels, history = first.labels.copy(), first.history.copy()
    lines = len(read_journal(path).records)
    assert labels.iloc[0] == "music" and labels.iloc[3] == "weather" and (labels.iloc[60:80] == "restaurant").all()
    capsys.readouterr()

    again = new_process()  # kernel restart: the Labeler cell resumes ...
    out = capsys.readouterr().out
    assert f"corral: resumed {lines} operations from {path}" in out
    assert f"resumed {lines} operations from {path}" in repr(again)
    assert again.show().status["resumed"].startswith(f"corral: resumed {lines} operations from {path}")
    ops = script(again)  # ... and Run All runs the labeling cells again on top of it
    out = capsys.readouterr().out
    assert out.count("already in the resumed history; not applied again") == 4
    pd.testing.assert_series_equal(again.labels, labels)  # every correction kept
    pd.testing.assert_frame_equal(again.history, history)  # no repeated operations
    assert len(read_journal(path).records) == lines  # nothing journaled twice
    assert [op.seq for op in ops] == [1, 2, 3, 4]  # the history entries they repeat
    assert "4 re-run operations recognised" in repr(again)

    # after the re-run, everything applies as usual: a new rule, and undo undoes it
    new = again.assign([70, 71], "dessert")
    assert new.seq == len(history) + 1 and again.labels.iloc[70] == "dessert"
    assert again.undo().label == "dessert" and again.labels.iloc[70] == "restaurant"

    third = new_process()  # a second restart: the same script is still recognised
    script(third)
    pd.testing.assert_series_equal(third.labels, labels)


def test_an_edited_script_applies_what_changed_and_recognises_the_rest(start, capsys):
    new_process, path = start
    first = new_process()
    script(first)
    corrections(first)
    labels = first.labels.copy()

    again = new_process()
    texts = pd.Series(again.texts)
    again.assign(texts.str.contains("weather"), "weather")  # unchanged: recognised
    changed = again.assign(texts.str.contains("restaurant"), "food")  # edited cell: applied
    assert changed.seq == len(first.history) + 1
    expected = labels.copy()
    expected[texts.str.contains("restaurant").to_numpy()] = "food"
    pd.testing.assert_series_equal(again.labels, expected)


def test_running_a_cell_twice_in_one_process_applies_it_again(start):
    new_process, _ = start
    lab = new_process()
    lab.assign([0, 1], "weather")
    lab.assign([0, 1], "weather")  # no resume in between: an ordinary second operation
    assert len(lab.history) == 2

    again = new_process()
    assert again.assign([0, 1], "weather").seq == 1  # recognised once ...
    assert again.assign([0, 1], "weather").seq == 2  # ... per entry ...
    assert again.assign([0, 1], "weather").seq == 3  # ... then applied
    assert len(again.history) == 3


def test_a_deliberate_undo_after_resuming_still_undoes(start):
    new_process, _ = start
    lab = new_process()
    lab.assign([0, 1], "weather")
    lasso(lab, [1], "music")
    again = new_process()
    op = again.undo()  # not a re-run cell: the history starts with an assign, not an undo
    assert op.kind == "undo" and op.label == "music" and again.labels.iloc[1] == "weather"


def test_the_same_lasso_after_a_restart_applies(start):
    new_process, _ = start
    lab = new_process()
    lasso(lab, [4, 5], "music")
    lab.assign([4, 5], "weather")  # from code, on top of the person's lasso
    again = new_process()
    lasso(again, [4, 5], "music")  # a person's act is never taken for a re-run
    assert again.labels.iloc[4] == "music" and len(again.history) == 3
    assert read_journal(again.autosave).records[0]["via"] == "map"


def test_a_fresh_journal_says_nothing_about_resuming(start, capsys):
    new_process, _ = start
    lab = new_process()
    assert capsys.readouterr().out == ""
    assert "resumed" not in repr(lab) and lab.show().status["resumed"] is None
