"""Group queue: small groups of alike texts offered for ONE decision, untouched intents found early.

Each item is an *anchor* text and its nearest unlabeled neighbours in the embedding space (cosine),
at most ``group`` texts, tight around the anchor (cosine similarity >= ``tight``); with
``same_suggestion=True`` only those the model gives the anchor's suggestion (off by default:
measured in bench/labeling.py, the filter made groups smaller while the model was still wrong, and
the person reads every text anyway). A person reads the group and decides once: label the texts
that belong with one label (unticking the others), accept the suggestion, or skip.

Anchors (``schedule``):

- ``"explore"`` (default): density-weighted k-center: the text farthest (cosine) from every
  labeled or already offered text, weighted by how dense its neighbourhood is (so a pick is the
  centre of a group not yet touched, not a lone outlier); once nothing is farther than ``near``
  from what was offered, the model's least confident texts (weighted the same way) come next;
- ``"diversity"``: k-center only; ``"uncertainty"``: least confident only (k-center before a model).

``seen``: positions already offered (shown and not labeled, e.g. skipped): never offered again and
counted as "touched" by the k-center distance.

>>> import numpy as np
>>> X = np.array([[1, 0], [0.99, 0.1], [0.98, 0.2], [0, 1], [0.1, 0.99]], dtype=float)
>>> items = group_items(X, np.full(5, None, dtype=object), 2, group=3, tight=0.9)
>>> [g.tolist() for g in items]        # the densest place first, then the farthest from it
[[2, 1, 0], [4, 3]]
"""

from __future__ import annotations

import weakref

import numpy as np
import pandas as pd

from corral.core.sampling import fixed_sample

SCHEDULES = ("explore", "diversity", "uncertainty")


def _unit(X) -> np.ndarray:
    X = np.asarray(X, dtype=np.float32)
    return X / np.maximum(np.linalg.norm(X, axis=1, keepdims=True), 1e-12)


def _rows_per_chunk(n: int) -> int:
    return max(1, min(2048, (1 << 25) // max(n, 1)))  # n x chunk floats: at most 128 MB


EXACT_DENSITY_MAX = 20_000  # above this many texts the neighbours come from an approximate index
DISTANCE_ROWS_MAX = 4_096  # k-center distances to at most this many touched texts (a fixed sample)


def density(X, k: int = 10) -> np.ndarray:
    """Mean cosine similarity of each text to its ``k`` nearest others (higher: a denser place).

    Exact (chunked ``X @ X.T``) up to :data:`EXACT_DENSITY_MAX` texts; above, the neighbours come
    from pynndescent's approximate nearest-neighbour graph (the index UMAP itself uses), so the
    cost grows as about n log n, not n²."""
    X = _unit(X)
    n = X.shape[0]
    k = max(1, min(k, n - 1))
    if n > EXACT_DENSITY_MAX:
        from pynndescent import NNDescent

        _, distances = NNDescent(X, metric="cosine", n_neighbors=k + 1, random_state=0,
                                 low_memory=True).neighbor_graph
        return (1.0 - distances[:, 1:]).mean(axis=1).astype(np.float32)
    chunk = _rows_per_chunk(n)
    out = np.empty(n, dtype=np.float32)
    for start in range(0, n, chunk):
        sims = X[start:start + chunk] @ X.T
        top = np.partition(sims, -(k + 1), axis=1)[:, -(k + 1):]  # itself included
        out[start:start + chunk] = (top.sum(axis=1) - 1.0) / k
    return out


_DENSITY: dict = {}  # id(embeddings) -> (weak reference, k, density): one pass per array


def cached_density(embeddings, k: int) -> np.ndarray:
    """:func:`density` of an array, kept while the array lives (a Labeler's embeddings)."""
    key = id(embeddings)
    found = _DENSITY.get(key)
    if found is not None and found[0]() is embeddings and found[1] == k:
        return found[2]
    value = density(embeddings, k)
    try:
        _DENSITY[key] = (weakref.ref(embeddings, lambda _r, key=key: _DENSITY.pop(key, None)), k, value)
    except TypeError:  # not weak-referenceable (a list): computed each time
        pass
    return value


def min_distance(X, rows) -> np.ndarray:
    """Cosine distance of each row of unit ``X`` to the nearest of ``X[rows]``; when there are more
    than :data:`DISTANCE_ROWS_MAX` rows, to the nearest of a fixed sample of them (k-center only
    needs "far from what was touched": a sample of a big labeled set covers it, at bounded cost)."""
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size > DISTANCE_ROWS_MAX:
        rows = rows[fixed_sample(rows.size, DISTANCE_ROWS_MAX)]
    distance = np.full(X.shape[0], 2.0, dtype=X.dtype)
    chunk = _rows_per_chunk(X.shape[0])
    for start in range(0, rows.size, chunk):
        distance = np.minimum(distance, 1.0 - (X @ X[rows[start:start + chunk]].T).max(axis=1))
    return distance


def group_items(embeddings, labels, n: int, *, group: int = 10, suggested=None, confidence=None,
                seen=(), schedule: str = "explore", tight: float = 0.5, near: float = 0.35,
                same_suggestion: bool = False, dense=None) -> list[np.ndarray]:
    """Up to ``n`` groups (arrays of positions: the anchor, then its neighbours nearest first), none
    overlapping; see the module docstring. ``dense``: :func:`density` of the embeddings, if known."""
    if schedule not in SCHEDULES:
        raise ValueError(f"unknown group schedule {schedule!r}: one of {list(SCHEDULES)}")
    if not isinstance(group, (int, np.integer)) or group < 1:
        raise ValueError(f"group must be a positive integer, got {group!r}")
    X = _unit(embeddings)
    labels = np.asarray(labels, dtype=object)
    open_ = pd.isna(labels)
    seen = np.asarray(list(seen), dtype=np.int64)
    touched = ~open_
    touched[seen] = True
    open_[seen] = False
    has_model = suggested is not None and confidence is not None and pd.notna(suggested).any()
    suggested = None if not has_model else np.asarray(suggested, dtype=object)
    uncertain = None if not has_model else 1.0 - np.nan_to_num(np.asarray(confidence, dtype=np.float64), nan=0.0)
    weight = density(X, group) if dense is None else np.asarray(dense)
    weight = np.clip(weight, 0.0, None)
    distance = min_distance(X, np.flatnonzero(touched)) if touched.any() else None
    items: list[np.ndarray] = []
    for _ in range(n):
        if not open_.any():
            break
        explore = distance is None or not has_model or schedule == "diversity" or (
            schedule == "explore" and float(distance[open_].max()) > near)
        if schedule == "uncertainty" and has_model:
            explore = False
        if distance is None:
            score = weight.astype(np.float64).copy()
        elif explore:
            score = distance * weight
        else:
            score = uncertain * weight
        score = np.where(open_, score, -np.inf)
        anchor = int(np.argmax(score))
        sims = X @ X[anchor]
        ok = open_ & (sims >= tight)
        if same_suggestion and suggested is not None:
            ok &= suggested == suggested[anchor]
        ok[anchor] = True
        pool = np.flatnonzero(ok)
        members = pool[np.argsort(-sims[pool], kind="stable")][:group]
        members = np.concatenate([[anchor], members[members != anchor]])[:group]
        items.append(members.astype(np.int64))
        open_[members] = False
        near_d = 1.0 - X @ X[members].T
        distance = near_d.min(axis=1) if distance is None else np.minimum(distance, near_d.min(axis=1))
    return items
