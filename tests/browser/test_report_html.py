"""The standalone HTML report in headless Chromium: it opens from a file with every request off the
machine refused, logs no error, draws the map (pixels of the label colours on the WebGL canvas),
and hostile texts show literally in hover tooltips without running.

Screenshots land in test-artifacts/ (report.png, report-tooltip.png).
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import expect

from corral import HashingEmbedder, Labeler
from corral.core.palette import UNLABELED, colors_for

XSS = [
    "<img src=x onerror=window.__xss=1>",
    "<script>window.__xss=2</script>",
    "</script><script>window.__xss=3</script>",
    "<svg onload=window.__xss=4></svg>",
    '"><b onmouseover=window.__xss=5>bold?</b>',
    "@label {safe} $index ${x}",
    "javascript:window.__xss=6 &amp; &lt;",
]

# JS: the bokeh view of the figure whose title ends with `suffix`.
FIND_FIGURE = """(suffix) => {
    let found = null;
    const walk = v => {
        if (v.model.type === 'Figure' && v.model.title && v.model.title.text.endsWith(suffix)) found = v;
        for (const c of (v.child_views || [])) walk(c);
    };
    for (const r of Bokeh.index.roots) walk(r);
    return found;
}"""

POINT_ON_PAGE = """([i, suffix]) => {
    const v = (%s)(suffix);
    const src = v.model.renderers.find(r => r.glyph.type === 'Scatter').data_source;
    const c = v.canvas_view.el.getBoundingClientRect();
    return [c.left + v.frame.x_scale.compute(src.data.x[i]), c.top + v.frame.y_scale.compute(src.data.y[i])];
}""" % FIND_FIGURE

CANVAS_BOX = """(suffix) => {
    const v = (%s)(suffix);
    const c = v.canvas_view.el.getBoundingClientRect();
    return {x: c.left + v.frame.bbox.left, y: c.top + v.frame.bbox.top, width: v.frame.bbox.width,
            height: v.frame.bbox.height};
}""" % FIND_FIGURE


@pytest.fixture
def report(blobs, tmp_path):
    """A Labeler of three blobs (one labeled, one half labeled) plus the hostile texts, each alone
    on the map far from the blobs, written as a report with doubt."""
    coords, truth = blobs
    texts = [f"ordinary text {i}" for i in range(len(truth))] + XSS
    lonely = np.array([[20.0 + 4 * k, -6.0] for k in range(len(XSS))], dtype=np.float32)
    lab = Labeler(texts, embedder=HashingEmbedder(), coords=np.vstack([coords, lonely]))
    lab.assign(np.flatnonzero(truth == 0), "zero")
    lab.assign(np.flatnonzero(truth == 1)[:15], "one")
    lab.regions = {"zero": [[(-2, -2), (2, -2), (2, 2), (-2, 2)]]}
    doubt = np.linspace(0, 1, len(texts))
    path = lab.to_html(tmp_path / "report.html", title="<script>window.__xss=9</script> report", doubt=doubt,
                       clusters=np.concatenate([truth, np.full(len(XSS), -1)]))
    return lab, path


def open_offline(browser, path):
    """A page on the report's file, every request but file:// refused; collects page and console errors."""
    context = browser.new_context(viewport={"width": 1500, "height": 950})
    page = context.new_page()
    errors, refused = [], []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: errors.append(f"console.error: {msg.text}") if msg.type == "error" else None)

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.resolve().as_uri())
    page.wait_for_function("() => window.Bokeh && Bokeh.index.roots.length > 0 && Bokeh.documents.length > 0")
    page.wait_for_function("() => Bokeh.documents[0].is_idle")
    page.wait_for_timeout(300)  # the first WebGL frame
    return context, page, errors, refused


def blended(color: str, alpha: float = 0.8) -> np.ndarray:
    rgb = np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    return alpha * rgb + (1 - alpha) * 255


def pixels_near(img: np.ndarray, rgb: np.ndarray, tol: float = 24) -> int:
    return int((np.abs(img[..., :3].astype(float) - rgb).max(axis=2) < tol).sum())


def test_report_opens_offline_without_errors_and_draws_the_map(browser, report, artifacts):
    lab, path = report
    context, page, errors, refused = open_offline(browser, path)
    try:
        assert refused == [] and errors == []
        assert page.title() == "<script>window.__xss=9</script> report"  # shown literally
        assert page.evaluate("window.__xss") is None
        box = page.evaluate(CANVAS_BOX, "by label")
        page.screenshot(path=str(artifacts / "report.png"), full_page=True)
        shot = artifacts / "report-map.png"
        page.screenshot(path=str(shot), clip=box)
        img = np.asarray(Image.open(shot).convert("RGB"))
        zero, one = colors_for(2)
        drawn = {name: pixels_near(img, blended(c)) for name, c in
                 (("zero", zero), ("one", one), ("unlabeled", UNLABELED))}
        assert all(count > 50 for count in drawn.values()), drawn  # every label's points are on the canvas
        assert pixels_near(img, np.array([255.0, 255, 255]), tol=3) > 0.5 * img.shape[0] * img.shape[1]

        doubt_box = page.evaluate(CANVAS_BOX, "most doubtful)")
        page.screenshot(path=str(artifacts / "report-doubt.png"), clip=doubt_box)
        doubt_img = np.asarray(Image.open(artifacts / "report-doubt.png").convert("RGB"))
        coloured = (doubt_img.max(axis=2).astype(int) - doubt_img.min(axis=2)) > 40
        assert coloured.sum() > 200  # the doubt map draws its points in the Inferno colours
        header = page.locator(".corral-report-header").inner_text()
        assert "97 texts · 45 labeled (46%)" in header and "3 clusters" in header
        assert "<script>window.__xss=9</script> report" in header
    finally:
        context.close()


def test_hostile_texts_show_literally_in_tooltips_and_run_nothing(browser, report, artifacts):
    lab, path = report
    context, page, errors, _ = open_offline(browser, path)
    try:
        first = len(lab) - len(XSS)
        for k, text in enumerate(XSS):
            x, y = page.evaluate(POINT_ON_PAGE, [first + k, "by label"])
            page.mouse.move(x, y)
            value = page.locator(".bk-tooltip-row-value span[data-value]:visible").first
            expect(value).to_have_text(text, timeout=5000)  # the first row: the hovered point's text
            assert value.text_content() == text  # the exact text, as text
            assert value.evaluate("e => e.children.length") == 0  # no element was made from it
            if k == 0:
                page.screenshot(path=str(artifacts / "report-tooltip.png"))
            page.mouse.move(5, 5)
        assert page.evaluate("window.__xss") is None
        assert errors == []
    finally:
        context.close()


def test_sampled_report_says_so_on_the_page(browser, blobs, tmp_path):
    coords, truth = blobs
    lab = Labeler([f"t {i}" for i in range(len(truth))], embedder=HashingEmbedder(), coords=coords)
    path = lab.to_html(tmp_path / "sampled.html", max_points=30)
    context, page, errors, refused = open_offline(browser, path)
    try:
        note = page.locator(".corral-sample-note")
        assert note.is_visible()
        assert note.inner_text().startswith("The map shows a random sample of 30 of the 90 texts")
        assert page.evaluate("""() => { const v = (%s)('by label');
            return v.model.renderers.find(r => r.glyph.type === 'Scatter').data_source.data.x.length; }"""
                             % FIND_FIGURE) == 30
        assert errors == [] and refused == []
    finally:
        context.close()


def test_report_bench_runs_and_reports_ratios(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    out = tmp_path / "report.json"
    run = subprocess.run([sys.executable, str(root / "bench" / "report.py"), "--quick", "--out", str(out)],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "ratio" in run.stdout and "vs bare bokeh" in run.stdout
    row = json.loads(out.read_text())["rows"][0]
    assert row["n"] == 2000
    assert all(row[k] > 0 for k in ("assign_s", "label_cluster_s", "click_s", "call_s", "write_s", "peer_write_s",
                                    "open_s", "peer_open_s"))
    assert row["mb"] > 1 and row["peer_mb"] > 1  # both pages inline BokehJS


def test_report_fits_a_1400px_window_and_its_doubt_map_shows_the_doubtful_darkest(browser, report, artifacts):
    """Issue 11: the page was 1,840 px wide in a 1,400 px window, and the most doubtful points were
    the lightest on white."""
    lab, path = report
    context, page, errors, refused = open_offline(browser, path)
    try:
        page.set_viewport_size({"width": 1400, "height": 900})
        page.wait_for_timeout(300)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 1400, f"the page is {width} px wide"
        doubt_box = page.evaluate(CANVAS_BOX, "most doubtful)")
        page.mouse.move(0, 0)
        shot = np.asarray(Image.open(__import__("io").BytesIO(page.screenshot(full_page=True))).convert("RGB"))
        page.screenshot(path=str(artifacts / "report-1400.png"), full_page=True)
        n = len(lab)
        scroll = page.evaluate("() => [window.scrollX, window.scrollY]")

        def shade(i):  # luminance of the pixel under point i of the doubt map (rising-doubt order)
            x, y = page.evaluate(POINT_ON_PAGE, [i, "most doubtful)"])
            px = shot[int(round(y + scroll[1])), int(round(x + scroll[0]))].astype(float)
            return 0.2126 * px[0] + 0.7152 * px[1] + 0.0722 * px[2]

        assert doubt_box["width"] > 100
        doubtful = [shade(i) for i in range(n - 5, n)]  # the lonely hostile texts: doubt near 1
        sure = [shade(i) for i in range(5)]  # doubt near 0
        assert max(doubtful) < 90, doubtful  # dark on white
        assert min(sure) > max(doubtful) + 80, (sure, doubtful)
        assert errors == [] and refused == []
    finally:
        context.close()


# JS: the placed names of the label map as pixel boxes measured in this browser (canvas text
# metrics in the glyph's own font), and the frame they must stay inside.
NAME_BOXES = """() => {
    const v = (%s)("by label");
    const ctx = document.createElement("canvas").getContext("2d");
    const boxes = [];
    for (const r of v.model.renderers) {
        if (r.glyph.type !== "Text") continue;
        const g = r.glyph, d = r.data_source.data;
        const size = g.text_font_size.value, font = g.text_font.value, style = g.text_font_style.value;
        ctx.font = `${style === "normal" ? "" : style} ${size} ${font}`;
        const px = parseFloat(size), pad = g.padding;
        for (let i = 0; i < d.text.length; i++) {
            const w = ctx.measureText(d.text[i]).width + 2 * pad, h = 1.2 * px + 2 * pad;
            const cx = v.frame.x_scale.compute(d.x[i]), cy = v.frame.y_scale.compute(d.y[i]);
            boxes.push({text: d.text[i], x0: cx - w / 2, x1: cx + w / 2, y0: cy - h / 2, y1: cy + h / 2});
        }
    }
    const f = v.frame.bbox;
    return {boxes, frame: {x0: f.left, x1: f.right, y0: f.top, y1: f.bottom}};
}""" % FIND_FIGURE


def test_report_names_of_40_crowded_clusters_do_not_overlap_nor_leave_the_map(browser, tmp_path, artifacts):
    """Issue 11 item 3: outline and region names heaped into each other and were cut at the edge."""
    from corral.review.clusters import Clusters

    rng = np.random.default_rng(2)
    centres = np.c_[np.arange(40) % 8, np.arange(40) // 8] * 0.6
    coords = np.repeat(centres, 12, axis=0) + rng.normal(0, 0.08, size=(480, 2))
    assignment = np.repeat(np.arange(40), 12)
    clusters = Clusters(assignment=assignment, ids=list(range(40)), sizes={k: 12 for k in range(40)},
                        names={k: f"delete · service · account <b>{k}</b>" for k in range(40)})
    lab = Labeler([f"text {i}" for i in range(480)], embedder=HashingEmbedder(), coords=coords)
    lab.regions = {"edge <i>region</i>": [[(4.1, -0.2), (4.4, -0.2), (4.4, 2.6), (4.1, 2.6)]]}
    path = lab.to_html(tmp_path / "crowded.html", title="crowded", clusters=clusters)
    context, page, errors, refused = open_offline(browser, path)
    try:
        assert refused == [] and errors == []
        placed = page.evaluate(NAME_BOXES)
        boxes, frame = placed["boxes"], placed["frame"]
        page.screenshot(path=str(artifacts / "report-crowded-names.png"), clip=page.evaluate(CANVAS_BOX, "by label"))
        assert 5 <= len(boxes) <= 41
        assert "edge <i>region</i>" in [b["text"] for b in boxes]  # canvas text, shown literally
        for i, a in enumerate(boxes):
            assert frame["x0"] - 0.5 <= a["x0"] and a["x1"] <= frame["x1"] + 0.5, (a, frame)
            assert frame["y0"] - 0.5 <= a["y0"] and a["y1"] <= frame["y1"] + 0.5, (a, frame)
            for b in boxes[i + 1:]:
                apart = a["x1"] <= b["x0"] or b["x1"] <= a["x0"] or a["y1"] <= b["y0"] or b["y1"] <= a["y0"]
                assert apart, f"{a} and {b} overlap"
    finally:
        context.close()
