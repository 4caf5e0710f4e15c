"""The group queue's costs stay bounded at scale: density from an approximate neighbour graph above
EXACT_DENSITY_MAX texts, k-center distances to a fixed sample of a big labeled set."""

from __future__ import annotations

import numpy as np

from corral.learn import groups


def _blobs(n, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(20, 32))
    which = rng.integers(0, 20, n)
    return (centers[which] + 0.4 * rng.normal(size=(n, 32))).astype(np.float32), which


def test_approximate_density_agrees_with_the_exact_one(monkeypatch):
    X, _ = _blobs(3000)
    exact = groups.density(X, 10)
    monkeypatch.setattr(groups, "EXACT_DENSITY_MAX", 500)
    approx = groups.density(X, 10)
    assert approx.shape == exact.shape and approx.dtype == np.float32
    assert np.corrcoef(exact, approx)[0, 1] > 0.99
    assert np.abs(exact - approx).mean() < 0.01


def test_distance_to_a_big_labeled_set_uses_a_sample_and_still_finds_the_untouched_blob(monkeypatch):
    X, which = _blobs(4000, seed=1)
    X = groups._unit(X)
    touched = np.flatnonzero(which != 7)  # every blob but one labeled
    monkeypatch.setattr(groups, "DISTANCE_ROWS_MAX", 200)
    sampled = groups.min_distance(X, touched)
    monkeypatch.setattr(groups, "DISTANCE_ROWS_MAX", 10**9)
    exact = groups.min_distance(X, touched)
    assert np.all(sampled >= exact - 1e-6)  # a sample can only be farther
    far = np.argsort(-sampled)[:50]
    assert np.mean(which[far] == 7) > 0.9  # the untouched blob is still what is farthest
    labels = np.where(which != 7, "seen", None).astype(object)
    monkeypatch.setattr(groups, "DISTANCE_ROWS_MAX", 200)
    first = groups.group_items(X, labels, 1, group=10)[0]
    assert np.all(which[first] == 7)
