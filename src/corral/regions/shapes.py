"""Drawn regions: polygons on the map, grouped by the label they stand for.

Regions are kept apart from point labels: drawing a region labels nothing until asked
(:meth:`corral.Labeler.label_regions`). They are small (a few polygons of a few dozen vertices),
so they are stored as plain JSON in the journal and cross to the widget as a JSON trait.

>>> regions = normalize_regions({"rain": [[(0, 0), (1, 0), (0, 1)]]})
>>> regions["rain"][0].shape
(3, 2)
>>> to_json(regions)
{'rain': [[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]]}
"""

from __future__ import annotations

import numpy as np

from corral.core.validate import check_label, check_polygon

Regions = dict[str, list[np.ndarray]]


def normalize_regions(regions) -> Regions:
    """Check ``{label: [polygon, ...]}`` (a single polygon per label is accepted too) and return
    ``{label: [k x 2 float64 array, ...]}``; labels with no polygon are dropped."""
    if regions is None:
        return {}
    if not isinstance(regions, dict):
        raise TypeError(f"regions must be a dict {{label: [polygon, ...]}}, got {type(regions).__name__}")
    out: Regions = {}
    for label, polygons in regions.items():
        name = check_label(label)
        polygons = list(polygons)
        if polygons and np.ndim(polygons[0]) == 1:  # one polygon given as [(x, y), ...]
            polygons = [polygons]
        checked = []
        for i, polygon in enumerate(polygons):
            try:
                checked.append(check_polygon(polygon))
            except (TypeError, ValueError) as err:
                raise type(err)(f"region {i} of label {name!r}: {err}") from None
        if checked:
            out.setdefault(name, []).extend(checked)
    return out


def to_json(regions: Regions) -> dict[str, list[list[list[float]]]]:
    """Regions as plain lists (for JSON, the journal and the widget)."""
    return {label: [np.asarray(p, dtype=float).tolist() for p in polygons] for label, polygons in regions.items()}


def copy_regions(regions: Regions) -> Regions:
    """A deep copy (callers may not change the Labeler's regions in place)."""
    return {label: [p.copy() for p in polygons] for label, polygons in regions.items()}


def check_area(polygon: np.ndarray, *, name: str = "region") -> np.ndarray:
    """Refuse a polygon of zero area (all vertices on one line): it could never contain a point.

    >>> check_area(np.array([(0, 0), (1, 1), (2, 2)], dtype=float))
    Traceback (most recent call last):
    ...
    ValueError: region has zero area: its vertices all lie on one line
    """
    rel = polygon - polygon[0]
    scale = float(np.abs(rel).max())
    cross = rel[:, 0, None] * rel[None, :, 1] - rel[:, 1, None] * rel[None, :, 0]
    if scale == 0 or np.abs(cross).max() <= 1e-12 * scale * scale:
        raise ValueError(f"{name} has zero area: its vertices all lie on one line")
    return polygon


def hull_regions(X: np.ndarray, y: np.ndarray) -> dict:
    """One polygon per class: the convex hull of its points, each point grown into a tiny square
    (1e-9 of the data's extent) so every training point is strictly inside its class's hull,
    and one or two points (or points on a line) still make a polygon.

    >>> X = np.array([[0, 0], [1, 0], [0, 1], [5, 5]], dtype=float)
    >>> {k: len(v) for k, v in hull_regions(X, np.array(["a", "a", "a", "b"])).items()}
    {'a': 1, 'b': 1}
    """
    from scipy.spatial import ConvexHull

    eps = 1e-9 * max(1.0, float(np.ptp(X, axis=0).max()) if len(X) else 1.0)
    corners = np.array([(-eps, -eps), (eps, -eps), (eps, eps), (-eps, eps)])
    out = {}
    for label in np.unique(y):
        pts = (X[y == label][:, None, :] + corners[None]).reshape(-1, 2)
        hull = ConvexHull(pts)
        out[label.item() if isinstance(label, np.generic) else label] = [pts[hull.vertices]]
    return out


def central_hull(points, keep: float = 0.5) -> np.ndarray:
    """The convex hull of the ``keep`` share of ``points`` closest to their median: a polygon
    around a cluster's dense core, ignoring its stragglers (used to draw regions from code).

    >>> rng = np.random.default_rng(0)
    >>> core = central_hull(rng.normal(size=(200, 2)), keep=0.5)
    >>> core.shape[1], bool(np.abs(core).max() < 2)
    (2, True)
    """
    from scipy.spatial import ConvexHull

    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if not 0 < keep <= 1:
        raise ValueError(f"keep must be in (0, 1], got {keep}")
    distance = np.hypot(*(pts - np.median(pts, axis=0)).T)
    central = pts[distance <= np.quantile(distance, keep)]
    if len(central) < 3:
        raise ValueError(f"central_hull needs at least 3 central points, got {len(central)}")
    return check_area(central[ConvexHull(central).vertices], name="the central hull")
