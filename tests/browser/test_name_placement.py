"""Outline and region names over the map (harness tier): many crowded outlines and names right
at the canvas edge never overlap into heaps and are never cut at the edge; the larger shape's
name wins its place; names stay text. Boxes are read from the DOM as the browser lays them out
(the background behind each name and the text's own box), not from the widget's placement."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from corral_gestures import clusters, topic_texts
from corral_harness import assert_no_errors, flush, mount, settle

import corral

XSS = '<img src=x onerror="window.__xss = 1">'


@pytest.fixture
def lab():
    coords, truth = clusters()
    return corral.Labeler(topic_texts(truth), coords=coords, embedder=corral.HashingEmbedder())


def square(cx, cy, half):
    return [[cx - half, cy - half], [cx + half, cy - half], [cx + half, cy + half], [cx - half, cy + half]]


def crowded_outlines(coords):
    """40 small outlines packed around one spot, one large one there, and long names anchored on
    the four edges of the points' extent (where the canvas edge is)."""
    (x0, y0), (x1, y1) = coords.min(0), coords.max(0)
    mid = np.array([5.0, 3.0])
    out = [{"name": f"delete \u00b7 service \u00b7 account {i}", "polygon": square(*(mid + 0.25 * np.array([i % 8, i // 8])), 0.3)}
           for i in range(40)]
    out.append({"name": "the biggest cluster", "polygon": square(*(mid + [0.9, 0.5]), 2.5)})
    out.append({"name": XSS, "polygon": square(*(mid + [0.4, 0.2]), 0.2)})
    edge = "elete \u00b7 service \u00b7 account \u00b7 close \u00b7 my \u00b7 account"
    out += [{"name": f"{edge} {side}", "polygon": square(x, y, 0.05)}
            for side, (x, y) in {"left": (x0, 6.5), "right": (x1, 6.5), "top": (5.0, y1), "bottom": (5.0, y0),
                                 "corner": (x1, y1)}.items()]
    return out


def name_boxes(page):
    """[{name, text, hidden, bg: [l, t, r, b], glyphs: [l, t, r, b]}] in page px, and the canvas box."""
    return page.evaluate(
        """() => {
            const box = r => [r.left, r.top, r.right, r.bottom];
            const canvas = box(document.querySelector('#mount canvas').getBoundingClientRect());
            const names = [...document.querySelectorAll('#mount .corral-name')].map(g => {
                const t = g.querySelector('text');
                return { name: t.getAttribute('data-name'), text: t.textContent, hidden: g.getAttribute('display') === 'none',
                         bg: box(g.querySelector('rect').getBoundingClientRect()), glyphs: box(t.getBoundingClientRect()) };
            });
            return { canvas, names };
        }"""
    )


def check_layout(page, *, min_shown: int):
    got = name_boxes(page)
    cl, ct, cr, cb = got["canvas"]
    shown = [n for n in got["names"] if not n["hidden"]]
    assert len(shown) >= min_shown, f"only {len(shown)} names shown"
    for n in shown:
        l, t, r, b = n["bg"]
        assert cl - 0.5 <= l and r <= cr + 0.5 and ct - 0.5 <= t and b <= cb + 0.5, f"{n['text']!r} cut at the edge"
        gl, gt, gr, gb = n["glyphs"]
        assert l - 1 <= gl and gr <= r + 1 and t - 1 <= gt and gb <= b + 1, f"{n['text']!r} spills out of its background"
    for a, b in itertools.combinations(shown, 2):
        (al, at, ar, ab), (bl, bt, br, bb) = a["bg"], b["bg"]
        overlap = min(ar, br) - max(al, bl) > 0.5 and min(ab, bb) - max(at, bt) > 0.5
        assert not overlap, f"{a['text']!r} and {b['text']!r} overlap"
    return got


def test_crowded_outlines_and_edge_names_neither_overlap_nor_get_cut(page, lab, artifacts):
    outlines = crowded_outlines(lab.coords)
    lab.regions = {"rain": [square(0.0, 0.0, 1.5)], "jazz": [square(5.3, 3.2, 1.0)]}
    mount(page, lab.show(outlines=outlines))
    settle(page)
    page.screenshot(path=str(artifacts / "names-crowded.png"))
    got = check_layout(page, min_shown=8)
    by_name = {n["name"]: n for n in got["names"]}
    assert len(by_name) == len(outlines) + 2
    # Not every crowded name fits: some are hidden rather than heaped.
    assert sum(n["hidden"] for n in got["names"]) >= 10
    # The largest shape in the heap keeps its name; names on the edges are shown whole.
    assert not by_name["the biggest cluster"]["hidden"]
    for side in ("left", "right", "top", "bottom", "corner"):
        n = next(v for k, v in by_name.items() if k.endswith(side))
        assert not n["hidden"] and n["text"] == n["name"], f"the {side} name is hidden or shortened"
    # Names are text: nothing of a hostile one ran as HTML.
    assert by_name[XSS]["text"] in (XSS, "") or by_name[XSS]["text"].endswith("\u2026")
    assert page.evaluate("document.querySelectorAll('#mount img').length === 0 && window.__xss === undefined")

    # Zoomed in on the heap: names are placed again, still apart and inside.
    page.mouse.move(*[v + 1 for v in page.eval_on_selector("#mount canvas", "c => { const r = c.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }")])
    for _ in range(4):
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(60)
    page.wait_for_timeout(600)
    settle(page)
    check_layout(page, min_shown=5)
    page.screenshot(path=str(artifacts / "names-zoomed.png"))

    # A narrow widget: a name wider than the canvas is shortened with "…" and still inside.
    page.click("#mount .corral-reset")
    page.evaluate("document.getElementById('mount').style.width = '330px'")
    page.wait_for_timeout(600)
    settle(page)
    page.screenshot(path=str(artifacts / "names-narrow.png"))
    got = check_layout(page, min_shown=3)
    assert any(n["text"].endswith("\u2026") and not n["hidden"] for n in got["names"])
    flush(page)
    assert_no_errors(page)
