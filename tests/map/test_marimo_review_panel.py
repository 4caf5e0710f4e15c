"""corral.map.marimo_review without a browser: the panel's actions, escaping and state updates.

(The same review in a real ``marimo edit`` with clicks and a lasso: tests/e2e/test_marimo_review.py.)
"""

from __future__ import annotations

import numpy as np
import pytest

import corral
from corral.map.marimo_review import ACTIONS, marimo_review

pytest.importorskip("marimo")


@pytest.fixture
def lab():
    rng = np.random.default_rng(0)
    coords = np.repeat(np.eye(3, 2) * 10, 20, axis=0) + rng.normal(size=(60, 2))
    return corral.Labeler([f"text {i} <b>bold</b>" for i in range(60)], embedder=corral.HashingEmbedder(),
                          coords=coords)


def _review(lab):
    review = marimo_review(lab.review(clusters=np.repeat([0, 1, 2], 20)), show_map=False)()
    calls = []
    review._set_state = calls.append  # what marimo's setter would be given
    return review, calls


def test_panel_shows_texts_as_text_and_every_action(lab):
    review, _ = _review(lab)
    html = review.panel().text
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html
    assert "Cluster 1 / 3: cluster 0 (20 texts, 0% labeled, to review)" in html
    field, buttons = review._elements  # kept alive until the next render (marimo holds them weakly)
    assert list(buttons) == [name for name, *_ in ACTIONS]
    assert lab.selection.tolist() == list(range(20))  # the cluster is the map's selection


def test_actions_label_move_on_and_set_the_state_once(lab):
    review, calls = _review(lab)
    review.act("label_cluster")
    assert review.message == "⚠ type a label name first" and lab.counts.empty and calls == [review]
    review._set_label("rain")  # what the text field's on_change does
    review.act("label_cluster")
    assert lab.counts.to_dict() == {"rain": 20} and review.session.position == 1
    assert review.message == "Labeled 20 texts of cluster 0 “rain”" and review.label_name == ""
    assert calls == [review, review]  # one re-render per action, not one per operation inside it

    review.panel()  # the next cluster becomes the selection; a lasso inside it:
    lab.selection = [20, 21, 22, 0]
    calls.clear()  # (a selection is no operation: nothing re-renders)
    review._set_label("jazz")
    review.act("label_selection")
    assert lab.labels.iloc[[20, 21, 22]].tolist() == ["jazz"] * 3 and lab.labels.iloc[0] == "rain"
    review.act("skip")
    assert review.session.position == 2 and len(calls) == 2


def test_labels_changed_elsewhere_rerender_and_a_rerun_keeps_one_hook(lab):
    review, calls = _review(lab)
    lab.assign([0, 1], "from code")  # e.g. a key on the map, or another cell
    assert calls == [review]
    rerun = marimo_review(review.session, show_map=False)()  # the cell re-ran on the same session
    seen = []
    rerun._set_state = seen.append
    lab.assign([3], "once")
    assert seen == [rerun] and calls == [review]  # the replaced hook is gone
