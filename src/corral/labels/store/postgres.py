"""The PostgreSQL label store (psycopg 3): a team's kernels on several machines share one
database. Writers take turns through a transaction-scoped advisory lock, so ``seq`` is gapless
and in commit order; a commit (``synchronous_commit`` on, PostgreSQL's default) is durable when
it returns. Queries are parameterised only. The connection string's password never appears in
the store's name, repr or errors (:func:`~corral.labels.store.base.redact`).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from corral.labels.store.base import Dsn, LabelStore, StoreError, redact

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS corral_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS corral_ops (seq BIGINT PRIMARY KEY, time DOUBLE PRECISION NOT NULL, "
    "op TEXT NOT NULL, annotator TEXT, label TEXT, count BIGINT NOT NULL, target BIGINT, extra TEXT NOT NULL, "
    "idx BYTEA, old BYTEA, oldw BYTEA, crc BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS corral_snapshots (seq BIGINT PRIMARY KEY, codes BYTEA NOT NULL, "
    "writers BYTEA NOT NULL, categories TEXT NOT NULL, crc BIGINT NOT NULL)",
)
# The blobs are compact already: kept out of line without the server's pglz (which halved the
# speed of a 500k-point operation for nothing). Set once, when a column does not have it yet.
EXTERNAL = (("corral_ops", "idx"), ("corral_ops", "old"), ("corral_ops", "oldw"),
            ("corral_snapshots", "codes"), ("corral_snapshots", "writers"))
_LOCK_KEY = 0x636F7272616C  # "corral": the advisory lock writers take turns with
CHANNEL = "corral_ops"  # LISTEN/NOTIFY channel: the payload is the new operation's seq, nothing else


def _psycopg():
    try:
        import psycopg
    except ImportError:
        raise ImportError("autosave='postgresql://...' needs psycopg 3: pip install 'psycopg[binary]'") from None
    return psycopg


class PostgresStore(LabelStore):
    """A label store in a PostgreSQL database (tables ``corral_meta``, ``corral_ops``,
    ``corral_snapshots``, created when missing)."""

    placeholder = "%s"

    def __init__(self, dsn, *, connect_timeout: int = 10) -> None:
        psycopg = _psycopg()
        self._dsn = dsn if isinstance(dsn, Dsn) else Dsn(dsn)
        self.name = str(self._dsn)
        self._lock = threading.RLock()
        self._errors = (psycopg.Error,)
        self._psycopg = psycopg
        try:
            self._db = psycopg.connect(self._dsn.reveal(), autocommit=True, connect_timeout=connect_timeout)
        except psycopg.Error as e:
            raise StoreError(f"cannot connect to {self.name}: {self._clean(e)}") from None
        with self.writing():
            for statement in SCHEMA:
                self._execute(statement)
            for table, column in EXTERNAL:
                rows = self._execute("SELECT attstorage FROM pg_attribute WHERE attrelid = %s::regclass "
                                     "AND attname = %s", (table, column)).fetchall()
                if rows and rows[0][0] != "e":  # names from the constant above, never from input
                    self._execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STORAGE EXTERNAL")

    def _clean(self, error) -> str:
        """An error message without the password (drivers may echo the connection string)."""
        text = redact(str(error).strip())
        secret = self._dsn.reveal()
        password = None
        if "://" in secret and "@" in secret.split("://", 1)[1]:
            userinfo = secret.split("://", 1)[1].rsplit("@", 1)[0]
            password = userinfo.split(":", 1)[1] if ":" in userinfo else None
        return text.replace(password, "***") if password else text

    def _execute(self, sql: str, params=()):
        with self._lock:
            try:
                return self._db.execute(sql, params)
            except self._errors as e:
                raise StoreError(f"{self.name}: {self._clean(e)}") from None

    @contextmanager
    def writing(self):
        with self._lock:
            if self._db.info.transaction_status != 0:  # inside one already (IDLE is 0)
                yield
                return
            try:
                with self._db.transaction():
                    self._execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
                    yield
            except self._errors as e:
                raise StoreError(f"{self.name}: could not commit: {self._clean(e)}") from None

    def announce(self, seq: int) -> None:
        self._execute("SELECT pg_notify(%s, %s)", (CHANNEL, str(int(seq))))  # sent at commit

    def listener(self) -> "_Listener | None":
        """A second connection that LISTENs on :data:`CHANNEL` (None when it cannot: sessions poll)."""
        try:
            db = self._psycopg.connect(self._dsn.reveal(), autocommit=True, connect_timeout=10)
            db.execute(f"LISTEN {CHANNEL}")
        except self._errors:
            return None
        return _Listener(db, self._errors)

    def close(self) -> None:
        with self._lock:
            try:
                self._db.close()
            except self._errors:  # pragma: no cover
                pass


class _Listener:
    """Waits for NOTIFY on :data:`CHANNEL` (see :meth:`PostgresStore.listener`)."""

    def __init__(self, db, errors) -> None:
        self._db, self._errors = db, errors

    def wait(self, timeout: float) -> bool:
        try:
            return any(True for _ in self._db.notifies(timeout=timeout, stop_after=1))
        except self._errors as e:
            raise StoreError(f"lost the notification connection: {type(e).__name__}") from None

    def close(self) -> None:
        try:
            self._db.close()
        except self._errors:  # pragma: no cover
            pass
