"""The active-learning queue: each strategy returns unlabeled texts in the order it promises."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corral import Labeler
from test_suggestions import labeler


def test_uncertainty_margin_entropy_rank_unlabeled_by_the_model():
    lab, _ = labeler()
    frame = lab.suggest().reset_index(drop=True)
    unlabeled = np.flatnonzero(lab.labels.isna().to_numpy())
    for strategy, key in (("uncertainty", 1 - frame["confidence"]), ("margin", 1 - frame["margin"]),
                          ("entropy", frame["entropy"])):
        q = lab.queue(strategy, n=10)
        assert len(q) == 10 and set(q.index) <= set(unlabeled.tolist())
        assert list(q.columns) == ["text", "suggested", "confidence", "score"]
        assert np.allclose(q["score"], key.iloc[q.index])
        assert (np.diff(q["score"].to_numpy()) <= 1e-12).all()
        assert q["score"].iloc[0] == pytest.approx(key.iloc[unlabeled].max())
        assert q["text"].tolist() == [lab.texts[i] for i in q.index]  # markup kept as text


def test_uncertainty_puts_the_point_between_topics_first():
    rng = np.random.default_rng(1)
    emb = np.vstack([rng.normal(0, .3, (20, 2)) + [4, 0], rng.normal(0, .3, (20, 2)) + [-4, 0],
                     [[0.0, 0.3]], [[4.2, 0.1]]]).astype(np.float32)
    labels = [None] * len(emb)
    lab = Labeler([f"t{i}" for i in range(len(emb))], embeddings=emb, coords=emb,
                  labels=["a"] * 10 + [None] * 10 + ["b"] * 10 + [None] * 12)
    q = lab.queue("uncertainty", n=3)
    assert q.index[0] == 40  # halfway between a and b
    assert 41 not in q.index  # deep inside a


def test_diversity_is_k_center_greedy_from_the_labeled_set():
    X = np.array([[1, 0], [0.99, 0.14], [0, 1], [0.1, 0.99], [0.7, 0.7], [-1, 0.05]], dtype=np.float32)
    lab = Labeler([f"t{i}" for i in range(6)], embeddings=X, coords=X, labels=["a", None, "b", None, None, None])
    q = lab.queue("diversity", n=3)
    assert q.index.tolist()[0] == 5  # opposite to both labeled points
    assert q.index.tolist()[1] == 4  # then the middle one, far from a, b and the first pick
    assert (np.diff(q["score"].to_numpy()) <= 1e-9).all()


def test_disagreement_finds_points_whose_map_neighbours_say_otherwise():
    rng = np.random.default_rng(2)
    emb = np.vstack([rng.normal(0, .3, (30, 4)) + [3, 0, 0, 0], rng.normal(0, .3, (30, 4)) + [-3, 0, 0, 0]])
    coords = emb[:, :2].copy()
    coords[5] = coords[40]  # text 5 is an 'a' by meaning but sits among the b's on the map
    labels = np.array(["a"] * 30 + ["b"] * 30, dtype=object)
    labels[[5, 6, 7, 45, 46]] = None
    lab = Labeler([f"t{i}" for i in range(60)], embeddings=emb.astype(np.float32), coords=coords, labels=labels)
    q = lab.queue("disagreement", n=2)
    assert q.index[0] == 5 and q["score"].iloc[0] > 0.5 and q["suggested"].iloc[0] == "a"
    lab.regions = {"b": [[(-10, -10), (10, -10), (10, 10), (-10, 10)]]}  # a region says b everywhere
    q = lab.queue("disagreement", n=5)
    assert set(q.index[:3]) == {5, 6, 7}  # the a-texts: the model says a, the region b


def test_callable_strategy_and_errors():
    lab, _ = labeler()
    q = lab.queue(lambda c: -c.index.to_numpy(), n=3)  # Prodigy-style sorter: highest score first
    unlabeled = np.flatnonzero(lab.labels.isna().to_numpy())
    assert q.index.tolist() == sorted(unlabeled)[:3]
    with pytest.raises(ValueError, match="unknown queue strategy"):
        lab.queue("random")
    with pytest.raises(ValueError, match="one score per candidate"):
        lab.queue(lambda c: [1.0])
    with pytest.raises(ValueError, match="positive"):
        lab.queue(n=0)
