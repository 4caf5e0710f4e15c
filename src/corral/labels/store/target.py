"""Which store an ``autosave=`` target names, and opening it.

>>> is_store_target("labels.db"), is_store_target("labels.journal"), is_store_target("postgresql://u@127.0.0.1/x")
(True, False, True)
"""

from __future__ import annotations

import os
from pathlib import Path

from corral.labels.store.base import Dsn, LabelStore
from corral.labels.store.sqlite import SQLiteStore, is_sqlite_file

SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")


def is_postgres(target) -> bool:
    """Whether ``target`` is a PostgreSQL connection string."""
    if isinstance(target, Dsn):
        return True
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def is_store_target(target) -> bool:
    """Whether ``autosave=target`` means a label store (not a journal file)."""
    if is_postgres(target):
        return True
    path = Path(os.fspath(target))
    return path.suffix.lower() in SQLITE_SUFFIXES or (path.exists() and is_sqlite_file(path))


def open_store(target) -> LabelStore:
    """The store ``target`` names: a SQLite path or a ``postgresql://`` connection string."""
    if is_postgres(target):
        from corral.labels.store.postgres import PostgresStore

        return PostgresStore(target)
    return SQLiteStore(target)
