"""What ``Labeler.show(color_by=...)`` colours the map by: one float per point, checked and aligned.

A pandas Series is aligned on the Labeler's index (by label, so a reordered Series still lands on
the right points); anything else is taken in point order. NaN means "no value" (drawn grey).

>>> import numpy as np, pandas as pd
>>> color_values([0.5, 1, np.nan], 3, pd.RangeIndex(3))
(array([0.5, 1. , nan], dtype=float32), 'values')
>>> color_values(pd.Series([2.0, 1.0], index=["b", "a"], name="doubt"), 2, pd.Index(["a", "b"]))
(array([1., 2.], dtype=float32), 'doubt')
>>> color_values(None, 3, pd.RangeIndex(3))
(array([], dtype=float32), '')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_LABEL = "values"


def color_values(color_by, n: int, index: pd.Index, label: str | None = None) -> tuple[np.ndarray, str]:
    """``color_by`` -> (float32 value per point, or empty for none; the legend's title)."""
    if color_by is None:
        return np.empty(0, dtype=np.float32), ""
    if isinstance(color_by, pd.DataFrame):
        raise TypeError("color_by takes one value per point (an array or a Series), not a DataFrame")
    name = label if label is not None else getattr(color_by, "name", None)
    if isinstance(color_by, pd.Series):
        if not color_by.index.is_unique:
            raise ValueError("color_by: the Series' index has duplicate labels")
        missing = index.difference(color_by.index)
        if len(missing):
            raise ValueError(f"color_by: no value for {len(missing)} of the texts (e.g. index {missing[0]!r})")
        color_by = color_by.reindex(index)
    arr = np.asarray(color_by)
    if arr.ndim != 1 or len(arr) != n:
        raise ValueError(f"color_by must hold one value per text ({n}), got shape {arr.shape}")
    if arr.dtype == bool or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == object):
        raise TypeError(f"color_by must be numbers, got dtype {arr.dtype}")
    try:
        values = arr.astype(np.float32)
    except (TypeError, ValueError):
        raise TypeError("color_by must be numbers (some values are not)") from None
    if not np.isfinite(values).any():
        raise ValueError("color_by has no finite value to colour by")
    return values, str(name) if name is not None else DEFAULT_LABEL
