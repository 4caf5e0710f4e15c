"""Orders for cluster review: which cluster to look at next.

- ``default_order``: most unlabeled points first (one decision labels the most points);
- ``coverage_order``: clusters spread over the map first (farthest-point order over the cluster
  centroids, starting from the one with most unlabeled points), so every class shows up early.

>>> import numpy as np
>>> centroids = {0: np.array([0., 0.]), 1: np.array([0.1, 0.]), 2: np.array([10., 0.]), 3: np.array([5., 5.])}
>>> coverage_order(centroids, first=0)
[0, 2, 3, 1]
"""

from __future__ import annotations

import numpy as np


def default_order(info) -> tuple:
    """Most unlabeled points first (then larger, then lower id): the clusters where one decision
    labels the most points come first."""
    return (-info.unlabeled, -info.size, info.id)


def coverage_order(centroids: dict, first: int) -> list[int]:
    """Cluster ids in farthest-point order over ``centroids`` ({id: point}), from ``first``: each
    next cluster is the one farthest from every cluster before it (ties: lower id)."""
    ids = sorted(centroids)
    if not ids:
        return []
    points = np.array([np.asarray(centroids[c], dtype=np.float64) for c in ids])
    picked = [ids.index(first)]
    distance = np.linalg.norm(points - points[picked[0]], axis=1)
    distance[picked[0]] = -np.inf
    while len(picked) < len(ids):
        nxt = int(np.argmax(distance))  # argmax takes the first (lowest id) of equals
        picked.append(nxt)
        distance = np.minimum(distance, np.linalg.norm(points - points[nxt], axis=1))
        distance[picked] = -np.inf
    return [ids[i] for i in picked]
