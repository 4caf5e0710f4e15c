"""Doubt: cross-validated confidence, neighbour and region disagreement, the queue, small classes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corral import Labeler
from corral.review.doubt import compute_doubt, doubt_queue


def _three_topics(seed=0, per=60, dim=16):
    rng = np.random.default_rng(seed)
    centers = 4 * np.eye(dim)[:3]
    truth = np.repeat(np.arange(3), per)
    emb = centers[truth] + rng.normal(scale=1.0, size=(truth.size, dim))
    names = np.array(["rain", "jazz", "pizza"], dtype=object)
    return emb, names[truth].copy(), truth


def test_flipped_labels_rank_first():
    emb, labels, _ = _three_topics()
    flipped = np.array([5, 70, 130, 150])
    labels[flipped] = np.array(["jazz", "pizza", "rain", "jazz"], dtype=object)
    table = compute_doubt(emb, labels)
    assert table["doubt"].between(0, 1).all()
    assert set(table["doubt"].nlargest(4).index) == set(flipped.tolist())
    assert (table.loc[flipped, "model_disagrees"] == 1).all()
    assert table.loc[flipped, "suggested"].tolist() == ["rain", "jazz", "pizza", "pizza"]
    assert (table.loc[flipped, "neighbor_disagreement"] >= 0.8).all()
    clean = table.drop(flipped)
    assert clean["low_confidence"].median() < 0.1 and clean["neighbor_disagreement"].median() == 0
    assert "region_disagreement" not in table.columns


def test_doubt_is_the_mean_of_the_signals():
    emb, labels, _ = _three_topics(seed=1)
    table = compute_doubt(emb, labels)
    expected = (table["low_confidence"] + table["neighbor_disagreement"]) / 2
    np.testing.assert_allclose(table["doubt"], expected)


def test_unlabeled_points_are_not_scored():
    emb, labels, _ = _three_topics()
    labels[[0, 61, 179]] = None
    table = compute_doubt(emb, labels)
    assert table.loc[[0, 61, 179]].drop(columns=["label", "suggested"]).isna().all().all()
    assert table.loc[[0, 61, 179], "label"].isna().all()
    assert table.drop([0, 61, 179])["doubt"].notna().all()


def test_neighbors_are_labeled_points_only():
    # point 0 sits among unlabeled points; its only labeled neighbours are the far "b" cluster
    emb = np.vstack([np.zeros((1, 2)) + [1, 0], [[1, 0.01]] * 5, [[0, 1]] * 6])
    labels = np.array(["a", None, None, None, None, None] + ["b"] * 6, dtype=object)
    with pytest.warns(UserWarning) as caught:
        table = compute_doubt(emb, labels, cv=2, n_neighbors=3)
    messages = [str(w.message) for w in caught]
    assert any("fewer than cv=2 labeled points (a)" in m for m in messages)
    assert any("no model, doubt from neighbours only" in m for m in messages)
    assert table.loc[0, "low_confidence"] != table.loc[0, "low_confidence"]  # NaN: no model
    assert table.loc[0, "neighbor_disagreement"] == 1.0 and table.loc[0, "suggested"] == "b"
    assert (table.loc[6:, "neighbor_disagreement"] == 0).all()


def test_small_classes_are_scored_by_neighbours_only():
    emb, labels, _ = _three_topics()
    labels[[0, 1]] = "tiny"
    with pytest.warns(UserWarning, match=r"fewer than cv=5 .*tiny.*neighbours only"):
        table = compute_doubt(emb, labels)
    assert table.loc[[0, 1], ["low_confidence", "model_disagrees"]].isna().all().all()
    assert table.loc[[0, 1], "doubt"].tolist() == table.loc[[0, 1], "neighbor_disagreement"].tolist()
    assert table.loc[[0, 1], "suggested"].tolist() == ["rain", "rain"]
    assert table.drop([0, 1])["low_confidence"].notna().all()


def test_one_label_gives_nan_with_warning():
    emb, _, _ = _three_topics()
    labels = np.array(["rain"] * 180, dtype=object)
    with pytest.warns(UserWarning, match="at least two labels"):
        table = compute_doubt(emb, labels)
    assert table["doubt"].isna().all()


def test_regions_add_a_signal():
    emb, labels, truth = _three_topics()
    coords = np.column_stack([truth * 10.0, np.zeros(truth.size)]) + np.random.default_rng(0).normal(
        scale=0.5, size=(truth.size, 2))
    labels[5] = "jazz"  # wrong, inside the rain region
    square = lambda x: np.array([[x - 3, -3], [x + 3, -3], [x + 3, 3], [x - 3, 3]])  # noqa: E731
    table = compute_doubt(emb, labels, coords=coords, regions={"rain": [square(0)], "jazz": [square(10)]})
    assert table.loc[5, "region_disagreement"] == 1.0
    assert table.loc[5, "region_model_disagreement"] == 0.0  # the model says rain, as the region does
    assert table.loc[:119, "region_disagreement"].drop(5).eq(0).all()
    region_label = np.repeat(["rain", "jazz"], 60)
    expected = (table.loc[:119, "suggested"].to_numpy() != region_label).astype(float)
    np.testing.assert_array_equal(table.loc[:119, "region_model_disagreement"], expected)
    assert expected.sum() < 10  # mostly the model agrees with the regions
    regional = ["region_disagreement", "region_model_disagreement"]
    assert table.loc[120:, regional].isna().all().all()  # the pizza points are in no region
    inside = table.loc[:119]
    np.testing.assert_allclose(inside["doubt"], inside[["low_confidence", "neighbor_disagreement", *regional]]
                               .mean(axis=1))
    outside = table.loc[120:]
    np.testing.assert_allclose(outside["doubt"], outside[["low_confidence", "neighbor_disagreement"]].mean(axis=1))
    with pytest.raises(ValueError, match="coords"):
        compute_doubt(emb, labels, regions={"rain": [square(0)]})


def test_bad_arguments_are_named():
    emb, labels, _ = _three_topics()
    with pytest.raises(ValueError, match="one row per label"):
        compute_doubt(emb[:10], labels)
    with pytest.raises(ValueError, match="cv"):
        compute_doubt(emb, labels, cv=1)
    with pytest.raises(ValueError, match="n_neighbors"):
        compute_doubt(emb, labels, n_neighbors=0)
    with pytest.raises(ValueError, match="positive"):
        doubt_queue(compute_doubt(emb, labels), [""] * 180, n=0)


def test_queue_most_doubtful_first():
    emb, labels, _ = _three_topics()
    labels[[7, 90]] = np.array(["pizza", "rain"], dtype=object)
    labels[100] = None
    texts = [f"text {i}" for i in range(180)]
    queue = doubt_queue(compute_doubt(emb, labels), texts, n=5)
    assert queue.columns.tolist() == ["text", "label", "suggested", "doubt"]
    assert set(queue.index[:2]) == {7, 90} and queue.loc[7].tolist()[:3] == ["text 7", "pizza", "rain"]
    assert queue["doubt"].is_monotonic_decreasing and len(queue) == 5 and 100 not in queue.index


def test_labeler_doubt_on_input_index():
    emb, labels, truth = _three_topics()
    labels[3] = "pizza"
    index = pd.Index([f"id{i}" for i in range(180)])
    lab = Labeler(pd.Series([f"t{i}" for i in range(180)], index=index), labels=labels, embeddings=emb,
                  coords=np.column_stack([truth, truth]).astype(float))
    table = lab.doubt()
    assert table.index.equals(index) and table["doubt"].idxmax() == "id3"
    queue = lab.doubt_queue(n=3)
    assert queue.index[0] == "id3" and queue.iloc[0]["text"] == "t3" and queue.iloc[0]["suggested"] == "rain"
    lab.regions = {"pizza": [np.array([[-1, -1], [0.5, -1], [0.5, 0.5], [-1, 0.5]])]}
    with_regions = lab.doubt()
    assert with_regions.loc["id3", "region_disagreement"] == 0.0  # the region agrees with the wrong label
    assert with_regions.loc["id3", "region_model_disagreement"] == 1.0  # ... the model does not
    assert with_regions.loc["id0", "region_disagreement"] == 1.0
    assert "region_disagreement" not in lab.doubt(use_regions=False).columns
