"""Accepting suggestions: one undoable journaled operation, where= forms, the threshold, stale
suggestions refused, survives autosave resume; provenance in history and exports."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corral import Labeler
from corral.learn.accept import StaleSuggestions
from corral.labels.journal import read_journal
from test_suggestions import labeler, topics


def test_accept_is_one_undoable_operation_with_the_suggested_labels():
    lab, names = labeler()
    frame = lab.suggest()
    unlabeled = lab.labels.isna().to_numpy()
    confident = unlabeled & (frame["confidence"] >= 0.9).to_numpy()
    assert 0 < confident.sum() < unlabeled.sum() + 1
    before = len(lab.history)
    op = lab.accept_suggestions(min_confidence=0.9)
    assert op.kind == "assign_many" and op.count == confident.sum() and op.source == "suggestion"
    assert len(lab.history) == before + 1
    got = lab.labels.to_numpy(dtype=object)
    assert (got[confident] == frame["suggested"].to_numpy()[confident]).all()
    assert pd.isna(got[unlabeled & ~confident]).all()  # below the threshold: still unlabeled
    lab.undo()
    assert lab.labels.isna().to_numpy()[unlabeled].all()
    lab.redo()
    assert (lab.labels.to_numpy(dtype=object)[confident] == frame["suggested"].to_numpy()[confident]).all()


def test_accept_never_overwrites_labels():
    lab, names = labeler()
    lab.assign([0], "pizza")  # a (wrong) hand label the model would change
    lab.accept_suggestions(min_confidence=0.0)
    assert lab.labels.iloc[0] == "pizza"
    assert lab.labels.notna().all()


@pytest.mark.parametrize("form", ["positions", "mask", "index", "polygon"])
def test_where_forms(form):
    lab, names = labeler()
    target = np.array([20, 21, 22])
    if form == "positions":
        where = target
    elif form == "mask":
        where = np.isin(np.arange(len(lab)), target)
    elif form == "index":
        where = lab.index[target]
    else:  # a small polygon around the three points
        xy = lab.coords[target]
        lo, hi = xy.min(axis=0) - 1e-3, xy.max(axis=0) + 1e-3
        where = np.array([[lo[0], lo[1]], [hi[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]]])
        target = np.flatnonzero((lab.coords >= lo).all(axis=1) & (lab.coords <= hi).all(axis=1))
    before = lab.labels.notna().to_numpy()
    op = lab.accept_suggestions(where, min_confidence=0.0)
    newly = np.flatnonzero(lab.labels.notna().to_numpy() & ~before)
    assert newly.size == op.count > 0
    assert set(newly.tolist()) == set(target.tolist()) - set(np.flatnonzero(before).tolist())


def test_nothing_confident_enough_returns_none_and_bad_threshold_raises():
    lab, _ = labeler()
    before = len(lab.history)
    assert lab.accept_suggestions([0, 1], min_confidence=0.0) is None  # both already labeled
    assert len(lab.history) == before
    with pytest.raises(ValueError, match="min_confidence"):
        lab.accept_suggestions(min_confidence=1.5)


def test_stale_suggestions_are_refused():
    lab, names = labeler()
    seen = lab.suggest()
    rain = np.flatnonzero((names == "rain") & lab.labels.isna().to_numpy())
    lab.assign(rain[:20], "pizza")  # the model now mixes rain and pizza: its suggestions move
    before = lab.labels.copy(), len(lab.history)
    with pytest.raises(StaleSuggestions, match="changed since you saw them"):
        lab.accept_suggestions(min_confidence=0.5, suggestions=seen)
    pd.testing.assert_series_equal(lab.labels, before[0])
    assert len(lab.history) == before[1]


def test_a_changed_suggestion_is_refused_and_an_unchanged_state_accepted():
    lab, _ = labeler()
    seen = lab.suggest()
    lab.assign([8], "pizza")
    lab.clear([8])  # back to the same labels: the same fit, so the same suggestions
    doctored = seen.copy()
    doctored.iloc[9, doctored.columns.get_loc("suggested")] = "pizza"  # the person saw another label there
    with pytest.raises(StaleSuggestions):
        lab.accept_suggestions(min_confidence=0.0, suggestions=doctored)
    assert lab.accept_suggestions(min_confidence=0.0, suggestions=seen).count == len(lab) - 24


def test_same_suggestions_are_accepted():
    lab, _ = labeler()
    seen = lab.suggest()
    op = lab.accept_suggestions(min_confidence=0.8, suggestions=seen)
    assert op is not None and op.count > 0


def test_accept_is_journaled_and_survives_resume(tmp_path):
    texts, emb, coords, names = topics()
    path = tmp_path / "labels.journal"
    lab = Labeler(texts, embeddings=emb, coords=coords, autosave=path)
    for name in ("rain", "jazz", "pizza"):
        lab.assign(np.flatnonzero(names == name)[:8], name)
    op = lab.accept_suggestions(min_confidence=0.9)
    record = read_journal(path).records[-1]
    assert record["op"] == "assign_many" and record["source"] == "suggestion"
    assert record["detail"]["model"] == "LogisticRegression" and len(record["detail"]["confidences"]) == op.count
    after = lab.labels.copy()
    again = Labeler(texts, embeddings=emb, coords=coords, autosave=path)
    pd.testing.assert_series_equal(again.labels, after)
    again.undo()  # undo works on the resumed session too
    assert int(again.labels.notna().sum()) == 24


def test_provenance_in_history_and_exports(tmp_path):
    lab, names = labeler()  # python assigns
    lab.session.assign(np.array([30]), "rain", source="lasso")
    op = lab.accept_suggestions(min_confidence=0.9)
    history = lab.history
    assert history["source"].tolist()[-2:] == ["lasso", "suggestion"]
    assert history["source"].iloc[0] == "python"
    frame = pd.read_csv(lab.export(tmp_path / "out.csv"), index_col=0)
    assert frame.loc["id30", "last_source"] == "lasso"
    suggested = frame[frame["last_source"] == "suggestion"]
    assert len(suggested) == op.count and suggested["last_confidence"].between(0.9, 1).all()
    assert frame.loc["id0", "last_source"] == "python" and np.isnan(frame.loc["id0", "last_confidence"])
    with pytest.raises(ValueError, match="unknown label source"):
        lab.session.assign(np.array([31]), "rain", source="magic")


def test_old_journals_without_source_still_open(tmp_path):
    texts, emb, coords, _ = topics()
    lab = Labeler(texts, embeddings=emb, coords=coords, autosave=tmp_path / "j")
    lab.assign([0, 1], "rain")
    lines = (tmp_path / "j").read_text().splitlines()
    import json

    old = [lines[0]] + [json.dumps({k: v for k, v in json.loads(line).items() if k != "source"}) for line in lines[1:]]
    (tmp_path / "old").write_text("\n".join(old) + "\n")
    resumed = Labeler(texts, embeddings=emb, coords=coords, autosave=tmp_path / "old")
    assert resumed.labels.notna().sum() == 2 and resumed.history["source"].tolist() == ["python"]
