"""Suggested clusters: HDBSCAN assignment, c-TF-IDF names, hulls, the Labeler's cached method."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import adjusted_rand_score

from corral import HashingEmbedder, Labeler
from corral.review.clusters import Clusters, class_keywords, default_min_cluster_size, suggest_clusters

TOPICS = ["rain forecast tomorrow", "jazz playlist music", "pizza delivery order"]


@pytest.fixture
def topical(blobs):
    coords, truth = blobs
    texts = [f"{TOPICS[t]} item {i}" for i, t in enumerate(truth)]
    return coords, truth, texts


def test_recovers_separated_blobs_and_names_them(topical):
    coords, truth, texts = topical
    found = suggest_clusters(coords, texts, min_cluster_size=10)
    assert isinstance(found, Clusters)
    assert found.assignment.dtype == np.int64 and found.assignment.shape == (90,)
    assert adjusted_rand_score(truth, found.assignment) > 0.95
    assert found.ids == sorted(found.ids) and len(found.ids) == 3
    assert sum(found.sizes.values()) == int((found.assignment >= 0).sum())
    for cid in found.ids:
        topic = TOPICS[np.bincount(truth[found.members(cid)]).argmax()]
        assert set(found.keywords[cid][:3]) == set(topic.split())
        assert len(found.keywords[cid]) <= 8
        assert found.names[cid] == " · ".join(found.keywords[cid][:3])


def test_noise_points_are_minus_one():
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(0, 0.05, (20, 2)), rng.normal(3, 0.05, (20, 2)), [[40, -40], [-40, 40], [40, 40]]])
    found = suggest_clusters(X, ["a b"] * 43, min_cluster_size=10)
    assert (found.assignment[:40] >= 0).all() and len(found.ids) == 2
    assert found.members(-1).tolist() == [40, 41, 42]


def test_fewer_points_than_min_size_is_all_noise():
    found = suggest_clusters(np.zeros((3, 2)), ["x", "y", "z"], min_cluster_size=5)
    assert found.ids == [] and (found.assignment == -1).all() and found.to_frame().empty


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="one row per text"):
        suggest_clusters(np.zeros((3, 2)), ["a", "b"])
    with pytest.raises(ValueError, match="NaN"):
        suggest_clusters(np.full((3, 2), np.nan), ["a", "b", "c"])
    with pytest.raises(ValueError, match="at least 2"):
        suggest_clusters(np.zeros((3, 2)), ["a", "b", "c"], min_cluster_size=1)
    found = suggest_clusters(np.zeros((3, 2)), ["a", "b", "c"], min_cluster_size=5)
    with pytest.raises(KeyError, match="no cluster 7"):
        found.members(7)


def test_hull_encloses_members(topical):
    from corral.core.geometry import points_in_polygon

    coords, _, texts = topical
    found = suggest_clusters(coords, texts, min_cluster_size=10)
    for cid in found.ids:
        hull = found.hull(cid, coords)
        assert hull.ndim == 2 and hull.shape[1] == 2 and 3 <= len(hull) <= found.sizes[cid]
        # every member is inside the hull or on its boundary (vertices): grow it a hair around its centre
        grown = hull + (hull - hull.mean(axis=0)) * 1e-6
        assert points_in_polygon(coords[found.members(cid)], grown).all()
    with pytest.raises(ValueError, match="90 x 2"):
        found.hull(found.ids[0], coords[:5])


def test_hull_of_degenerate_clusters():
    found = Clusters(np.array([0, 0, 0, 1, 1]), [0, 1], sizes={0: 3, 1: 2})
    coords = np.array([[0, 0], [1, 1], [2, 2], [5, 5], [6, 5]], dtype=float)
    assert found.hull(0, coords).tolist() == [[0, 0], [2, 2]]  # collinear: the two ends
    assert found.hull(1, coords).tolist() == [[5, 5], [6, 5]]


def test_to_frame_largest_first():
    found = Clusters(np.array([0, 1, 1, -1]), [0, 1], {0: ["a"], 1: ["b", "c"]}, {0: "a", 1: "b · c"}, {0: 1, 1: 2})
    frame = found.to_frame()
    assert frame.index.tolist() == [1, 0]
    assert frame.loc[1].tolist() == ["b · c", 2, "b, c"]


def test_ctfidf_prefers_distinctive_words():
    texts = ["the app crashed app", "app login failed", "card payment declined app", "card refund payment"]
    keywords = class_keywords(texts, np.array([0, 0, 1, 1]), [0, 1], 3)
    # "app" appears in both clusters: a distinctive word ranks above it in cluster 1
    assert keywords[1][0] in ("card", "payment") and keywords[1].index("card") < 3
    assert keywords[0][0] == "app"  # 3 of its 4 uses are in cluster 0
    assert "the" not in keywords[0]  # stop words removed
    assert class_keywords(["the a", "of"], np.array([0, 1]), [0, 1]) == {0: [], 1: []}


def test_default_min_cluster_size_bounds():
    assert [default_min_cluster_size(n) for n in (10, 500, 3000, 50_000)] == [5, 5, 30, 100]


def test_labeler_clusters_cached_per_parameters(topical):
    coords, truth, texts = topical
    lab = Labeler(pd.Series(texts), coords=coords, embedder=HashingEmbedder())
    first = lab.clusters(min_cluster_size=10)
    assert lab.clusters(min_cluster_size=10) is first
    assert lab.clusters(min_cluster_size=10, refresh=True) is not first
    assert adjusted_rand_score(truth, first.assignment) > 0.95
    emb = lab.clusters(space="embedding", min_cluster_size=10)
    assert emb is not first and emb.assignment.shape == (90,)
    with pytest.raises(ValueError, match="space"):
        lab.clusters(space="umap")


def test_banking77_names_hold_no_fragments_or_repeated_stems():
    """Issue 11: names like "does", "hasn", "wasn" and "transfer · long · transfers". The gold
    intents serve as the clusters, so no layout is involved."""
    from corral.datasets import load_banking77
    from corral.review.clusters import CONTRACTION_WORDS, stem

    df = load_banking77()
    intents = pd.Categorical(df["label"])
    texts = df["text"].tolist()
    ids = list(range(len(intents.categories)))
    fragments = {"does", "doesn", "hasn", "wasn", "isn", "didn", "don", "ll", "ve"}
    words = pd.Series(" ".join(texts).lower()).str.findall(r"\b\w\w+\b")[0]
    assert fragments <= set(words)  # they are in the texts: the old names picked some up
    keywords = class_keywords(texts, np.asarray(intents.codes), ids)
    assert all(len(keywords[c]) == 8 for c in ids)
    found = {w for c in ids for w in keywords[c]}
    assert not found & (fragments | CONTRACTION_WORDS)
    for c in ids:
        stems = [stem(w) for w in keywords[c]]
        assert len(set(stems)) == len(stems), (intents.categories[c], keywords[c])
    merged = [c for c in ids if {"transfer", "transfers"} <= set(" ".join(
        t for t, k in zip(texts, intents.codes) if k == c).lower().split()) and "transfer" in keywords[c]]
    assert merged  # clusters that use both forms name "transfer" once


def _blobs(n, seed=0):
    """n points in four well separated 2-D blobs, the true blob of each, and texts naming it."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(4, size=n)
    centers = np.array([[0.0, 0.0], [20.0, 0.0], [0.0, 20.0], [20.0, 20.0]])
    X = centers[truth] + rng.normal(size=(n, 2))
    words = np.array(["rain forecast", "jazz music", "pizza order", "bank transfer"])
    return X, truth, words[truth].tolist()


def test_suggest_clusters_samples_above_the_threshold_and_scales_linearly():
    import time

    X20, truth20, texts20 = _blobs(20_000)
    X200, truth200, texts200 = _blobs(200_000, seed=1)
    t = time.perf_counter()
    small = suggest_clusters(X20, texts20, sample_size=20_000)  # at the threshold: plain HDBSCAN
    t_small = time.perf_counter() - t
    t = time.perf_counter()
    big = suggest_clusters(X200, texts200, sample_size=20_000)  # 10x the points: sample + assign
    t_big = time.perf_counter() - t
    # Sampled, 10x the points costs about one 20k fit plus a linear assignment; HDBSCAN on all
    # 200k would be well over 10x (it grows faster than linearly).
    assert t_big < 5 * t_small + 1.0, (t_small, t_big)
    for found, truth in ((small, truth20), (big, truth200)):
        assert len(found.ids) == 4
        assert adjusted_rand_score(truth, found.assignment) > 0.95
        assert sum(found.sizes.values()) + int((found.assignment == -1).sum()) == len(truth)
        named = sorted(" ".join(sorted(found.keywords[c][:2])) for c in found.ids)
        assert named == ["bank transfer", "forecast rain", "jazz music", "order pizza"]
    with pytest.raises(ValueError, match="sample_size"):
        suggest_clusters(X20[:200], texts20[:200], sample_size=10)
