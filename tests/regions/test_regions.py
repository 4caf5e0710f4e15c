"""Polygon edge cases of drawn regions: self-intersecting, degenerate, holes, points on edges."""

import numpy as np
import pytest

from corral import RegionClassifier
from corral.core.geometry import distance_to_edges, even_odd_inside
from corral.regions.shapes import central_hull, check_area, hull_regions, normalize_regions, to_json

SQUARE = [(0, 0), (2, 0), (2, 2), (0, 2)]


def _classifier(regions, **kw):
    return RegionClassifier(regions, falloff=0, **kw).fit(np.zeros((1, 2)))


def test_self_intersecting_bow_tie_uses_even_odd():
    bow_tie = [(0, 0), (2, 2), (2, 0), (0, 2)]  # two triangles meeting at (1, 1)
    clf = _classifier({"a": [bow_tie]})
    assert clf.predict([[0.2, 1.0], [1.8, 1.0], [1.0, 0.2], [1.0, 1.8]]).tolist() == ["a", "a", "unknown", "unknown"]


def test_a_ring_traced_around_an_inner_loop_has_a_hole():
    # outer square, then the inner square traced inside it: even-odd cancels the overlap
    ring = [(0, 0), (4, 0), (4, 4), (0, 4), (0, 0), (1, 1), (1, 3), (3, 3), (3, 1), (1, 1)]
    clf = _classifier({"a": [ring]})
    assert clf.predict([[0.5, 2], [2, 2], [3.5, 3.5]]).tolist() == ["a", "unknown", "a"]


def test_overlapping_polygons_of_one_label_are_a_union_not_a_hole():
    clf = _classifier({"a": [SQUARE, [(1, 1), (3, 1), (3, 3), (1, 3)]]})
    assert clf.predict([[1.5, 1.5], [0.5, 0.5], [2.5, 2.5]]).tolist() == ["a", "a", "a"]
    assert clf.predict_proba([[1.5, 1.5]]).tolist() == [[1.0, 0.0]]


def test_a_hole_by_overlap_with_another_label_splits_the_probability():
    clf = _classifier({"outer": [[(0, 0), (4, 0), (4, 4), (0, 4)]], "inner": [[(1, 1), (3, 1), (3, 3), (1, 3)]]})
    proba = clf.predict_proba([[2, 2], [0.5, 0.5]])
    assert proba.tolist() == [[0.5, 0.5, 0.0], [0.0, 1.0, 0.0]]  # classes: inner, outer, unknown


def test_degenerate_polygons_are_refused_with_the_region_named():
    with pytest.raises(ValueError, match="region 1 of label 'a' has zero area"):
        _classifier({"a": [SQUARE, [(0, 0), (1, 0), (2, 0), (3, 0)]]})
    with pytest.raises(ValueError, match="zero area"):
        check_area(np.array([(1, 1), (1, 1), (1, 1)], dtype=float))
    with pytest.raises(ValueError, match="region 0 of label 'b': polygon vertices must be finite"):
        normalize_regions({"b": [[(0, 0), (1, np.nan), (0, 1)]]})
    assert check_area(np.array([(0, 0), (1e-6, 0), (0, 1e-6)])).shape == (3, 2)  # tiny, not degenerate


def test_points_exactly_on_edges_follow_the_half_open_rule():
    left, right = [(0, 0), (1, 0), (1, 1), (0, 1)], [(1, 0), (2, 0), (2, 1), (1, 1)]
    clf = _classifier({"left": [left], "right": [right]})
    # the shared edge x = 1 belongs to exactly one square: the one lying to its right
    assert clf.predict([[1.0, 0.5]]).tolist() == ["right"]
    assert clf.contains([[1.0, 0.5]]).sum() == 1
    # bottom and left edges are inside, top and right edges outside
    assert clf.predict([[0.5, 0.0], [0.0, 0.5], [0.5, 1.0], [2.0, 0.5]]).tolist() == ["left", "left", "unknown", "unknown"]
    square = np.array(SQUARE, dtype=float)
    assert even_odd_inside(np.array([0.0, 2.0]), np.array([1.0, 1.0]), square).tolist() == [True, False]


def test_points_on_an_outer_edge_tie_and_predict_gives_the_fallback():
    clf = RegionClassifier({"a": [SQUARE]}, falloff=1.0).fit(np.zeros((1, 2)))
    assert clf.predict_proba([[2.0, 1.0]]).tolist() == [[0.5, 0.5]]
    assert clf.predict([[2.0, 1.0]]).tolist() == ["unknown"]


def test_distance_to_edges_matches_a_brute_force_reference():
    rng = np.random.default_rng(0)
    polygon = np.array([(0, 0), (3, 0), (3, 1), (1, 1), (1, 3), (0, 3)], dtype=float)
    pts = rng.uniform(-1, 4, size=(500, 2))
    t = np.linspace(0, 1, 2001)[:, None]
    dense = np.concatenate([a + t * (b - a) for a, b in zip(polygon, np.roll(polygon, -1, axis=0))])
    brute = np.sqrt(((pts[:, None, :] - dense[None]) ** 2).sum(-1)).min(axis=1)
    np.testing.assert_allclose(distance_to_edges(pts[:, 0], pts[:, 1], polygon), brute, atol=2e-3)


def test_hull_regions_contain_their_points_even_when_degenerate():
    X = np.array([[0, 0], [1, 1], [2, 2], [5, 5], [9, 0]], dtype=float)  # class a on a line, b one point
    y = np.array(["a", "a", "a", "b", "c"])
    regions = hull_regions(X, y)
    clf = _classifier(regions)
    assert clf.predict(X).tolist() == y.tolist()


def test_central_hull_ignores_stragglers():
    rng = np.random.default_rng(0)
    pts = np.r_[rng.normal(size=(300, 2)), [[50.0, 50.0]]]
    hull = central_hull(pts, keep=0.8)
    assert np.abs(hull).max() < 5
    with pytest.raises(ValueError, match="keep"):
        central_hull(pts, keep=0)


def test_regions_round_trip_through_json():
    regions = normalize_regions({"a": [SQUARE], 7: [[(0, 0), (1, 0), (0, 1)]]})
    assert list(regions) == ["a", "7"]
    assert normalize_regions(to_json(regions)).keys() == regions.keys()
