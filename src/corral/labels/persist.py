"""Putting a labeling session on disk: the autosave journal and the ``save``/``load`` file.

A save file is a zip holding ``corral.json`` (format, version), ``frame.json`` (texts and the
input's other columns, pandas' table schema), ``coords.npy``, ``embeddings.npy`` (when known) and
``journal.jsonl`` (the labels the session started from and every operation since, so history and
undo survive). No pickle anywhere: loading a file someone sent you runs no code.
"""

from __future__ import annotations

import base64
import fcntl
import io
import json
import os
import time
import zipfile
from pathlib import Path

import numpy as np

from corral.core.validate import warn
import pandas as pd

from corral.data.cache import digest, text_keys
from corral.labels.journal import Journal, JournalContents, JournalError, parse_journal, read_journal, to_line
from corral.core.version import VERSION
from corral.labels.session import LabelSession

SAVE_FORMAT = "corral-save"
SAVE_VERSION = 1
_open_journals: dict[str, Journal] = {}  # path -> the journal this process appends to


def fingerprint(texts: list[str]) -> str:
    """Identity of a list of texts (content and order)."""
    return digest(text_keys(texts))


def _pack_codes(codes: np.ndarray) -> str | None:
    if (codes < 0).all():
        return None
    import zlib

    return base64.b64encode(zlib.compress(codes.astype("<i4").tobytes(), 6)).decode("ascii")


def _unpack_codes(packed: str | None, n: int) -> np.ndarray:
    if packed is None:
        return np.full(n, -1, dtype=np.int32)
    import zlib

    codes = np.frombuffer(zlib.decompress(base64.b64decode(packed)), dtype="<i4").astype(np.int32)
    if codes.shape != (n,):
        raise JournalError(f"journal's initial labels cover {codes.size} points, expected {n}")
    return codes


def journal_header(session: LabelSession, texts_fingerprint: str) -> dict:
    return {
        "n": session.n,
        "fingerprint": texts_fingerprint,
        "created": time.time(),
        "corral": VERSION,
        "initial": {"categories": session.initial_categories, "codes": _pack_codes(session.initial_codes)},
    }


def initial_labels(header: dict) -> np.ndarray:
    """The labels (object array, None unlabeled) a journal's session started from."""
    initial = header.get("initial") or {}
    codes = _unpack_codes(initial.get("codes"), int(header["n"]))
    lookup = np.array(list(initial.get("categories", [])) + [None], dtype=object)
    return lookup[codes]


def _lock(journal: Journal) -> None:
    try:
        fcntl.flock(journal._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        journal.close()
        raise JournalError(f"{journal.path} is in use by another process's Labeler") from None


def _register(journal: Journal) -> Journal:
    _lock(journal)
    _open_journals[str(journal.path.resolve())] = journal
    return journal


def open_autosave(path, session: LabelSession, texts_fingerprint: str) -> tuple[Journal, JournalContents | None]:
    """Create the journal at ``path``, or resume it when it exists (same texts required)."""
    path = Path(path)
    key = str(path.resolve())
    if key in _open_journals:  # a re-run notebook cell takes the journal over from the old Labeler
        _open_journals.pop(key).close()
    if not path.exists() or path.stat().st_size == 0:
        header = journal_header(session, texts_fingerprint)
        return _register(Journal.create(path, header, session.records)), None
    contents = read_journal(path)
    header = contents.header
    if int(header.get("n", -1)) != session.n or header.get("fingerprint") != texts_fingerprint:
        raise JournalError(
            f"{path} journals other texts ({header.get('n')} points) than these ({session.n}): "
            "pass another autosave path, or the texts it was made for"
        )
    return _register(Journal.resume(path, contents)), contents


def report_skipped(path, skipped: list[str]) -> None:
    if skipped:
        warn(f"{path}: loaded every whole operation; skipped {len(skipped)} damaged line(s): "
             + "; ".join(skipped[:5]))


def write_save(path, *, frame: pd.DataFrame, coords: np.ndarray, embeddings: np.ndarray | None,
               header: dict, records: list[dict]) -> Path:
    """Write a save file atomically (a crash mid-save leaves the previous file intact)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    journal_lines = [{"format": "corral-journal", "version": 1, **header}, *records]
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        dtypes = {str(c): str(t) for c, t in frame.dtypes.items()}
        z.writestr("corral.json", json.dumps({"format": SAVE_FORMAT, "version": SAVE_VERSION, "n": len(frame),
                                              "dtypes": dtypes}))
        z.writestr("frame.json", frame.to_json(orient="table", index=True, force_ascii=False))
        _write_npy(z, "coords.npy", coords)
        if embeddings is not None:
            _write_npy(z, "embeddings.npy", embeddings)
        z.writestr("journal.jsonl", "".join(to_line(r) for r in journal_lines))
    os.replace(tmp, path)
    return path


def _restore_dtypes(frame: pd.DataFrame, dtypes: dict) -> pd.DataFrame:
    """JSON loses some dtype details (datetime resolution, categories): put them back."""
    for column, dtype in dtypes.items():
        if column in frame.columns and str(frame[column].dtype) != dtype:
            try:
                frame[column] = frame[column].astype(dtype)
            except (TypeError, ValueError):
                pass  # keep what JSON gave rather than fail the load
    return frame


def _write_npy(z: zipfile.ZipFile, name: str, array: np.ndarray) -> None:
    with z.open(name, "w", force_zip64=True) as f:
        np.save(f, np.ascontiguousarray(array, dtype=np.float32), allow_pickle=False)


def read_save(path) -> dict:
    """Read a save file into its parts: frame, coords, embeddings, journal contents."""
    path = Path(path)
    if not zipfile.is_zipfile(path):
        try:
            read_journal(path)
        except (JournalError, OSError, UnicodeDecodeError):
            raise ValueError(f"{path} is not a corral save file") from None
        raise ValueError(
            f"{path} is an autosave journal: it holds the operations, not the texts. Resume it with "
            "Labeler(texts, autosave=path) (or Labeler.from_frame(df, autosave=path))"
        )
    with zipfile.ZipFile(path) as z:
        meta = json.loads(z.read("corral.json"))
        if meta.get("format") != SAVE_FORMAT or meta.get("version") != SAVE_VERSION:
            raise ValueError(f"{path}: unsupported save format {meta.get('format')} v{meta.get('version')}")
        frame = pd.read_json(io.StringIO(z.read("frame.json").decode("utf-8")), orient="table")
        frame = _restore_dtypes(frame, meta.get("dtypes", {}))
        coords = np.load(io.BytesIO(z.read("coords.npy")), allow_pickle=False)
        embeddings = (np.load(io.BytesIO(z.read("embeddings.npy")), allow_pickle=False)
                      if "embeddings.npy" in z.namelist() else None)
        contents = parse_journal(z.read("journal.jsonl"), f"{path}:journal.jsonl")
    return {"frame": frame, "coords": coords, "embeddings": embeddings, "journal": contents}


def attach_autosave(path, session: LabelSession, texts_fingerprint: str, labels_given: bool) -> LabelSession:
    """Journal ``session`` to ``path`` from now on; when ``path`` already holds a journal of these
    texts, return a new session resumed from it instead (its labels win over ``labels_given``)."""
    journal, contents = open_autosave(path, session, texts_fingerprint)
    if contents is not None:
        given = session.labels()
        session = LabelSession(session.n, initial_labels(contents.header))
        if labels_given and not np.array_equal(given, session.labels()):
            warn(f"resuming {path}: it started from other labels than labels=; the journal's are used")
        session.replay(contents.records)
        report_skipped(path, contents.skipped)
        session.resumed_from = (str(path), len(contents.records))
        print(resumed_notice(session))  # at construction, under the cell that made the Labeler
    session.attach(journal)
    return session


def resumed_notice(session: LabelSession) -> str | None:
    """'resumed N operations from <path>' (and how re-run cells are treated), or None."""
    if session.resumed_from is None:
        return None
    path, count = session.resumed_from
    text = f"corral: resumed {count:,} operation{'s' if count != 1 else ''} from {path}"
    if session.rerun is not None and session.rerun.matched:
        return text + f" ({len(session.rerun.matched)} re-run operations recognised, not applied again)"
    return text + "; re-run cells that repeat them are recognised and not applied again"


def saved_session(path, contents: JournalContents) -> LabelSession:
    """The session a save file's journal describes: its initial labels, then every operation."""
    session = LabelSession(int(contents.header["n"]), initial_labels(contents.header))
    session.replay(contents.records)
    report_skipped(path, contents.skipped)
    return session


def save_session(path, texts, index, extra: pd.DataFrame, coords, embeddings, session: LabelSession,
                 texts_fingerprint: str) -> Path:
    """What ``Labeler.save`` writes: the texts and other columns, map, embeddings and journal."""
    frame = pd.concat([pd.DataFrame({"text": texts}, index=index), extra], axis=1)
    return write_save(path, frame=frame, coords=coords, embeddings=embeddings,
                      header=journal_header(session, texts_fingerprint), records=session.records)
