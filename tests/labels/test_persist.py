import json
import zipfile

import numpy as np
import pandas as pd
import pytest

from corral import JournalError, Labeler


@pytest.fixture
def frame(blobs):
    coords, truth = blobs
    return pd.DataFrame({"text": [f"text {i}" for i in range(90)], "source": ["a", "b"] * 45,
                         "when": pd.date_range("2024-01-01", periods=90, freq="D")},
                        index=pd.Index([f"r{i}" for i in range(90)], name="rid")), coords


def test_save_and_load_roundtrip(tmp_path, frame):
    df, coords = frame
    lab = Labeler.from_frame(df, coords=coords, embeddings=np.ones((90, 3)) * np.arange(90)[:, None])
    lab.annotator = "ana"
    lab.assign([0, 1, 2], "a")
    lab.assign([2, 3], "b")
    lab.undo()
    lab.assign([10], "<script>alert(1)</script>")
    path = lab.save(tmp_path / "session.corral")
    back = Labeler.load(path)
    assert back.labels.equals(lab.labels)
    assert back.history.drop(columns="time").equals(lab.history.drop(columns="time"))
    pd.testing.assert_frame_equal(back.to_frame(), lab.to_frame())
    np.testing.assert_array_equal(back.embeddings, lab.embeddings)
    back.undo()  # the undo stack survives the round trip
    assert pd.isna(back.labels.iloc[10])
    back.undo()
    back.redo()
    assert back.labels.iloc[:4].tolist()[:3] == ["a", "a", "a"]


def test_save_holds_no_pickle(tmp_path, frame):
    df, coords = frame
    path = Labeler.from_frame(df, coords=coords).save(tmp_path / "s.corral")
    with zipfile.ZipFile(path) as z:
        assert sorted(z.namelist()) == ["coords.npy", "corral.json", "frame.json", "journal.jsonl"]
        assert json.loads(z.read("corral.json"))["format"] == "corral-save"


def test_autosave_resumes_after_a_restart(tmp_path, frame):
    df, coords = frame
    journal = tmp_path / "labels.journal"
    lab = Labeler.from_frame(df, coords=coords, autosave=journal)
    lab.assign([1, 2], "x")
    lab.assign([3], "y")
    lab.undo()
    del lab
    again = Labeler.from_frame(df, coords=coords, autosave=journal)
    assert again.labels.iloc[:4].tolist()[1:3] == ["x", "x"] and pd.isna(again.labels.iloc[3])
    again.redo()  # undo/redo survive
    assert again.labels.iloc[3] == "y"
    third = Labeler.from_frame(df, coords=coords, autosave=journal)
    assert third.labels.iloc[3] == "y" and len(third.history) == 4


def test_autosave_refuses_other_texts(tmp_path, frame):
    df, coords = frame
    journal = tmp_path / "labels.journal"
    Labeler.from_frame(df, coords=coords, autosave=journal).assign([0], "a")
    other = df.assign(text=df.text + "!")
    with pytest.raises(JournalError, match="other texts"):
        Labeler.from_frame(other, coords=coords, autosave=journal)


def test_rerun_cell_takes_the_journal_over(tmp_path, frame):
    df, coords = frame
    journal = tmp_path / "labels.journal"
    old = Labeler.from_frame(df, coords=coords, autosave=journal)
    new = Labeler.from_frame(df, coords=coords, autosave=journal)
    new.assign([0], "a")
    with pytest.raises(JournalError, match="taken over"):
        old.assign([1], "b")
    assert Labeler.from_frame(df, coords=coords, autosave=journal).labels.notna().sum() == 1


def test_truncated_journal_loads_what_is_whole(tmp_path, frame):
    df, coords = frame
    journal = tmp_path / "labels.journal"
    lab = Labeler.from_frame(df, coords=coords, autosave=journal)
    for i in range(5):
        lab.assign([i], f"l{i}")
    del lab
    data = journal.read_bytes()
    journal.write_bytes(data[:-7])  # the last write was cut off
    with pytest.warns(UserWarning, match=r"skipped 1 damaged line\(s\): line 6: cut off mid-write"):
        again = Labeler.from_frame(df, coords=coords, autosave=journal)
    assert again.labels.iloc[:5].tolist()[:4] == ["l0", "l1", "l2", "l3"] and pd.isna(again.labels.iloc[4])
    again.assign([4], "fixed")  # appends cleanly after the cut
    final = Labeler.from_frame(df, coords=coords, autosave=journal)
    assert final.labels.iloc[4] == "fixed" and len(final.history) == 5


def test_load_explains_journals_and_junk(tmp_path, frame):
    df, coords = frame
    journal = tmp_path / "labels.journal"
    Labeler.from_frame(df, coords=coords, autosave=journal)
    with pytest.raises(ValueError, match="autosave journal.*Labeler\\(texts, autosave=path\\)"):
        Labeler.load(journal)
    junk = tmp_path / "junk"
    junk.write_text("hello")
    with pytest.raises(ValueError, match="not a corral save file"):
        Labeler.load(junk)


def test_load_with_a_new_autosave(tmp_path, frame):
    df, coords = frame
    lab = Labeler.from_frame(df, coords=coords)
    lab.assign([0], "a")
    back = Labeler.load(lab.save(tmp_path / "s.corral"), autosave=tmp_path / "new.journal")
    back.assign([1], "b")
    resumed = Labeler(back.texts, coords=coords, autosave=tmp_path / "new.journal")
    assert resumed.labels.iloc[:2].tolist() == ["a", "b"]
