"""The codes operations give their points, for a shared session (see :mod:`corral.labels.shared`).

Every point has a *writer*: the operation whose label it has (0: its initial label). A point's
code follows from its writer, so the store keeps, per operation, only the writers its points had
before (what undo puts back); :func:`writer_codes` turns them into codes.
"""

from __future__ import annotations

import numpy as np

from corral.labels.changes import many_labels
from corral.labels.session import UNLABELED


def target_codes(session, record: dict, mask: np.ndarray):
    """The codes ``record`` (assign, assign_many or clear) gives its points where ``mask``."""
    if record["op"] == "assign_many":
        names, which = many_labels(record)
        return np.array([session._code(name) for name in names], dtype=np.int32)[which[mask]]
    label = record.get("label") if record["op"] == "assign" else None
    return session._code(label) if label is not None else UNLABELED


def writer_codes(session, idx: np.ndarray, writers: np.ndarray) -> np.ndarray:
    """The code each point at ``idx`` got from its writer (``writers``: seqs of ``session``'s
    history; 0: the initial labels), which is its code while that writer is its last. O(points):
    a table from writer to code, plus a look-up of the points of initial labels and assign_many."""
    writers = np.asarray(writers, dtype=np.int64)
    if writers.size == 0:
        return np.empty(0, dtype=np.int32)
    present = np.zeros(int(writers.max()) + 1, dtype=bool)
    present[writers] = True
    table = np.full(present.size, UNLABELED, dtype=np.int32)
    per_point = []
    for w in np.flatnonzero(present).tolist():
        op = session.history[w - 1] if w else None
        if op is None or op.kind == "assign_many":
            per_point.append(w)
        else:
            table[w] = target_codes(session, {"op": op.kind, "label": op.label}, np.ones(1, dtype=bool))
    out = table[writers]
    for w in per_point:
        here = np.flatnonzero(writers == w)
        if w == 0:
            initial = np.array([session._code(x) for x in session.initial_categories] + [UNLABELED], dtype=np.int32)
            out[here] = initial[session.initial_codes[idx[here]]]
        else:  # a label per point: read its points
            record = session.store.record(w)
            names, which = many_labels(record)
            codes = np.array([session._code(name) for name in names], dtype=np.int32)
            out[here] = codes[which[np.searchsorted(record["indices"], idx[here])]]
    return out
