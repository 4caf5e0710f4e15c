"""The standalone HTML report: what the page holds, offline resources, escaping, sampling."""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pandas as pd
import pytest
from bokeh.models import ColorBar, GlyphRenderer, HoverTool, Patches, Scatter, Text

from corral import HashingEmbedder, Labeler
from corral.report.html import build_report

XSS = ["<script>window.__xss = 1</script>", "<img src=x onerror=\"window.__xss=2\">", "</script><b>bold</b>",
       "{safe} @text $x", "a & b < c"]


@pytest.fixture
def lab(blobs):
    coords, truth = blobs
    texts = [f"{XSS[i % len(XSS)]} #{i}" for i in range(len(truth))]
    lab = Labeler(texts, embedder=HashingEmbedder(), coords=coords)
    lab.assign(np.flatnonzero(truth == 0), "zero")
    lab.assign(np.flatnonzero(truth == 1)[:10], "one")
    return lab


def models(layout, kind):
    return [m for m in layout.references() if isinstance(m, kind)]


def strings(tree):
    """Every string inside a JSON tree."""
    if isinstance(tree, str):
        yield tree
    elif isinstance(tree, dict):
        for value in tree.values():
            yield from strings(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from strings(value)


def point_data(layout) -> dict:
    renderer = next(r for r in models(layout, GlyphRenderer) if isinstance(r.glyph, Scatter))
    return renderer.data_source.data


def test_report_map_counts_and_hover(lab):
    layout = build_report(lab, title="t")
    data = point_data(layout)
    assert len(data["x"]) == len(lab) and list(data["text"]) == lab.texts
    assert list(data["label"][:30]) == ["zero"] * 30 and data["label"][-1] == "unlabeled"  # as in the widget
    figures = [f for f in layout.references() if type(f).__name__ == "figure"]
    assert all(f.output_backend == "webgl" for f in figures if f.title.text == "map coloured by label")
    tips = [h.tooltips for h in models(layout, HoverTool)]
    assert [("text", "@text"), ("label", "@label")] in tips
    assert not any("{safe}" in value for t in tips for _, value in t)  # bokeh escapes @field values
    bars = next(r for r in models(layout, GlyphRenderer) if type(r.glyph).__name__ == "HBar")
    assert dict(zip(bars.data_source.data["label"], bars.data_source.data["count"])) == {
        "zero": 30, "one": 10, "unlabeled": 50}


def test_report_regions_clusters_and_doubt(lab, blobs):
    coords, truth = blobs
    lab.regions = {"zero": [[(-2, -2), (2, -2), (2, 2), (-2, 2)]], "drawn only": [[(8, -2), (12, -2), (10, 2)]]}
    doubt = pd.Series(np.linspace(0, 1, len(lab)), index=lab.index, name="doubt")
    layout = build_report(lab, title="t", doubt=doubt, clusters=truth)
    patches = [r.glyph for r in models(layout, GlyphRenderer) if isinstance(r.glyph, Patches)]
    assert len(patches) == 2  # regions, cluster outlines
    regions = next(r for r in models(layout, GlyphRenderer) if isinstance(r.glyph, Patches)
                   and r.glyph.fill_alpha == 0.15)
    assert len(regions.data_source.data["xs"]) == 2
    names = next(r for r in models(layout, GlyphRenderer) if r.name == "cluster names")
    assert sorted(names.data_source.data["text"]) == ["cluster 0", "cluster 1", "cluster 2"]
    region_names = next(r for r in models(layout, GlyphRenderer) if r.name == "region names")
    assert sorted(region_names.data_source.data["text"]) == ["drawn only", "zero"]  # canvas text, on a background
    assert region_names.glyph.background_fill_color is not None
    data = point_data(layout)
    np.testing.assert_allclose(data["doubt"], doubt.to_numpy())
    assert models(layout, ColorBar)
    assert ("doubt", "@doubt{0.00}") in [t for h in models(layout, HoverTool) for t in h.tooltips]


def test_report_uses_the_review_clusters_when_there_is_a_review(lab, blobs):
    lab.review(clusters=blobs[1])
    layout = build_report(lab, title="t")
    names = next(r for r in models(layout, GlyphRenderer) if r.name == "cluster names")
    assert len(names.data_source.data["text"]) == 3


def test_report_clusters_default_to_the_suggested_ones(lab):
    layout = build_report(lab, title="t")
    names = next(r for r in models(layout, GlyphRenderer) if r.name == "cluster names")
    assert sorted(names.data_source.data["text"]) == sorted(lab.clusters().names.values())
    assert len(names.data_source.data["text"]) == 3
    plain = build_report(lab, title="t", clusters=False)
    assert not [r for r in models(plain, GlyphRenderer) if isinstance(r.glyph, (Text, Patches))]


def test_report_samples_down_with_a_visible_note(lab):
    layout = build_report(lab, title="t", max_points=40)
    data = point_data(layout)
    assert len(data["x"]) == 40 and len(set(data["text"])) == 40
    header = layout.children[0].text
    assert "random sample of 40 of the 90 texts" in header
    bars = next(r for r in models(layout, GlyphRenderer) if type(r.glyph).__name__ == "HBar")
    assert sum(bars.data_source.data["count"]) == 90  # counts cover every text
    assert "sample" not in build_report(lab, title="t").children[0].text


def test_html_file_is_self_contained_and_escaped(lab, tmp_path):
    path = lab.to_html(tmp_path / "sub" / "report.html", title="<script>alert('title')</script> & co")
    page = path.read_text(encoding="utf-8")
    assert "<script>alert('title')</script>" not in page
    assert "&lt;script&gt;alert(" in page  # the title, escaped (by bokeh in <title>, by us in the header)
    assert not re.search(r"<script[^>]+src=", page)  # BokehJS is inlined: nothing to fetch
    assert "cdn.bokeh.org" not in page and len(page) > 500_000
    for text in XSS:  # every payload only as escaped JSON data, never as markup
        assert "<" not in text or text not in page
    docs = re.search(r'<script type="application/json" id="[^"]+">\s*(.*?)\s*</script>', page, re.S)
    assert set(lab.texts) <= set(strings(json.loads(html.unescape(docs.group(1)))))  # ... and all there


def test_bad_arguments_name_the_problem(lab):
    with pytest.raises(ValueError, match="max_points"):
        build_report(lab, title="t", max_points=0)
    with pytest.raises(ValueError, match="one value per text"):
        build_report(lab, title="t", doubt=np.zeros(3))
    with pytest.raises(KeyError, match="'doubt' column"):
        build_report(lab, title="t", doubt=pd.DataFrame({"x": np.zeros(len(lab))}))
    with pytest.raises(ValueError, match="'auto'"):
        build_report(lab, title="t", clusters="all")
    with pytest.raises(ValueError, match="cover 2 points"):
        build_report(lab, title="t", clusters=[0, 1])


def _luminance(color: str) -> float:
    r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_report_lists_labels_as_the_widget_does(blobs):
    """Issue 11: label order and the unlabeled entry differ from the widget's (code order with the
    palette's colours, labels with no texts left out, "unlabeled" last)."""
    from bokeh.models import Legend

    from corral.core.palette import UNLABELED, colors_for

    coords, truth = blobs
    lab = Labeler([f"t{i}" for i in range(len(truth))], embedder=HashingEmbedder(), coords=coords)
    lab.assign([0, 1], "gone")
    lab.assign(np.flatnonzero(truth == 1)[:10], "b")  # first used, fewer texts, later in the alphabet
    lab.assign(np.flatnonzero(truth == 0), "a")
    lab.clear([0, 1])
    layout = build_report(lab, title="t")
    bars = next(r for r in models(layout, GlyphRenderer) if type(r.glyph).__name__ == "HBar").data_source.data
    colors = dict(zip(lab.label_names, colors_for(len(lab.label_names))))
    assert list(bars["label"]) == ["b", "a", "unlabeled"]
    assert list(bars["color"]) == [colors["b"], colors["a"], UNLABELED]
    fig = next(f for f in layout.references() if type(f).__name__ == "figure" and f.title.text == "texts per label")
    assert list(fig.y_range.factors) == ["unlabeled", "a", "b"]  # drawn top down: b, a, unlabeled
    legend = models(layout, Legend)[0]
    names = [item.label.value for item in legend.items]
    assert names == ["b", "a", "unlabeled"]
    data = point_data(layout)
    assert [data["label"][item.index] for item in legend.items] == names  # each swatch shows its label


def test_doubt_map_shows_the_most_doubtful_darkest_and_on_top(lab):
    from bokeh.models import LinearColorMapper

    doubt = pd.Series(np.random.default_rng(1).uniform(0, 1, len(lab)), index=lab.index)
    layout = build_report(lab, title="t", doubt=doubt)
    mapper = models(layout, LinearColorMapper)[0]
    assert (mapper.low, mapper.high) == (0.0, 1.0)
    shades = [_luminance(c) for c in mapper.palette]
    assert shades[0] > 200 and shades[-1] < 40 and shades[0] > shades[len(shades) // 2] > shades[-1]
    doubt_points = next(r for r in models(layout, GlyphRenderer) if isinstance(r.glyph, Scatter)
                        and getattr(r.glyph.fill_color, "transform", None) is mapper).data_source.data
    drawn = np.asarray(doubt_points["doubt"])
    assert (np.diff(drawn) >= 0).all()  # drawn in rising doubt: the most doubtful last, on top
    text_of = dict(zip(point_data(layout)["text"], point_data(layout)["doubt"]))
    assert all(text_of[t] == d for t, d in zip(doubt_points["text"], drawn))  # rows kept whole
