"""Coverage: class counts, imbalance warnings, unlabeled share per cluster and per grid cell."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corral import HashingEmbedder, Labeler
from corral.review.coverage import coverage, grid_cells, imbalance_warnings


def test_counts_and_regions_worst_first():
    labels = np.array(["a", "a", "b", None, None, None, "a", None], dtype=object)
    groups = np.array([0, 0, 0, 1, 1, 2, 2, 2])
    result = coverage(labels, groups=groups, names={0: "zero", 1: "one", 2: "two"})
    assert result.counts.to_dict() == {"a": 3, "b": 1} and result.labeled_share == 0.5
    assert result.regions.index.tolist() == [1, 2, 0]
    assert result.regions.loc[2].tolist() == ["two", 3, 1, 2, pytest.approx(2 / 3)]
    assert result.regions["unlabeled"].sum() == 4
    assert "least covered: one (2 of 2 unlabeled)" in repr(result)


def test_ties_in_share_put_the_bigger_gap_first():
    labels = np.array([None] * 5 + [None] * 2, dtype=object)
    result = coverage(labels, groups=np.array([1] * 5 + [0] * 2))
    assert result.regions.index.tolist() == [1, 0] and result.regions["name"].tolist() == ["1", "0"]
    assert result.counts.empty and result.labeled_share == 0.0 and result.warnings == []
    done = coverage(np.array(["a", "b"], dtype=object), groups=np.array([0, 1]))
    assert "every region is fully labeled (2 regions)" in repr(done) and "least covered" not in repr(done)


def test_imbalance_rules():
    assert imbalance_warnings(pd.Series({"a": 10, "b": 1})) == []  # 10x exactly is not over the ratio
    ratio = imbalance_warnings(pd.Series({"a": 11, "b": 1}))
    assert len(ratio) == 1 and "11.0x" in ratio[0] and "a: 11, b: 1" in ratio[0]
    rare = imbalance_warnings(pd.Series({"a": 400, "b": 400, "c": 300, "d": 50, "e": 5}), ratio=1000)
    assert rare == ["1 label(s) have under 1% of the labeled texts: e (5)"]
    assert imbalance_warnings(pd.Series({"a": 3})) == [] and imbalance_warnings(pd.Series({"a": 9, "b": 0})) == []


def test_grid_cells_cover_the_box():
    coords = np.array([[0, 0], [10, 10], [10, 0], [0, 10], [5, 5], [2.4, 0]])
    cells, bounds = grid_cells(coords, size=4)
    assert cells.tolist() == [0, 15, 3, 12, 10, 0]
    assert bounds.loc[10, ["x0", "x1", "y0", "y1"]].tolist() == [5.0, 7.5, 5.0, 7.5]
    for point, cell in zip(coords, cells):
        x0, x1, y0, y1 = bounds.loc[cell, ["x0", "x1", "y0", "y1"]]
        assert x0 <= point[0] <= x1 and y0 <= point[1] <= y1
    same, _ = grid_cells(np.ones((3, 2)), size=3)  # a zero-size box does not divide by zero
    assert same.tolist() == [0, 0, 0]
    with pytest.raises(ValueError, match="grid size"):
        grid_cells(coords, size=0)
    with pytest.raises(ValueError, match="n x 2"):
        grid_cells(np.zeros(4))


def test_bad_groups_are_named():
    with pytest.raises(ValueError, match="one entry per text"):
        coverage(np.array(["a", None], dtype=object), groups=np.zeros(3))


def test_labeler_coverage_by_cluster_and_grid(blobs, texts):
    coords, truth = blobs
    lab = Labeler(texts, coords=coords, embedder=HashingEmbedder())
    lab.assign(np.flatnonzero(truth == 0), "rain")
    lab.assign(np.flatnonzero(truth == 1)[:2], "jazz")
    with pytest.warns(UserWarning, match="15.0x"):
        by_cluster = lab.coverage(min_cluster_size=10)
    worst = by_cluster.regions.iloc[0]
    assert worst["size"] == 30 and worst["unlabeled_share"] == 1.0  # the untouched blob
    assert by_cluster.regions.iloc[-1]["unlabeled_share"] == 0.0
    assert by_cluster.counts.to_dict() == {"rain": 30, "jazz": 2}
    found = lab.clusters(min_cluster_size=10)
    assert set(by_cluster.regions["name"]) <= {*found.names.values(), "(no cluster)"}  # noise as review names it
    with pytest.warns(UserWarning, match="15.0x"):
        by_grid = lab.coverage(by="grid", grid_size=2)
    assert by_grid.regions["size"].sum() == 90 and {"x0", "x1", "y0", "y1"} <= set(by_grid.regions.columns)
    assert by_grid.regions.iloc[-1]["unlabeled"] == 0
    with pytest.raises(ValueError, match="by must be"):
        lab.coverage(by="label")


def test_coverage_names_what_its_rows_are_and_says_when_there_are_no_clusters():
    from corral import HashingEmbedder, Labeler

    texts = [f"text number {i}" for i in range(40)]
    rng = np.random.default_rng(0)
    lab = Labeler(texts, embedder=HashingEmbedder(), coords=rng.uniform(0, 1, (40, 2)))  # no density
    lab.assign(np.arange(40), "all")
    result = lab.coverage(min_cluster_size=30)
    assert lab.clusters(min_cluster_size=30).ids == []
    assert "no suggested clusters: every text is in (no cluster)" in repr(result)
    assert "fully labeled" not in repr(result) and "region" not in repr(result)
    assert "every grid cell is fully labeled" in repr(lab.coverage(by="grid", grid_size=2))
