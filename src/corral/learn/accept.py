"""Accepting suggestions: the unlabeled texts whose suggestion is confident enough get it, as ONE
journaled, undoable ``assign_many`` operation with ``source="suggestion"`` (the model, the
threshold and each point's confidence in its ``detail``).

When the person accepts what they saw (``seen``: the suggestion frame they looked at), the
current suggestions for the texts to accept must match it; if the model changed them since,
:class:`StaleSuggestions` says so instead of accepting others.

>>> import numpy as np, pandas as pd
>>> from corral.labels.session import LabelSession
>>> session = LabelSession(3, np.array(["a", None, None], dtype=object))
>>> frame = pd.DataFrame({"suggested": ["a", "b", "a"], "confidence": [0.99, 0.95, 0.6]})
>>> op = accept(session, frame, np.arange(3), 0.9, model="LogisticRegression")
>>> op.kind, op.count, op.source, session.labels().tolist()
('assign_many', 1, 'suggestion', ['a', 'b', None])
"""

from __future__ import annotations

import numpy as np
import pandas as pd


class StaleSuggestions(ValueError):
    """The suggestions changed since the person saw them."""


def accept(session, frame: pd.DataFrame, candidates: np.ndarray, min_confidence: float = 0.9, *,
           model: str = "LogisticRegression", seen: pd.DataFrame | None = None):
    """Label the unlabeled ``candidates`` (positions) whose suggestion in ``frame`` (rows by
    position) reaches ``min_confidence``. Returns the Operation, or None when none qualifies."""
    if not (isinstance(min_confidence, (int, float, np.floating)) and 0.0 <= float(min_confidence) <= 1.0):
        raise ValueError(f"min_confidence must be a number in [0, 1], got {min_confidence!r}")
    candidates = np.asarray(candidates, dtype=np.int64)
    unlabeled = candidates[session.codes[candidates] < 0]
    rows = frame.iloc[unlabeled]
    ok = rows["suggested"].notna().to_numpy() & (rows["confidence"].to_numpy() >= float(min_confidence))
    chosen = unlabeled[ok]
    if seen is not None:
        _check_same(seen, frame, chosen, unlabeled, min_confidence)
    if not chosen.size:
        return None
    labels = rows["suggested"].to_numpy(dtype=object)[ok]
    confidences = rows["confidence"].to_numpy(dtype=float)[ok]
    detail = {"model": model, "min_confidence": float(min_confidence),
              "confidences": np.round(confidences, 4).tolist(),
              "mean_confidence": round(float(confidences.mean()), 4)}
    return session.assign_many(chosen, labels.tolist(), source="suggestion", detail=detail)


def _check_same(seen: pd.DataFrame, frame: pd.DataFrame, chosen, unlabeled, min_confidence) -> None:
    """The person's frame must give the same label to the same texts above the threshold."""
    if len(seen) != len(frame) or not {"suggested", "confidence"} <= set(seen.columns):
        raise ValueError("suggestions= must be a frame returned by suggest() (one row per text, with "
                         "'suggested' and 'confidence')")
    rows = seen.iloc[unlabeled]
    was = unlabeled[rows["suggested"].notna().to_numpy() & (rows["confidence"].to_numpy() >= float(min_confidence))]
    now = frame["suggested"].to_numpy(dtype=object)
    then = seen["suggested"].to_numpy(dtype=object)
    same = np.array_equal(was, chosen) and all(now[i] == then[i] for i in chosen)
    if not same:
        differ = np.setxor1d(was, chosen).size + sum(now[i] != then[i] for i in np.intersect1d(was, chosen))
        raise StaleSuggestions(
            f"the suggestions changed since you saw them ({differ} of the texts to accept now get another "
            "label or none): nothing was accepted; look at suggest() again and accept those")


def resolve_where(where, n: int, index, coords):
    """Positions named by ``where``: None (all), positions, a boolean mask, a ``pd.Index`` of the
    input's index labels, or a polygon (k x 2 vertices, k >= 3, in map coordinates; ``coords`` is
    a callable giving the map then)."""
    from corral.core.geometry import points_in_polygon
    from corral.core.validate import check_polygon, resolve_indices

    if where is None:
        return np.arange(n, dtype=np.int64)
    if not isinstance(where, (pd.Index, pd.Series)):
        arr = np.asarray(where)
        if arr.ndim == 2 and arr.shape[1] == 2 and arr.shape[0] >= 3 and arr.dtype != bool:
            return np.flatnonzero(points_in_polygon(coords(), check_polygon(arr))).astype(np.int64)
    return resolve_indices(where, n, index)
