"""Many polygons against many points, vectorised: the engine of :class:`corral.RegionClassifier`.

Points are bucketed by x once per call, so each polygon only looks at the points inside its
bounding box (a slice of buckets and one filter), then runs one vectorised pass per edge over those.
The loops are over polygons and edges, never over points.

>>> ps = PolygonSet([np.array([(0, 0), (2, 0), (2, 2), (0, 2)], float)], [0], n_classes=1)
>>> ps.first_inside(SortedPoints(np.array([[1.0, 1.0], [3.0, 3.0]]))).tolist()
[0, 1]
"""

from __future__ import annotations

import numpy as np

from corral.core.geometry import distance_to_edges, even_odd_inside


class SortedPoints:
    """Points bucketed by x (a radix sort on 4,096 bins, linear time), to find those in a box."""

    BINS = 4096

    def __init__(self, X: np.ndarray) -> None:
        self.n = len(X)
        self.x = np.ascontiguousarray(X[:, 0], dtype=np.float64)
        self.y = np.ascontiguousarray(X[:, 1], dtype=np.float64)
        self.x_min = float(self.x.min()) if self.n else 0.0
        self.x_max = float(self.x.max()) if self.n else 0.0
        span = self.x_max - self.x_min
        self.scale = self.BINS / span if span > 0 else 0.0
        bins = self._bin(self.x)
        self.order = np.argsort(bins.astype(np.uint16), kind="stable")  # a radix sort for 16-bit keys
        self.starts = np.concatenate([[0], np.cumsum(np.bincount(bins, minlength=self.BINS))])

    def _bin(self, x):
        return np.clip(((np.asarray(x) - self.x_min) * self.scale).astype(np.intp), 0, self.BINS - 1)

    def in_box(self, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        if not self.n or hi[0] < self.x_min or lo[0] > self.x_max:
            return np.empty(0, dtype=np.intp)
        cand = self.order[self.starts[self._bin(lo[0])]:self.starts[self._bin(hi[0]) + 1]]
        xs, ys = self.x[cand], self.y[cand]
        return cand[(xs >= lo[0]) & (xs <= hi[0]) & (ys >= lo[1]) & (ys <= hi[1])]


class PolygonSet:
    """Polygons, each standing for one class (an index ``0 .. n_classes - 1``)."""

    def __init__(self, polygons: list[np.ndarray], classes: list[int], n_classes: int) -> None:
        self.polygons = [np.asarray(p, dtype=np.float64) for p in polygons]
        self.classes = np.asarray(classes, dtype=np.intp)
        self.n_classes = n_classes
        self.lo = np.array([p.min(axis=0) for p in self.polygons]).reshape(-1, 2)
        self.hi = np.array([p.max(axis=0) for p in self.polygons]).reshape(-1, 2)

    def _hits(self, points: SortedPoints):
        for poly, cls, lo, hi in zip(self.polygons, self.classes, self.lo, self.hi):
            cand = points.in_box(lo, hi)
            if cand.size:
                yield cls, cand[even_odd_inside(points.x[cand], points.y[cand], poly)]

    def first_inside(self, points: SortedPoints) -> np.ndarray:
        """Per point, the smallest class index of a polygon containing it (``n_classes`` if none)."""
        first = np.full(points.n, self.n_classes, dtype=np.intp)
        for cls, idx in self._hits(points):
            first[idx] = np.minimum(first[idx], cls)  # indices are unique within one polygon
        return first

    def inside(self, points: SortedPoints) -> np.ndarray:
        """Boolean (n, n_classes): whether each point is inside some polygon of each class."""
        out = np.zeros((points.n, self.n_classes), dtype=bool)
        for cls, idx in self._hits(points):
            out[idx, cls] = True
        return out

    def falloff(self, points: SortedPoints, outside: np.ndarray, radius: float):
        """The points of ``outside`` (a boolean mask) within ``radius`` of some polygon, as
        ``(positions, weights)``: weights (len(positions), n_classes) in [0, 1] are, per class, the
        largest ``(1 - (d / radius)**2)**2`` over its polygons, ``d`` the distance to the
        polygon's edges (0 beyond ``radius``). Points farther from every polygon are left out."""
        if radius <= 0:
            return np.empty(0, dtype=np.intp), np.zeros((0, self.n_classes))
        nearby = []
        for lo, hi in zip(self.lo, self.hi):
            near = points.in_box(lo - radius, hi + radius)
            nearby.append(near[outside[near]])
        near_any = np.zeros(points.n, dtype=bool)
        for near in nearby:
            near_any[near] = True
        positions = np.flatnonzero(near_any)
        slot = np.full(points.n, -1, dtype=np.intp)
        slot[positions] = np.arange(len(positions))
        weights = np.zeros((len(positions), self.n_classes))
        for poly, cls, near in zip(self.polygons, self.classes, nearby):
            if not near.size:
                continue
            d = distance_to_edges(points.x[near], points.y[near], poly)
            w = np.clip(1.0 - (d / radius) ** 2, 0.0, None) ** 2
            rows = slot[near]
            weights[rows, cls] = np.maximum(weights[rows, cls], w)
        return positions, weights
