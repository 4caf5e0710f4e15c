"""Keeps every map widget of one Labeler in step with it (labels, map, selection).

The Labeler decides; widgets only show. Label changes reach the widgets through the session's
subscription, selections made in any view reach the Labeler and every other view.
"""

from __future__ import annotations

import weakref

import numpy as np

from corral.map import protocol as P
from corral.map.array_wire import send
from corral.map.commands import handle, shown, status
from corral.map.region_wire import check_outlines, regions_to_wire
from corral.core.palette import colors_for
from corral.labels.session import LABEL_KINDS


class Views:
    def __init__(self, labeler) -> None:
        self._labeler = weakref.proxy(labeler)
        self.widgets: list = []
        labeler.session.subscribe(self._changed)

    def new(self, height: int = 520, values=None, values_label: str = "", outlines=None):
        from corral.map.map_widget import MapWidget

        lab = self._labeler
        values = np.empty(0, dtype=np.float32) if values is None else values
        codes, categories = shown(lab)
        widget = MapWidget(
            coords=P.encode_coords(lab.current_coords()),
            codes=P.encode_codes(codes),
            categories=categories,
            colors=label_colors(lab, categories),
            guidelines=guidelines_to_wire(lab.guidelines),
            selection=P.encode_indices(lab.selection),
            count=len(lab),
            height=height,
            status=_status(lab),
            values=P.encode_values(values),
            values_label=values_label,
            regions=regions_to_wire(lab.regions),
            outlines=check_outlines(outlines),
        )
        widget.observe(self._selected, names=P.TRAIT_SELECTION)
        widget.on_msg(self._message)
        self.widgets.append(widget)
        return widget

    def _message(self, widget, content, buffers) -> None:
        reply, reply_buffers = handle(self._labeler, content, buffers)
        if reply is not None:
            send(widget, reply, reply_buffers)


    def _changed(self, op) -> None:
        """A session operation: label ops send codes; state ops (regions, review) only what they change.
        Undo/redo state reaches every view through the ``status`` trait (no separate broadcast)."""
        if op.kind in LABEL_KINDS:
            self.labels_changed()
            return
        if op.kind == "regions":
            self.regions_changed()
        if op.kind == "guidelines":
            self.labels_changed()
        for w in self.widgets:
            w.status = _status(self._labeler)

    def regions_changed(self) -> None:
        wire = regions_to_wire(self._labeler.regions)
        for w in self.widgets:
            w.regions = wire

    def labels_changed(self) -> None:
        codes, categories = shown(self._labeler)
        colors, wire = label_colors(self._labeler, categories), guidelines_to_wire(self._labeler.guidelines)
        codes = P.encode_codes(codes)
        for w in self.widgets:
            with w.hold_sync():
                w.categories = categories
                w.colors = colors
                w.guidelines = wire
                w.codes = codes
                w.status = _status(self._labeler)

    def coords_changed(self) -> None:
        coords = P.encode_coords(self._labeler.current_coords())
        for w in self.widgets:
            with w.hold_sync():  # the full map arrives with the end of "preview" in the status
                w.coords = coords
                w.status = _status(self._labeler)

    def selection_changed(self) -> None:
        data = P.encode_indices(self._labeler.selection)
        for w in self.widgets:
            if w.selection != data:
                w.selection = data

    def _selected(self, change) -> None:
        indices = P.decode_indices(change["new"])
        if indices.size and indices[-1] >= len(self._labeler):
            return  # a stale selection from before the points changed
        self._labeler.selection = indices  # the setter tells every view


def label_colors(labeler, categories: list[str]) -> list[str]:
    """The palette's colour per label, or the label guidelines' colour where one is given."""
    rules = labeler.guidelines
    return [(rules.get(name) or {}).get("color") or c for name, c in zip(categories, colors_for(len(categories)))]


def guidelines_to_wire(rules: dict) -> dict:
    """What the label bar tooltips show per label (plain strings; the browser sets them as text)."""
    return {name: {k: g[k] for k in ("definition", "include", "exclude", "examples")} for name, g in rules.items()}


def _status(labeler) -> dict:
    """The status message's fields, as the widget's initial ``status`` trait."""
    return {k: v for k, v in status(labeler).items() if k != "kind"}
