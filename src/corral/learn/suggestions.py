"""Suggestions: one cross-validated model per label state, a label and a confidence for every text.

:func:`fit_suggestions` fits a classifier (default ``LogisticRegression`` on the embeddings; any
scikit-learn classifier via ``model=``) on the labels given so far and returns a
:class:`Suggestions`: class probabilities for every point, where

- a *labeled* point gets its **out-of-fold** probabilities (stratified ``cv``-fold
  ``cross_val_predict``: the point is never in the fold that scores it), which is the model signal
  :mod:`corral.review.doubt` reads (one code path, not a second model). Classes with fewer than
  ``cv`` labeled points cannot be cross-validated: their points get no out-of-fold row (NaN);
- an *unlabeled* point gets the probabilities of the model fitted on every label (classes of
  any size take part).

Probabilities come from ``predict_proba``; a model without it is wrapped in
``CalibratedClassifierCV`` (sigmoid, 3 folds). Suggestions are never labels: accepting them is
an explicit, journaled operation (:func:`corral.learn.accept.accept_suggestions`).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = np.vstack([rng.normal(0, 1, (30, 4)) + 5 * np.eye(4)[0], rng.normal(0, 1, (30, 4)) - 5 * np.eye(4)[0]])
>>> labels = np.array(["a"] * 10 + [None] * 20 + ["b"] * 10 + [None] * 20, dtype=object)
>>> s = fit_suggestions(X, labels)
>>> frame = s.frame()
>>> frame["suggested"].iloc[[0, 15, 35, 45]].tolist(), bool(frame["confidence"].iloc[15] > 0.9)
(['a', 'a', 'b', 'b'], True)
>>> s.model_name
'LogisticRegression'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

TOO_FEW = "suggestions need at least two labels in use: every suggestion is NaN"


@dataclass(frozen=True, eq=False)
class Suggestions:
    """The model's view of one label state: ``proba`` (n x classes, NaN rows where it has none),
    ``labeled`` (mask of the points labeled when it was fitted) and the ``key`` of that state."""

    classes: np.ndarray
    proba: np.ndarray = field(repr=False)
    labeled: np.ndarray = field(repr=False)
    key: str
    model_name: str
    seconds: float = 0.0
    notes: tuple = ()  # what the fit could not do (small classes...): doubt and suggest() warn them

    def frame(self, index=None) -> pd.DataFrame:
        """``suggested``, ``confidence`` (its probability), ``margin`` (over the runner-up) and
        ``entropy`` (normalised to [0, 1]) per point, on ``index`` (default: positions)."""
        n = self.proba.shape[0]
        has = ~np.isnan(self.proba).any(axis=1) if self.proba.size else np.zeros(n, dtype=bool)
        suggested = np.full(n, None, dtype=object)
        confidence, margin, entropy = (np.full(n, np.nan) for _ in range(3))
        if has.any() and self.classes.size:
            p = self.proba[has]
            top = np.sort(p, axis=1)
            suggested[has] = self.classes[p.argmax(axis=1)]
            confidence[has] = top[:, -1]
            margin[has] = top[:, -1] - (top[:, -2] if p.shape[1] > 1 else 0.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                h = -np.nansum(np.where(p > 0, p * np.log(p), 0.0), axis=1)
            entropy[has] = h / np.log(p.shape[1]) if p.shape[1] > 1 else 0.0
        return pd.DataFrame({"suggested": suggested, "confidence": confidence,
                             "margin": margin, "entropy": entropy},
                            index=pd.RangeIndex(n) if index is None else index)

    def warn_notes(self, only_too_few: bool = False) -> None:
        """Warn what this fit could not do (``only_too_few``: only that it has no model at all)."""
        from corral.core.validate import warn

        for note in self.notes:
            if note == TOO_FEW or not only_too_few:
                warn(note)

    def out_of_fold(self, labels) -> tuple[np.ndarray, np.ndarray]:
        """For the labeled points of ``labels`` (in order): the out-of-fold predicted label (None
        where there is none) and the probability of the point's own label (NaN likewise)."""
        labels = np.asarray(labels, dtype=object)
        rows = np.flatnonzero(pd.notna(labels))
        p = self.proba[rows]
        has = ~np.isnan(p).any(axis=1) & self.labeled[rows]
        predicted = np.full(rows.size, None, dtype=object)
        own = np.full(rows.size, np.nan)
        if has.any():
            predicted[has] = self.classes[p[has].argmax(axis=1)]
            column = pd.Index(self.classes).get_indexer(labels[rows][has].astype(str))
            own[has] = np.where(column >= 0, p[has][np.arange(column.size), np.maximum(column, 0)], 0.0)
        return predicted, own


def label_key(codes, categories, model=None, cv: int = 5) -> str:
    """A digest of a label state (codes and names) and the model settings: the cache key."""
    h = hashlib.sha1(np.ascontiguousarray(codes, dtype="<i4").tobytes())
    h.update("\x00".join(categories).encode("utf-8"))
    h.update(f"{model_name(model)}|{model.get_params() if model is not None else ''}|{cv}".encode("utf-8"))
    return h.hexdigest()


def model_name(model) -> str:
    return "LogisticRegression" if model is None else type(model).__name__


def default_model():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=1000, C=1.0)


def _with_proba(model):
    if hasattr(model, "predict_proba"):
        return model
    from sklearn.calibration import CalibratedClassifierCV

    return CalibratedClassifierCV(model, method="sigmoid", cv=3)


def check_fit_inputs(embeddings, labels, cv: int, *, dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    """``embeddings`` as a 2-D array with one row per label, ``labels`` as an object array, and a
    valid ``cv``: the checks shared by the suggestion fit and doubt (errors name the problem)."""
    X = np.asarray(embeddings, dtype=dtype)
    labels = np.asarray(labels, dtype=object)
    n = labels.shape[0]
    if X.ndim != 2 or X.shape[0] != n:
        raise ValueError(f"embeddings must have one row per label ({n}), got shape {X.shape}")
    if not isinstance(cv, (int, np.integer)) or cv < 2:
        raise ValueError(f"cv must be an integer >= 2, got {cv!r}")
    return X, labels


def fit_suggestions(embeddings, labels, *, model=None, cv: int = 5, random_state: int = 0,
                    key: str | None = None) -> Suggestions:
    """Fit the suggestion model on ``labels`` (object array, None = unlabeled); see the module."""
    import time

    from sklearn.base import clone
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    start = time.perf_counter()
    X, labels = check_fit_inputs(embeddings, labels, cv, dtype=np.float32)
    n = labels.shape[0]
    labeled = pd.notna(labels)
    rows = np.flatnonzero(labeled)
    y = labels[rows].astype(str)
    classes = np.unique(y)
    proba = np.full((n, classes.size), np.nan)
    key = key if key is not None else hashlib.sha1(repr((labels.tolist(), model_name(model), cv)).encode()).hexdigest()
    base = _with_proba(default_model() if model is None else model)
    if classes.size < 2:
        return Suggestions(classes, proba, labeled, key, model_name(model), time.perf_counter() - start,
                           (TOO_FEW,))
    full = clone(base).fit(X[rows], y)
    if (~labeled).any():  # full.classes_ is the same sorted ``classes``
        proba[~labeled] = full.predict_proba(X[~labeled])
    names, counts = np.unique(y, return_counts=True)
    small = names[counts < cv]
    notes = []
    if small.size:
        notes.append(f"{small.size} label(s) have fewer than cv={cv} labeled points ({', '.join(small[:10])}"
             f"{' ...' if small.size > 10 else ''}): they are scored by their neighbours only")
    keep = ~np.isin(y, small)
    kept = np.unique(y[keep])
    if kept.size < 2:
        notes.append(f"fewer than two labels have cv={cv} labeled points: no model, doubt from neighbours only")
    else:
        folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=random_state)
        oof = cross_val_predict(clone(base), X[rows[keep]], y[keep], cv=folds, method="predict_proba")
        target = rows[keep]
        proba[target] = 0.0  # classes left out of the folds get probability 0
        proba[np.ix_(target, pd.Index(classes).get_indexer(kept))] = oof
    return Suggestions(classes, proba, labeled, key, model_name(model), time.perf_counter() - start, tuple(notes))
