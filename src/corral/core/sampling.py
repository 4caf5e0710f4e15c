"""A fixed random sample of row positions: the same rows on every run and every machine.

Used where a large input is reduced to a sample (the UMAP fitting sample, sampled HDBSCAN, the
report's drawn points): numpy's ``default_rng`` with a fixed seed gives the same positions
whatever the CPU or BLAS.

>>> fixed_sample(10, 4).tolist()
[2, 4, 5, 7]
>>> fixed_sample(3, 5).tolist()              # the whole range when the sample would not be smaller
[0, 1, 2]
"""

from __future__ import annotations

import numpy as np


def fixed_sample(n: int, size: int, seed: int = 0) -> np.ndarray:
    """``min(n, size)`` sorted positions in ``range(n)``, drawn without replacement with ``seed``."""
    if n <= size:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=size, replace=False))
