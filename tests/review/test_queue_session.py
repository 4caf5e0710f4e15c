"""Walking the group queue: one decision per group (label a selection, accept, skip), undo, the
journal (resume), bad input, and the widget's buttons and keys on top of the session."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from corral import Labeler
from corral.learn.accept import StaleSuggestions
from corral.learn.groups import group_items
from corral.review.queue_session import STATE

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "learn"))
from test_suggestions import topics  # noqa: E402


def make(**kw):
    texts, emb, coords, names = topics(per=30)
    lab = Labeler(texts, embeddings=emb, coords=coords, **kw)
    lab._learner().background = False  # no refit behind the test's back
    return lab, names


def test_explore_finds_every_topic_in_its_first_groups_and_groups_are_tight():
    """The first three groups of a fresh queue come from the three topics, each of one topic."""
    texts, emb, coords, names = topics(per=30)
    for seed in range(3):  # any sample of the topics
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(texts))
        items = group_items(emb[order], np.full(len(texts), None, dtype=object), 3, group=8)
        assert [g.size for g in items] == [8, 8, 8]
        assert sorted(names[order][g[0]] for g in items) == ["jazz", "pizza", "rain"]
        assert all(len(set(names[order][g])) == 1 for g in items)
        assert len(np.unique(np.concatenate(items))) == 24  # no text in two groups


def test_queue_group_rows_and_seen_texts_are_not_offered_again():
    lab, names = make()
    q = lab.queue("explore", n=3, group=5)
    assert list(q.columns) == ["text", "suggested", "confidence", "score", "group"]
    assert [g[0] for g in q["group"]] == q.index.tolist() and all(len(g) == 5 for g in q["group"])
    first = q["group"].iloc[0]
    from corral.learn.queues import rank

    again = rank("explore", None, lab.session.labels(), lab.texts, 3, embeddings=lab.embeddings, group=5, seen=first)
    assert not set(first) & set(np.concatenate(again["group"].tolist()))
    with pytest.raises(ValueError, match="group= works with the strategies"):
        lab.queue("margin", n=2, group=5)
    with pytest.raises(ValueError, match="group must be a positive integer"):
        lab.queue("explore", n=2, group=0)


def test_label_a_selection_passes_over_the_rest_and_counts_one_decision():
    lab, names = make()
    walk = lab.queue_session(group=6)
    item = walk.current
    assert item.texts == [lab.texts[i] for i in item.positions] and item.suggested is None
    keep = item.positions[:4]
    op = walk.label("topic", keep)
    assert op.count == 4 and op.source == "queue" and lab.history["kind"].tolist()[-2:] == ["assign", "queue"]
    assert walk.decisions == 1 and walk.seen == set(item.positions[4:].tolist())
    nxt = walk.current
    assert not set(nxt.positions.tolist()) & set(item.positions.tolist())  # passed-over texts are not offered again
    with pytest.raises(ValueError, match="not in the current group"):
        walk.label("x", [int(item.positions[0])])
    with pytest.raises(ValueError, match="non-empty string"):
        walk.label("  ", nxt.positions[:1])
    with pytest.raises(ValueError, match="no text chosen"):
        walk.label("x", [])


def test_accept_suggestion_is_one_suggestion_op_of_exactly_the_shown_frame():
    lab, names = make()
    for name in ("rain", "jazz", "pizza"):
        lab.assign(np.flatnonzero(names == name)[:5], name)
    walk = lab.queue_session(group=8)
    item = walk.current
    assert item.suggested in {"rain", "jazz", "pizza"} and np.isfinite(item.confidence).all()
    assert (names[item.positions] == item.suggested).all()  # separated topics: the model is right
    op = walk.accept_suggestion()
    assert op.kind == "assign_many" and op.source == "suggestion" and op.count == int(item.agree.sum()) == item.positions.size
    assert (lab.labels.iloc[item.positions] == item.suggested).all()
    shown = walk.current.suggested  # the next group, shown with the fit of these labels
    other = next(name for name in ("rain", "jazz", "pizza") if name != shown)
    walk._frame = walk._frame.assign(suggested=other)  # as if the model had said another label when shown
    with pytest.raises(StaleSuggestions):
        walk.accept_suggestion()
    assert walk.decisions == 1


def test_skip_and_undo_bring_back_the_group_and_its_labels():
    lab, _ = make()
    walk = lab.queue_session(group=5)
    first = walk.current.positions.tolist()
    walk.skip()
    second = walk.current.positions.tolist()
    walk.label("b")
    assert walk.decisions == 2 and int(lab.labels.notna().sum()) == 5
    assert walk.undo().positions.tolist() == second and int(lab.labels.notna().sum()) == 0
    assert walk.undo().positions.tolist() == first and walk.seen == set()
    with pytest.raises(RuntimeError, match="no decision"):
        walk.undo()
    walk.label("a", first[:2])
    lab.assign([second[0]], "elsewhere")  # a later label change of someone else
    with pytest.raises(RuntimeError, match="other label changes came after"):
        walk.undo()


def test_the_walk_is_journaled_and_a_new_labeler_resumes_it(tmp_path):
    path = tmp_path / "queue.journal"
    lab, _ = make(autosave=path)
    walk = lab.queue_session(group=5)
    walk.label("a", walk.current.positions[:3])
    walk.skip()
    current = walk.current.positions.tolist()
    saved = lab.session.state[STATE]
    assert saved["current"] == current and len(saved["past"]) == 2
    seen = set(walk.seen)
    del lab, walk

    again, _ = make(autosave=path)
    resumed = again.queue_session(group=5)
    assert resumed.decisions == 2 and resumed.seen == seen and resumed.current.positions.tolist() == current
    assert int(again.labels.notna().sum()) == 3
    assert again.queue_session(group=6).decisions == 0  # another group size: a walk of its own


def test_restart_after_a_resume_starts_over_even_when_the_fresh_walk_matches_the_first_record(tmp_path):
    path = tmp_path / "queue.journal"
    lab, _ = make(autosave=path)
    walk = lab.queue_session(group=5)
    walk.label("a", walk.current.positions[:3])
    del lab, walk

    again, _ = make(autosave=path)  # resumed: the journal's first walk record is what a fresh walk saves
    fresh = again.queue_session(group=5, restart=True)
    assert fresh.decisions == 0 and again.session.state[STATE]["past"] == []
    assert again.queue_session(group=5).decisions == 0  # and that fresh walk is what resumes now


def test_widget_buttons_and_keys_call_the_session_and_show_text_as_text():
    lab, _ = make()
    walk = lab.queue_session(group=4)
    w = walk.show()
    item = walk.current
    shown = [row.children[1].value for row in w.texts.children]
    assert shown == item.texts and all("<b>" in t for t in shown)  # Label widgets: the markup as text
    w.ticks[1].value = False
    w.label_name.value = "<i>first</i>"
    w.buttons["label"].click()
    ticked = [int(i) for k, i in enumerate(item.positions) if k != 1]
    assert (lab.labels.iloc[ticked] == "<i>first</i>").all() and pd.isna(lab.labels.iloc[int(item.positions[1])])
    assert [b.description for b in w.label_buttons.children] == ["<i>first</i>"]
    second = walk.current
    w._key(w.key_listener, {"kind": "key", "action": "label", "index": 0}, [])  # key 1
    assert (lab.labels.iloc[second.positions] == "<i>first</i>").all()
    w._key(w.key_listener, {"kind": "key", "action": "skip"}, [])  # s
    assert walk.decisions == 3
    w._key(w.key_listener, {"kind": "key", "action": "undo"}, [])  # z
    assert walk.decisions == 2
    w._key(w.key_listener, {"kind": "key", "action": "label", "index": 5}, [])  # no such button
    assert w.message.value.startswith("⚠ no label button 6")
    w._key(w.key_listener, {"kind": "key", "action": "accept"}, [])  # one label only: no model yet
    assert w.message.value.startswith("⚠") and walk.decisions == 2
    assert w.progress_text.value == "2 decisions · " + f"{lab.labels.notna().mean():.0%} labeled"


def test_density_in_chunks_equals_the_full_computation_and_accept_takes_only_agreeing_texts(monkeypatch):
    from corral.learn import groups

    texts, emb, coords, names = topics(per=30)
    whole = groups.density(emb, 5)
    monkeypatch.setattr(groups, "_rows_per_chunk", lambda n: 7)  # 90 rows in chunks of 7
    assert np.allclose(groups.density(emb, 5), whole, atol=1e-6)
    lab = Labeler(texts, embeddings=emb, coords=coords)
    lab._learner().background = False
    for name in ("rain", "jazz", "pizza"):
        lab.assign(np.flatnonzero(names == name)[:5], name)
    walk = lab.queue_session(group=6)
    item = walk.current
    agree = item.agree.copy()
    agree[0] = False  # as if the model gave the group's first text another label
    mixed = dataclasses.replace(item, agree=agree)
    monkeypatch.setattr(type(walk), "current", property(lambda self: mixed))
    op = walk.accept_suggestion()
    assert op.count == item.positions.size - 1 and op.source == "suggestion"
    assert pd.isna(lab.labels.iloc[int(item.positions[0])])  # not accepted: passed over
    assert (lab.labels.iloc[item.positions[1:]] == item.suggested).all()
    assert int(item.positions[0]) in walk.seen
