"""The SQLite label store: one file, WAL journal mode, ``synchronous=FULL`` (a commit is on disk
before it returns), many processes at once (writers take turns through ``BEGIN IMMEDIATE``).

>>> import os, tempfile
>>> store = SQLiteStore(os.path.join(tempfile.mkdtemp(), "labels.db"))
>>> store.create({"n": 3})["n"]
3
>>> store.append_durably({"op": "assign", "time": 0.0, "label": "a", "indices": [0, 2], "count": 2})
1
>>> [(r["seq"], r["label"], r["indices"].tolist()) for r in store.records_since(0)]
[(1, 'a', [0, 2])]
>>> store.close()
"""

from __future__ import annotations

import os
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

from corral.labels.store.base import LabelStore, StoreError

SCHEMA = """
CREATE TABLE IF NOT EXISTS corral_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS corral_ops (
    seq INTEGER PRIMARY KEY, time REAL NOT NULL, op TEXT NOT NULL, annotator TEXT, label TEXT,
    count INTEGER NOT NULL, target INTEGER, extra TEXT NOT NULL, idx BLOB, old BLOB, oldw BLOB,
    crc INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS corral_snapshots (
    seq INTEGER PRIMARY KEY, codes BLOB NOT NULL, writers BLOB NOT NULL, categories TEXT NOT NULL,
    crc INTEGER NOT NULL);
"""


class SQLiteStore(LabelStore):
    """A label store in one SQLite file (created when missing)."""

    def __init__(self, path, *, timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.name = str(self.path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()  # one connection, used by the kernel and the poll thread
        try:
            self._db = sqlite3.connect(self.path, timeout=timeout, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            with self.writing():
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path} is not a usable SQLite label store: {e}") from None

    def _execute(self, sql: str, params=()):
        with self._lock:
            try:
                return self._db.execute(sql, params)
            except sqlite3.DatabaseError as e:
                raise StoreError(self._explain(e)) from None

    def _explain(self, error: sqlite3.DatabaseError, doing: str = "") -> str:
        if getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            return (f"{self.path}: the disk is full (or the store reached its size limit): nothing was "
                    "saved, the operation did not happen; free some space and do it again")
        return f"{self.path}: {doing}{error}"

    @contextmanager
    def writing(self):
        with self._lock:
            if self._db.in_transaction:  # nested: the outer one commits
                yield
                return
            self._execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.rollback()
                raise
            try:
                self._db.commit()  # WAL + synchronous=FULL: durable when this returns
            except sqlite3.DatabaseError as e:
                self._db.rollback()
                raise StoreError(self._explain(e, "could not commit: ")) from None

    def close(self) -> None:
        with self._lock:
            try:
                self._db.close()
            except sqlite3.Error:  # pragma: no cover
                pass


def is_sqlite_file(path) -> bool:
    """Whether ``path`` starts with SQLite's magic header."""
    try:
        with open(os.fspath(path), "rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False
