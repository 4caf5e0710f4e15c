"""The per-point arrays of a map widget on the wire (see :data:`corral.map.protocol.ARRAYS`).

Coordinates, label codes and colour-by values are Python-side traits of the widget, never in its
state message: each view pulls them once it renders (:data:`~corral.map.protocol.MSG_PULL`), every
change reaches the views as a whole array (:data:`~corral.map.protocol.MSG_ARRAYS`) or, for a label
change, as the codes that changed (:data:`~corral.map.protocol.MSG_PATCH`); each array carries a
version so a view that missed one pulls again. Everything goes out through :func:`send`, which cuts
a message above :data:`~corral.map.protocol.CHUNK_BYTES` into frames.
"""

from __future__ import annotations

import numpy as np

from corral.map import protocol as P


def send(widget, content: dict, buffers=()) -> None:
    """``widget.send`` one message, as frames when it is large."""
    for head, parts in P.frames(content, list(buffers), P.CHUNK_BYTES):
        widget.send(head, parts)


def codes_patch(old: bytes, new: bytes) -> tuple[np.ndarray, np.ndarray] | None:
    """(indices, new codes) of the points whose code changed, or None when sending all codes is no
    larger (another length, or more than half the points changed)."""
    if len(old) != len(new) or not new:
        return None
    before, after = np.frombuffer(old, P.CODES_DTYPE), np.frombuffer(new, P.CODES_DTYPE)
    changed = np.flatnonzero(before != after)
    if 2 * changed.size > after.size:
        return None
    return changed.astype(P.INDICES_DTYPE), after[changed]


class ArraySync:
    """Serves one widget's arrays: answers pulls, sends every change to the views."""

    def __init__(self, widget) -> None:
        self.widget = widget
        self.versions = dict.fromkeys(P.ARRAYS, 1)
        widget.on_msg(self._message)
        widget.observe(self._changed, names=list(P.ARRAYS))

    def _message(self, widget, content, buffers) -> None:
        if isinstance(content, dict) and content.get("kind") == P.MSG_PULL:
            self.broadcast(P.ARRAYS, request=content.get("request"))

    def broadcast(self, names, request=None) -> None:
        """Send the arrays ``names`` whole (to every view: ones that hold them skip it by version)."""
        names = list(names)
        head = {"kind": P.MSG_ARRAYS, "request": request, "count": int(self.widget.count),
                "versions": {n: self.versions[n] for n in names}, "names": names}
        send(self.widget, head, [getattr(self.widget, n) for n in names])

    def _changed(self, change) -> None:
        name = change["name"]
        self.versions[name] += 1
        patch = codes_patch(change["old"], change["new"]) if name == P.TRAIT_CODES else None
        if patch is None:
            self.broadcast([name])
            return
        indices, codes = patch
        head = {"kind": P.MSG_PATCH, "name": name, "base": self.versions[name] - 1, "version": self.versions[name]}
        send(self.widget, head, [indices.tobytes(), codes.tobytes()])
