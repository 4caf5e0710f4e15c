"""Review that finds every class early: order="coverage", each cluster's suggestion and the
share that agrees, accepting it with one call."""

from __future__ import annotations

import numpy as np
import pytest

from corral import Labeler


def grid_clusters(seed=0):
    """Six clusters: four big ones packed together on the left, two small ones far apart."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0], [1, 0], [0, 1], [1, 1], [20, 0], [0, 20]], dtype=float)
    sizes = [40, 40, 40, 40, 10, 10]
    assignment = np.repeat(np.arange(6), sizes)
    coords = (centres[assignment] + rng.normal(scale=0.05, size=(assignment.size, 2))).astype(np.float32)
    emb = np.hstack([np.eye(6)[assignment] * 4 + rng.normal(scale=0.3, size=(assignment.size, 6))]).astype(np.float32)
    texts = [f"<i>text</i> {i}" for i in range(assignment.size)]
    return texts, emb, coords, assignment


def test_coverage_order_visits_the_spread_out_clusters_first():
    texts, emb, coords, assignment = grid_clusters()
    lab = Labeler(texts, embeddings=emb, coords=coords)
    default = lab.review(clusters=assignment, restart=True).queue
    coverage = lab.review("coverage", clusters=assignment, restart=True).queue
    assert set(default[:2]) <= {0, 1, 2, 3}  # biggest first
    assert coverage[0] == default[0] and set(coverage[1:3]) == {4, 5}  # the far clusters come next
    assert sorted(coverage) == list(range(6))


def test_each_cluster_carries_its_suggestion_and_agreement_and_accepting_is_one_call():
    texts, emb, coords, assignment = grid_clusters()
    names = np.array(["a", "b", "c", "d", "e", "f"], dtype=object)
    labels = np.full(len(texts), None, dtype=object)
    for c in range(6):
        labels[np.flatnonzero(assignment == c)[:5]] = names[c]
    lab = Labeler(texts, embeddings=emb, coords=coords, labels=labels)
    session = lab.review(clusters=assignment, restart=True)
    info = session.current
    assert info.suggested == names[info.id] and info.agree_share > 0.9
    before = len(lab.history)
    op = session.accept_suggestion()
    assert op.label == names[info.id] and op.source == "suggestion" and len(lab.history) == before + 2  # + progress
    assert (lab.labels.to_numpy()[info.members] == names[info.id]).all()
    assert info.id in session.reviewed and session.current.id != info.id
    lab.undo()
    assert lab.labels.to_numpy()[info.members].tolist().count(names[info.id]) == 5


def test_no_suggestion_without_two_labels():
    texts, emb, coords, assignment = grid_clusters()
    lab = Labeler(texts, embeddings=emb, coords=coords)
    session = lab.review(clusters=assignment, restart=True)
    assert session.current.suggested is None
    with pytest.raises(ValueError, match="no suggestion yet"):
        session.accept_suggestion()


def test_review_widget_shows_the_suggestion_as_text_and_accepts_it_with_one_button():
    texts, emb, coords, assignment = grid_clusters()
    names = np.array(["<b>a</b>", "b", "c", "d", "e", "f"], dtype=object)
    labels = np.full(len(texts), None, dtype=object)
    for c in range(6):
        labels[np.flatnonzero(assignment == c)[:5]] = names[c]
    lab = Labeler(texts, embeddings=emb, coords=coords, labels=labels)
    session = lab.review(clusters=assignment, restart=True)
    widget = session.show(show_map=False)
    current = session.current
    assert widget.suggestion.value.startswith(f"suggested: {names[current.id]} (")
    assert type(widget.suggestion).__name__ == "Label"  # rendered as text, never HTML
    assert not widget.buttons["accept_suggestion"].disabled
    widget.buttons["accept_suggestion"].click()
    assert widget.message.value == ""
    assert (lab.labels.to_numpy()[current.members] == names[current.id]).all()
    assert lab.history["source"].iloc[-2] == "suggestion"
    widget.close()
