"""Exports: the labeled data with each text's history, as CSV, parquet or JSONL.

- CSV / parquet: the index (as the first column), text, label, the input's other columns and
  ``last_annotator``, ``last_changed`` (UTC), ``n_changes`` (the labeling operations in effect
  on the text after undo/redo; labels given at construction count as none) and ``last_source``
  (how the label in effect was made: python, lasso, region, cluster, search, suggestion...;
  for a suggestion also ``last_confidence``, the model's probability of that label); once label
  guidelines were set (:mod:`corral.labels.guidelines`), ``guidelines_version``: the version the
  text's last change was made under (empty for changes made before any).
- JSONL: one line per *labeled* text, ``{"text", "label", "answer": "accept", "meta": {"id", ...}}``:
  the shape Prodigy's ``db-in`` reads for text classification; Label Studio imports the same
  lines as tasks (each key becomes ``$text``, ``$label``... in the labeling config) and Argilla's
  ``dataset.records.log(...)`` maps the ``text`` and ``label`` keys to a field and a label question
  of those names. ``meta`` holds the other columns and the history.

>>> import numpy as np, pandas as pd
>>> frame = history_frame([{"op": "assign", "indices": [1], "label": "x", "annotator": "ana", "time": 0.0}], 2)
>>> frame["last_annotator"].tolist()[1], str(frame["last_changed"][1]), frame["n_changes"].tolist()
('ana', '1970-01-01 00:00:00+00:00', [0, 1])
>>> frame["last_source"][1], bool(frame["last_source"].isna()[0])
('python', True)
>>> export_format("labels.jsonl"), export_format("out.data", "csv")
('jsonl', 'csv')
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from corral.labels.changes import effective_changes

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def export_format(path, format: str | None = None) -> str:
    """The format to write: ``format`` when given, else inferred from the file's suffix."""
    if format is not None:
        if format not in set(FORMATS.values()):
            raise ValueError(f"unknown export format {format!r}: choose from {sorted(set(FORMATS.values()))}")
        return format
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"cannot tell the export format from {str(path)!r}: use a suffix in "
                         f"{sorted(FORMATS)} or pass format=")
    return FORMATS[suffix]


def history_frame(records, n: int) -> pd.DataFrame:
    """last_annotator, last_changed (UTC), n_changes, last_source and last_confidence per point,
    from the session's records."""
    annotator = np.full(n, None, dtype=object)
    source = np.full(n, None, dtype=object)
    changed = np.full(n, np.nan)
    confidence = np.full(n, np.nan)
    count = np.zeros(n, dtype=np.int64)
    version = np.full(n, pd.NA, dtype=object)
    versioned = False
    for change in effective_changes(records):
        annotator[change.indices] = change.annotator
        source[change.indices] = change.source
        changed[change.indices] = change.time
        confidence[change.indices] = _confidences(change.detail, change.indices.size)
        count[change.indices] += 1
        version[change.indices] = pd.NA if change.guidelines_version is None else change.guidelines_version
        versioned |= change.guidelines_version is not None
    frame = pd.DataFrame({"last_annotator": annotator, "last_changed": pd.to_datetime(changed, unit="s", utc=True),
                          "n_changes": count, "last_source": source, "last_confidence": confidence})
    if versioned:  # labels given under label guidelines: which version each was given under
        frame["guidelines_version"] = pd.array(version, dtype="Int64")
    return frame


def _confidences(detail: dict | None, size: int) -> np.ndarray:
    """Per-point confidences a suggestion's detail carries (NaN for other changes)."""
    values = (detail or {}).get("confidences")
    out = np.asarray(values, dtype=np.float64) if values is not None else np.full(size, np.nan)
    return out if out.shape == (size,) else np.full(size, np.nan)


def export_frame(texts, labels, index, extra: pd.DataFrame, records) -> pd.DataFrame:
    """text, label, the other columns and the history columns, on ``index``."""
    frame = pd.DataFrame({"text": list(texts), "label": pd.Series(labels, dtype=object).where(pd.notna(labels), None)
                          .to_numpy()}, index=index)
    history = history_frame(records, len(frame)).set_axis(index)
    clash = [c for c in extra.columns if c in frame.columns or c in history.columns]
    return pd.concat([frame, extra.drop(columns=clash), history], axis=1)


def write_export(frame: pd.DataFrame, path, format: str | None = None) -> Path:
    """Write an :func:`export_frame` to ``path`` in ``format`` (or the suffix's); returns the path."""
    path = Path(path)
    kind = export_format(path, format)
    path.parent.mkdir(parents=True, exist_ok=True)
    named = frame.rename_axis(frame.index.name or "id")
    if kind == "csv":
        out = named.copy()
        out["last_changed"] = _iso_text(out["last_changed"])
        out.to_csv(path, index=True)
    elif kind == "parquet":
        try:
            import pyarrow  # noqa: F401
        except ImportError as error:
            raise ImportError("writing parquet needs pyarrow: pip install pyarrow (or export to .csv / .jsonl)") \
                from error
        named.to_parquet(path, index=True)
    else:
        _write_jsonl(named, path)
    return path


def _iso_text(times: pd.Series) -> pd.Series:
    """UTC timestamps as ``Timestamp.isoformat()`` writes them (fraction only when not zero, 6 or 9
    digits), missing ones as ""; vectorised.

    >>> _iso_text(pd.Series(pd.to_datetime([0.0, 1.5, None], unit="s", utc=True))).tolist()
    ['1970-01-01T00:00:00+00:00', '1970-01-01T00:00:01.500000+00:00', '']
    """
    known = times.notna()
    ns = (times.dt.microsecond.fillna(0) * 1000 + times.dt.nanosecond.fillna(0)).astype(np.int64)
    digits = ns.astype(str).str.zfill(9)
    fraction = np.select([ns % 1000 != 0, ns != 0], ["." + digits, "." + digits.str[:6]], "")
    text = times.dt.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "+00:00"
    return text.where(known, "")


def _write_jsonl(frame: pd.DataFrame, path: Path) -> None:
    labeled = frame[frame["label"].notna()]
    meta_columns = [c for c in labeled.columns if c not in ("text", "label")]
    with path.open("w", encoding="utf-8") as out:
        for key, row in zip(labeled.index, labeled.itertuples(index=False)):
            values = dict(zip(labeled.columns, row))
            meta = {"id": _plain(key), **{c: _plain(values[c]) for c in meta_columns}}
            line = {"text": values["text"], "label": values["label"], "answer": "accept", "meta": meta}
            out.write(json.dumps(line, ensure_ascii=False) + "\n")


def _plain(value):
    """A JSON-able value: numpy scalars as Python ones, timestamps as ISO text, missing as null."""
    if value is None or value is pd.NaT or value is pd.NA or (np.isscalar(value) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value
