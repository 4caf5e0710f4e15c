"""An append-only, crash-safe journal of labeling operations (JSON Lines on disk).

The first line is a header (format, version, number of points, a fingerprint of the texts and the
labels the session started from); every later line is one operation. Each line is written, flushed
and fsync'ed before :meth:`Journal.append` returns, so a killed process loses nothing it reported
as done. Reading tolerates a torn last line (a write cut off by a crash) and any line that is not
whole JSON: it loads what is whole and reports what it skipped.

>>> import tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "labels.journal")
>>> j = Journal.create(path, {"n": 3})
>>> j.append({"op": "assign", "label": "a", "indices": [0, 2]})
>>> j.close()
>>> contents = read_journal(path)
>>> contents.header["n"], [r["op"] for r in contents.records], contents.skipped
(3, ['assign'], [])
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

FORMAT = "corral-journal"
VERSION = 1


class JournalError(ValueError):
    """A journal that cannot be used (not a journal, another format version, other texts)."""


@dataclass
class JournalContents:
    header: dict
    records: list[dict]
    skipped: list[str] = field(default_factory=list)  # one reason per skipped line
    valid_bytes: int = 0  # length of the file up to the end of its last whole line


def _jsonable(value):
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        return value.tolist()
    raise TypeError(f"cannot journal a {type(value).__name__}")


def to_line(record: dict) -> str:
    """One record as a JSON line (numpy arrays become lists)."""
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False, default=_jsonable) + "\n"


def _line(record: dict) -> bytes:
    return to_line(record).encode("utf-8")


def read_journal(path: str | os.PathLike) -> JournalContents:
    """Read a journal, keeping every whole record and listing what was skipped."""
    return parse_journal(Path(path).read_bytes(), path)


def parse_journal(data: bytes, path: str | os.PathLike = "journal") -> JournalContents:
    """Parse a journal's bytes (see :func:`read_journal`)."""
    if not data:
        raise JournalError(f"{path} is empty: not a corral journal")
    lines = data.split(b"\n")
    torn = lines.pop()  # after the last newline: b"" when the file ends cleanly
    try:
        header = json.loads(lines[0]) if lines else None
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise JournalError(f"{path} is not a corral journal (its first line is not a corral header)")
    if header.get("version") != VERSION:
        raise JournalError(f"{path} has journal version {header.get('version')}; this corral reads {VERSION}")
    records, skipped = [], []
    for number, raw in enumerate(lines[1:], start=2):
        try:
            record = json.loads(raw)
            if not isinstance(record, dict) or "op" not in record:
                raise ValueError("not an operation")
        except ValueError:
            skipped.append(f"line {number}: not a whole record ({len(raw)} bytes)")
            continue
        records.append(record)
    if torn:
        skipped.append(f"line {len(lines) + 1}: cut off mid-write ({len(torn)} bytes)")
    return JournalContents(header, records, skipped, valid_bytes=len(data) - len(torn))


class Journal:
    """An open journal file that operations are appended to."""

    def __init__(self, path: str | os.PathLike, file) -> None:
        self.path = Path(path)
        self._file = file

    @classmethod
    def create(cls, path: str | os.PathLike, header: dict, records: list[dict] = ()) -> "Journal":
        """Write a new journal holding ``header`` and ``records`` (atomically); open it for appending."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(_line({"format": FORMAT, "version": VERSION, **header}))
            for record in records:
                f.write(_line(record))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
        return cls(path, open(path, "ab"))

    @classmethod
    def resume(cls, path: str | os.PathLike, contents: JournalContents) -> "Journal":
        """Open an existing journal for appending, cutting off a torn last line first."""
        f = open(path, "r+b")
        f.truncate(contents.valid_bytes)
        f.seek(0, os.SEEK_END)
        return cls(path, f)

    def append(self, record: dict) -> None:
        """Write one record and make it durable before returning."""
        if self._file.closed:
            raise JournalError(
                f"{self.path} was closed or taken over by a newer Labeler on the same path; "
                "label with that one (or give this one another autosave path)"
            )
        self._file.write(_line(record))
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()

    def __del__(self) -> None:  # pragma: no cover - best effort
        try:
            self.close()
        except Exception:
            pass


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
