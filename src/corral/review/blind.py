"""What a blind annotator sees: their own last label per text (undo/redo respected, a rename or
merge renaming theirs too; see :func:`corral.review.agreement.annotator_labels`), kept up to date
as operations arrive instead of recomputed from the whole history.

Each new operation costs the points it touches in the annotator's own labels: their own assign,
clear or assign_many sets them (what they had there is kept, compactly encoded, for its undo);
someone else's operation costs nothing; an undo puts back what the annotator had, a redo applies
again. One case re-applies the changes in effect instead (their points, not the history): a
targeted undo (a shared store's) of an operation that is not the last in effect to matter to the
annotator's labels (someone undoes a rename after the annotator labeled on top of it). A change
of annotator reads the history again.

>>> from corral.labels.session import LabelSession
>>> s = LabelSession(4); s.annotator = "ana"
>>> view = BlindView(s)
>>> _ = s.assign([0, 1], "x"); s.annotator = "ben"; _ = s.assign([1, 2], "y"); s.annotator = "ana"
>>> view.labels().tolist(), view.counts()
(['x', 'x', None, None], {'x': 2})
>>> _ = s.undo(); _ = s.undo(); view.labels().tolist()  # ben's, then ana's
[None, None, None, None]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from corral.labels.changes import many_labels
from corral.labels.store.codec import decode_array, decode_indices, encode_array, encode_indices

_CHANGES = ("assign", "clear", "assign_many")
_UNSET = object()


@dataclass
class _Entry:
    """A change in effect (or undone, for redo), and what it did to the annotator's labels."""

    seq: int | None
    record: dict
    touched: bytes | None = None  # encoded positions it changed in the own labels (None: it changed none)
    before: bytes | None = None  # encoded own codes there before it


class BlindView:
    """An annotator's own labels as codes + the names they used (what the map shows when ``blind``)."""

    def __init__(self, session) -> None:
        self.session = session
        self._who = _UNSET
        self._epoch = 0
        self._value_key = None

    # -- reading ----------------------------------------------------------------------------
    def current(self) -> tuple[np.ndarray, list[str]]:
        """(codes into the names, names in the session's order of first use), for the map."""
        self._catch_up()
        key = (self._epoch, self._read, len(self.session.categories))
        if key != self._value_key:
            s = self.session
            used = set(self._names[c] for c in np.unique(self._own[self._own >= 0]).tolist())
            # only the names this annotator used (others' names would anchor them too), in first-use order
            names = [name for name in s.categories if name in used] + sorted(used - set(s.categories))
            table = np.full(len(self._names) + 1, -1, dtype=np.int32)
            for code, name in enumerate(names):
                table[self._code_of[name]] = code
            self._value_key, self._value = key, (table[self._own], names)
        return self._value

    def labels(self) -> np.ndarray:
        """The annotator's own label per point (object array, None where they gave none)."""
        codes, names = self.current()
        return np.array(names + [None], dtype=object)[codes]

    def counts(self) -> dict[str, int]:
        codes, names = self.current()
        found = np.bincount(codes[codes >= 0], minlength=len(names))
        return {name: int(c) for name, c in zip(names, found) if c}

    # -- keeping up -------------------------------------------------------------------------
    def _reset(self) -> None:
        s = self.session
        self._who, self._read, self._epoch = s.annotator, 0, self._epoch + 1
        self._own = np.full(s.n, -1, dtype=np.int32)  # codes into self._names; -1 (last) for none
        self._names: list[str] = []
        self._code_of: dict[str, int] = {}
        self._done: list[_Entry] = []
        self._undone: list[_Entry] = []

    def _catch_up(self) -> None:
        s = self.session
        if self._who is _UNSET or s.annotator != self._who:
            self._reset()
        records = s.records
        while self._read < len(records):
            self._step(records[self._read])
            self._read += 1

    def _step(self, record: dict) -> None:
        op = record.get("op")
        if op in _CHANGES:
            entry = _Entry(record.get("seq"), record)
            self._apply(entry)
            self._done.append(entry)
            self._undone.clear()
        elif op in ("undo", "redo") and "target" in record:  # a shared store's: names its target
            source = self._done if op == "undo" else self._undone
            hits = [i for i, e in enumerate(source) if e.seq == record["target"]]
            if not hits:
                return
            at = hits[-1]
            entry = source.pop(at)
            if op == "redo":
                self._apply(entry)
                self._done.append(entry)
                return
            self._undone.append(entry)
            if any(e.touched is not None or e.record.get("relabel") for e in self._done[at:]):
                self._rebuild()  # not the last to matter here: the changes in effect, again in order
            else:
                self._take_back(entry)
        elif op == "undo" and self._done:
            entry = self._done.pop()
            self._take_back(entry)
            self._undone.append(entry)
        elif op == "redo" and self._undone:
            entry = self._undone.pop()
            self._apply(entry)
            self._done.append(entry)

    def _rebuild(self) -> None:
        self._own[:] = -1
        for entry in self._done:
            self._apply(entry)

    def _apply(self, entry: _Entry) -> None:
        """What ``entry``'s change does to the own labels now (it is the latest in effect)."""
        record, own = entry.record, self._own
        if record.get("relabel"):  # a rename/merge renames the annotator's labels too
            old = [self._code_of[x] for x in record["relabel"] if x in self._code_of]
            where = np.flatnonzero(np.isin(own, old)) if old else np.empty(0, dtype=np.int64)
            new = self._code(record["label"])
        elif record.get("annotator") != self._who or self._who is None or record.get("adjudicated"):
            entry.touched = entry.before = None  # someone else's vote, or nobody's
            return
        else:
            where = np.asarray(record["indices"], dtype=np.int64)
            if record.get("op") == "assign_many":
                names, which = many_labels(record)
                new = np.array([self._code(x) for x in names], dtype=np.int32)[which]
            else:
                new = self._code(record["label"]) if record.get("op") == "assign" else -1
        if where.size == 0:
            entry.touched = entry.before = None
            return
        order = np.argsort(where, kind="stable")  # encode_indices keeps any order; sorted is compact
        where = where[order]
        new = new[order] if isinstance(new, np.ndarray) else new
        entry.touched, entry.before = encode_indices(where), encode_array(own[where], "<i4")
        own[where] = new

    def _take_back(self, entry: _Entry) -> None:
        if entry.touched is not None:
            where = decode_indices(entry.touched)
            self._own[where] = decode_array(entry.before, "<i4", where.size)

    def _code(self, name: str) -> int:
        code = self._code_of.get(name)
        if code is None:
            code = self._code_of[name] = len(self._names)
            self._names.append(name)
        return code
