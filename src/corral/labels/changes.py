"""The label changes in effect after undo/redo, read from a session's records in order.

An undo takes back the last change still in effect, a redo puts back the last one undone, and a
new change drops what could be redone: exactly :class:`~corral.labels.session.LabelSession`'s rules.

>>> records = [{"op": "assign", "indices": [0, 1], "label": "x", "annotator": "ana", "time": 1.0},
...            {"op": "clear", "indices": [1], "annotator": "ben", "time": 2.0},
...            {"op": "undo", "time": 3.0}, {"op": "redo", "time": 4.0}]
>>> [(c.kind, c.label, c.indices.tolist(), c.annotator, c.time) for c in effective_changes(records)]
[('assign', 'x', [0, 1], 'ana', 1.0), ('clear', None, [1], 'ben', 4.0)]
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True, eq=False)  # holds arrays: compared by identity
class Change:
    """One assign or clear in effect: who made it, and when it last took effect (a redo's time)."""

    kind: str
    label: str | None
    indices: np.ndarray
    annotator: str | None
    time: float
    seq: int | None = None
    relabel: tuple[str, ...] = ()  # a rename/merge: the old names (see corral.labels.relabel)
    guidelines_version: int | None = None  # the label guidelines' version when it was made
    adjudicated: bool = False  # a decision over the annotators' labels (nobody's vote)


def effective_changes(records) -> list[Change]:
    """The assign/clear changes still in effect, oldest first (state records are skipped)."""
    done: list[Change] = []
    undone: list[Change] = []
    for record in records:
        op = record.get("op")
        if op in ("undo", "redo") and "target" in record:  # a shared store's undo names its target
            source, sink = (done, undone) if op == "undo" else (undone, done)
            hit = [c for c in source if c.seq == record["target"]]
            if hit:
                source.remove(hit[-1])
                sink.append(hit[-1] if op == "undo" else replace(hit[-1], time=float(record.get("time", hit[-1].time))))
        elif op in ("assign", "clear"):
            done.append(Change(op, record.get("label") if op == "assign" else None,
                               np.asarray(record["indices"], dtype=np.int64), record.get("annotator"),
                               float(record.get("time", np.nan)), record.get("seq"),
                               tuple(record.get("relabel") or ()), record.get("guidelines_version"),
                               bool(record.get("adjudicated", False))))
            undone.clear()
        elif op == "undo" and done:
            undone.append(done.pop())
        elif op == "redo" and undone:
            change = undone.pop()
            done.append(replace(change, time=float(record.get("time", change.time))))
    return done
