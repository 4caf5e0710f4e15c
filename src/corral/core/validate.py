"""Input checks that fail early with an error naming the problem (and where it is)."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

_SHOW = 5  # how many offending positions an error message lists
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the corral package


def warn(message: str, category: type[Warning] = UserWarning) -> None:
    """Warn, pointing at the user's line (the first caller outside corral), not at corral's."""
    frame, level = sys._getframe(1), 2
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)


def _positions(mask: np.ndarray) -> str:
    where = np.flatnonzero(mask)
    shown = ", ".join(str(i) for i in where[:_SHOW])
    more = f" and {len(where) - _SHOW} more" if len(where) > _SHOW else ""
    return f"{shown}{more}"


def check_texts(texts, *, name: str = "texts") -> list[str]:
    """Return ``texts`` as a list of str, or raise naming the first bad entries.

    >>> check_texts(["a", "b"])
    ['a', 'b']
    >>> check_texts(["a", None])
    Traceback (most recent call last):
    ...
    TypeError: texts must all be strings; not at positions 1 (first: None). Drop or fill them first, e.g. df.dropna(subset=["text"]).
    """
    if isinstance(texts, str):
        raise TypeError(f"{name} must be a list-like of strings, not a single string")
    if isinstance(texts, (pd.Series, pd.Index)):
        values = texts.to_numpy(dtype=object)
    else:
        try:
            values = np.asarray(list(texts), dtype=object)
        except TypeError:
            raise TypeError(f"{name} must be a list-like of strings, got {type(texts).__name__}") from None
    if values.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {values.shape}")
    if len(values) == 0:
        raise ValueError(f"{name} is empty: there is nothing to label")
    bad = np.fromiter((not isinstance(t, str) for t in values), dtype=bool, count=len(values))
    if bad.any():
        first = values[np.argmax(bad)]
        raise TypeError(
            f"{name} must all be strings; not at positions {_positions(bad)} (first: {first!r}). "
            'Drop or fill them first, e.g. df.dropna(subset=["text"]).'
        )
    return values.tolist()


def warn_duplicates(texts: Sequence[str]) -> int:
    """Warn (once) when texts repeat; they are kept as separate points. Returns the count."""
    dup = pd.Series(texts).duplicated()
    n = int(dup.sum())
    if n:
        example = texts[int(np.argmax(dup.to_numpy()))]
        warn(
            f"{n} texts are duplicates of earlier ones (e.g. {example[:60]!r}); they are kept as "
            "separate points and embedded once")
    return n


def check_matrix(x, *, n: int | None, name: str, ncols: int | None = None) -> np.ndarray:
    """Return a finite float32 2-D array with ``n`` rows (and ``ncols`` columns), or raise."""
    try:
        arr = np.asarray(x, dtype=np.float32)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{name} must be a numeric array: {e}") from None
    if arr.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n x d), got shape {arr.shape}")
    if n is not None and arr.shape[0] != n:
        raise ValueError(f"{name} has {arr.shape[0]} rows but there are {n} texts")
    if ncols is not None and arr.shape[1] != ncols:
        raise ValueError(f"{name} must have {ncols} columns, got shape {arr.shape}")
    if arr.shape[1] == 0:
        raise ValueError(f"{name} has no columns")
    finite = np.isfinite(arr).all(axis=1)
    if not finite.all():
        raise ValueError(f"{name} holds NaN or inf in rows {_positions(~finite)}")
    return np.ascontiguousarray(arr)


def check_polygon(polygon) -> np.ndarray:
    """Return a k x 2 float64 vertex array (k >= 3, finite), or raise."""
    try:
        arr = np.asarray(polygon, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError("polygon must be a sequence of (x, y) vertices") from None
    if arr.ndim != 2 or arr.shape[1] != 2:
        raise ValueError(f"polygon must be a sequence of (x, y) vertices, got shape {arr.shape}")
    if len(arr) > 1 and np.array_equal(arr[0], arr[-1]):
        arr = arr[:-1]  # a closed ring repeats its first vertex
    if len(arr) < 3:
        raise ValueError(f"polygon needs at least 3 vertices, got {len(arr)}")
    if not np.isfinite(arr).all():
        raise ValueError("polygon vertices must be finite numbers")
    return arr


def check_label(label) -> str:
    """A label name is a non-empty string (numbers are accepted and turned into strings)."""
    if isinstance(label, (bool, np.bool_)) or label is None:
        raise TypeError(f"a label must be a non-empty string, got {label!r} (use .clear() to unlabel)")
    if isinstance(label, (int, float, np.integer, np.floating)):
        if isinstance(label, (float, np.floating)) and not np.isfinite(label):
            raise TypeError(f"a label must be a non-empty string, got {label!r} (use .clear() to unlabel)")
        label = str(label)
    if not isinstance(label, str):
        raise TypeError(f"a label must be a non-empty string, got {type(label).__name__}")
    if not label.strip():
        raise ValueError("a label must be a non-empty string, got an empty or blank one")
    return label


def resolve_indices(indices, n: int, index: pd.Index | None = None) -> np.ndarray:
    """Turn what a user passes as 'which points' into sorted unique int64 positions.

    - a boolean mask (array or Series) of length n: the True positions;
    - a ``pd.Index`` (e.g. ``df.index[df.text.str.contains("rain")]``): looked up in ``index``;
    - otherwise integer positions 0..n-1 (negative ones count from the end, like numpy).

    >>> resolve_indices([3, 1, 1], 5).tolist()
    [1, 3]
    >>> resolve_indices([True, False, True], 3).tolist()
    [0, 2]
    """
    if isinstance(indices, (int, np.integer)) and not isinstance(indices, bool):
        indices = [indices]
    if isinstance(indices, pd.Index):
        if index is None:
            index = pd.RangeIndex(n)
        pos = index.get_indexer(indices)
        if (pos < 0).any():
            missing = indices[pos < 0][:_SHOW].tolist()
            raise KeyError(f"unknown index labels: {missing}")
        return _sorted_unique(pos.astype(np.int64), n)
    if isinstance(indices, pd.Series):
        indices = indices.to_numpy()
    arr = np.asarray(indices)
    if arr.dtype == bool:
        if arr.shape != (n,):
            raise ValueError(f"a boolean mask must have length {n}, got shape {arr.shape}")
        return np.flatnonzero(arr).astype(np.int64)
    if arr.size == 0:
        return np.empty(0, dtype=np.int64)
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and np.all(np.mod(arr, 1) == 0):
            arr = arr.astype(np.int64)
        else:
            raise TypeError(f"indices must be integer positions or a boolean mask, got dtype {arr.dtype}")
    arr = arr.astype(np.int64).ravel()
    bad = (arr < -n) | (arr >= n)
    if bad.any():
        shown = arr[bad][:_SHOW].tolist()
        raise IndexError(f"unknown point indices {shown}: there are {n} points (0..{n - 1})")
    arr = np.where(arr < 0, arr + n, arr)
    return _sorted_unique(arr, n)


def _sorted_unique(arr: np.ndarray, n: int) -> np.ndarray:
    """np.unique of positions in [0, n): none when already strictly increasing (a selection from the
    map is), a mask when they are many (O(n), no sort: a 5M-point selection in tens of ms)."""
    if arr.size < 2 or bool(np.all(arr[1:] > arr[:-1])):
        return arr
    if arr.size * 16 >= n:
        mask = np.zeros(n, dtype=bool)
        mask[arr] = True
        return np.flatnonzero(mask).astype(np.int64)
    return np.unique(arr)


def check_labels(labels, n: int) -> np.ndarray:
    """User labels -> object array of str/None (missing and blank values are unlabeled)."""
    values = labels.to_numpy(dtype=object) if isinstance(labels, (pd.Series, pd.Index)) else np.asarray(
        list(labels), dtype=object)
    if values.shape != (n,):
        raise ValueError(f"labels has {values.size} entries but there are {n} texts")
    missing = pd.isna(values)
    out = np.array([None if m else str(v) for v, m in zip(values, missing)], dtype=object)
    blank = np.array([v is not None and not v.strip() for v in out], dtype=bool)
    if blank.any():
        warn(f"{int(blank.sum())} labels are blank strings: treated as unlabeled")
        out[blank] = None
    return out


def check_frame(df, text: str, label: str | None, *, given_labels: bool = False) -> None:
    """The checks of ``Labeler.from_frame``: a DataFrame holding the named columns."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"from_frame needs a pandas DataFrame, got {type(df).__name__}")
    for name, role in ((text, "text"), (label, "label")):
        if name is not None and name not in df.columns:
            raise KeyError(f"no column {name!r} for the {role} (columns: {list(df.columns)[:10]})")
    if label is not None and given_labels:
        raise TypeError("give initial labels either as label= (a column) or labels=, not both")


def frame_extra(df: pd.DataFrame, text: str, label: str | None) -> pd.DataFrame:
    """The columns ``from_frame`` keeps for ``to_frame``: all but the text and label columns and
    those ``to_frame`` makes itself. ``x``/``y`` (a ``to_frame()`` output's map) are dropped
    silently (pass ``coords=df[["x", "y"]].to_numpy()`` to reuse them); an unused ``label``
    column is dropped with a warning that suggests ``label="label"``.

    >>> list(frame_extra(pd.DataFrame({"text": ["a"], "x": [0.], "y": [1.], "n": [3]}), "text", None).columns)
    ['n']
    """
    extra = df.drop(columns=[c for c in (text, label) if c is not None])
    if "label" in extra.columns:
        warn("the frame's 'label' column is not used as labels (to_frame() puts corral's there): "
             'pass label="label" to start from it')
    if "text" in extra.columns:
        warn(f"the frame's 'text' column is replaced by the texts of {text!r} in to_frame()")
    return extra.drop(columns=[c for c in ("text", "x", "y", "label") if c in extra.columns])
