import numpy as np
import pandas as pd
import pytest

from corral.core.validate import (
    check_label,
    check_matrix,
    check_polygon,
    check_texts,
    resolve_indices,
    warn_duplicates,
)


@pytest.mark.parametrize(
    "texts, error, words",
    [
        ([], ValueError, "empty"),
        ("just one string", TypeError, "not a single string"),
        (["ok", None], TypeError, "positions 1"),
        (["ok", float("nan")], TypeError, "nan"),
        (["ok", 3, "x", 4.5], TypeError, "positions 1, 3"),
        ([["nested"], "x"], TypeError, "positions 0"),
        (42, TypeError, "list-like"),
    ],
)
def test_bad_texts_name_the_problem(texts, error, words):
    with pytest.raises(error, match=words):
        check_texts(texts)


def test_texts_from_series_and_generators():
    assert check_texts(pd.Series(["a", "b"], index=[10, 20])) == ["a", "b"]
    assert check_texts(t for t in ["x"]) == ["x"]


def test_many_bad_texts_are_summarised():
    with pytest.raises(TypeError, match="and 5 more"):
        check_texts([None] * 10)


def test_duplicates_warn_and_count():
    with pytest.warns(UserWarning, match="2 texts are duplicates"):
        assert warn_duplicates(["a", "b", "a", "a"]) == 2


@pytest.mark.parametrize(
    "x, kw, words",
    [
        (np.ones(3), {}, "2-D"),
        (np.ones((3, 2)), {"n": 4}, "3 rows but there are 4"),
        (np.ones((3, 2)), {"ncols": 3}, "3 columns"),
        (np.array([[1.0, np.nan], [1, 1], [np.inf, 0]]), {}, "rows 0, 2"),
        ([["a", "b"]], {}, "numeric"),
        (np.ones((2, 0)), {}, "no columns"),
    ],
)
def test_bad_matrices(x, kw, words):
    kw = {"n": None, **kw}
    with pytest.raises((ValueError, TypeError), match=words):
        check_matrix(x, name="embeddings", **kw)


def test_matrix_is_float32_contiguous():
    out = check_matrix(np.ones((4, 3), dtype=np.float64)[:, ::-1], n=4, name="x")
    assert out.dtype == np.float32 and out.flags.c_contiguous


def test_polygons():
    with pytest.raises(ValueError, match="at least 3 vertices, got 2"):
        check_polygon([(0, 0), (1, 1)])
    with pytest.raises(ValueError, match="at least 3 vertices, got 2"):
        check_polygon([(0, 0), (1, 1), (0, 0)])  # closed ring of 2 distinct points
    with pytest.raises(ValueError, match="finite"):
        check_polygon([(0, 0), (1, np.nan), (1, 1)])
    with pytest.raises(ValueError, match="vertices"):
        check_polygon([1, 2, 3])
    assert check_polygon([(0, 0), (1, 0), (1, 1), (0, 0)]).shape == (3, 2)


def test_labels():
    assert check_label(3) == "3"
    assert check_label("B") == "B"
    for bad in (None, "", "   ", float("nan"), True):
        with pytest.raises((TypeError, ValueError), match="non-empty string"):
            check_label(bad)
    with pytest.raises(TypeError):
        check_label(["a"])


def test_resolve_indices():
    assert resolve_indices([2, 0, 2], 3).tolist() == [0, 2]
    assert resolve_indices(-1, 3).tolist() == [2]
    assert resolve_indices(np.array([1.0, 2.0]), 3).tolist() == [1, 2]
    assert resolve_indices(pd.Series([True, False, True]), 3).tolist() == [0, 2]
    assert resolve_indices([], 3).tolist() == []
    index = pd.Index(["a", "b", "c"])
    assert resolve_indices(pd.Index(["c", "a"]), 3, index).tolist() == [0, 2]
    with pytest.raises(IndexError, match=r"unknown point indices \[3, 7\]"):
        resolve_indices([0, 3, 7], 3)
    with pytest.raises(KeyError, match="unknown index labels"):
        resolve_indices(pd.Index(["z"]), 3, index)
    with pytest.raises(ValueError, match="length 3"):
        resolve_indices([True, False], 3)
    with pytest.raises(TypeError, match="integer positions"):
        resolve_indices(["a"], 3)
