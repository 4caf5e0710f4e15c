"""Doubt: how likely each hand-given label is wrong, from signals that do not trust that label.

Only labeled points are scored (NaN elsewhere). The signals, each in [0, 1], higher = more doubt:

- ``low_confidence``: 1 - the probability a cross-validated logistic regression on the embeddings
  (:mod:`corral.learn.suggestions`, shared with the suggestions) gives the point's own label (the point itself is never in the model's training fold).
  ``model_disagrees`` (0/1) says whether that model's most likely label is another one.
- ``neighbor_disagreement``: the share of the point's ``n_neighbors`` nearest *labeled* neighbours
  (cosine distance on the embeddings, itself excluded) that carry another label.
- ``region_disagreement`` (only when regions are drawn): 1 - the share the drawn regions
  containing the point give its label (a :class:`~corral.RegionClassifier` without fall-off), and
  ``region_model_disagreement``: the same for the model's label (the drawn classifier against the
  learned one). NaN for points in no region; both columns are absent when no regions are given.

``doubt`` is the mean of the signals a point has (``low_confidence``, ``neighbor_disagreement``
and, inside regions, the two region signals). Classes with fewer labeled points than ``cv``
folds cannot be cross-validated: they are left out of the model (with a warning) and their points
are scored by the other signals only. ``suggested`` is the model's label (the neighbours' majority
where the model has none).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> emb = np.vstack([rng.normal(0, 1, (40, 8)) + 6 * np.eye(8)[0], rng.normal(0, 1, (40, 8)) - 6 * np.eye(8)[0]])
>>> labels = np.array(["a"] * 40 + ["b"] * 40, dtype=object)
>>> labels[3] = "b"                        # a wrong label
>>> table = compute_doubt(emb, labels)
>>> int(table["doubt"].idxmax()), table.loc[3, "suggested"]
(3, 'a')
>>> bool(table["doubt"].drop(3).max() < 0.5)
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corral.core.validate import warn
from corral.learn.suggestions import check_fit_inputs, fit_suggestions

SIGNALS = ("low_confidence", "neighbor_disagreement", "region_disagreement", "region_model_disagreement")
_OUTSIDE = "\x00outside every region"


def compute_doubt(embeddings, labels, *, coords=None, regions=None, cv: int = 5, n_neighbors: int = 10,
                  random_state: int = 0, suggestions=None) -> pd.DataFrame:
    """Doubt signals per point (rows by position) for ``labels`` (object array, None = unlabeled).

    ``coords`` and ``regions`` (``{label: [polygon, ...]}``) add ``region_disagreement``. The model
    signal is the out-of-fold part of ``suggestions`` (a :class:`~corral.learn.suggestions.Suggestions`
    fitted on these labels; fitted here when not given): the same fit ``suggest()`` shows.
    Columns: label, suggested, low_confidence, model_disagrees, neighbor_disagreement,
    [region_disagreement, region_model_disagreement], doubt.
    """
    X, labels = check_fit_inputs(embeddings, labels, cv)
    if not isinstance(n_neighbors, (int, np.integer)) or n_neighbors < 1:
        raise ValueError(f"n_neighbors must be an integer >= 1, got {n_neighbors!r}")
    labeled = np.flatnonzero(pd.notna(labels))
    y = labels[labeled].astype(str)
    table = pd.DataFrame({"label": pd.Series(labels, dtype=object).where(pd.notna(labels), None)})
    table["suggested"] = None
    for column in ("low_confidence", "model_disagrees", "neighbor_disagreement"):
        table[column] = np.nan
    if labeled.size < 2 or np.unique(y).size < 2:
        warn("doubt needs at least two labels in use: nothing to compare against, every doubt is NaN")
        table["doubt"] = np.nan
        return table

    if suggestions is None:
        suggestions = fit_suggestions(X, labels, cv=cv, random_state=random_state)
    suggestions.warn_notes()
    model_label, confidence = suggestions.out_of_fold(labels)
    neighbor_share, neighbor_label = _neighbors(X[labeled], y, n_neighbors)
    has_model = model_label != None  # noqa: E711 (elementwise on an object array)
    table.loc[labeled, "low_confidence"] = np.where(has_model, 1.0 - confidence, np.nan)
    table.loc[labeled, "model_disagrees"] = np.where(has_model, (model_label != y).astype(float), np.nan)
    table.loc[labeled, "neighbor_disagreement"] = neighbor_share
    table.loc[labeled, "suggested"] = np.where(has_model, model_label, neighbor_label)
    if regions:
        if coords is None:
            raise ValueError("regions need the map coords to place the points")
        share = _region_shares(coords, labeled, regions)
        table["region_disagreement"] = np.nan
        table.loc[labeled, "region_disagreement"] = 1.0 - share(y)
        table["region_model_disagreement"] = np.nan
        table.loc[labeled, "region_model_disagreement"] = 1.0 - share(model_label)
    present = [c for c in SIGNALS if c in table.columns]
    table["doubt"] = table[present].mean(axis=1, skipna=True).clip(0.0, 1.0)
    return table


def _neighbors(X, y, n_neighbors):
    """Share of the nearest labeled neighbours with another label, and their majority label."""
    from sklearn.neighbors import NearestNeighbors

    k = min(n_neighbors, len(y) - 1)
    index = NearestNeighbors(n_neighbors=k + 1, metric="cosine", algorithm="brute").fit(X)
    _, found = index.kneighbors(X)
    # drop each point itself (usually column 0, but exact duplicates may come first in any order):
    # a stable sort puts each row's k non-self neighbours first, in distance order
    not_self = found != np.arange(len(y))[:, None]
    first = np.argsort(~not_self, axis=1, kind="stable")[:, :k]
    found = np.take_along_axis(found, first, axis=1)
    classes, codes = np.unique(y, return_inverse=True)
    neighbor_codes = codes[found]
    share = (neighbor_codes != codes[:, None]).mean(axis=1)
    # majority per row: counts of row * n_classes + code, the lowest code on ties (as argmax)
    n_classes = classes.size
    flat = (np.arange(len(y))[:, None] * n_classes + neighbor_codes).ravel()
    votes = np.bincount(flat, minlength=len(y) * n_classes).reshape(len(y), n_classes)
    majority = classes[votes.argmax(axis=1)]
    return share, majority.astype(object)


def _region_shares(coords, labeled, regions):
    """A function giving, per labeled point, the share the regions containing it give a label
    (one label per point; None gives NaN), NaN for points in no region."""
    from corral.regions.estimator import RegionClassifier

    points = np.asarray(coords, dtype=np.float64)[labeled]
    model = RegionClassifier(regions, falloff=0, unknown_label=_OUTSIDE).fit(points)
    proba = model.predict_proba(points)
    classes = pd.Index(model.classes_)
    outside = proba[:, classes.get_loc(_OUTSIDE)] >= 1.0
    rows = np.arange(len(points))

    def share(labels):
        labels = np.asarray(labels, dtype=object)
        missing = pd.isna(labels)
        column = classes.get_indexer(np.where(missing, _OUTSIDE, labels))  # -1: a label no region gives
        out = np.where(column >= 0, proba[rows, np.maximum(column, 0)], 0.0)
        return np.where(outside | missing, np.nan, out)

    return share


def doubt_queue(table: pd.DataFrame, texts, n: int = 50) -> pd.DataFrame:
    """The ``n`` most doubtful labeled rows of a :func:`compute_doubt` table, with their texts:
    columns text, label, suggested, doubt (most doubtful first, ties by position)."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    scored = table[table["doubt"].notna()]
    order = np.lexsort((np.arange(len(scored)), -scored["doubt"].to_numpy()))[:n]
    top = scored.iloc[order]
    texts = pd.Series(list(texts), index=table.index)
    return pd.DataFrame({"text": texts.loc[top.index], "label": top["label"], "suggested": top["suggested"],
                         "doubt": top["doubt"]})


def labeler_doubt(labeler, *, cv: int = 5, n_neighbors: int = 10, use_regions: bool = True) -> pd.DataFrame:
    """What :meth:`corral.Labeler.doubt` does: :func:`compute_doubt` on the Labeler's labels, with
    the model signal from its shared suggestion fit (the same fit ``suggest()`` returns)."""
    regions = labeler.regions if use_regions else None
    fit = labeler._learner().get(None, cv=cv)
    table = compute_doubt(labeler.embeddings, labeler.session.labels(), coords=labeler.coords if regions else None,
                          regions=regions or None, cv=cv, n_neighbors=n_neighbors, suggestions=fit)
    return table.set_axis(labeler.index)
