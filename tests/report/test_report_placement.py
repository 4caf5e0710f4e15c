"""Names over the report's map (cluster outlines, regions): placed without overlap, whole inside the
plot (corral.report.placement, and the report built with 40 crowded clusters)."""

from __future__ import annotations

import numpy as np
import pytest
from bokeh.models import GlyphRenderer, Text

from corral import HashingEmbedder, Labeler
from corral.report.html import NAME_FONT_PX, build_report
from corral.report.placement import fit_text, intersects, place_names, text_box
from corral.review.clusters import Clusters


def boxes(items, centres):
    return [(c[0] - it[2] / 2, c[0] + it[2] / 2, c[1] - it[3] / 2, c[1] + it[3] / 2)
            for it, c in zip(items, centres) if c is not None]


def assert_apart_and_inside(placed, bounds):
    for i, a in enumerate(placed):
        assert bounds[0] - 1e-9 <= a[0] and a[1] <= bounds[1] + 1e-9, f"box {a} out of x {bounds[:2]}"
        assert bounds[2] - 1e-9 <= a[2] and a[3] <= bounds[3] + 1e-9, f"box {a} out of y {bounds[2:]}"
        for b in placed[i + 1:]:
            assert not intersects(a, b), f"boxes {a} and {b} overlap"


@pytest.mark.parametrize("seed", range(8))
def test_crowded_names_never_overlap_and_stay_inside(seed):
    rng = np.random.default_rng(seed)
    bounds = (-5.0, 5.0, -3.0, 3.0)
    # 60 names, many anchored in one corner heap and some right on the edges
    anchors = np.vstack([rng.normal(0, 1.0, size=(40, 2)), rng.uniform([-5, -3], [5, 3], size=(15, 2)),
                         [[-5, -3], [5, 3], [5, -3], [-5, 3], [4.99, 0]]])
    items = [(float(x), float(y), float(rng.uniform(0.5, 3.0)), 0.4, float(rng.uniform())) for x, y in anchors]
    centres = place_names(items, bounds)
    placed = boxes(items, centres)
    assert_apart_and_inside(placed, bounds)
    assert 8 <= len(placed) < len(items)  # a heap: many placed, not all
    top = max(range(len(items)), key=lambda i: items[i][4])
    assert centres[top] is not None  # the most important name is always shown


def test_a_name_at_the_edge_is_moved_in_whole():
    bounds = (0.0, 10.0, 0.0, 10.0)
    centres = place_names([(9.9, 9.9, 4, 1, 1), (0, 5, 2, 1, 1)], bounds)
    assert centres == [(8.0, 9.5), (1.0, 5)]


def test_names_that_cannot_fit_are_skipped_and_a_gap_is_kept():
    bounds = (0.0, 10.0, 0.0, 10.0)
    items = [(5, 5, 12, 1, 3), (20, 5, 1, 1, 2), (5, 5, 2, 1, 1), (5.5, 5, 2, 1, 0.5)]
    centres = place_names(items, bounds, gap=0.5)
    assert centres[0] is None and centres[1] is None  # wider than the plot; anchor outside it
    assert centres[2] == (5, 5)
    a, b = boxes(items[2:], centres[2:])
    assert not intersects(a, b, 0.5)


def test_text_boxes_and_shortening():
    w, h = text_box("delete · service · account", 12, (0.01, 0.02))
    w2, _ = text_box("delete", 12, (0.01, 0.02))
    assert w > w2 > 0 and h > 0
    assert text_box("ab", 12, (0.02, 0.02))[0] > text_box("ab", 12, (0.01, 0.02))[0]
    assert fit_text("short", 10) == "short"
    assert len(fit_text("delete · service · account", 10)) == 10 and fit_text("abcdefgh", 5).endswith("…")


def name_boxes(layout):
    """The placed names of a report, as data-unit boxes estimated the way the report sizes them."""
    fig = next(m for m in layout.references() if getattr(m, "frame_width", None) and m.title.text == "map coloured by label")
    per_px = ((fig.x_range.end - fig.x_range.start) / fig.frame_width, (fig.y_range.end - fig.y_range.start) / fig.frame_height)
    out = []
    for r in layout.references():
        if isinstance(r, GlyphRenderer) and isinstance(r.glyph, Text):
            d = r.data_source.data
            for x, y, t in zip(d["x"], d["y"], d["text"]):
                w, h = text_box(t, NAME_FONT_PX, per_px)
                out.append((x - w / 2, x + w / 2, y - h / 2, y + h / 2))
    return out, (fig.x_range.start, fig.x_range.end, fig.y_range.start, fig.y_range.end)


def test_report_with_40_crowded_clusters_places_no_overlapping_names():
    rng = np.random.default_rng(1)
    centres = np.c_[np.arange(40) % 8, np.arange(40) // 8] * 0.6  # 40 blobs, names far wider than their gaps
    coords = np.repeat(centres, 12, axis=0) + rng.normal(0, 0.08, size=(480, 2))
    assignment = np.repeat(np.arange(40), 12)
    names = {k: f"delete · service · account {k}" for k in range(40)}
    clusters = Clusters(assignment=assignment, ids=list(range(40)), names=names,
                        sizes={k: 12 for k in range(40)})
    lab = Labeler([f"text {i}" for i in range(480)], embedder=HashingEmbedder(), coords=coords)
    lab.regions = {"edge region name": [[(4.1, -0.2), (4.4, -0.2), (4.4, 2.6), (4.1, 2.6)]]}
    layout = build_report(lab, title="t", clusters=clusters)
    placed, bounds = name_boxes(layout)
    assert 5 <= len(placed) < 41  # a heap: some names shown, the colliding ones left out
    assert_apart_and_inside(placed, bounds)
    texts = [t for r in layout.references() if isinstance(r, GlyphRenderer) and isinstance(r.glyph, Text)
             for t in r.data_source.data["text"]]
    assert "edge region name" in texts  # the largest shape, at the right edge: shown whole
    assert all(t.startswith("delete · service · account") or t == "edge region name" for t in texts)
