"""Drawn regions kept in a labeling session: read, replace, and label the points they cover.

The session stores regions as journaled JSON state ``"regions"`` (so they survive autosave resume
and ``save``/``load``); these functions are what :class:`corral.Labeler` forwards to.

>>> import numpy as np
>>> from corral.labels.session import LabelSession
>>> session = LabelSession(3)
>>> set_regions(session, {"a": [[(0, 0), (2, 0), (2, 2), (0, 2)]]})
>>> sorted(read_regions(session))
['a']
>>> {k: v.tolist() for k, v in label_regions(session, np.array([[1, 1], [5, 5], [1.5, .5]])).items()}
{'a': [0, 2]}
"""

from __future__ import annotations

import numpy as np

from corral.regions.shapes import Regions, copy_regions, normalize_regions, to_json

STATE = "regions"


def read_regions(session) -> Regions:
    """The session's drawn regions as ``{label: [k x 2 polygon, ...]}`` (a copy)."""
    return copy_regions(normalize_regions(session.state.get(STATE)))


def set_regions(session, regions) -> None:
    """Replace every drawn region (checked, then journaled as one state change)."""
    checked = normalize_regions(regions)
    session.set_state(STATE, to_json(checked), count=sum(len(p) for p in checked.values()))


def label_regions(session, coords: np.ndarray, labels=None) -> dict[str, np.ndarray]:
    """Label the points inside the drawn regions with their region's label: one journaled,
    undoable operation per label. ``labels`` picks some region labels (default: all). Where
    regions of several chosen labels overlap, a point gets the first of them in sorted order (as
    the region classifier predicts); regions not chosen take no part. Returns ``{label: positions}``."""
    from corral.regions.pipeline import region_training_set

    regions = read_regions(session)
    if not regions:
        raise ValueError("no regions drawn yet: draw some on the map or set labeler.regions")
    chosen = list(regions) if labels is None else [labels] if isinstance(labels, str) else list(labels)
    missing = [name for name in chosen if name not in regions]
    if missing:
        raise KeyError(f"no region has the label(s) {missing}; drawn: {sorted(regions)}")
    idx, y = region_training_set({name: regions[name] for name in chosen}, coords)
    done = {}
    for name in chosen:
        positions = idx[y == name]
        if positions.size:
            session.assign(positions, name, source="region")
        done[name] = positions
    return done
