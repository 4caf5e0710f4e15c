"""Notebook hosts: what a map's messages weigh, and the one adapter marimo needs.

corral's map is one anywidget (one self-contained ESM bundle, CSS scoped under ``.corral-map``),
so JupyterLab, Notebook 7, VS Code and Colab display ``lab.show()`` as it is; marimo wraps it
with ``mo.ui.anywidget`` (:func:`marimo_widget`), which makes the selection reactive: a cell that
reads ``map_view.value`` re-runs when a lasso or a click changes it in the browser. Labels change
in Python (the map sends "assign", "undo", ... as custom messages and Python answers with the
codes that changed), which marimo does not count as a change of the element; :func:`marimo_labels` turns
them into marimo state, so a cell that calls its getter re-runs after every label change.

Hosts limit the size of one message (VS Code and Colab; JupyterLab, Notebook 7 and marimo take
larger ones), so no message of the map is above :data:`MESSAGE_BUDGET` (8 MiB), whatever the
number of points: the state message carries no per-point array (the selection is a point set of
at most n / 8 bytes), and the arrays (8 bytes a point of coordinates, 4 of label codes, 4 of
colour-by values) reach each view in frames of :data:`~corral.map.protocol.CHUNK_BYTES` (4 MiB)
at most, as do suggestion and similarity replies (see :mod:`corral.map.protocol`).
:func:`message_sizes` says what the largest one weighs; :func:`max_points` is the size of a
map whose state message (its selection bitset) would reach the budget.

>>> import numpy as np
>>> from corral import Labeler, HashingEmbedder
>>> lab = Labeler(["rain", "jazz", "pizza"], embedder=HashingEmbedder(), coords=np.eye(3, 2))
>>> message_sizes(lab.show())["arrays"]  # 3 points x (8 coordinate + 4 code bytes)
36
>>> f"{max_points():,}"
'58,720,256'
"""

from __future__ import annotations

import json
import weakref

from corral.map import protocol as P

MESSAGE_BUDGET = P.MESSAGE_BUDGET  # bytes in one message: conservative for VS Code and Colab
STATE_JSON_ROOM = 1024 * 1024  # bytes of the state message kept for its JSON (label names, regions, ...)


def _size(content: dict, buffers) -> int:
    return len(json.dumps(content, default=str).encode("utf-8")) + sum(memoryview(b).nbytes for b in buffers)


def message_sizes(widget) -> dict:
    """Bytes on the wire of a map ``widget``: ``{"state"`` (its state message: JSON and the
    selection), ``"arrays"`` (all its per-point arrays), ``"frames"`` (messages a view gets them
    in) and ``"largest"`` (the largest message a view gets, state or frame)``}``."""
    from ipywidgets.widgets.widget import _remove_buffers

    state = {k: v for k, v in widget.get_state().items() if k not in ("_esm", "_css")}
    state, _paths, buffers = _remove_buffers(state)
    arrays = [getattr(widget, name) for name in P.ARRAYS]
    head = {"kind": P.MSG_ARRAYS, "request": "r-1", "count": widget.count,
            "versions": dict.fromkeys(P.ARRAYS, 1), "names": list(P.ARRAYS)}
    frames = P.frames(head, arrays)
    state_size = _size(state, buffers)
    return {"state": state_size, "arrays": sum(len(a) for a in arrays), "frames": len(frames),
            "largest": max([state_size] + [_size(c, b) for c, b in frames])}


def max_points(budget: int = MESSAGE_BUDGET) -> int:
    """The most points whose state message (with a selection of any size) fits in ``budget`` bytes;
    the arrays go in frames whatever their size."""
    return (budget - STATE_JSON_ROOM) * 8


def marimo_widget(labeler_or_widget, **show_options):
    """The map (``Labeler``, shown with ``show_options``) or any corral anywidget, wrapped for marimo
    (``mo.ui.anywidget``). Put it as a cell's last expression; other cells read
    ``labeler.selection`` / ``labeler.labels``, or ``wrapped.value`` to re-run on each change."""
    import marimo as mo

    widget = labeler_or_widget.show(**show_options) if hasattr(labeler_or_widget, "session") else labeler_or_widget
    return mo.ui.anywidget(widget)


_UNSUBSCRIBE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # labeler -> its marimo hook


def marimo_labels(labeler):
    """A marimo state getter (``mo.state``) of ``labeler.counts``, set after every label change
    (from the map: label bar, keys, undo, review; or from Python). Bind it to a name in one cell
    (``label_counts = marimo_labels(lab)``); any other cell that calls ``label_counts()`` re-runs
    when the labels change, and can read ``lab.labels`` then. Calling it again (the cell re-ran)
    replaces the previous hook, so each Labeler drives one state."""
    import marimo as mo

    get_counts, set_counts = mo.state(labeler.counts)
    previous = _UNSUBSCRIBE.pop(labeler, None)
    if previous is not None:
        previous()
    _UNSUBSCRIBE[labeler] = labeler.session.subscribe(lambda _op: set_counts(labeler.counts))
    return get_counts
