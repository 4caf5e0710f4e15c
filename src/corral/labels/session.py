"""LabelSession: the one source of truth for point labels, their history, undo/redo and the journal.

Labels are kept as an int32 code per point (-1 = unlabeled) plus the list of label names, so a
million points cost 4 MB and travel to the browser as one buffer. Every operation is written to the
journal (when there is one) *before* it is applied and before the call returns.

>>> s = LabelSession(4)
>>> s.assign([0, 1], "rain").count
2
>>> s.labels().tolist()
['rain', 'rain', None, None]
>>> _ = s.undo(); s.labels().tolist()
[None, None, None, None]
>>> _ = s.redo(); s.labels().tolist()
['rain', 'rain', None, None]
>>> op = s.assign_many([2, 3], ["sun", "rain"], source="suggestion")
>>> op.kind, op.count, op.source, s.labels().tolist()
('assign_many', 2, 'suggestion', ['rain', 'rain', 'sun', 'rain'])

Each operation records how it was made (``source``: "python" unless told, e.g. "lasso",
"region", "cluster", "search", "suggestion") and may carry a JSON-able ``detail`` (for
suggestions: the model and the confidences); journals written before sources existed read as
"python".
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np

from corral.core.validate import check_label
from corral.labels.changes import many_labels
from corral.labels.guidelines import guidelines_version
from corral.labels.journal import Journal
from corral.labels.rerun import CODE, RerunLedger, recognised_note

UNLABELED = -1
#: Operation kinds that change point labels (any other kind is a state key, see set_state).
LABEL_KINDS = ("assign", "assign_many", "clear", "undo", "redo")
SOURCES = ("python", "lasso", "region", "cluster", "search", "suggestion", "queue")
_LABEL_OPS = LABEL_KINDS + ("state",)


@dataclass(frozen=True)
class Operation:
    """One entry of the history. ``kind`` is assign, assign_many (a label per point), clear, undo
    or redo; for undo/redo, ``label`` and ``count`` describe the operation that was undone or
    redone (an assign_many of several labels has ``label`` None). A change of session state (see
    :meth:`LabelSession.set_state`) has the state's key as ``kind``. ``source`` says how a label
    operation was made (None for state)."""

    seq: int
    time: float  # seconds since the epoch (UTC)
    kind: str
    label: str | None
    count: int
    annotator: str | None = None
    source: str | None = None


@dataclass
class _Change:
    kind: str
    label: str | None
    indices: np.ndarray
    new_code: int | np.ndarray
    old_codes: np.ndarray


class LabelSession:
    """Labels of ``n`` points with undo/redo and an optional journal."""

    def __init__(self, n: int, labels: np.ndarray | None = None) -> None:
        self.n = int(n)
        self.codes = np.full(self.n, UNLABELED, dtype=np.int32)
        self.categories: list[str] = []
        self._code_of: dict[str, int] = {}
        if labels is not None:
            labels = np.asarray(labels, dtype=object)
            present = np.array([x is not None for x in labels], dtype=bool)
            names, inverse = np.unique(labels[present].astype(str), return_inverse=True)
            self.categories = names.tolist()
            self._code_of = {name: i for i, name in enumerate(self.categories)}
            self.codes[present] = inverse.astype(np.int32)
        self.initial_codes = self.codes.copy()
        self.initial_categories = list(self.categories)
        self.history: list[Operation] = []
        self.records: list[dict] = []  # what was journaled, one per history entry (indices as arrays)
        self.annotator: str | None = None
        self._undo: list[_Change] = []
        self._redo: list[_Change] = []
        self._journal: Journal | None = None
        self._listeners: list[Callable[[Operation], None]] = []
        self.state: dict[str, object] = {}  # journaled non-label state (regions, review progress)
        self.via = CODE  # where operations come from now ("map", "review" while a widget acts)
        self.rerun: RerunLedger | None = None  # set by replay(): see corral.labels.rerun
        self.resumed_from: tuple[str, int] | None = None  # (journal path, operations) when resumed

    # -- reading --------------------------------------------------------------------------
    def labels(self) -> np.ndarray:
        """Label name per point as an object array (None for unlabeled)."""
        lookup = np.array(self.categories + [None], dtype=object)
        return lookup[self.codes]  # code -1 picks the trailing None

    def counts(self) -> dict[str, int]:
        """Number of points per label name (labels with no points left are omitted)."""
        counts = np.bincount(self.codes[self.codes >= 0], minlength=len(self.categories))
        return {name: int(c) for name, c in zip(self.categories, counts) if c}

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    # -- changing ---------------------------------------------------------------------------
    def assign(self, indices: np.ndarray, label: str, *, source: str | None = None, detail=None,
               relabel: list[str] | None = None, adjudicated: bool = False) -> Operation:
        """Give ``label`` to the points at ``indices`` (sorted unique positions). ``relabel``: the
        label names this assign renames or merges into ``label`` (see :mod:`corral.labels.relabel`);
        ``adjudicated``: a decision over annotators' labels (see corral.review.adjudication)."""
        label = check_label(label)
        record = {"op": "assign", "label": label, "indices": indices}
        record.update({"relabel": list(relabel)} if relabel else {}, **({"adjudicated": True} if adjudicated else {}))
        return self._do(_sourced(record, source, detail))

    def assign_many(self, indices: np.ndarray, labels, *, source: str | None = None, detail=None) -> Operation:
        """Give each point at ``indices`` its own label (``labels[i]`` to ``indices[i]``) as one
        undoable operation."""
        labels = [check_label(x) for x in labels]
        if len(labels) != len(indices):
            raise ValueError(f"assign_many needs one label per index: {len(labels)} labels, {len(indices)} indices")
        names, which = np.unique(np.asarray(labels, dtype=object).astype(str), return_inverse=True)
        record = {"op": "assign_many", "indices": indices, "names": names.tolist(),
                  "which": which.astype(np.int64)}
        return self._do(_sourced(record, source, detail))

    def clear(self, indices: np.ndarray, *, source: str | None = None) -> Operation:
        """Remove the label of the points at ``indices``."""
        return self._do(_sourced({"op": "clear", "label": None, "indices": indices}, source, None))

    def undo(self) -> Operation | None:
        """Revert the last assign/clear; None when there is nothing to undo."""
        return self._do({"op": "undo"}) if self._undo else None

    def redo(self) -> Operation | None:
        """Re-apply the last undone operation; None when there is nothing to redo."""
        return self._do({"op": "redo"}) if self._redo else None

    def set_state(self, key: str, value, *, label: str | None = None, count: int = 0) -> Operation:
        """Journal and keep a JSON-able ``value`` under ``key`` (e.g. "regions", "review").

        State is not part of the label undo stack; the last value per key wins on replay.

        >>> s = LabelSession(2)
        >>> s.set_state("review", {"reviewed": [3]}, count=1).kind, s.state["review"]
        ('review', {'reviewed': [3]})
        """
        if key in _LABEL_OPS or not isinstance(key, str) or not key:
            raise ValueError(f"{key!r} cannot be a state key")
        record = {"op": "state", "key": key, "value": value, "count": int(count)}
        if label is not None:
            record["label"] = label
        return self._do(record)

    def subscribe(self, callback: Callable[[Operation], None]) -> Callable[[], None]:
        """Call ``callback(operation)`` after every change; returns a function that unsubscribes."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    # -- journal ----------------------------------------------------------------------------
    def sync(self) -> int:
        """Apply operations other processes appended to a shared store (none here: this session is
        the only writer); :class:`~corral.labels.shared.SharedSession` overrides it."""
        return 0

    def attach(self, journal: Journal | None) -> None:
        """Write every later operation to ``journal`` before applying it."""
        self._journal = journal

    def replay(self, records: list[dict]) -> None:
        """Apply journal records (without writing them again). Code-issued operations identical
        to the replayed ones are then recognised once each (see :mod:`corral.labels.rerun`)."""
        for record in records:
            self._apply(record, notify=False)
        self.rerun = RerunLedger(self.records)

    @contextmanager
    def issued_by(self, via: str):
        """Mark the operations made inside as coming from ``via`` (e.g. "map") rather than code:
        journaled with it, never taken for a re-run of the resumed history."""
        before, self.via = self.via, via
        try:
            yield
        finally:
            self.via = before

    # -- internals --------------------------------------------------------------------------
    def _do(self, record: dict) -> Operation:
        record = {"seq": len(self.history) + 1, "time": time.time(), **record}
        for key in ("indices", "which"):
            if key in record:
                record[key] = np.asarray(record[key], dtype=np.int64)
        if self.annotator is not None:
            record["annotator"] = self.annotator
        self._stamp(record)
        if self.via != CODE:
            record["via"] = self.via
        elif self.rerun is not None and (pos := self.rerun.match(record)) is not None:
            print(recognised_note(self.history[pos]))  # a notebook shows it under the cell
            return self.history[pos]
        if self._journal is not None:
            self._journal.append(record)  # durable first: a crash after this loses nothing
        return self._apply(record, notify=True)

    def _stamp(self, record: dict) -> None:
        """Record the version of the label guidelines in effect (see corral.labels.guidelines)."""
        version = guidelines_version(self)
        if version is not None:
            record["guidelines_version"] = version

    def _apply(self, record: dict, *, notify: bool) -> Operation:
        kind = record["op"]
        if kind in ("assign", "clear", "assign_many"):
            indices = np.asarray(record["indices"], dtype=np.int64)
            if indices.size and (indices.min() < 0 or indices.max() >= self.n):
                raise IndexError(f"journal record {record.get('seq')} names points outside 0..{self.n - 1}")
            if kind == "assign_many":
                names, which = many_labels(record)
                label = names[0] if len(names) == 1 else None
                code = np.array([self._code(name) for name in names], dtype=np.int32)[which]
            else:
                label = record.get("label") if kind == "assign" else None
                code = self._code(label) if label is not None else UNLABELED
            change = _Change(kind, label, indices, code, self.codes[indices].copy())
            self.codes[indices] = code
            self._undo.append(change)
            self._redo.clear()
        elif kind == "state":
            self.state[record["key"]] = record["value"]
            return self._record(record, record["key"], record.get("label"), int(record.get("count", 0)),
                                notify)
        elif kind == "undo":
            if not self._undo:
                raise ValueError("journal asks to undo with nothing to undo")
            change = self._undo.pop()
            self.codes[change.indices] = change.old_codes
            self._redo.append(change)
        elif kind == "redo":
            if not self._redo:
                raise ValueError("journal asks to redo with nothing to redo")
            change = self._redo.pop()
            self.codes[change.indices] = change.new_code
            self._undo.append(change)
        else:
            raise ValueError(f"unknown operation kind {kind!r}")
        return self._record(record, kind, change.label, int(change.indices.size), notify)

    def _record(self, record: dict, kind: str, label: str | None, count: int, notify: bool,
                kept: dict | None = None) -> Operation:
        """Add ``record`` to the history (``kept``: what to keep of it instead) and tell the listeners."""
        op = Operation(
            seq=int(record.get("seq", len(self.history) + 1)),
            time=float(record.get("time", time.time())),
            kind=kind,
            label=label,
            count=count,
            annotator=record.get("annotator"),
            source=record.get("source", "python") if kind in LABEL_KINDS else None,
        )
        self.history.append(op)
        self.records.append(record if kept is None else kept)
        if notify:
            self._notify(op)
        return op

    def _notify(self, op: Operation) -> None:
        for listener in list(self._listeners):
            listener(op)

    def _code(self, label: str) -> int:
        code = self._code_of.get(label)
        if code is None:
            code = self._code_of[label] = len(self.categories)
            self.categories.append(label)
        return code

    def history_records(self) -> list[dict]:
        """The history as plain dicts (for tables and exports)."""
        return [asdict(op) for op in self.history]


def _sourced(record: dict, source: str | None, detail) -> dict:
    if source is not None:
        if source not in SOURCES:
            raise ValueError(f"unknown label source {source!r}: one of {list(SOURCES)}")
        record["source"] = source
    if detail is not None:
        record["detail"] = detail
    return record
