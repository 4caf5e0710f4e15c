"""Notebook hosts: what a map's messages weigh, and the one adapter marimo needs.

corral's map is one anywidget (one self-contained ESM bundle, CSS scoped under ``.corral-map``),
so JupyterLab, Notebook 7, VS Code and Colab display ``lab.show()`` as it is; marimo wraps it
with ``mo.ui.anywidget`` (:func:`marimo_widget`), which makes the selection reactive: a cell that
reads ``map_view.value`` re-runs when a lasso or a click changes it in the browser. Labels change
in Python (the map sends "assign", "undo", ... as custom messages and Python answers with new
``codes``), which marimo does not count as a change of the element; :func:`marimo_labels` turns
them into marimo state, so a cell that calls its getter re-runs after every label change.

Hosts limit the size of one message. The widget's first message (its state) carries the
coordinates (8 bytes a point), the label codes (4), the colour-by values when set (4) and the
selection (4 a selected point): at most :data:`BYTES_PER_POINT`. Kept under a conservative
:data:`MESSAGE_BUDGET` of 8 MiB, that is :func:`max_points` points; above it, VS Code and Colab
may refuse the map (JupyterLab, Notebook 7 and marimo take larger ones).
:func:`check_message_size` says so in a warning.

>>> import numpy as np
>>> from corral import Labeler, HashingEmbedder
>>> lab = Labeler(["rain", "jazz", "pizza"], embedder=HashingEmbedder(), coords=np.eye(3, 2))
>>> message_sizes(lab.show())["buffers"]  # 3 points x (8 coordinate + 4 code bytes)
36
>>> max_points()
419430
"""

from __future__ import annotations

import json
import warnings
import weakref

MESSAGE_BUDGET = 8 * 1024 * 1024  # bytes in one message: conservative for VS Code and Colab
BYTES_PER_POINT = 8 + 4 + 4 + 4  # coords, codes, values, selection (worst case: all selected)


class LargeMessageWarning(UserWarning):
    """A widget's state is above :data:`MESSAGE_BUDGET` (some hosts may not display it)."""


def message_sizes(widget) -> dict:
    """Bytes of the widget's state message as ipywidgets sends it: ``{"json", "buffers",
    "largest_buffer", "total"}`` (binary traits travel as buffers beside the JSON)."""
    from ipywidgets.widgets.widget import _remove_buffers

    state = {k: v for k, v in widget.get_state().items() if k not in ("_esm", "_css")}
    state, _paths, buffers = _remove_buffers(state)
    sizes = [memoryview(b).nbytes for b in buffers]
    text = len(json.dumps(state, default=str).encode("utf-8"))
    return {"json": text, "buffers": sum(sizes), "largest_buffer": max(sizes, default=0),
            "total": text + sum(sizes)}


def max_points(budget: int = MESSAGE_BUDGET) -> int:
    """The most points whose map state fits in ``budget`` bytes whatever is selected or coloured."""
    return budget // BYTES_PER_POINT


def check_message_size(widget, budget: int = MESSAGE_BUDGET) -> int:
    """The widget's state size in bytes; warns (:class:`LargeMessageWarning`) above ``budget``."""
    total = message_sizes(widget)["total"]
    if total > budget:
        warnings.warn(
            f"this map's state is {total / 2**20:.1f} MiB in one message (budget {budget / 2**20:.0f} MiB, "
            f"about {max_points(budget):,} points): JupyterLab, Notebook 7 and marimo display it, VS Code "
            "and Colab may not; show a sample (lab.show() of a Labeler on fewer texts) there",
            LargeMessageWarning, stacklevel=2,
        )
    return total


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
