"""What to label next: the unlabeled texts ranked by a strategy (active learning).

Strategies (``score``: higher = asked sooner):

- ``"uncertainty"``: least confident, ``1 - confidence`` of the suggestion model;
- ``"margin"``: ``1 - (p_top - p_second)``: the two likeliest labels are close;
- ``"entropy"``: the normalised entropy of the model's probabilities;
- ``"disagreement"``: two good models disagree: the embedding model's suggestion against the vote
  of the ``n_neighbors`` nearest labeled points *on the map* (and, where drawn, the regions
  containing the point): the share of those that do not give the model's label;
- ``"diversity"``: k-center greedy over the embeddings, seeded with the labeled texts: each pick
  is the text farthest (cosine) from every labeled or already picked text (``score`` = that distance);
- ``"explore"`` (``group=10`` unless told): small groups of alike texts for one decision each,
  untouched places first, then the uncertain ones: see :mod:`corral.learn.groups`; ``group=k``
  with "diversity" or "uncertainty" groups those the same way;
- any callable ``candidates -> scores``: gets the unlabeled rows' frame (text, suggested,
  confidence, margin, entropy; index = positions) and returns one score per row (like Prodigy's sorters).

>>> import numpy as np
>>> X = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.5, 0.5], [0.6, 0.4], [0.1, 0.9]], dtype=float)
>>> labels = np.array(["a", None, "b", None, None, None], dtype=object)
>>> rank_diversity(X, labels, 2).tolist()        # the middle first: farthest from both labels
[3, 4]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corral.learn.groups import cached_density, group_items, min_distance

STRATEGIES = ("uncertainty", "margin", "entropy", "disagreement", "diversity", "explore")


def rank(strategy, frame: pd.DataFrame, labels, texts, n: int, *, embeddings=None, coords=None, regions=None,
         n_neighbors: int = 10, group: int | None = None, seen=()) -> pd.DataFrame:
    """The ``n`` unlabeled rows of a suggestion ``frame`` (by position) ranked by ``strategy``:
    columns text, suggested, confidence, score (highest score first, ties by position). With
    ``group`` (or "explore"): one row per group, its anchor's, plus ``group`` (its positions)."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    labels = np.asarray(labels, dtype=object)
    if isinstance(strategy, str) and (strategy == "explore" or group is not None):
        return grouped(strategy, frame, labels, list(texts), n, embeddings, 10 if group is None else group, seen)
    unlabeled = np.flatnonzero(pd.isna(labels))
    texts = list(texts)
    if isinstance(strategy, str) and strategy == "diversity":
        picked, scores = rank_diversity(embeddings, labels, n, with_scores=True)
        return _table(frame, texts, picked, scores)
    candidates = frame.iloc[unlabeled].copy()
    candidates.insert(0, "text", [texts[i] for i in unlabeled])
    candidates.index = unlabeled
    if callable(strategy):
        scores = np.asarray(strategy(candidates), dtype=np.float64)
        if scores.shape != (unlabeled.size,):
            raise ValueError(f"a queue strategy must return one score per candidate ({unlabeled.size}), "
                             f"got shape {scores.shape}")
    elif strategy == "uncertainty":
        scores = 1.0 - candidates["confidence"].to_numpy()
    elif strategy == "margin":
        scores = 1.0 - candidates["margin"].to_numpy()
    elif strategy == "entropy":
        scores = candidates["entropy"].to_numpy()
    elif strategy == "disagreement":
        scores = disagreement(frame, labels, coords, regions, n_neighbors)[unlabeled]
    else:
        raise ValueError(f"unknown queue strategy {strategy!r}: one of {list(STRATEGIES)} or a callable")
    scores = np.where(np.isnan(scores), -np.inf, scores)  # no model yet: asked last
    order = np.lexsort((unlabeled, -scores))[:n]
    return _table(frame, texts, unlabeled[order], scores[order])


def grouped(strategy, frame, labels, texts, n, embeddings, group, seen=()) -> pd.DataFrame:
    """The group queue's rows (see :mod:`corral.learn.groups`): anchor first, ``score`` = rank."""
    if strategy not in ("explore", "diversity", "uncertainty"):
        raise ValueError(f"group= works with the strategies 'explore', 'diversity' and 'uncertainty', not {strategy!r}")
    suggested = None if frame is None else frame["suggested"].to_numpy(dtype=object)
    confidence = None if frame is None else frame["confidence"].to_numpy()
    items = group_items(embeddings, labels, n, group=group, suggested=suggested, confidence=confidence, seen=seen,
                        schedule=strategy, dense=cached_density(embeddings, group))
    anchors = np.array([g[0] for g in items], dtype=np.int64)
    table = _table(frame, texts, anchors, -np.arange(len(items), dtype=float))
    table["group"] = [g.tolist() for g in items]
    return table


def _table(frame, texts, positions, scores) -> pd.DataFrame:
    """The queue's rows; ``frame`` None (diversity needs no model): no suggestion columns filled."""
    none = np.full(len(positions), None, dtype=object)
    suggested = none if frame is None else frame["suggested"].to_numpy(dtype=object)[positions]
    confidence = np.full(len(positions), np.nan) if frame is None else frame["confidence"].to_numpy()[positions]
    return pd.DataFrame({"text": [texts[i] for i in positions], "suggested": suggested,
                         "confidence": confidence, "score": np.asarray(scores, dtype=float)},
                        index=pd.Index(positions, name="position"))


def rank_diversity(embeddings, labels, n: int, *, with_scores: bool = False):
    """k-center greedy: ``n`` unlabeled positions, each the farthest (cosine distance) from the
    labeled points and the ones picked before it. Without labels it starts farthest from the mean."""
    X = np.asarray(embeddings, dtype=np.float64)
    X = X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)
    labeled = pd.notna(np.asarray(labels, dtype=object))
    if labeled.any():
        distance = min_distance(X, np.flatnonzero(labeled))
    else:
        centre = X.mean(axis=0)
        distance = 1.0 - X @ (centre / max(np.linalg.norm(centre), 1e-12))
    distance[labeled] = -np.inf
    picked, scores = [], []
    for _ in range(min(n, int((~labeled).sum()))):
        i = int(np.argmax(distance))
        picked.append(i)
        scores.append(float(distance[i]))
        distance = np.minimum(distance, 1.0 - X @ X[i])
        distance[i] = -np.inf
    picked = np.asarray(picked, dtype=np.int64)
    return (picked, np.asarray(scores)) if with_scores else picked


def disagreement(frame: pd.DataFrame, labels, coords, regions=None, n_neighbors: int = 10) -> np.ndarray:
    """Per point: the share of its map neighbours' labels (the ``n_neighbors`` nearest labeled
    points on the map) and of the drawn regions containing it that differ from the model's
    suggestion, averaged over the two where both exist. NaN where the model has no suggestion."""
    from sklearn.neighbors import NearestNeighbors

    labels = np.asarray(labels, dtype=object)
    suggested = frame["suggested"].to_numpy(dtype=object)
    out = np.full(labels.shape[0], np.nan)
    rows = np.flatnonzero(pd.notna(labels))
    if coords is None or rows.size == 0:
        raise ValueError("the disagreement queue needs the map coords and some labels")
    coords = np.asarray(coords, dtype=np.float64)
    k = min(n_neighbors, rows.size)
    _, found = NearestNeighbors(n_neighbors=k).fit(coords[rows]).kneighbors(coords)
    votes = labels[rows][found]  # n x k neighbour labels
    signals = [(votes != suggested[:, None]).mean(axis=1)]
    if regions:
        from corral.regions.estimator import RegionClassifier

        model = RegionClassifier(regions, falloff=0, unknown_label="\x00outside").fit(coords)
        proba = model.predict_proba(coords)
        classes = pd.Index(model.classes_)
        inside = proba[:, classes.get_loc("\x00outside")] < 1.0
        column = classes.get_indexer(np.where(pd.isna(suggested), "\x00outside", suggested))
        share = np.where(column >= 0, proba[np.arange(len(coords)), np.maximum(column, 0)], 0.0)
        signals.append(np.where(inside, 1.0 - share, np.nan))
    stacked = np.vstack(signals)
    has = ~pd.isna(suggested)
    out[has] = np.nanmean(stacked[:, has], axis=0)
    return out
