"""Re-running a notebook on a resumed session: operations that are already in its history.

After a kernel restart, ``Run All`` first resumes the Labeler from its journal and then runs the
notebook's own labeling cells again on top of it. Applied again, they would rewrite every later
correction a person made on the map. The rule (one ledger per resumed session):

* an operation issued **from code** (``lab.assign``, ``lab.clear``, ``lab.undo``, ``lab.redo``,
  ``lab.label_region(s)``, ``lab.regions = ...``, review-session calls made from code) that is
  identical to a **code-issued operation of the resumed history not matched yet** (same kind,
  label and points, compared by a digest of the sorted positions; for state such as regions, the
  same value) is *recognised*: it is not applied or journaled again and the call returns the
  history entry it matches. The history is walked in order: assign, clear and state operations
  match the first such entry after the last match; ``undo``/``redo`` (which name no points) only
  the very next code-issued entry, so a deliberate ``lab.undo()`` after resuming still undoes;
* operations made on the map or in the review widget are never matched (nor do they match), so a
  person's lasso after the restart always applies;
* anything else (the script was edited, a new cell) is applied normally; each history entry is
  matched at most once per process, so running a cell a second time in the same kernel applies it.

>>> ledger = RerunLedger([{"op": "assign", "label": "a", "indices": [0, 1]},
...                       {"op": "assign", "label": "b", "indices": [1], "via": "map"},
...                       {"op": "undo"}])
>>> ledger.match({"op": "assign", "label": "a", "indices": [0, 1]})  # position in the history
0
>>> ledger.match({"op": "assign", "label": "b", "indices": [1]}) is None  # made on the map
True
>>> ledger.match({"op": "undo"}), ledger.match({"op": "undo"})  # matched once only
(2, None)
>>> RerunLedger([{"op": "assign", "label": "a", "indices": [0]}, {"op": "undo"}]).match({"op": "undo"}) is None
True
"""

from __future__ import annotations

import bisect
import hashlib
import json

import numpy as np

CODE = "code"  # the origin of operations issued by Python calls (not written to the journal)
_NOT_COMPARED = ("seq", "time", "annotator", "via")


def op_key(record: dict) -> str:
    """What makes two journal records the same operation: everything but when, who and from where."""
    h = hashlib.sha1()
    rest = {}
    for k, v in record.items():
        if k in _NOT_COMPARED:
            continue
        if k == "indices":
            h.update(np.ascontiguousarray(np.asarray(v, dtype="<i8")).tobytes())
        else:
            rest[k] = v
    h.update(json.dumps(rest, sort_keys=True, default=lambda v: v.tolist()).encode("utf-8"))
    return h.hexdigest()


class RerunLedger:
    """The code-issued operations of a resumed history, for :func:`match` to recognise once each."""

    def __init__(self, records: list[dict]) -> None:
        self._entries = [(pos, op_key(r)) for pos, r in enumerate(records) if r.get("via", CODE) == CODE]
        self._next = 0  # entries before this one are matched or passed over
        self._positions: dict[str, list[int]] = {}  # key -> its entries, in order
        for i, (_, key) in enumerate(self._entries):
            self._positions.setdefault(key, []).append(i)
        self.matched: list[int] = []  # history positions recognised so far

    def __len__(self) -> int:
        return len(self._entries)

    def match(self, record: dict) -> int | None:
        """The history position ``record`` repeats (and mark it matched), or None to apply it."""
        if self._next >= len(self._entries):  # every entry matched or passed over: nothing to hash
            return None
        key = op_key(record)
        if record.get("op") in ("undo", "redo"):  # only the very next entry
            found = self._next if self._entries[self._next][1] == key else None
        else:  # the first entry with this key at or after the next one
            at = self._positions.get(key, [])
            i = bisect.bisect_left(at, self._next)
            found = at[i] if i < len(at) else None
        if found is None:
            return None
        self._next = found + 1
        pos = self._entries[found][0]
        self.matched.append(pos)
        return pos


def recognised_note(op) -> str:
    """What a recognised operation prints (label names are plain text)."""
    what = op.kind if op.label is None else f"{op.kind} {op.label!r}"
    return (f"corral: operation {op.seq} ({what}, {op.count:,} points) is already in the resumed "
            "history; not applied again")
