"""The cluster review and the HTML report in a real marimo notebook, under marimo's dark theme.

marimo displays anywidgets only; the ipywidgets review widget shows marimo's "Jupyter widgets are
not supported" banner there (checked below), so marimo gets ``corral.map.marimo_review.marimo_review``:
marimo's own text field and buttons around the map anywidget. The notebook (300 texts in three
groups, reviewed as three clusters) is served by ``marimo edit`` with ``display.theme = "dark"``:

* the map follows marimo's dark theme (its ``corral-dark`` class, light text on a dark canvas);
* "Label cluster" with a typed name labels the cluster in Python and moves on: the panel and a
  cell that calls ``review()`` re-run with the new progress and counts, the map's legend follows;
* a lasso inside the next cluster, then "Label selection", labels those points only;
* "Skip", then key "1" on the map labels points of the current cluster: the panel re-runs (its
  labeled share) although the change came from the map; "◀ Previous" goes back;
* texts and names are shown as text; the report (``corral.report.inline.show_report``) displays
  in an iframe with its bokeh canvases drawn.
"""

from __future__ import annotations

import io
import json
import re
import time

import numpy as np
import pytest
from corral_marimo import (
    READY,
    cell_errors,
    fail_on_page_errors,
    lasso_group,
    marimo_edit,
    marimo_page,
    python_says,
)
from PIL import Image

pytestmark = pytest.mark.e2e

NOTEBOOK = '''\
import marimo

app = marimo.App(width="medium")


@app.cell
def _():
    import json

    import marimo as mo
    import numpy as np

    import corral
    from corral.map.marimo_review import marimo_review
    from corral.report.inline import show_report

    rng = np.random.default_rng(0)
    centers = np.array([[0.0, 0.0], [8.0, 0.0], [4.0, 7.0]])
    coords = np.vstack([c + rng.normal(scale=0.6, size=(100, 2)) for c in centers])
    texts = [f"query {i} <b>of</b> group {i // 100}" for i in range(300)]
    lab = corral.Labeler(texts, embedder=corral.HashingEmbedder(), coords=coords)
    return json, lab, marimo_review, mo, show_report


@app.cell
def _(lab, marimo_review):
    review = marimo_review(lab.review(clusters=[i // 100 for i in range(300)]), map_height=420)
    review().map
    return (review,)


@app.cell
def _(review):
    review().panel()
    return


@app.cell
def _(json, lab, mo, review):
    _session = review().session  # re-runs after every review action and label change
    mo.md(f"PY-REVIEWED={_session.progress.reviewed} PY-POSITION={_session.position} "
          f"PY-COUNTS={json.dumps(lab.counts.to_dict())}")
    return


@app.cell
def _(lab):
    lab.review(clusters=[i // 100 for i in range(300)])  # the ipywidgets review: marimo refuses it
    return


@app.cell
def _(lab, show_report):
    show_report(lab, height=720)
    return


if __name__ == "__main__":
    app.run()
'''

COUNTS = r'PY-COUNTS=(\{(?:"[^}]*)?\})'


@pytest.fixture(scope="module")
def review_page(e2e_browser, tmp_path_factory, shared_cache, artifacts):
    base = tmp_path_factory.mktemp("marimo-review")
    notebook = base / "review.py"
    notebook.write_text(NOTEBOOK)
    with marimo_edit(notebook, base, shared_cache, theme="dark") as url:
        with marimo_page(e2e_browser, url, artifacts, "marimo-review") as page:
            yield page


def _state(page, want) -> tuple[int, int, dict]:
    m = python_says(page, r"PY-REVIEWED=(\d+) PY-POSITION=(\d+) " + COUNTS,
                    lambda m: want((int(m.group(1)), int(m.group(2)), json.loads(m.group(3)))))
    return int(m.group(1)), int(m.group(2)), json.loads(m.group(3))


def _panel_says(page, css: str, pattern: str, timeout: float = 20) -> str:
    deadline = time.monotonic() + timeout
    while True:
        fail_on_page_errors(page)
        texts = page.locator(css).all_text_contents()
        if any(re.search(pattern, t) for t in texts):
            return next(t for t in texts if re.search(pattern, t))
        if time.monotonic() > deadline:
            raise AssertionError(f"{css} never showed {pattern!r} (shows {texts}); cells in error: {cell_errors(page)}")
        page.wait_for_timeout(150)


def _legend(page) -> dict[str, int]:
    rows = page.locator(READY).locator(".corral-legend-row").evaluate_all(
        "rows => rows.map(r => [r.querySelector('.corral-label').textContent, r.querySelector('.corral-count').textContent])")
    return {name: int(count.replace(",", "")) for name, count in rows}


def _luminance(css: str) -> int:
    return sum(int(float(v)) for v in css[css.index("(") + 1:css.index(")")].replace(",", " ").split()[:3])


def test_the_map_follows_marimos_dark_theme(review_page, artifacts):
    page = review_page
    assert "dark-theme" in page.evaluate("document.body.className")
    assert not page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")  # the theme is marimo's own
    dark, fg, bg = page.locator(READY).evaluate(
        "r => [r.classList.contains('corral-dark'), getComputedStyle(r).color,"
        " getComputedStyle(r.querySelector('.corral-canvas-wrap')).backgroundColor]")
    assert dark, "the map did not take marimo's dark theme"
    assert _luminance(fg) > _luminance(bg), (fg, bg)
    png = page.locator(READY).locator("canvas").screenshot()
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    assert np.median(pixels) < 60, "the canvas is not dark"
    page.screenshot(path=str(artifacts / "e2e-marimo-dark.png"))


def test_review_in_marimo_labels_and_reruns_cells(review_page, artifacts):
    page = review_page
    _state(page, lambda s: s == (0, 0, {}))
    _panel_says(page, ".corral-mreview-cluster", r"^Cluster 1 / 3: cluster 0 \(100 texts, 0% labeled, to review\)$")
    sample = page.locator(".corral-mreview-sample li").all_text_contents()
    assert sample and all("<b>of</b> group 0" in text for text in sample)  # texts as text, of the cluster

    field = page.get_by_placeholder("label name")
    field.click()
    page.keyboard.type("first", delay=20)
    page.get_by_role("button", name="Label cluster").click()
    assert _state(page, lambda s: s[0] == 1) == (1, 1, {"first": 100})
    _panel_says(page, ".corral-mreview-cluster", r"^Cluster 2 / 3: cluster 1 ")
    _panel_says(page, ".corral-mreview-message", "Labeled 100 texts of cluster 0 “first”")
    deadline = time.monotonic() + 10
    while _legend(page).get("first") != 100 and time.monotonic() < deadline:
        page.wait_for_timeout(150)
    assert _legend(page).get("first") == 100

    # a lasso inside the current cluster (group 1), then "Label selection": those points only
    chosen = lasso_group(page, 1)
    field = page.get_by_placeholder("label name")
    field.click()
    page.keyboard.type("second", delay=20)
    page.get_by_role("button", name="Label selection").click()
    reviewed, position, counts = _state(page, lambda s: "second" in s[2])
    assert counts == {"first": 100, "second": len(chosen)} and (reviewed, position) == (1, 1)
    _panel_says(page, ".corral-mreview-cluster", rf"^Cluster 2 / 3: cluster 1 \(100 texts, {len(chosen)}% labeled")

    # Skip; a label key on the map (a change from the map, not the panel) re-runs the panel too
    page.get_by_role("button", name="Skip").click()
    _state(page, lambda s: s[1] == 2)
    _panel_says(page, ".corral-mreview-cluster", r"^Cluster 3 / 3: cluster 2 \(100 texts, 0% labeled")
    third = lasso_group(page, 2)
    page.keyboard.press("1")  # "first"
    _state(page, lambda s: s[2].get("first") == 100 + len(third))
    _panel_says(page, ".corral-mreview-cluster", rf"^Cluster 3 / 3: cluster 2 \(100 texts, {len(third)}% labeled")
    page.get_by_role("button", name="◀ Previous").click()
    _state(page, lambda s: s[1] == 1)
    _panel_says(page, ".corral-mreview-cluster", r"^Cluster 2 / 3: cluster 1 .*skipped\)$")
    page.screenshot(path=str(artifacts / "e2e-marimo-review.png"))
    fail_on_page_errors(page)


def test_ipywidgets_review_is_refused_and_the_report_displays(review_page, artifacts):
    page = review_page
    # what marimo says of the ipywidgets VBox (why marimo_review exists); no traceback
    assert "Jupyter widgets are not supported in marimo" in page.evaluate("document.body.innerText")
    assert cell_errors(page) == []
    frame = page.locator("iframe.corral-report-frame")
    frame.scroll_into_view_if_needed()
    report = page.frame_locator("iframe.corral-report-frame")
    deadline = time.monotonic() + 60
    while report.locator("canvas").count() < 2 and time.monotonic() < deadline:
        fail_on_page_errors(page)
        page.wait_for_timeout(250)
    assert report.locator("canvas").count() >= 2, "the report's bokeh plots were not drawn"
    assert report.get_by_text(re.compile(r"^300 texts · \d+ labeled")).count() == 1  # its header (in bokeh's shadow DOM)
    frame.screenshot(path=str(artifacts / "e2e-marimo-report.png"))
    fail_on_page_errors(page)
