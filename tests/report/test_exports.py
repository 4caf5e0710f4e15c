"""Exports: CSV, parquet and JSONL round trips with history columns; format inference; errors."""

from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd
import pytest

from corral import HashingEmbedder, Labeler
from corral.report.exports import export_format

TEXTS = ["play jazz, loud", 'say "hi"\nthen stop', "<b>rain</b> tomorrow?", "pizza", "ünïcode ☂"]


@pytest.fixture
def labeler():
    df = pd.DataFrame({"text": TEXTS, "source": ["a", "b", "a", "c", "b"], "score": [0.5, 1.0, 2.5, 3.0, 4.0]},
                      index=pd.Index([10, 11, 12, 13, 14], name="row"))
    lab = Labeler.from_frame(df, coords=np.zeros((5, 2)), embedder=HashingEmbedder())
    lab.annotator = "ana"
    lab.assign([0, 1], "music")
    lab.assign([2], "weather")
    lab.annotator = "ben"
    lab.assign([1], "chat")
    lab.assign([3], "food")
    lab.undo()  # ben's food label taken back: point 3 stays unlabeled with no history
    lab.redo()
    lab.undo()
    return lab


def _check_history(frame):
    assert frame["n_changes"].tolist() == [1, 2, 1, 0, 0]
    assert frame["last_annotator"].tolist()[:3] == ["ana", "ben", "ana"]
    assert frame["last_annotator"].isna().tolist()[3:] == [True, True]
    changed = pd.to_datetime(frame["last_changed"], utc=True)
    assert changed.notna().tolist() == [True, True, True, False, False]
    assert changed.iloc[1] >= changed.iloc[0] and (changed.dropna().dt.year >= 2024).all()


def test_csv_round_trip(labeler, tmp_path):
    path = labeler.export(tmp_path / "out" / "labels.csv")
    back = pd.read_csv(path, index_col=0)
    assert back.index.name == "row" and back.index.tolist() == [10, 11, 12, 13, 14]
    assert back["text"].tolist() == TEXTS  # commas, quotes, newlines and markup survive
    assert back["label"].tolist()[:3] == ["music", "chat", "weather"] and back["label"].isna().sum() == 2
    assert back["source"].tolist() == ["a", "b", "a", "c", "b"] and back["score"].tolist()[2] == 2.5
    assert back.columns.tolist() == ["text", "label", "source", "score", "last_annotator", "last_changed",
                                     "n_changes", "last_source", "last_confidence"]
    _check_history(back)


def test_parquet_round_trip(labeler, tmp_path):
    path = labeler.export(tmp_path / "labels.parquet")
    back = pd.read_parquet(path)
    assert back.index.tolist() == [10, 11, 12, 13, 14] and back["text"].tolist() == TEXTS
    assert back["label"].tolist()[:3] == ["music", "chat", "weather"] and back["label"].isna().sum() == 2
    assert str(back["last_changed"].dt.tz) == "UTC"
    _check_history(back)


def test_parquet_without_pyarrow_says_so(labeler, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match="pip install pyarrow"):
        labeler.export(tmp_path / "labels.parquet")


def test_jsonl_round_trip(labeler, tmp_path):
    path = labeler.export(tmp_path / "labels.jsonl")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(d["text"], d["label"], d["answer"]) for d in lines] == [
        (TEXTS[0], "music", "accept"), (TEXTS[1], "chat", "accept"), (TEXTS[2], "weather", "accept")]
    meta = lines[1]["meta"]
    assert meta["id"] == 11 and meta["source"] == "b" and meta["score"] == 1.0
    assert meta["last_annotator"] == "ben" and meta["n_changes"] == 2
    assert pd.Timestamp(meta["last_changed"]).tz is not None
    assert all(d["meta"]["id"] != 14 for d in lines)


def test_format_from_suffix_or_argument(labeler, tmp_path):
    assert export_format("a.CSV") == "csv" and export_format("a.pq") == "parquet"
    assert export_format("a.ndjson") == "jsonl"
    path = labeler.export(tmp_path / "labels.txt", format="jsonl")
    assert json.loads(path.read_text().splitlines()[0])["label"] == "music"
    with pytest.raises(ValueError, match="cannot tell the export format"):
        labeler.export(tmp_path / "labels.xlsx")
    with pytest.raises(ValueError, match="unknown export format 'xml'"):
        labeler.export(tmp_path / "labels.csv", format="xml")


def test_range_index_and_constructor_labels(tmp_path):
    lab = Labeler(["a b", "c d"], labels=["x", None], coords=np.zeros((2, 2)), embedder=HashingEmbedder())
    back = pd.read_csv(lab.export(tmp_path / "l.csv"), index_col=0)
    assert back.index.name == "id" and back["label"].tolist()[0] == "x"
    assert back["n_changes"].tolist() == [0, 0]  # labels given at construction have no history
    line = json.loads(lab.export(tmp_path / "l.jsonl").read_text())
    assert line == {"text": "a b", "label": "x", "answer": "accept",
                    "meta": {"id": 0, "last_annotator": None, "last_changed": None, "n_changes": 0,
                                 "last_source": None, "last_confidence": None}}
