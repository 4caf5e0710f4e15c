"""Label guidelines (versioned state) and rename / merge as undoable, journaled operations, in one
session and through an autosave journal."""

import json

import numpy as np
import pandas as pd
import pytest

from corral import Labeler

TEXTS = [f"text {i}" for i in range(12)]
COORDS = np.random.default_rng(0).normal(size=(12, 2))


def make(**kw):
    return Labeler(TEXTS, coords=COORDS, **kw)


def test_rename_and_merge_are_undoable_and_keep_other_labels():
    lab = make()
    lab.assign([0, 1, 2], "cat")
    lab.assign([3, 4], "kitty")
    lab.assign([5], "dog")
    op = lab.merge_labels(["cat", "kitty"], "feline")
    assert (op.kind, op.label, op.count) == ("assign", "feline", 5)
    assert lab.labels.iloc[:6].tolist() == ["feline"] * 5 + ["dog"] and lab.counts.to_dict() == {"dog": 1, "feline": 5}
    lab.undo()
    assert lab.labels.iloc[:6].tolist() == ["cat"] * 3 + ["kitty"] * 2 + ["dog"]
    lab.redo()
    assert lab.counts.to_dict() == {"dog": 1, "feline": 5}
    lab.rename_label("dog", "canine")
    assert lab.labels.iloc[5] == "canine" and lab.history["kind"].tolist()[-1] == "assign"
    lab.undo()
    assert lab.labels.iloc[5] == "dog"


def test_bad_renames_name_the_problem():
    lab = make()
    lab.assign([0], "cat")
    lab.assign([1], "dog")
    with pytest.raises(ValueError, match="already a label.*merge_labels"):
        lab.rename_label("cat", "dog")
    with pytest.raises(ValueError, match="no label named"):
        lab.rename_label("cow", "bovine")
    with pytest.raises(TypeError, match="list of label names"):
        lab.merge_labels("cat", "dog")
    with pytest.raises(ValueError, match="nothing to merge"):
        lab.merge_labels(["dog"], "dog")
    assert len(lab.history) == 2


def test_guidelines_are_checked_versioned_and_stamped_on_later_operations():
    lab = make()
    lab.assign([0], "before")
    assert lab.guidelines == {} and lab.guidelines_version is None
    with pytest.raises(ValueError, match="unknown fields \\['colour'\\]"):
        lab.guidelines = {"spam": {"colour": "#ff0000"}}
    with pytest.raises(ValueError, match="#rrggbb"):
        lab.guidelines = {"spam": {"color": "red"}}
    with pytest.raises(TypeError, match="examples of 'spam' must be a list"):
        lab.guidelines = {"spam": {"examples": "WIN"}}
    lab.guidelines = [{"name": "spam", "definition": "ads", "include": "phishing", "examples": ["WIN"]}]
    assert lab.guidelines_version == 1
    assert lab.guidelines["spam"] == {"color": None, "definition": "ads", "include": "phishing", "exclude": "",
                                      "examples": ["WIN"]}
    lab.assign([1], "spam")
    lab.guidelines = {**lab.guidelines, "ham": "mail you wanted"}
    lab.assign([2], "ham")
    versions = [r.get("guidelines_version") for r in lab.session.records if r["op"] == "assign"]
    assert versions == [None, 1, 2]


def test_guidelines_version_in_the_exports(tmp_path):
    lab = make()
    lab.assign([0, 1], "a")
    assert "guidelines_version" not in pd.read_csv(lab.export(tmp_path / "before.csv")).columns
    lab.guidelines = {"a": "first"}
    lab.assign([1, 2], "a")
    lab.guidelines = {"a": "second"}
    lab.assign([3], "b")
    frame = pd.read_csv(lab.export(tmp_path / "out.csv"))
    assert frame["guidelines_version"].fillna(-1).tolist()[:5] == [-1, 1, 1, 2, -1]  # -1: labeled before any
    lines = [json.loads(x) for x in (lab.export(tmp_path / "out.jsonl")).read_text().splitlines()]
    assert [x["meta"]["guidelines_version"] for x in lines] == [None, 1, 1, 2]


def test_rename_merge_and_guidelines_survive_the_journal(tmp_path):
    path = tmp_path / "labels.journal"
    lab = make(autosave=path)
    lab.assign([0, 1], "cat")
    lab.assign([2], "kitty")
    lab.guidelines = {"kitty": {"definition": "a small cat", "color": "#00aa00"}}
    lab.merge_labels(["cat", "kitty"], "feline")
    lab.assign([3], "dog")
    lab.undo()
    again = make(autosave=tmp_path / "labels.journal")
    assert again.labels.equals(lab.labels) and again.labels.iloc[:3].eq("feline").all()
    assert again.guidelines == {"feline": {"color": "#00aa00", "definition": "a small cat", "include": "",
                                           "exclude": "", "examples": []}}
    assert again.guidelines_version == 2  # the merge moved kitty's guideline: a new version
    again.undo()  # the merge, read back from the journal
    assert again.labels.iloc[:3].tolist() == ["cat", "cat", "kitty"]


def test_hostile_names_stay_text_in_guidelines_and_renames():
    hostile = "x'); DROP TABLE corral_ops; -- <script>alert(1)</script>"
    lab = make()
    lab.assign([0], hostile)
    lab.guidelines = {hostile: {"definition": hostile, "examples": [hostile]}}
    lab.rename_label(hostile, hostile + " 2")
    assert lab.labels.iloc[0] == hostile + " 2"
    assert lab.guidelines[hostile + " 2"]["examples"] == [hostile]
