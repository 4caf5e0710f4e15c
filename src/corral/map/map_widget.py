"""The map widget: a WebGL scatter of the points, coloured by label, with lasso selection.

The per-point arrays (``coords``, ``codes``, ``values``) are plain traits here, kept out of the
state message: :class:`corral.map.array_wire.ArraySync` serves them to each view in frames under the
message budget, so a map of any size displays in every host.

Only state lives here (the traits of :mod:`corral.map.protocol`); the logic that decides what a label
operation does lives in :class:`corral.labels.session.LabelSession`, driven by :class:`corral.Labeler`.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from corral.map import protocol as P
from corral.map.array_wire import ArraySync

STATIC = Path(__file__).resolve().parent.parent / "static"
BUNDLE = STATIC / "widget.js"


def _bytes_from_json(value, widget):
    # Bytes set from JS arrive as a memoryview; traitlets.Bytes rejects those silently.
    return bytes(value) if value is not None else b""


def _bundle() -> Path:
    if not BUNDLE.exists():
        raise FileNotFoundError(
            f"the widget's JS bundle is missing ({BUNDLE}); build it with `make js` "
            "(or reinstall corral from a wheel, which ships it)"
        )
    return BUNDLE


class MapWidget(anywidget.AnyWidget):
    """State of one map view. Build it through :meth:`corral.Labeler.show`, not directly."""

    _esm = _bundle()

    coords = traitlets.Bytes(b"")  # not synced: pulled by each view (array_wire)
    codes = traitlets.Bytes(b"")
    categories = traitlets.List(traitlets.Unicode()).tag(sync=True)
    colors = traitlets.List(traitlets.Unicode()).tag(sync=True)
    selection = traitlets.Bytes(b"").tag(sync=True, from_json=_bytes_from_json)
    count = traitlets.Int(0).tag(sync=True)
    height = traitlets.Int(520).tag(sync=True)
    status = traitlets.Dict().tag(sync=True)
    values = traitlets.Bytes(b"")
    values_label = traitlets.Unicode("").tag(sync=True)
    regions = traitlets.List(traitlets.Dict()).tag(sync=True)
    outlines = traitlets.List(traitlets.Dict()).tag(sync=True)
    guidelines = traitlets.Dict().tag(sync=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.arrays = ArraySync(self)

    @traitlets.validate("outlines")
    def _check_outlines(self, proposal):
        # Set from Python by hand (widget.outlines = [...]): arrays become JSON lists, bad input a clear error.
        from corral.map.region_wire import check_outlines

        return check_outlines(proposal["value"])


assert set(P.TRAITS) <= set(MapWidget.class_trait_names(sync=True)), "wire contract drift"
assert set(P.ARRAYS) <= set(MapWidget.class_trait_names()) - set(MapWidget.class_trait_names(sync=True))
