"""The label changes in effect after undo/redo, read from a session's records in order.

An undo takes back the last change still in effect, a redo puts back the last one undone, and a
new change drops what could be redone: exactly :class:`~corral.labels.session.LabelSession`'s rules.

>>> records = [{"op": "assign", "indices": [0, 1], "label": "x", "annotator": "ana", "time": 1.0},
...            {"op": "clear", "indices": [1], "annotator": "ben", "time": 2.0},
...            {"op": "undo", "time": 3.0}, {"op": "redo", "time": 4.0}]
>>> [(c.kind, c.label, c.indices.tolist(), c.annotator, c.time) for c in effective_changes(records)]
[('assign', 'x', [0, 1], 'ana', 1.0), ('clear', None, [1], 'ben', 4.0)]
>>> many = effective_changes([{"op": "assign_many", "indices": [0, 2], "names": ["a", "b"], "which": [1, 0],
...                            "source": "suggestion"}])[0]
>>> many.point_labels().tolist(), many.source
(['b', 'a'], 'suggestion')
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np


@dataclass(frozen=True, eq=False)  # holds arrays: compared by identity
class Change:
    """One assign, assign_many or clear in effect: who made it, how (``source``), and when it last
    took effect (a redo's time)."""

    kind: str
    label: str | None
    indices: np.ndarray
    annotator: str | None
    time: float
    source: str = "python"
    names: tuple = ()  # assign_many: the label names ``which`` points into
    which: np.ndarray | None = None
    detail: dict | None = None  # e.g. a suggestion's model and per-point confidences
    seq: int | None = None  # the store sequence (shared stores: an undo names its target)
    relabel: tuple[str, ...] = ()  # a rename/merge: the old names (see corral.labels.relabel)
    guidelines_version: int | None = None  # the label guidelines' version when it was made
    adjudicated: bool = False  # a decision over the annotators' labels (nobody's vote)

    def point_labels(self) -> np.ndarray:
        """The label each of ``indices`` got (object array; None for a clear)."""
        if self.kind == "assign_many":
            return np.array(self.names, dtype=object)[self.which]
        return np.full(self.indices.size, self.label, dtype=object)


def many_labels(record: dict) -> tuple[list[str], np.ndarray]:
    """An assign_many record's label names and, per point, which of them it gets (checked: one
    per point, each naming one of the names). The one reader of that encoding.

    >>> many_labels({"op": "assign_many", "indices": [4, 9], "names": ["a", "b"], "which": [1, 0]})
    (['a', 'b'], array([1, 0]))
    """
    names = [str(x) for x in record["names"]]
    which = np.asarray(record["which"], dtype=np.int64)
    if which.shape != np.shape(record["indices"]) or (which.size and (which.min() < 0 or which.max() >= len(names))):
        raise ValueError(f"record {record.get('seq')}: its labels do not match its points")
    return names, which


def _change(record: dict, op: str) -> Change:
    names, which = many_labels(record) if op == "assign_many" else ((), None)
    return Change(op, record.get("label") if op == "assign" else None, np.asarray(record["indices"], dtype=np.int64),
                  record.get("annotator"), float(record.get("time", np.nan)), record.get("source", "python"),
                  tuple(names), which,
                  record.get("detail") if isinstance(record.get("detail"), dict) else None, record.get("seq"),
                  tuple(record.get("relabel") or ()), record.get("guidelines_version"),
                  bool(record.get("adjudicated", False)))


def effective_changes(records) -> list[Change]:
    """The assign/assign_many/clear changes still in effect, oldest first (state records are skipped)."""
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
        elif op in ("assign", "clear", "assign_many"):
            done.append(_change(record, op))
            undone.clear()
        elif op == "undo" and done:
            undone.append(done.pop())
        elif op == "redo" and undone:
            change = undone.pop()
            done.append(replace(change, time=float(record.get("time", change.time))))
    return done


def history_table(session):
    """A session's history as a DataFrame: seq, time (UTC), kind, label, count, annotator, source."""
    import pandas as pd

    frame = pd.DataFrame(session.history_records(),
                         columns=["seq", "time", "kind", "label", "count", "annotator", "source"])
    frame["time"] = pd.to_datetime(frame["time"], unit="s", utc=True)
    return frame
