"""The review widget in a real JupyterLab: it shows the current cluster with its points selected on
the map; typing a label and clicking "Label cluster" labels the cluster in the kernel and the
progress text moves on.
"""

from __future__ import annotations

import json
import time

import nbformat
import numpy as np
import pytest
from corral_lab import (READY_MAP, lasso, lasso_path, map_positions, open_notebook, run_cell, selected_count,
                        wait_for)

pytestmark = pytest.mark.e2e

SETUP = """\
import numpy as np
import corral
rng = np.random.default_rng(0)
sizes, centers = [60, 40, 25], [(0, 0), (12, 0), (0, 12)]
coords = np.vstack([rng.normal(c, 0.6, (s, 2)) for c, s in zip(centers, sizes)])
words = ["rain forecast", "jazz playlist", "pizza order"]
texts = [f"{words[k]} <b>{i}</b>" for k, s in enumerate(sizes) for i in range(s)]
lab = corral.Labeler(texts, embedder=corral.HashingEmbedder(), coords=coords)
session = lab.review()
print(session.progress, [session.info(c).size for c in session.queue])
"""

REVIEW = ".jp-OutputArea-output .corral-review"


@pytest.fixture(scope="module")
def notebook(jupyter_server, tmp_path_factory):
    path = tmp_path_factory.mktemp("review-nb") / "review.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return f"{jupyter_server.folder('review', path)}/review.ipynb"


def shows_selected(page, want: int, timeout: float = 10) -> bool:
    """Whether the map's toolbar comes to show ``want`` selected points within ``timeout``."""
    deadline = time.monotonic() + timeout
    while selected_count(page) != want and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    return selected_count(page) == want


def shows_selected_at_least(page, want: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while selected_count(page) < want and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    return selected_count(page) >= want


def progress_text(page) -> str:
    return page.locator(f"{REVIEW} .corral-review-progress").inner_text().strip()


def test_label_cluster_in_the_review_widget(lab_page, jupyter_server, notebook, artifacts):
    page = lab_page
    open_notebook(page, jupyter_server, notebook)
    printed = run_cell(page, SETUP, timeout=120)
    assert printed.strip() == "0 / 3 clusters reviewed · 0% labeled [60, 40, 25]"

    run_cell(page, "session.show()")
    wait_for(page, f"() => document.querySelector({REVIEW!r} + ' {READY_MAP.split()[-1]}') !== null",
             timeout=60, what="the review widget with its map drawn")
    review = page.locator(REVIEW)
    review.scroll_into_view_if_needed()
    assert progress_text(page) == "0 / 3 clusters reviewed · 0% labeled"
    title = review.locator(".corral-review-cluster").inner_text()
    assert title.startswith("Cluster 1 / 3: ") and "(60 texts, 0% labeled, to review)" in title
    assert "rain forecast <b>4</b>" in review.locator(".corral-review-texts").inner_text()  # shown as text
    assert review.locator(".corral-review-sample li b").count() == 0
    assert shows_selected(page, 60)  # the current cluster is selected on the map

    review.locator(".corral-review-label-name input").fill("weather")
    review.locator(".corral-review-label-name input").press("Enter")
    review.locator("button.corral-review-label-cluster").click()
    wait_for(page, "t => document.querySelector('.corral-review-progress').innerText.trim() !== t",
             "0 / 3 clusters reviewed · 0% labeled", timeout=20, what="the progress text to change")
    assert progress_text(page) == "1 / 3 clusters reviewed · 48% labeled"  # 60 of 125 texts
    assert "(40 texts, 0% labeled, to review)" in review.locator(".corral-review-cluster").inner_text()
    assert review.locator(".corral-review-label-name input").input_value() == ""  # no name to repeat
    assert review.locator(".corral-review-message").inner_text().startswith("Labeled 60 texts of ")
    page.screenshot(path=str(artifacts / "e2e-review.png"))

    out = run_cell(page, "print(lab.labels.value_counts().to_dict(), sorted(session.reviewed) == session.queue[:1], "
                         "lab.history.kind.tolist()[-2:])")
    assert out.strip() == "{'weather': 60} True ['assign', 'review']"
    assert shows_selected(page, 40)  # the map moved on to the next cluster


def test_label_a_lasso_inside_the_current_cluster(lab_page, jupyter_server, notebook, artifacts):
    page = lab_page
    if page.locator(REVIEW).count() == 0:  # run alone: set the notebook up first
        open_notebook(page, jupyter_server, notebook)
        run_cell(page, SETUP, timeout=120)
        run_cell(page, "session.show()")
        wait_for(page, f"() => document.querySelector({REVIEW!r} + ' {READY_MAP.split()[-1]}') !== null",
                 timeout=60, what="the review widget with its map drawn")
    members = json.loads(run_cell(page, "import json; print(json.dumps(session.current.members.tolist()))"))
    xy, _box = map_positions(page)
    center = np.median(xy[members], axis=0)
    radius = float(np.median(np.linalg.norm(xy[members] - center, axis=1)))  # about half of the cluster
    radius = max(radius, 12.0)
    lasso(page, lasso_path(center, radius, vertices=10))  # 10 vertices: the release is 0.6 r from the press
    inside = np.flatnonzero(np.linalg.norm(xy - center, axis=1) < 0.8 * radius)  # surely inside the decagon
    assert shows_selected_at_least(page, len(inside))

    review = page.locator(REVIEW)
    review.locator(".corral-review-label-name input").fill("part")
    before = progress_text(page)
    review.locator("button.corral-review-label-selection").click()
    wait_for(page, "t => document.querySelector('.corral-review-progress').innerText.trim() !== t", before,
             timeout=20, what="the progress text to change")
    out = run_cell(page, "sel = np.intersect1d(lab.selection, session.current.members)\n"
                         "print(int((lab.labels == 'part').sum()), len(sel), len(lab.selection), "
                         "session.current.members.tolist() == json.loads(%r))" % json.dumps(members))
    labeled, in_cluster, selected, same_cluster = out.split()
    assert int(labeled) == int(in_cluster) >= len(inside) > 0
    assert int(selected) >= int(in_cluster) and same_cluster == "True"  # the cluster stays current
    page.screenshot(path=str(artifacts / "e2e-review-lasso.png"))


LONG = """\
import numpy as np
import corral
from corral.review.clusters import Clusters
rng = np.random.default_rng(1)
long_coords = np.vstack([rng.normal(c, 0.5, (30, 2)) for c in [(0, 0), (8, 0)]])
long_kw = {0: ["transfer", "international", "verification_of_the_beneficiary_account_number_and_routing_code"]
              + [f"keyword{i}" for i in range(30)], 1: ["short"]}
long_names = {0: "declined card payment after an international transfer <b>pending</b>", 1: "short"}
long_clusters = Clusters(assignment=np.repeat([0, 1], 30), ids=[0, 1], keywords=long_kw, names=long_names,
                         sizes={0: 30, 1: 30})
long_lab = corral.Labeler([f"text {i}" for i in range(60)], embedder=corral.HashingEmbedder(), coords=long_coords)
long_lab.assign(list(range(30)), "done")
long_widget = long_lab.review([0, 1], clusters=long_clusters).show(show_map=False)
long_widget.add_class("corral-review-long")
long_widget
"""

HEADER_FITS = """() => {
    const w = document.querySelector('.corral-review-long');
    const right = w.getBoundingClientRect().right;
    const out = {};
    for (const cls of ['header', 'cluster', 'keywords']) {
        const el = w.querySelector('.corral-review-' + cls);
        const r = el.getBoundingClientRect();
        out[cls] = {sw: el.scrollWidth, cw: el.clientWidth, sh: el.scrollHeight, ch: el.clientHeight,
                    right: r.right, text: el.innerText, lines: Math.round(r.height / 16)};
    }
    out.widgetRight = right;
    return out;
}"""


def test_review_header_and_keywords_wrap_instead_of_being_clipped(lab_page, jupyter_server, notebook, artifacts):
    """Issue 11 item 6: the header was clipped ("...100% labeled, to rev") and the keywords ran off
    the edge. In a narrow window both wrap inside the widget, whole."""
    page = lab_page
    if page.locator(".jp-Notebook .jp-Cell").count() == 0:
        open_notebook(page, jupyter_server, notebook)
    page.set_viewport_size({"width": 900, "height": 1000})
    try:
        run_cell(page, LONG, timeout=120)
        wait_for(page, "() => document.querySelector('.corral-review-long .corral-review-keywords') !== null",
                 timeout=30, what="the review widget of long names")
        page.locator(".corral-review-long").scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        m = page.evaluate(HEADER_FITS)
        page.locator(".corral-review-long").screenshot(path=str(artifacts / "e2e-review-header-wrap.png"))
        title, keywords = m["cluster"], m["keywords"]
        assert title["text"].endswith("(30 texts, 100% labeled, to review)"), title["text"]
        assert "<b>pending</b>" in title["text"]  # the name as text
        assert "verification_of_the_beneficiary_account_number_and_routing_code" in keywords["text"].replace("\n", "")
        for part, box in m.items():
            if part == "widgetRight":
                continue
            assert box["sw"] <= box["cw"] + 1, f"{part} is cut: scrollWidth {box['sw']} > clientWidth {box['cw']}"
            assert box["sh"] <= box["ch"] + 1, f"{part} is cut: scrollHeight {box['sh']} > clientHeight {box['ch']}"
            assert box["right"] <= m["widgetRight"] + 1, f"{part} runs off the widget's edge"
        assert keywords["lines"] >= 2  # 33 keywords in a 900 px window: wrapped, not cut
    finally:
        page.set_viewport_size({"width": 1280, "height": 1000})
