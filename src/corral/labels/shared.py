"""A LabelSession on a shared label store: many kernels (and machines) label one dataset at once.

Every operation is written to the store (:mod:`corral.labels.store`) inside the store's write
lock, after first applying whatever the others wrote, and committed durably before the call
returns; so every session applies the same operations in the same order (the store's ``seq``)
and every view converges. Others' operations arrive on :meth:`SharedSession.sync` (called on
each of your operations and by a poll thread) and notify the views like your own.

The rules for several people on one store:

- **Conflicting edits: the last writer wins per text, by store sequence.** Each text remembers
  the operation whose label it has (its *writer*).
- **Undo undoes your own operations only** (yours = same ``annotator`` name; give every person
  their own name): it puts back what each text had just before your operation (or before that,
  when what it had was undone since), except on texts someone changed after your operation
  (their later edit stays). Redo re-applies it on the texts no later operation has set.
- The codes are snapshotted every ``snapshot_every`` operations, so opening reads one snapshot
  and the operations after it; the undo stack is a list of sequence numbers whose points are
  read back from the store when undone (no index arrays kept in memory).

>>> import os, tempfile
>>> from corral.labels.store.target import open_store
>>> path = os.path.join(tempfile.mkdtemp(), "labels.db")
>>> a = SharedSession.open(open_store(path), 4, {"n": 4, "fingerprint": "f"}, poll=None)
>>> b = SharedSession.open(open_store(path), 4, {"n": 4, "fingerprint": "f"}, poll=None)
>>> a.annotator, b.annotator = "ana", "ben"
>>> _ = a.assign([0, 1], "rain"); _ = b.assign([1, 2], "sun")
>>> a.sync(), a.labels().tolist()
(1, ['rain', 'sun', 'sun', None])
>>> _ = a.undo(); a.labels().tolist()  # ben's later edit of text 1 stays
[None, 'sun', 'sun', None]
>>> b.sync(), b.labels().tolist() == a.labels().tolist(), b.can_undo, b.undo().kind
(1, True, True, 'undo')
"""

from __future__ import annotations

import functools
import threading
import time
import weakref
from pathlib import Path

import numpy as np

from corral.core.validate import warn
from corral.labels import persist
from corral.labels.changes import many_labels
from corral.labels.polling import poll
from corral.labels.writers import target_codes, writer_codes
from corral.labels.session import LabelSession, Operation
from corral.labels.store.base import LabelStore, Snapshot, StoreError

_CHANGES = ("assign", "clear", "assign_many")


class _Lazy(dict):
    """A history record whose points are read from the store when asked for (not kept in RAM)."""

    def __init__(self, store: LabelStore, record: dict) -> None:
        super().__init__({k: v for k, v in record.items() if k not in ("indices", "old_codes", "old_writers")})
        self._store = store

    def __missing__(self, key):
        if key == "indices" and self.get("op") in _CHANGES:
            return self._store.record(self["seq"])["indices"]
        raise KeyError(key)


class SharedSession(LabelSession):
    """Labels of ``n`` points kept in a :class:`~corral.labels.store.base.LabelStore`."""

    snapshot_every = 50

    @classmethod
    def open(cls, store: LabelStore, n: int, header: dict, *, initial=None, poll: float | None = 0.5,
             snapshot_every: int | None = None) -> "SharedSession":
        """The session of ``store`` (created with ``header`` and ``initial`` labels when new)."""
        existing = store.header()
        if existing is None:
            if "initial" not in header:
                header = {**header, "initial": persist.journal_header(LabelSession(n, initial), "")["initial"]}
            existing = store.create(header)
        if int(existing.get("n", -1)) != n or existing.get("fingerprint") != header.get("fingerprint"):
            raise StoreError(f"{store.name} holds the labels of other texts ({existing.get('n')} points) than "
                             f"these ({n}): pass another store, or the texts it was made for")
        header = store.upgrade(existing)
        session = cls(n, persist.initial_labels(header))
        session.store = store
        if snapshot_every is not None:
            session.snapshot_every = int(snapshot_every)
        session._load()
        if poll:
            session.start_polling(poll)
        return session

    def _load(self) -> None:
        self.writers = np.zeros(self.n, dtype=np.int64)
        self.seen = 0
        self.undone: set[int] = set()  # operations undone (and not redone)
        self._stacks: dict[str, tuple[list[int], list[int]]] = {}
        self._mutex = threading.RLock()
        self._poller: threading.Thread | None = None
        self._snapper: threading.Thread | None = None
        self._stop = threading.Event()
        self.poll_error: Exception | None = None
        snap = self.store.snapshot()
        start = 0
        if snap is not None:
            if snap.codes.size != self.n:
                raise StoreError(f"{self.store.name}: its snapshot covers {snap.codes.size} points, expected {self.n}")
            start = snap.seq
            for record in self.store.records_since(0, blobs=False, upto=start):
                self._book(record, notify=False)
            self.codes, self.writers = snap.codes.astype(np.int32), snap.writers.astype(np.int64)
            self.categories = list(snap.categories)
            self._code_of = {name: i for i, name in enumerate(self.categories)}
        for record in self.store.records_since(start):
            self._effect(record)
            self._book(record, notify=False)

    # -- the rules of a shared store --------------------------------------------------------------
    @property
    def owner(self) -> str:
        return self.annotator or ""

    @property
    def can_undo(self) -> bool:
        return bool(self._stacks.get(self.owner, ([], []))[0])

    @property
    def can_redo(self) -> bool:
        return bool(self._stacks.get(self.owner, ([], []))[1])

    def undo(self) -> Operation | None:
        """Revert your own last assign/clear (None when you have nothing to undo)."""
        return self._do({"op": "undo"})

    def redo(self) -> Operation | None:
        """Re-apply your own last undone operation (None when there is none)."""
        return self._do({"op": "redo"})

    def attach(self, journal) -> None:
        raise TypeError("a shared session writes to its store; it takes no journal")

    def sync(self) -> int:
        """Apply every operation others wrote since the last sync; returns how many."""
        with self._mutex:
            new = self.store.records_since(self.seen)
            for record in new:
                self._effect(record)
                self._book(record, notify=True)
            return len(new)

    def start_polling(self, interval: float = 0.5) -> None:
        """Sync every ``interval`` seconds on a daemon thread (the map updates live); on PostgreSQL
        also as soon as another kernel's NOTIFY arrives (LISTEN; polling stays the fallback)."""
        loop = functools.partial(poll, weakref.ref(self), self._stop, interval, self.store.listener())
        self._poller = threading.Thread(target=loop, name="corral-store-poll", daemon=True)
        self._poller.start()

    def close(self) -> None:
        """Stop polling and close the store."""
        self._stop.set()
        if self._poller is not None and self._poller is not threading.current_thread():
            self._poller.join(timeout=5)
        self.settle()
        self.store.close()

    # -- internals ------------------------------------------------------------------------------
    def _do(self, record: dict) -> Operation | None:
        pending = []
        with self._mutex:
            with self.store.writing():  # the write lock: nobody appends between our read and our write
                pending = self.store.records_since(self.seen)
                for other in pending:
                    self._effect(other)
                    self._book(other, notify=False)
                record = self._complete({"seq": self.seen + 1, "time": time.time(), **record})
                if record is None:
                    return None
                self.store.append(record)
                self.store.announce(record["seq"])
            # committed and durable: now it is applied here (everyone else applies it on sync)
            for other in pending:
                self._notify(self.history[other["seq"] - 1])
            self._effect(record)
            op = self._book(record, notify=True)
            if self.snapshot_every and record["seq"] % self.snapshot_every == 0:
                self._snapshot(Snapshot(record["seq"], self.codes.copy(), self.writers.copy(), list(self.categories)))
            return op

    def _snapshot(self, snap: Snapshot) -> None:
        """Write ``snap`` on a thread, off the operation's path: the operation is already durable and
        a snapshot only shortens opening (one lost to a crash costs reading a few more operations).
        One at a time: while one is being written, the next is skipped (a later one catches up)."""
        if self._snapper is not None and self._snapper.is_alive():
            return

        def write():
            try:
                self.store.write_snapshot(snap)
            except Exception as e:  # the operations are safe; opening reads more of them
                warn(f"{self.store.name}: could not write a snapshot of the labels: {e}")
        self._snapper = threading.Thread(target=write, name="corral-store-snapshot", daemon=True)
        self._snapper.start()

    def settle(self) -> None:
        """Wait for a snapshot being written (tests, :meth:`close`)."""
        if self._snapper is not None:
            self._snapper.join()

    def _complete(self, record: dict) -> dict | None:
        if self.annotator is not None:
            record["annotator"] = self.annotator
        self._stamp(record)
        kind = record["op"]
        if kind in _CHANGES:
            if record.get("relabel"):  # a rename/merge: the texts with the old names now, inside the write lock
                record["indices"] = np.flatnonzero(np.isin(self.codes, [self._code_of[x] for x in record["relabel"]
                                                                        if x in self._code_of]))
            idx = np.asarray(record["indices"], dtype=np.int64)
            if idx.size and (idx.min() < 0 or idx.max() >= self.n):
                raise IndexError(f"indices outside 0..{self.n - 1}")
            if kind == "assign_many":  # sorted points (undo looks them up), each with its label
                _, which = many_labels({**record, "indices": idx})
                order = np.argsort(idx, kind="stable")
                idx, record["which"] = idx[order], which[order]
            record.update(indices=idx, old_writers=self.writers[idx], count=int(idx.size))  # codes follow
        elif kind in ("undo", "redo") and "target" not in record:
            stack = self._stacks.get(self.owner, ([], []))[0 if kind == "undo" else 1]
            if not stack:
                return None
            target = self.history[stack[-1] - 1]
            record.update(target=stack[-1], label=target.label, count=target.count)
        return record

    def _effect(self, record: dict) -> None:
        """Change the codes as ``record`` says (in store order; the same on every session)."""
        kind, seq = record["op"], record["seq"]
        if kind in _CHANGES:
            idx = record["indices"]
            self.codes[idx] = self._target_codes(record, np.ones(idx.size, dtype=bool))
            self.writers[idx] = seq
        elif kind in ("undo", "redo"):
            target = self.store.record(record["target"])
            idx, oldw = target["indices"], target["old_writers"]
            old = target["old_codes"] if "old_codes" in target else None
            if kind == "undo":
                mask = self.writers[idx] == target["seq"]
                idx, oldw = idx[mask], oldw[mask]
                old = old[mask] if old is not None else self._codes_by(idx, oldw)
                while idx.size:  # what the text had before may itself have been undone since: go further back
                    self.codes[idx], self.writers[idx] = old, oldw
                    undone = np.zeros(self.seen + 2, dtype=bool)  # a lookup table: O(points), not a sort
                    undone[np.fromiter(self.undone, dtype=np.int64, count=len(self.undone))] = True
                    gone = undone[oldw]
                    if not gone.any():
                        break
                    idx, w = idx[gone], oldw[gone]
                    old, oldw = np.empty(idx.size, np.int32), np.empty(idx.size, np.int64)
                    for seq_w in np.unique(w):
                        earlier, here = self.store.record(int(seq_w)), w == seq_w
                        at = np.searchsorted(earlier["indices"], idx[here])
                        oldw[here] = earlier["old_writers"][at]
                        old[here] = earlier["old_codes"][at] if "old_codes" in earlier else \
                            self._codes_by(idx[here], oldw[here])
            else:
                mask = self.writers[idx] < target["seq"]  # nobody set the text after the operation
                self.codes[idx[mask]] = self._target_codes(target, mask)
                self.writers[idx[mask]] = target["seq"]

    def _codes_by(self, idx: np.ndarray, writers: np.ndarray) -> np.ndarray:
        return writer_codes(self, idx, writers)

    def _target_codes(self, record: dict, mask: np.ndarray):
        return target_codes(self, record, mask)

    def _book(self, record: dict, *, notify: bool) -> Operation:
        """History, undo stacks and state for ``record``."""
        kind, seq = record["op"], record["seq"]
        if seq != self.seen + 1:
            raise StoreError(f"{self.store.name}: expected operation {self.seen + 1}, read {seq}")
        undo, redo = self._stacks.setdefault(record.get("annotator") or "", ([], []))
        if kind in _CHANGES:
            undo.append(seq)
            redo.clear()
        elif kind in ("undo", "redo"):  # the stacks of the target's owner (a converted journal may differ)
            undo, redo = self._stacks.setdefault(self.history[record["target"] - 1].annotator or "", ([], []))
            source, sink = (undo, redo) if kind == "undo" else (redo, undo)
            source.remove(record["target"])
            sink.append(record["target"])
            (self.undone.add if kind == "undo" else self.undone.discard)(record["target"])
        elif kind == "state":
            self.state[record["key"]] = record["value"]
            kind = record["key"]
        self.seen = seq
        return self._record(record, kind, record.get("label"), int(record.get("count", 0)), notify,
                            kept=_Lazy(self.store, record))


def attach_autosave(target, session: LabelSession, texts_fingerprint: str, labels_given: bool, *,
                    poll: float | None = 0.5) -> LabelSession:
    """``autosave=target``: a journal file (see :func:`corral.labels.persist.attach_autosave`) or a
    label store, resumed when it holds these texts' labels (its labels win over ``labels_given``)."""
    from corral.labels.store.target import is_postgres, is_store_target, open_store

    if not is_store_target(target):
        return persist.attach_autosave(target, session, texts_fingerprint, labels_given)
    store = open_store(target)
    try:
        new = store.header() is None
        shared = SharedSession.open(store, session.n, persist.journal_header(session, texts_fingerprint),
                                    poll=None)
    except BaseException:
        store.close()
        raise
    if new and session.records:  # e.g. Labeler.load(file, autosave=store): its history comes along
        _replay(shared, session.records)
    elif labels_given and not np.array_equal(session.labels(), shared.labels()):
        warn(f"resuming {store.name}: it holds other labels than labels=; the store's are used")
    shared.annotator = session.annotator
    key = (target if not isinstance(target, str) else autosave_target(target)) if is_postgres(target) \
        else str(Path(target).resolve())
    old = _polling.pop(key, lambda: None)()
    if old is not None:  # a re-run cell: the older session stops polling (it still syncs on each write)
        old._stop.set()
    if poll:
        shared.start_polling(poll)
        _polling[key] = weakref.ref(shared)
    return shared


_polling: dict = {}  # target -> the session of this process that polls it


def _replay(shared: SharedSession, records) -> None:
    """Write a journal's records (single undo stack, as LabelSession keeps it) into ``shared``."""
    done: list[int] = []
    undone: list[int] = []
    keep = shared.annotator
    for record in records:
        record = {k: v for k, v in record.items() if k != "seq"}
        record["indices"] = np.asarray(record["indices"]) if "indices" in record else None
        if record["indices"] is None:
            del record["indices"]
        shared.annotator = record.pop("annotator", None)
        if record["op"] in _CHANGES:
            op = shared._do(record)
            done.append(op.seq)
            undone.clear()
        elif record["op"] in ("undo", "redo"):
            source, sink = (done, undone) if record["op"] == "undo" else (undone, done)
            if not source:
                raise StoreError(f"the journal asks to {record['op']} with nothing to {record['op']}")
            target = source.pop()
            sink.append(target)
            shared._do({**record, "target": target, "label": shared.history[target - 1].label,
                        "count": shared.history[target - 1].count})
        else:
            shared._do(record)
    shared.annotator = keep


def import_journal(journal_path, db_path):
    """See :func:`corral.labels.store.convert`."""
    from corral.labels.journal import read_journal
    from corral.labels.store.target import open_store

    contents = read_journal(journal_path)
    store = open_store(db_path)
    try:
        if store.header() is not None:
            raise StoreError(f"{store.name} already holds labels: convert into a new store")
        header = {k: v for k, v in contents.header.items() if k not in ("format", "version")}
        shared = SharedSession.open(store, int(header["n"]), header, poll=None)
        _replay(shared, contents.records)
        persist.report_skipped(journal_path, contents.skipped)
    finally:
        store.close()
    return db_path


def autosave_target(value):
    """What ``autosave=value`` names: a Path, or a connection string whose str/repr hide the password."""
    from corral.labels.store.base import Dsn
    from corral.labels.store.target import is_postgres

    if isinstance(value, Dsn):
        return value
    return Dsn(value) if is_postgres(value) else Path(value)
