"""The label store interface: an append-only table of operations plus snapshots of the codes.

One :class:`LabelStore` holds one dataset (its header: number of points, texts fingerprint, the
labels it started from). Each operation is one row with a store-wide sequence number ``seq``
(1, 2, ... with no gaps, in commit order), its time, annotator, kind and label, the points as a
compact blob (:mod:`corral.labels.store.codec`), for assign/clear the writers those points had
before (the operations whose labels they had: so undo needs no replay; the codes follow from the
writers, and stores before version 2 also kept the codes), and a CRC-32 over the whole row: a row whose check
fails is reported as damaged, never used. Snapshots hold the codes and writers at some ``seq`` so
opening costs O(points) + the rows after the snapshot.

Backends (:mod:`~corral.labels.store.sqlite`, :mod:`~corral.labels.store.postgres`) only say how
to run SQL; the SQL (parameterised only) and the row format live here.
"""

from __future__ import annotations

import json
import re
import zlib
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from corral.labels.store.codec import CodecError, decode_array, decode_indices, encode_array, encode_indices

FORMAT = "corral-store"
VERSION = 2  # 2: 4-bit arrays (codec "N"), old codes not stored; version 1 stores are read and upgraded
READS = (1, 2)
_COLUMNS = ("seq", "time", "op", "annotator", "label", "count", "target", "extra", "idx", "old", "oldw", "crc")
_PLAIN = {"seq", "time", "op", "annotator", "label", "count", "target", "indices", "old_codes", "old_writers"}


class StoreError(ValueError):
    """A store that cannot be used: damaged rows, other texts, another format, a lost connection."""


@dataclass
class Snapshot:
    seq: int
    codes: np.ndarray  # int32 per point
    writers: np.ndarray  # int64 per point: seq of the operation whose label the point has (0: initial)
    categories: list[str]


def redact(dsn: str) -> str:
    """A connection string with any password replaced by ``***``.

    >>> redact("postgresql://ana:s3cret@127.0.0.1:5432/db")
    'postgresql://ana:***@127.0.0.1:5432/db'
    >>> redact("host=127.0.0.1 password=s3cret dbname=x")
    'host=127.0.0.1 password=*** dbname=x'
    """
    out = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", str(dsn))
    out = re.sub(r"(password\s*=\s*)('[^']*'|\S+)", r"\1***", out, flags=re.I)
    return out


class Dsn:
    """A PostgreSQL connection string that never shows its password (str, repr, errors).

    >>> d = Dsn("postgresql://ana:s3cret@127.0.0.1/db"); str(d), "s3cret" in repr(d)
    ('postgresql://ana:***@127.0.0.1/db', False)
    """

    __slots__ = ("_secret",)

    def __init__(self, dsn: str) -> None:
        self._secret = str(dsn)

    def reveal(self) -> str:
        """The whole string, for the driver only."""
        return self._secret

    def __str__(self) -> str:
        return redact(self._secret)

    def __repr__(self) -> str:
        return f"Dsn({str(self)!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Dsn) and other._secret == self._secret

    def __hash__(self) -> int:
        return hash(self._secret)


def _crc(values: tuple) -> int:
    *plain, idx, old, oldw = values
    crc = zlib.crc32(json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    for blob in (idx, old, oldw):
        crc = zlib.crc32(bytes(blob) if blob is not None else b"-", crc)
    return crc


def pack(record: dict) -> tuple:
    """A record as the row values in ``_COLUMNS`` order (crc last)."""
    extra = {k: v for k, v in record.items() if k not in _PLAIN}
    idx = encode_indices(record["indices"]) if "indices" in record else None
    old = encode_array(record["old_codes"], "<i4") if "old_codes" in record else None
    oldw = encode_array(record["old_writers"], "<i8") if "old_writers" in record else None
    values = (int(record["seq"]), float(record["time"]), str(record["op"]), record.get("annotator"),
              record.get("label"), int(record.get("count", 0)), record.get("target"),
              json.dumps(extra, ensure_ascii=False, default=_jsonable), idx, old, oldw)
    return values + (_crc(values),)


def _jsonable(value):
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"cannot store a {type(value).__name__}")


def unpack(row, *, blobs: bool = True) -> dict:
    """A row back into a record; raises StoreError when its check fails."""
    row = tuple(row)
    seq = row[0]
    if blobs and _crc(row[:-1]) != (row[-1] & 0xFFFFFFFF):
        raise StoreError(f"operation {seq} in the store is damaged (its checksum does not match); "
                         "the store was changed outside corral or the disk corrupted it")
    try:
        record = {"seq": int(seq), "time": float(row[1]), "op": row[2], **json.loads(row[7])}
    except (TypeError, ValueError) as e:
        raise StoreError(f"operation {seq} in the store is damaged: {e}") from None
    for key, value in (("annotator", row[3]), ("label", row[4]), ("target", row[6])):
        if value is not None:
            record[key] = value
    record["count"] = int(row[5])
    if blobs and row[8] is not None:
        try:
            record["indices"] = decode_indices(row[8])
            if row[9] is not None:  # stores before version 2 kept the old codes too
                record["old_codes"] = decode_array(row[9], "<i4", record["indices"].size)
            if row[10] is not None:
                record["old_writers"] = decode_array(row[10], "<i8", record["indices"].size)
        except CodecError as e:
            raise StoreError(f"operation {seq} in the store is damaged: {e}") from None
    return record


class LabelStore:
    """Operations and snapshots of one dataset. Subclasses give ``_connect``-time set-up, the
    placeholder style, a write lock (:meth:`writing`) and the SQL types."""

    placeholder = "?"
    name = "store"

    # -- what a backend provides ------------------------------------------------------------
    def _execute(self, sql: str, params=()):  # -> cursor
        raise NotImplementedError

    @contextmanager
    def writing(self):
        """A write transaction that holds the store's write lock; committed durably at exit."""
        raise NotImplementedError
        yield

    def close(self) -> None:
        raise NotImplementedError

    # -- SQL shared by the backends -----------------------------------------------------------
    def _q(self, sql: str) -> str:
        return sql if self.placeholder == "?" else sql.replace("?", self.placeholder)

    def _rows(self, sql: str, params=()) -> list:
        return self._execute(self._q(sql), params).fetchall()

    def header(self) -> dict | None:
        """The dataset's header, or None for a new, empty store."""
        rows = self._rows("SELECT value FROM corral_meta WHERE key = ?", ("header",))
        if not rows:
            return None
        try:
            header = json.loads(rows[0][0])
        except ValueError:
            raise StoreError(f"{self.name}: its header is damaged") from None
        if header.get("format") != FORMAT:
            raise StoreError(f"{self.name} is not a corral label store")
        if header.get("version") not in READS:
            raise StoreError(f"{self.name} has store version {header.get('version')}; this corral reads "
                             f"{', '.join(map(str, READS))}")
        return header

    def upgrade(self, header: dict) -> dict:
        """Mark an older store as :data:`VERSION` before writing to it (an older corral then refuses
        it clearly instead of meeting blobs it cannot read); returns the header."""
        if header.get("version") == VERSION:
            return header
        header = {**header, "version": VERSION}
        with self.writing():
            self._execute(self._q("UPDATE corral_meta SET value = ? WHERE key = ?"),
                          (json.dumps(header, ensure_ascii=False), "header"))
        return header

    def create(self, header: dict) -> dict:
        """Write ``header`` unless another process already did; returns the store's header."""
        with self.writing():
            existing = self.header()
            if existing is not None:
                return existing
            header = {"format": FORMAT, "version": VERSION, **header}
            self._execute(self._q("INSERT INTO corral_meta (key, value) VALUES (?, ?)"),
                          ("header", json.dumps(header, ensure_ascii=False)))
        return header

    def head(self) -> int:
        """The last operation's ``seq`` (0 when there is none)."""
        return int(self._rows("SELECT COALESCE(MAX(seq), 0) FROM corral_ops")[0][0])

    def append(self, record: dict) -> int:
        """Add one record (inside :meth:`writing`); its ``seq`` must be :meth:`head` + 1."""
        values = pack(record)
        marks = ", ".join("?" * len(_COLUMNS))
        self._execute(self._q(f"INSERT INTO corral_ops ({', '.join(_COLUMNS)}) VALUES ({marks})"), values)
        return values[0]

    def announce(self, seq: int) -> None:
        """Tell the other kernels that operation ``seq`` is in (inside :meth:`writing`; a backend
        with notifications sends one at commit). Nothing here: they poll."""

    def listener(self):
        """A ``wait(timeout) -> bool`` that returns as soon as another kernel announces an
        operation (True) or after ``timeout`` seconds (False), with ``close()``; or None when the
        backend has no notifications (then sessions poll)."""
        return None

    def append_durably(self, record: dict) -> int:
        """Add one record with the next ``seq`` and commit it durably before returning the seq."""
        with self.writing():
            return self.append({**record, "seq": self.head() + 1})

    def records_since(self, seq: int, *, blobs: bool = True, upto: int | None = None) -> list[dict]:
        """Records after ``seq`` (up to ``upto``), oldest first; ``blobs=False`` skips the points
        (and the checksum, which comes after them: SQLite would read every blob's pages to reach it)."""
        cols = ", ".join(_COLUMNS) if blobs else ", ".join(c if c not in ("idx", "old", "oldw", "crc") else "NULL"
                                                            for c in _COLUMNS)
        sql, params = f"SELECT {cols} FROM corral_ops WHERE seq > ?", [int(seq)]
        if upto is not None:
            sql, params = sql + " AND seq <= ?", params + [int(upto)]
        rows = self._rows(sql + " ORDER BY seq", params)
        out = [unpack(r, blobs=blobs) for r in rows]
        for expected, record in enumerate(out, start=int(seq) + 1):
            if record["seq"] != expected:
                raise StoreError(f"{self.name}: operation {expected} is missing (the store was edited outside corral)")
        return out

    def record(self, seq: int) -> dict:
        """One whole record (with its points)."""
        rows = self._rows(f"SELECT {', '.join(_COLUMNS)} FROM corral_ops WHERE seq = ?", (int(seq),))
        if not rows:
            raise StoreError(f"{self.name}: operation {seq} is missing")
        return unpack(rows[0])

    def snapshot(self) -> Snapshot | None:
        """The latest snapshot, or None."""
        rows = self._rows("SELECT seq, codes, writers, categories, crc FROM corral_snapshots ORDER BY seq DESC LIMIT 1")
        if not rows:
            return None
        seq, codes, writers, categories, crc = rows[0]
        if zlib.crc32(bytes(writers), zlib.crc32(bytes(codes), zlib.crc32(categories.encode("utf-8")))) != (crc & 0xFFFFFFFF):
            raise StoreError(f"{self.name}: the snapshot at operation {seq} is damaged (checksum)")
        try:
            codes = decode_array(codes, "<i4")
            return Snapshot(int(seq), codes, decode_array(writers, "<i8", codes.size), json.loads(categories))
        except (CodecError, ValueError) as e:
            raise StoreError(f"{self.name}: the snapshot at operation {seq} is damaged: {e}") from None

    def write_snapshot(self, snap: Snapshot) -> None:
        """Store ``snap`` durably and drop older snapshots."""
        codes, writers = encode_array(snap.codes, "<i4"), encode_array(snap.writers, "<i8")
        categories = json.dumps(snap.categories, ensure_ascii=False)
        crc = zlib.crc32(writers, zlib.crc32(codes, zlib.crc32(categories.encode("utf-8"))))
        with self.writing():
            self._execute(self._q("DELETE FROM corral_snapshots WHERE seq >= ?"), (snap.seq,))
            self._execute(self._q("INSERT INTO corral_snapshots (seq, codes, writers, categories, crc) "
                                  "VALUES (?, ?, ?, ?, ?)"), (snap.seq, codes, writers, categories, crc))
            self._execute(self._q("DELETE FROM corral_snapshots WHERE seq < ?"), (snap.seq,))

    def __repr__(self) -> str:
        return f"<corral {type(self).__name__} {self.name}>"
