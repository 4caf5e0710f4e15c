import numpy as np
import pandas as pd
import pytest

from corral import HashingEmbedder, Labeler, UMAPProjector


def test_coords_given_means_no_embedding(texts, blobs):
    coords, _ = blobs

    def refuse(ts):
        raise AssertionError("should not embed")

    lab = Labeler(texts, coords=coords, embedder=refuse)
    assert lab.coords.dtype == np.float32 and lab.coords.shape == (90, 2)
    assert lab.projection_ready


def test_embeddings_given_then_projected(texts):
    emb = HashingEmbedder(dim=8).encode(texts)
    lab = Labeler(texts, embeddings=emb, projector=UMAPProjector(random_state=0, n_epochs=30))
    assert lab.embedder is None
    assert lab.current_coords().shape == (90, 2)  # the first view, available at once
    assert lab.coords.shape == (90, 2) and lab.projection_ready
    with pytest.raises(RuntimeError, match="no embedder"):
        lab.embed(["new"])


def test_full_pipeline_with_an_embedder_and_new_texts(texts):
    lab = Labeler(texts, embedder=HashingEmbedder(dim=16), projector=UMAPProjector(random_state=0, n_epochs=30))
    assert lab.embeddings.shape == (90, 16) and lab.embeddings.dtype == np.float32
    xy = lab.project(["rain sun number 3"])
    assert xy.shape == (1, 2) and xy.dtype == np.float32


def test_labels_follow_the_input_index(blobs):
    coords, truth = blobs
    s = pd.Series([f"t{i}" for i in range(90)], index=[f"id{i}" for i in range(90)])
    lab = Labeler(s, coords=coords)
    lab.assign(pd.Index(["id3", "id5"]), "a")  # index labels
    lab.assign([0], "b")  # positions
    lab.assign(truth == 2, "c")  # a boolean mask
    labels = lab.labels
    assert labels.index.equals(s.index) and labels.name == "label"
    assert labels["id3"] == "a" and labels["id0"] == "b" and labels["id60"] == "c"
    assert labels["id1"] != labels["id1"]  # NaN: unlabeled
    assert lab.counts.to_dict() == {"a": 2, "b": 1, "c": 30}


def test_initial_labels_numbers_and_blanks(blobs):
    coords, _ = blobs
    raw = [1, None, np.nan, "", "x"] + ["x"] * 85
    with pytest.warns(UserWarning, match="1 labels are blank"):
        lab = Labeler([f"t{i}" for i in range(90)], labels=raw, coords=coords)
    assert lab.labels.iloc[:5].tolist()[0] == "1"
    assert lab.labels.iloc[1:4].isna().all()
    assert lab.label_names == ["1", "x"]


def test_label_region_history_undo(blobs):
    coords, truth = blobs
    lab = Labeler([f"t{i}" for i in range(90)], coords=coords)
    inside = lab.label_region([(8, -3), (12, -3), (12, 3), (8, 3)], "right")
    assert inside.tolist() == np.flatnonzero(truth == 1).tolist()
    assert lab.label_region([(100, 100), (101, 100), (101, 101)], "none").size == 0
    lab.clear(inside[:5])
    h = lab.history
    assert h["kind"].tolist() == ["assign", "clear"] and h["count"].tolist() == [30, 5]
    assert str(h["time"].dtype).startswith("datetime64") and h["label"].tolist()[0] == "right"
    lab.undo()
    lab.undo()
    assert lab.labels.isna().all() and lab.undo() is None
    lab.redo()
    assert (lab.labels == "right").sum() == 30


def test_to_frame_and_from_frame(blobs):
    coords, truth = blobs
    df = pd.DataFrame({"body": [f"t{i}" for i in range(90)], "gold": np.where(truth == 0, "zero", None),
                       "source": ["web"] * 90}, index=range(100, 190))
    lab = Labeler.from_frame(df, text="body", label="gold", coords=coords)
    lab.assign([1], "one")
    out = lab.to_frame()
    assert list(out.columns) == ["text", "x", "y", "label", "source"]
    assert out.index.equals(df.index)
    assert out.loc[101, "label"] == "one" and out.loc[102, "label"] == "zero" and pd.isna(out.loc[130, "label"])
    np.testing.assert_array_equal(out[["x", "y"]].to_numpy(), coords)
    with pytest.raises(KeyError, match="no column 'texts'"):
        Labeler.from_frame(df, text="texts", coords=coords)
    with pytest.raises(TypeError, match="DataFrame"):
        Labeler.from_frame(["a"], coords=coords)


@pytest.mark.parametrize("kw, error, words", [
    ({"coords": np.ones((89, 2))}, ValueError, "coords has 89 rows but there are 90"),
    ({"coords": np.ones((90, 3))}, ValueError, "2 columns"),
    ({"embeddings": np.ones((90, 4)) * np.nan}, ValueError, "NaN or inf"),
    ({"embeddings": np.ones((10, 4))}, ValueError, "10 rows"),
    ({"labels": ["a"] * 3, "coords": np.ones((90, 2))}, ValueError, "labels has 3 entries"),
])
def test_bad_construction(texts, kw, error, words):
    with pytest.raises(error, match=words):
        Labeler(texts, **kw)


def test_bad_texts():
    with pytest.raises(ValueError, match="empty"):
        Labeler([])
    with pytest.raises(TypeError, match="positions 1"):
        Labeler(["a", None, "c"], coords=np.zeros((3, 2)))


def test_bad_operations(blobs):
    coords, _ = blobs
    lab = Labeler([f"t{i}" for i in range(90)], coords=coords)
    with pytest.raises(IndexError, match=r"unknown point indices \[90\]"):
        lab.assign([1, 90], "a")
    with pytest.raises(ValueError, match="at least 3 vertices"):
        lab.label_region([(0, 0), (1, 1)], "a")
    with pytest.raises(TypeError, match="non-empty string"):
        lab.assign([0], None)
    assert lab.assign([], "a") is None
    assert lab.history.empty and lab.labels.isna().all()


def test_single_text_and_duplicates():
    with pytest.warns(UserWarning, match="only 1 points"):
        lab = Labeler(["only one"], embedder=HashingEmbedder())
        assert lab.coords.tolist() == [[0.0, 0.0]]
    lab.assign([0], "a")
    assert lab.labels.tolist() == ["a"]
    with pytest.warns(UserWarning, match="1 texts are duplicates"):
        dup = Labeler(["a", "b", "a"], coords=np.zeros((3, 2)))
    dup.assign([2], "x")
    assert dup.labels.tolist()[2] == "x" and pd.isna(dup.labels.iloc[0])


def test_very_long_texts_are_kept_whole(blobs):
    coords, _ = blobs
    long = "word " * 100_000
    lab = Labeler([long] + [f"t{i}" for i in range(89)], coords=coords)
    assert lab.to_frame()["text"].iloc[0] == long


def test_selection_from_python(blobs):
    coords, _ = blobs
    lab = Labeler([f"t{i}" for i in range(90)], coords=coords)
    lab.selection = [5, 3]
    assert lab.selection.tolist() == [3, 5]
    with pytest.raises(IndexError):
        lab.selection = [999]


def test_annotator_is_recorded(blobs):
    coords, _ = blobs
    lab = Labeler([f"t{i}" for i in range(90)], coords=coords)
    lab.annotator = "ana"
    lab.assign([0], "a")
    assert lab.history["annotator"].tolist() == ["ana"]
    assert "90 texts, 1 labeled, 1 labels" in repr(lab)


def test_from_frame_of_to_frame_is_quiet_and_a_label_column_gets_a_hint(blobs, recwarn):
    coords, truth = blobs
    df = pd.DataFrame({"text": [f"t{i}" for i in range(90)], "source": ["web"] * 90})
    out = Labeler.from_frame(df, coords=coords).to_frame()  # text, x, y, label, source
    again = Labeler.from_frame(out, label="label", coords=out[["x", "y"]].to_numpy())
    assert [str(w.message) for w in recwarn] == []  # its own x, y columns are recognised
    assert list(again.to_frame().columns) == ["text", "x", "y", "label", "source"]
    with pytest.warns(UserWarning, match='pass label="label" to start from it'):
        Labeler.from_frame(out.assign(label=np.where(truth == 0, "a", None)), coords=coords)


def test_selection_index_gives_the_index_labels(blobs):
    coords, _ = blobs
    df = pd.DataFrame({"text": [f"t{i}" for i in range(90)]}, index=[f"row{i}" for i in range(90)])
    lab = Labeler.from_frame(df, coords=coords)
    lab.selection = [3, 1]
    assert lab.selection.tolist() == [1, 3]
    assert lab.selection_index.tolist() == ["row1", "row3"]
    assert df.loc[lab.selection_index, "text"].tolist() == ["t1", "t3"]
    lab.selection = pd.Index(["row7"])
    assert lab.selection_index.equals(pd.Index(["row7"]))
