"""Consensus labels (majority, ties, reliability weighting) and task distribution, as plain functions."""

import numpy as np
import pandas as pd
import pytest

from corral.review.consensus import consensus, disagreements, reliability
from corral.review.tasks import distribute, tasks_of


def test_majority_flags_ties_and_counts_votes():
    table = pd.DataFrame({"a": ["x", "x", None, "y"], "b": ["x", "y", None, "y"], "c": ["y", None, None, "y"]},
                         index=["p", "q", "r", "s"])
    out = consensus(table)
    assert list(out.index) == ["p", "q", "r", "s"]
    assert out["label"].tolist() == ["x", None, None, "y"]
    assert out["tie"].tolist() == [False, True, False, False]
    assert out["votes"].tolist() == [3, 2, 0, 3] and out["n_labels"].tolist() == [2, 2, 0, 1]
    assert out["agreement"].iloc[0] == pytest.approx(2 / 3) and np.isnan(out["agreement"].iloc[2])
    assert disagreements(table).tolist() == [0, 1]


def test_weighting_follows_who_agrees_with_the_others():
    rng = np.random.default_rng(0)
    n = 300
    truth = rng.choice(["x", "y", "z"], size=n)
    columns = {}
    for name, noise in [("good0", 0.05), ("good1", 0.1), ("good2", 0.1), ("noisy0", 0.7), ("noisy1", 0.7)]:
        labels = np.where(rng.random(n) < noise, rng.choice(["x", "y", "z"], size=n), truth).astype(object)
        labels[rng.random(n) < 0.4] = None  # each labels about 60% of the texts
        columns[name] = labels
    table = pd.DataFrame(columns)
    rel = reliability(table)
    assert min(rel[["good0", "good1", "good2"]]) > max(rel[["noisy0", "noisy1"]]) + 0.2
    plain, weighted = consensus(table), consensus(table, weighted=True)
    assert weighted.attrs["reliability"] == rel.to_dict()
    assert plain["tie"].sum() > 20 and weighted["tie"].sum() < plain["tie"].sum() / 4
    assert (weighted["label"] == truth).mean() > (plain["label"] == truth).mean() + 0.05


def test_distribute_overlap_and_split():
    plan = distribute(101, ["ana", "ben", "cy"], overlap=0.1, seed=7)
    assert len(plan["overlap"]) == 10
    sizes = [len(plan["split"][a]) for a in ("ana", "ben", "cy")]
    assert sum(sizes) == 91 and max(sizes) - min(sizes) <= 1
    every = [set(tasks_of(plan, a).tolist()) for a in ("ana", "ben", "cy")]
    assert set.intersection(*every) == set(plan["overlap"]) and set.union(*every) == set(range(101))
    assert distribute(101, ["ana", "ben", "cy"], overlap=0.1, seed=7) == plan
    assert distribute(101, ["ana", "ben", "cy"], overlap=0.1, seed=8) != plan
    assert len(distribute(10, ["ana"], overlap=1.0)["overlap"]) == 10


@pytest.mark.parametrize("args, error", [(([], 0.2), "at least one annotator"), ((["a", "a"], 0.2), "repeat"),
                                         ((["a"], 1.5), "share of the texts")])
def test_distribute_rejects_bad_plans(args, error):
    with pytest.raises(ValueError, match=error):
        distribute(10, *args)
