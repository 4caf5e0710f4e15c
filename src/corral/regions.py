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

from corral._validate import check_label, check_polygon

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
