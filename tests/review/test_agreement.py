"""Agreement: per-annotator last labels from the records (undo/redo), Cohen's and Fleiss' kappa."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corral import HashingEmbedder, Labeler
from corral.review.agreement import agreement, annotator_labels, fleiss_kappa

# Fleiss (1971) as worked in most textbooks: 10 subjects, 14 raters, 5 categories; kappa = 0.210
FLEISS_TABLE = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
                [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]


def test_fleiss_textbook_example():
    # P-bar = 0.378, P-e = 0.213 -> (0.378 - 0.213) / (1 - 0.213) = 0.210
    assert fleiss_kappa(FLEISS_TABLE) == pytest.approx(0.2099, abs=5e-4)


def test_fleiss_edge_cases():
    assert fleiss_kappa([[3, 0], [0, 3]]) == 1.0
    assert np.isnan(fleiss_kappa([[2, 0], [2, 0]]))  # one category only: chance agreement is 1
    with pytest.raises(ValueError, match="same number of raters"):
        fleiss_kappa([[2, 0], [1, 0]])
    with pytest.raises(ValueError, match="items x categories"):
        fleiss_kappa(np.zeros(3))


def _two_annotators():
    ana = list("aaaaabbbbb")
    ben = list("aaaabbbbba")
    return pd.DataFrame({"ana": ana, "ben": ben}, dtype=object)


def test_cohen_and_fleiss_hand_computed():
    # observed 8/10; chance 0.5*0.5 + 0.5*0.5 = 0.5; kappa = (0.8 - 0.5) / 0.5 = 0.6
    result = agreement(_two_annotators())
    row = result.pairs.iloc[0]
    assert (row["annotator_a"], row["annotator_b"], row["shared"]) == ("ana", "ben", 10)
    assert row["agreement"] == pytest.approx(0.8) and row["cohen_kappa"] == pytest.approx(0.6)
    assert result.fleiss_kappa == pytest.approx(0.6) and result.n_common == 10  # equal margins: = Cohen
    # a: both 4 times, one of them only 2 times -> 2*4 / (2*4 + 2) = 0.8
    assert result.per_label["positive_agreement"].tolist() == pytest.approx([0.8, 0.8])
    assert result.per_label["fleiss_kappa"].tolist() == pytest.approx([0.6, 0.6])


def test_only_shared_points_count():
    frame = _two_annotators()
    frame.loc[[4, 9], "ben"] = None  # ben skipped both points he disagreed on
    frame["cy"] = [None] * 5 + list("bbbbb")
    result = agreement(frame)
    pairs = result.pairs.set_index(["annotator_a", "annotator_b"])
    assert pairs.loc[("ana", "ben"), "shared"] == 8 and pairs.loc[("ana", "ben"), "cohen_kappa"] == 1.0
    assert pairs.loc[("ana", "cy"), "shared"] == 5 and np.isnan(pairs.loc[("ana", "cy"), "cohen_kappa"])
    assert pairs.loc[("ana", "cy"), "agreement"] == 1.0
    assert pairs.loc[("ben", "cy"), "shared"] == 4
    assert result.n_common == 4 and np.isnan(result.fleiss_kappa)  # all four say b


def test_needs_two_annotators():
    with pytest.raises(ValueError, match="at least two annotators"):
        agreement(pd.DataFrame({"ana": ["a"]}, dtype=object))


def test_records_with_undo_redo_and_clear():
    def op(kind, who, indices=(), label=None):
        return {"op": kind, "annotator": who, "indices": list(indices), "label": label}

    records = [op("assign", "ana", [0, 1, 2], "x"),
               op("assign", "ben", [1, 2], "y"),
               op("assign", None, [3], "z"),          # no annotator: nobody's opinion
               {"op": "state", "key": "regions", "value": {}},
               op("undo", "ana"),                      # reverses the anonymous assign
               op("undo", "ana"),                      # reverses ben's assign (undo is global)
               op("redo", "ben"),                      # ben's assign is back
               op("clear", "ana", [0]),                # ana withdraws her label on 0
               op("assign", "ana", [3], "x"),
               op("undo", "ana"), op("redo", "ana")]
    frame = annotator_labels(records, 5)
    assert frame.columns.tolist() == ["ana", "ben"]
    assert frame["ana"].tolist() == [None, "x", "x", "x", None]
    assert frame["ben"].tolist() == [None, "y", "y", None, None]
    # after a new operation the redo stack is gone: a stray redo does nothing
    frame2 = annotator_labels(records[:2] + [op("undo", "ana"), op("assign", "ana", [4], "x"), op("redo", "ben")], 5)
    assert "ben" not in frame2.columns and frame2["ana"].tolist() == ["x", "x", "x", None, "x"]


def test_labeler_agreement_from_its_history():
    texts = [f"text {i}" for i in range(10)]
    lab = Labeler(pd.Series(texts, index=[f"t{i}" for i in range(10)]), coords=np.zeros((10, 2)),
                  embedder=HashingEmbedder())
    lab.annotator = "ana"
    lab.assign(range(5), "a")
    lab.assign(range(5, 10), "b")
    lab.annotator = "ben"
    lab.assign([0, 1, 2, 3, 9], "a")
    lab.assign([4, 5, 6, 7, 8], "b")
    lab.assign([0], "b")
    lab.undo()  # ben's mistake on point 0, undone
    result = lab.agreement()
    assert result.labels.index[0] == "t0" and result.labels.loc["t0"].tolist() == ["a", "a"]
    assert result.pairs.iloc[0]["cohen_kappa"] == pytest.approx(0.6)
    assert lab.labels.tolist() == list("aaaabbbbba")  # the session's labels: the last word wins
