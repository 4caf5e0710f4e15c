"""Suggestions: shapes and index, never labels, out-of-fold for labeled texts, one fit shared with
doubt, any sklearn model, the background refit never blocking a label operation."""

from __future__ import annotations

import time
import warnings

import numpy as np
import pandas as pd
import pytest

from corral import Labeler
from corral.learn.suggestions import fit_suggestions


def topics(seed=0, per=40, dim=12):
    """Three separated topics: embeddings, coords (their first two axes, spread), true names."""
    rng = np.random.default_rng(seed)
    truth = np.repeat(np.arange(3), per)
    emb = (5 * np.eye(dim)[:3])[truth] + rng.normal(size=(truth.size, dim))
    names = np.array(["rain", "jazz", "pizza"], dtype=object)[truth]
    coords = emb[:, :2].astype(np.float32)
    texts = [f"<b>{name}</b> text {i}" for i, name in enumerate(names)]
    return texts, emb.astype(np.float32), coords, names


def labeler(per_label=8, **kw):
    texts, emb, coords, names = topics(**kw)
    index = pd.Index([f"id{i}" for i in range(len(texts))])
    lab = Labeler(pd.Series(texts, index=index), embeddings=emb, coords=coords)
    for code, name in enumerate(["rain", "jazz", "pizza"]):
        lab.assign(np.flatnonzero(names == name)[:per_label], name)
    return lab, names


def test_suggest_covers_every_text_on_the_index_and_labels_nothing():
    lab, names = labeler()
    before = lab.labels.copy()
    history = len(lab.history)
    frame = lab.suggest()
    assert frame.index.equals(lab.index)
    assert {"suggested", "confidence", "margin"} <= set(frame.columns)
    assert frame["confidence"].between(0, 1).all() and frame["margin"].between(0, 1).all()
    assert (frame["suggested"].to_numpy() == names).mean() > 0.95  # separated topics: the model is right
    pd.testing.assert_series_equal(lab.labels, before)  # suggestions are never labels
    assert len(lab.history) == history


def test_labeled_texts_get_out_of_fold_predictions():
    """A wrong label is not echoed back: its suggestion comes from a model that never saw it."""
    texts, emb, coords, names = topics()
    labels = names.copy()
    labels[3] = "jazz"  # a rain text labeled jazz
    fit = fit_suggestions(emb, labels)
    assert fit.frame()["suggested"][3] == "rain"
    predicted, own = fit.out_of_fold(labels)
    assert predicted[3] == "rain" and own[3] < 0.5


def test_doubt_and_suggest_share_one_fit(monkeypatch):
    lab, _ = labeler()
    import corral.learn.refresh as refresh

    calls = []
    real = refresh.fit_suggestions
    monkeypatch.setattr(refresh, "fit_suggestions", lambda *a, **k: calls.append(1) or real(*a, **k))
    lab._learner().background = False  # count only the fits asked for here
    frame = lab.suggest()
    doubt = lab.doubt()
    lab.queue("uncertainty", n=5)
    assert len(calls) == 1
    labeled = lab.labels.notna()
    assert (doubt.loc[labeled, "suggested"] == frame.loc[labeled, "suggested"]).all()
    lab.assign([100], "pizza")
    lab.suggest()
    assert len(calls) == 2  # a new label state is a new fit


def test_any_sklearn_classifier_even_without_predict_proba():
    from sklearn.svm import LinearSVC

    lab, names = labeler()
    frame = lab.suggest(model=LinearSVC())
    assert frame["confidence"].between(0, 1).all()
    assert (frame["suggested"].to_numpy() == names).mean() > 0.9


def test_too_few_labels_warn_and_give_nan():
    texts, emb, coords, _ = topics()
    lab = Labeler(texts, embeddings=emb, coords=coords)
    lab.assign([0, 1], "rain")
    with pytest.warns(UserWarning, match="at least two labels"):
        frame = lab.suggest()
    assert frame["suggested"].isna().all() and frame["confidence"].isna().all()


def test_background_refit_after_changes_never_blocks_labeling():
    texts, emb, coords, names = topics(per=400, dim=64)
    lab = Labeler(texts, embeddings=emb, coords=coords)
    for name in ("rain", "jazz", "pizza"):
        lab.assign(np.flatnonzero(names == name)[:100], name)
    service = lab._learner()
    service.delay = 0.2
    lab.suggest()
    start = time.perf_counter()
    for i in range(5):  # a burst: each returns at once, one refit follows (debounce)
        lab.assign([300 + i], str(names[300 + i]))
    assert time.perf_counter() - start < 0.5
    key = service.key()
    deadline = time.time() + 60
    while key not in service._cache and time.time() < deadline:
        time.sleep(0.05)
    assert key in service._cache, "no background refit of the new labels"
    fitted = service._cache[key]
    assert lab._learner().get() is fitted  # suggest() uses the background fit, no second one
    assert service.last_error is None
