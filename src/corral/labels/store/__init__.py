"""The label store: where a shared labeling session keeps its operations (one small interface,
:class:`~corral.labels.store.base.LabelStore`, and two backends: SQLite in one file, PostgreSQL
for a team), and :func:`convert` from an autosave journal.

``autosave=`` picks the backend: a path ending in ``.journal`` (or any other file that is not
SQLite) keeps the JSONL journal; ``.db``, ``.sqlite``, ``.sqlite3`` (or an existing SQLite file)
uses SQLite; ``postgresql://...`` uses PostgreSQL.

May import: ``corral.core``, ``corral.data``, ``corral.labels``.
"""

from __future__ import annotations

from corral.labels.store.base import Dsn, LabelStore, StoreError, redact
from corral.labels.store.sqlite import SQLiteStore
from corral.labels.store.target import is_postgres, is_store_target, open_store

__all__ = ["Dsn", "LabelStore", "StoreError", "SQLiteStore", "open_store", "convert", "is_store_target",
           "is_postgres", "redact"]


def convert(journal_path, db_path) -> Path | str:
    """Copy an autosave journal (its header, every operation with its time and annotator, undo
    and redo included) into a new label store; returns ``db_path``. The journal is not changed."""
    from corral.labels.shared import import_journal

    return import_journal(journal_path, db_path)
