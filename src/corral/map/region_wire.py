"""Drawn regions and read-only outlines as they cross to the map widget (JSON, see ``_protocol``).

The Labeler keeps regions as ``{label: [k x 2 array, ...]}``; the widget wants a flat list of
``{"label", "polygon"}`` (one entry per polygon, in drawing order), and sends the same list back
when the user draws, edits or deletes one. Outlines (e.g. cluster suggestions) are
``{"name", "polygon"}`` entries the widget only shows.

>>> wire = regions_to_wire({"rain": [[(0, 0), (1, 0), (0, 1)]]})
>>> wire
[{'label': 'rain', 'polygon': [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]}]
>>> {k: len(v) for k, v in regions_from_wire(wire).items()}
{'rain': 1}
>>> check_outlines([{"name": "cluster 3", "polygon": [(0, 0), (2, 0), (1, 1)]}])[0]["name"]
'cluster 3'
"""

from __future__ import annotations

import numpy as np

from corral.core.validate import check_label, check_polygon


def regions_to_wire(regions: dict) -> list[dict]:
    """``{label: [polygon, ...]}`` -> ``[{"label", "polygon": [[x, y], ...]}, ...]``."""
    return [{"label": label, "polygon": np.asarray(p, dtype=float).tolist()}
            for label, polygons in regions.items() for p in polygons]


def regions_from_wire(wire) -> dict[str, list]:
    """The widget's list back to ``{label: [polygon, ...]}`` (labels in order of first use);
    checked by the Labeler's ``regions`` setter, so only the shape is checked here."""
    if not isinstance(wire, list):
        raise TypeError(f"regions must be a list of {{label, polygon}}, got {type(wire).__name__}")
    out: dict[str, list] = {}
    for i, entry in enumerate(wire):
        if not isinstance(entry, dict) or "label" not in entry or "polygon" not in entry:
            raise ValueError(f"region {i} must be an object with 'label' and 'polygon'")
        out.setdefault(check_label(entry["label"]), []).append(entry["polygon"])
    return out


def check_outlines(outlines) -> list[dict]:
    """Check read-only outlines: a list of ``{"name": str, "polygon": [(x, y), ...]}``.

    >>> check_outlines([{"name": "a", "polygon": [(0, 0), (1, 1)]}])
    Traceback (most recent call last):
    ...
    ValueError: outline 0 ('a'): polygon needs at least 3 vertices, got 2
    """
    if outlines is None:
        return []
    if isinstance(outlines, dict) or not hasattr(outlines, "__iter__"):
        raise TypeError(f"outlines must be a list of {{name, polygon}}, got {type(outlines).__name__}")
    out = []
    for i, entry in enumerate(outlines):
        if not isinstance(entry, dict) or "name" not in entry or "polygon" not in entry:
            raise ValueError(f"outline {i} must be a dict with 'name' and 'polygon'")
        name = str(entry["name"])
        try:
            polygon = check_polygon(entry["polygon"])
        except (TypeError, ValueError) as err:
            raise type(err)(f"outline {i} ({name!r}): {err}") from None
        out.append({"name": name, "polygon": polygon.tolist()})
    return out
