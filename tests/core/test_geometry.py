import numpy as np
import pytest

from corral.core.geometry import points_in_polygon


def brute_force(points, polygon):
    """Textbook per-point even-odd test, to compare the vectorised one against."""
    out = []
    n = len(polygon)
    for x, y in points:
        inside = False
        for i in range(n):
            (ax, ay), (bx, by) = polygon[i], polygon[(i + 1) % n]
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                inside = not inside
        out.append(inside)
    return np.array(out)


def test_square_and_outside():
    square = [(0, 0), (2, 0), (2, 2), (0, 2)]
    pts = np.array([[1, 1], [3, 1], [-1, -1], [1.999, 0.001]])
    assert points_in_polygon(pts, square).tolist() == [True, False, False, True]


def test_concave_polygon():
    u_shape = [(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)]
    pts = np.array([[0.5, 2], [1.5, 2], [2.5, 2], [1.5, 0.5]])
    assert points_in_polygon(pts, u_shape).tolist() == [True, False, True, True]


def test_self_intersecting_bowtie_uses_even_odd():
    bowtie = [(0, 0), (2, 2), (2, 0), (0, 2)]
    pts = np.array([[0.2, 1], [1.8, 1], [1, 0.2], [1, 1.8]])
    assert points_in_polygon(pts, bowtie).tolist() == [True, True, False, False]


def test_overlapping_loops_cancel_like_a_lasso():
    # a lasso that goes round a square twice, second time smaller: the inner square is "outside"
    ring = [(0, 0), (4, 0), (4, 4), (0, 4), (0, 0), (1, 1), (1, 3), (3, 3), (3, 1), (1, 1)]
    pts = np.array([[0.5, 0.5], [2, 2]])
    assert points_in_polygon(pts, ring).tolist() == [True, False]


def test_degenerate_polygon_contains_nothing():
    line = [(0, 0), (1, 1), (2, 2)]
    assert not points_in_polygon(np.array([[1, 1], [0.5, 0.5]]), line).any()


def test_matches_brute_force_on_random_polygons():
    rng = np.random.default_rng(1)
    for _ in range(20):
        k = rng.integers(3, 12)
        polygon = rng.uniform(-1, 1, size=(k, 2))
        pts = rng.uniform(-1.2, 1.2, size=(300, 2))
        assert (points_in_polygon(pts, polygon) == brute_force(pts, polygon)).all()


def test_a_million_points():
    rng = np.random.default_rng(2)
    pts = rng.uniform(-1, 1, size=(1_000_000, 2)).astype(np.float32)
    angles = np.linspace(0, 2 * np.pi, 100, endpoint=False)
    circle = np.c_[0.5 * np.cos(angles), 0.5 * np.sin(angles)]
    inside = points_in_polygon(pts, circle)
    share = inside.mean()
    assert share == pytest.approx(np.pi * 0.25 / 4, rel=0.02)  # area of the circle / area of the square
    radius = np.hypot(pts[:, 0], pts[:, 1])
    assert inside[radius < 0.49].all() and not inside[radius > 0.51].any()
