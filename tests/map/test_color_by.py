"""``Labeler.show(color_by=...)``: the per-point values trait, checked and aligned (Python side)."""

import numpy as np
import pandas as pd
import pytest

from corral import Labeler
from corral.map import protocol as P


def make(n=6, index=None):
    texts = pd.Series([f"t{i}" for i in range(n)], index=index) if index is not None else [f"t{i}" for i in range(n)]
    coords = np.c_[np.arange(n), np.arange(n) % 3].astype(np.float32)
    return Labeler(texts, coords=coords)


def values_of(widget) -> np.ndarray:
    return np.frombuffer(widget.values, dtype="<f4")


def test_labels_colour_the_map_by_default():
    w = make().show()
    assert w.values == b"" and w.values_label == ""


def test_array_crosses_as_float32_bytes_in_point_order():
    scores = np.linspace(0, 1, 6)
    w = make().show(color_by=scores)
    assert len(w.values) == 6 * 4
    np.testing.assert_array_equal(values_of(w), scores.astype(np.float32))
    assert w.values_label == "values"
    assert make().show(color_by=scores, color_label="doubt").values_label == "doubt"


def test_series_is_aligned_on_the_input_index_and_named():
    lab = make(3, index=["a", "b", "c"])
    w = lab.show(color_by=pd.Series([3.0, 1.0, 2.0], index=["c", "a", "b"], name="margin"))
    assert values_of(w).tolist() == [1.0, 2.0, 3.0]
    assert w.values_label == "margin"


def test_nan_means_no_value_and_other_views_keep_their_colouring():
    lab = make()
    w1 = lab.show(color_by=[0, np.nan, 2, 3, 4, 5])
    w2 = lab.show()
    assert np.isnan(values_of(w1)[1]) and w2.values == b""


@pytest.mark.parametrize(
    ("color_by", "error", "match"),
    [
        ([1.0, 2.0], ValueError, "one value per text"),
        (np.ones((6, 2)), ValueError, "one value per text"),
        (["a", "b", "c", "d", "e", "f"], TypeError, "numbers"),
        ([True] * 6, TypeError, "numbers"),
        ([np.nan] * 6, ValueError, "no finite value"),
        (pd.DataFrame({"a": range(6)}), TypeError, "DataFrame"),
        (pd.Series([1.0, 2.0], index=[0, 1]), ValueError, "no value for 4 of the texts"),
    ],
)
def test_bad_color_by_is_refused_with_the_reason(color_by, error, match):
    with pytest.raises(error, match=match):
        make().show(color_by=color_by)
