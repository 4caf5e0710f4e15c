"""RegionClassifier: scikit-learn's checks, the documented rules, clone/pickle/grid search, 1M points."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

import corral
from corral.regions.estimator import RegionClassifier

ABSTAINS = "abstaining adds the class 'unknown' to the classes of y"
EXPECTED_FAILURES = {
    "check_classifiers_classes": ABSTAINS + ": classes_ has one more entry than np.unique(y)",
    "check_classifiers_train": ABSTAINS + ": predict_proba has a column for it, n_classes + 1 in all",
    "check_classifiers_one_label": "with one class, its region is the hull of its points: new points "
                                   "outside it are 'unknown' (abstaining), not the one class",
}


def _expected_failures(estimator):
    return EXPECTED_FAILURES if estimator.fallback == "unknown" else {}


@parametrize_with_checks([RegionClassifier(), RegionClassifier(fallback=KNeighborsClassifier())],
                         expected_failed_checks=_expected_failures)
def test_sklearn_checks(estimator, check):
    if getattr(check, "func", check).__name__ == "check_array_api_input":
        _in_a_process_with_scipy_array_api(estimator, check)  # skipped in-process otherwise
    else:
        check(estimator)


def _in_a_process_with_scipy_array_api(estimator, check):
    """scipy reads SCIPY_ARRAY_API when first imported: run this check in a fresh interpreter."""
    import os
    import subprocess
    import sys

    code = ("from corral.regions.estimator import RegionClassifier\n"
            "from sklearn.neighbors import KNeighborsClassifier\n"
            "from sklearn.utils.estimator_checks import check_array_api_input\n"
            f"check_array_api_input(*{check.args!r}, {estimator!r}, **{check.keywords!r})\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "SCIPY_ARRAY_API": "1"})
    assert run.returncode == 0, run.stderr[-3000:]


SQUARE = [(0, 0), (2, 0), (2, 2), (0, 2)]


def test_exported_from_corral():
    assert corral.RegionClassifier is RegionClassifier


def test_predict_is_argmax_of_proba_and_proba_sums_to_one():
    rng = np.random.default_rng(1)
    regions = {"a": [SQUARE, [(1, 1), (4, 1), (4, 4)]], "b": [[(1.5, 0.5), (3, 0.5), (3, 3), (1.5, 3)]]}
    X = rng.uniform(-2, 6, size=(5000, 2))
    for clf in (RegionClassifier(regions), RegionClassifier(regions, fallback=KNeighborsClassifier(3))):
        clf.fit(X, (X[:, 0] > 2).astype(int).astype(str))
        proba, pred = clf.predict_proba(X), clf.predict(X)
        np.testing.assert_allclose(proba.sum(axis=1), 1.0)
        chosen = proba[np.arange(len(X)), np.searchsorted(clf.classes_, pred)]
        np.testing.assert_array_equal(chosen, proba.max(axis=1))
        assert len(set(pred)) >= 3


def test_overlaps_split_equally_and_predict_takes_the_first_class():
    clf = RegionClassifier({"b": [SQUARE], "a": [[(1, 1), (3, 1), (3, 3), (1, 3)]]}).fit(np.zeros((1, 2)))
    assert clf.classes_.tolist() == ["a", "b", "unknown"]
    assert clf.predict_proba([[1.5, 1.5]]).tolist() == [[0.5, 0.5, 0.0]]
    assert clf.predict([[1.5, 1.5], [0.5, 0.5], [2.5, 2.5]]).tolist() == ["a", "b", "a"]


def test_falloff_fades_with_distance_and_stays_below_the_fallback():
    clf = RegionClassifier({"a": [SQUARE]}, falloff=1.0).fit(np.zeros((1, 2)))
    proba = clf.predict_proba([[2.1, 1], [2.5, 1], [2.9, 1], [3.5, 1]])[:, 0]
    assert 0.5 > proba[0] > proba[1] > proba[2] > 0 and proba[3] == 0
    assert clf.predict([[2.1, 1]]).tolist() == ["unknown"]
    hard = RegionClassifier({"a": [SQUARE]}, falloff=0).fit(np.zeros((1, 2)))
    assert hard.predict_proba([[2.1, 1]]).tolist() == [[0.0, 1.0]]


def test_default_falloff_is_a_quarter_of_the_typical_region_size():
    clf = RegionClassifier({"a": [SQUARE], "b": [[(10, 10), (14, 10), (14, 14), (10, 14)]]}).fit(np.zeros((1, 2)))
    assert clf.falloff_ == pytest.approx(0.25 * np.median([np.hypot(2, 2), np.hypot(4, 4)]))


def test_fallback_classifier_decides_outside_the_regions_on_the_features_after_x_y():
    rng = np.random.default_rng(0)
    X = np.c_[rng.uniform(0, 10, (400, 2)), rng.normal(size=(400, 1))]
    y = np.where(X[:, 2] > 0, "pos", "neg")
    clf = RegionClassifier({"box": [SQUARE]}, fallback=KNeighborsClassifier(5), falloff=0).fit(X, y)
    assert clf.fallback_.n_features_in_ == 1  # the columns after x, y
    assert clf.classes_.tolist() == ["box", "neg", "pos"]
    far = X[:, 0] > 3
    assert (clf.predict(X[far]) == y[far]).mean() > 0.95
    assert (clf.predict(np.c_[[[1.0, 1.0]], [[5.0]]]) == "box").all()


def test_regions_none_draws_the_hull_of_each_class(blobs):
    coords, truth = blobs
    clf = RegionClassifier().fit(coords, truth)
    assert clf.classes_.tolist() == [-1, 0, 1, 2]
    assert (clf.predict(coords) == truth).all()  # every training point is strictly inside its hull
    assert clf.predict([[100.0, 100.0]]).tolist() == [-1]


def test_unknown_label_is_configurable_and_must_not_clash():
    clf = RegionClassifier({"a": [SQUARE]}, unknown_label="none of these").fit(np.zeros((1, 2)))
    assert clf.predict([[9, 9]]).tolist() == ["none of these"]
    with pytest.raises(ValueError, match="also the label of a region"):
        RegionClassifier({"a": [SQUARE]}, unknown_label="a").fit(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="same kind"):
        RegionClassifier({"a": [SQUARE]}, unknown_label=-1).fit(np.zeros((1, 2)))


def test_clear_errors():
    with pytest.raises(ValueError, match="no regions"):
        RegionClassifier({}).fit(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="zero area"):
        RegionClassifier({"a": [[(0, 0), (1, 1), (3, 3)]]}).fit(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="at least 3 vertices"):
        RegionClassifier({"a": [[(0, 0), (1, 1)]]}).fit(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="requires y"):
        RegionClassifier().fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="requires y"):
        RegionClassifier({"a": [SQUARE]}, fallback=KNeighborsClassifier()).fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="columns x, y"):
        RegionClassifier({"a": [SQUARE]}).fit(np.zeros((3, 1)))
    with pytest.raises(ValueError, match="fallback must be"):
        RegionClassifier({"a": [SQUARE]}, fallback="abstain").fit(np.zeros((1, 2)))
    with pytest.raises(TypeError, match="fallback must be"):
        RegionClassifier({"a": [SQUARE]}, fallback=42).fit(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="falloff"):
        RegionClassifier({"a": [SQUARE]}, falloff=-1).fit(np.zeros((1, 2)))
    with pytest.raises(ValueError, match="features"):
        RegionClassifier({"a": [SQUARE]}).fit(np.zeros((1, 2))).predict(np.zeros((2, 3)))


def test_clone_pickle_and_grid_search(blobs):
    coords, truth = blobs
    regions = {"low": [[(-3, -3), (13, -3), (13, 3), (-3, 3)]], "high": [[(-3, 7), (3, 7), (3, 13), (-3, 13)]]}
    clf = RegionClassifier(regions, falloff=1.0).fit(coords)
    twin = clone(clf)
    assert twin.get_params() == clf.get_params() and not hasattr(twin, "classes_")
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.predict_proba(coords), clf.predict_proba(coords))
    names = np.array(["low", "low", "high"])[truth]
    search = GridSearchCV(RegionClassifier(regions), {"falloff": [0.0, 1.0, 3.0]}, cv=3).fit(coords, names)
    assert search.best_score_ == 1.0 and search.best_params_["falloff"] in (0.0, 1.0, 3.0)
    assert len(search.cv_results_["mean_test_score"]) == 3


def test_million_points_fifty_polygons():
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 100, size=(1_000_000, 2))
    regions = {}
    for i in range(50):
        center, angles = rng.uniform(5, 95, 2), np.sort(rng.uniform(0, 2 * np.pi, 20))
        radius = rng.uniform(2, 6) * rng.uniform(0.6, 1.0, 20)
        regions.setdefault(f"c{i % 10}", []).append(center + np.c_[np.cos(angles), np.sin(angles)] * radius[:, None])
    clf = RegionClassifier(regions).fit(X[:1])
    pred = clf.predict(X)
    inside = clf.contains(X)
    # the same answer as the one-polygon-at-a-time reference, on every point
    reference = np.zeros_like(inside)
    for label, polygons in clf.regions_.items():
        column = clf.classes_.tolist().index(label)
        for polygon in polygons:
            reference[:, column] |= corral.core.geometry.points_in_polygon(X, polygon)
    np.testing.assert_array_equal(inside, reference)
    first = np.where(inside.any(axis=1), inside.argmax(axis=1), clf.classes_.tolist().index("unknown"))
    np.testing.assert_array_equal(pred, clf.classes_[first])
