"""Adjudication over a shared SQLite store: the disagreements, each annotator's label, decisions
journaled (undoable, nobody's vote, skipped on resume), hostile names shown as text."""

import numpy as np
import pytest

from corral import Labeler

N = 40
TEXTS = [f"post {i}" for i in range(N)]
COORDS = np.random.default_rng(2).normal(size=(N, 2))
HOSTILE = "<script>alert(1)</script>'; DROP TABLE corral_ops; --"


def open_(store, who):
    lab = Labeler(TEXTS, coords=COORDS, autosave=store, annotator=who)
    lab.session._stop.set()
    return lab


def test_decisions_are_journaled_undoable_and_nobodys_vote(tmp_path):
    store = str(tmp_path / "team.db")
    ana, ben = open_(store, "ana"), open_(store, HOSTILE)
    ana.assign(np.arange(20), "spam")
    ben.assign(np.arange(10, 30), "ham")  # 10..19 disagree
    lead = open_(store, "lead")
    meeting = lead.adjudicate()
    assert meeting.queue == list(range(10, 20))
    assert meeting.current["labels"] == {"ana": "spam", HOSTILE: "ham"} and meeting.current["text"] == "post 10"
    before = lead.agreement().labels
    meeting.decide("ham")
    meeting.skip()
    meeting.decide("spam")
    assert lead.labels.iloc[10] == "ham" and lead.labels.iloc[12] == "spam"
    assert lead.agreement().labels.equals(before)  # the decisions are no one's vote
    assert list(lead.consensus()["n_labels"].iloc[10:13]) == [2, 2, 2]
    assert meeting.decisions["decided_by"].tolist() == ["lead", "lead"]
    lead.undo()  # the last decision (text 12) is undone: it is to decide again
    again = open_(store, "lead").adjudicate()
    assert again.queue == [11] + list(range(12, 20)) and list(again.decisions.index) == [10]
    ana.sync()
    assert ana.labels.iloc[10] == "ham"  # everyone sees the decision
    for _ in range(len(again)):
        again.skip()
    with pytest.raises(RuntimeError, match="nothing left to adjudicate"):
        again.decide("spam")


def test_the_widget_shows_names_as_text_and_decides(tmp_path):
    store = str(tmp_path / "team.db")
    ana, ben = open_(store, "ana"), open_(store, HOSTILE)
    ana.guidelines = {HOSTILE: {"definition": "<i>hostile</i> definition"}}
    ana.assign([0, 1], "ok")
    ben.assign([0, 1], HOSTILE)
    lead = open_(store, "lead")
    w = lead.adjudicate().show()
    assert [v.value for v in w.votes.children] == ["ana: ok", f"{HOSTILE}: {HOSTILE}"]
    assert [b.description for b in w.choices.children] == ["ok", HOSTILE]
    assert [r.value for r in w.rules.children] == [f"{HOSTILE}: <i>hostile</i> definition"]
    w.other.value = "   "
    w.decide_other.click()
    assert "non-empty" in w.error.value and w.progress.value.startswith("0 / 2")
    w.choices.children[1].click()
    w.other.value = "neither"
    w.decide_other.click()
    assert lead.labels.iloc[:2].tolist() == [HOSTILE, "neither"] and w.votes.children == ()
