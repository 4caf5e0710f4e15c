"""The map in a real marimo notebook (``marimo edit``, headless Chromium): gestures in, state out.

A small notebook (300 texts in three groups, ``HashingEmbedder``, ``coords=`` given: no model, no
UMAP) is served by ``marimo edit`` (see corral_marimo.py). Then:

* a lasso on the map re-runs the cell that reads ``map_view.value``, which shows the new
  selection: the same points the map holds (the selection reached Python as a trait update);
* the label bar (a custom message), key "1" and Ctrl+Z re-run the cell that calls
  ``label_counts()`` (``corral.map.hosts.marimo_labels``) with the counts Python holds;
* the search box (typed key by key): Python answers with the matches, "Select these" makes them
  the selection, and the selection cell re-runs with exactly those points;
* the map's keys (1, Backspace, Ctrl+Z, d, Escape) act on the map, and none reaches marimo's own
  shortcuts (its command mode: a/b create cells, c/x/v copy, cut, paste; Mod-z undoes in an
  editor): the cells and their code stay as they were;
* draw mode (d): a polygon clicked round one group becomes ``lab.regions`` in Python (the cell
  calling ``label_counts()`` re-runs after a region change too), holding exactly that group.
"""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
from corral_marimo import (
    READY,
    ROOT_JS,
    cell_errors,
    fail_on_page_errors,
    lasso_group,
    map_positions,
    marimo_edit,
    marimo_page,
    python_says,
    selected_points,
)

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
    from corral.map.hosts import marimo_labels, marimo_widget

    rng = np.random.default_rng(0)
    centers = np.array([[0.0, 0.0], [8.0, 0.0], [4.0, 7.0]])
    coords = np.vstack([c + rng.normal(scale=0.6, size=(100, 2)) for c in centers])
    texts = [f"query {i} <b>of</b> group {i // 100}" for i in range(300)]
    lab = corral.Labeler(texts, embedder=corral.HashingEmbedder(), coords=coords)
    return json, lab, marimo_labels, marimo_widget, mo


@app.cell
def _(lab, marimo_labels, marimo_widget):
    map_view = marimo_widget(lab, height=480)
    label_counts = marimo_labels(lab)
    map_view
    return label_counts, map_view


@app.cell
def _(lab, map_view, mo):
    _ = map_view.value  # re-run on every selection made in the browser
    mo.md(f"PY-SELECTED={lab.selection.size} PY-SUM={int(lab.selection.sum())}")
    return


@app.cell
def _(json, lab, label_counts, mo):
    _counts = label_counts()  # re-run on every label change
    mo.md(f"PY-LABELED={int(lab.labels.notna().sum())} PY-COUNTS={json.dumps(_counts.to_dict())} "
          f"PY-HISTORY={json.dumps(lab.history.kind.tolist()[-4:])}")
    return


@app.cell
def _(json, lab, label_counts, mo):
    import numpy as _np
    from matplotlib.path import Path as _Path

    label_counts()  # re-run on every operation: labels, and regions drawn on the map
    _inside = {name: _np.flatnonzero(_np.any([_Path(p).contains_points(lab.coords) for p in polygons], axis=0))
               for name, polygons in lab.regions.items()}
    mo.md("PY-REGIONS=" + json.dumps({name: [len(lab.regions[name]), len(idx), int(idx.min()), int(idx.max())]
                                      for name, idx in _inside.items() if len(idx)}) + " END")
    return


if __name__ == "__main__":
    app.run()
'''


@pytest.fixture(scope="module")
def marimo_server(tmp_path_factory, shared_cache):
    base = tmp_path_factory.mktemp("marimo")
    notebook = base / "labeling.py"
    notebook.write_text(NOTEBOOK)
    with marimo_edit(notebook, base, shared_cache) as url:
        yield url


@pytest.fixture(scope="module")
def marimo_page_(e2e_browser, marimo_server, artifacts):
    with marimo_page(e2e_browser, marimo_server, artifacts, "marimo") as page:
        yield page


def _counts(page, want: dict) -> dict:
    m = python_says(page, r"PY-LABELED=(\d+) PY-COUNTS=(\{[^}]*\})", lambda m: json.loads(m.group(2)) == want)
    counts = json.loads(m.group(2))
    assert int(m.group(1)) == sum(counts.values())
    return counts


def test_lasso_in_marimo_reruns_the_cell_reading_the_selection(marimo_page_, artifacts):
    page = marimo_page_
    python_says(page, r"PY-SELECTED=0 ")
    chosen = lasso_group(page, 0)
    m = python_says(page, r"PY-SELECTED=(\d+) PY-SUM=(\d+)", lambda m: int(m.group(1)) == len(chosen))
    assert int(m.group(2)) == sum(chosen)  # the same points, not only as many
    page.screenshot(path=str(artifacts / "e2e-marimo-lasso.png"))
    fail_on_page_errors(page)


def test_label_bar_keys_and_undo_in_marimo_reach_python_and_rerun_cells(marimo_page_, artifacts):
    page = marimo_page_
    first = selected_points(page) or lasso_group(page, 0)
    _counts(page, {})

    field = page.locator('.corral-map[data-corral-ready="1"] .corral-new-label')
    field.fill("weather")
    field.press("Enter")
    assert _counts(page, {"weather": len(first)}) == {"weather": len(first)}

    second = lasso_group(page, 1)
    page.keyboard.press("1")  # the first label, applied by key
    _counts(page, {"weather": len(first) + len(second)})
    legend = page.locator('.corral-map[data-corral-ready="1"] .corral-legend-row', has_text="weather")
    assert legend.locator(".corral-count").text_content().replace(",", "") == str(len(first) + len(second))

    page.keyboard.press("Control+z")
    _counts(page, {"weather": len(first)})
    page.screenshot(path=str(artifacts / "e2e-marimo-labels.png"))
    fail_on_page_errors(page)


# the counts as the notebook shows them (not as its code spells the f-string)
COUNTS = r'PY-COUNTS=(\{(?:"[^}]*)?\})'

# The notebook as marimo shows it: how many cells, and each one's code (a command-mode shortcut of
# marimo would add, cut, paste or change cells).
_CELLS_JS = """() => Array.from(document.querySelectorAll('.marimo-cell')).map(c => {
    const editor = c.querySelector('.cm-content');
    return editor ? editor.innerText : null;
})"""


def _regions(page, want) -> dict:
    m = python_says(page, r"PY-REGIONS=(\{.*?\}) END", lambda m: want(json.loads(m.group(1))))
    return json.loads(m.group(1))


def test_search_in_marimo_reaches_python_and_selects(marimo_page_, artifacts):
    """Typed key by key (letters marimo binds in command mode among them, and a digit the map
    binds): the text stays in the search box, Python answers with the matches, and "Select these"
    re-runs the selection cell with exactly those points."""
    page = marimo_page_
    cells = page.evaluate(_CELLS_JS)
    box = page.locator(READY).locator(".corral-search-input")
    box.click()
    page.keyboard.type("b>of</b> group 2", delay=30)  # b: marimo's "new cell below"; 2: a label key
    assert box.input_value() == "b>of</b> group 2"
    page.keyboard.press("Enter")
    count = page.locator(READY).locator(".corral-search-count")
    deadline = time.monotonic() + 20
    while count.text_content() != "100 matches" and time.monotonic() < deadline:
        fail_on_page_errors(page)
        page.wait_for_timeout(100)
    assert count.text_content() == "100 matches"  # Python's answer: the texts of group 2, markup as text
    page.locator(READY).locator(".corral-select-matches").click()
    m = python_says(page, r"PY-SELECTED=(\d+) PY-SUM=(\d+)", lambda m: int(m.group(1)) == 100)
    assert int(m.group(2)) == sum(range(200, 300))
    assert selected_points(page) == list(range(200, 300))
    assert page.evaluate(_CELLS_JS) == cells, "typing in the search box reached marimo's shortcuts"
    page.screenshot(path=str(artifacts / "e2e-marimo-search.png"))
    page.locator(READY).locator(".corral-search-clear").click()
    fail_on_page_errors(page)


def test_map_keys_in_marimo_act_on_the_map_not_on_marimo(marimo_page_, artifacts):
    """1 labels, Backspace clears, Ctrl+Z undoes twice, d toggles draw mode, Escape clears the
    selection: each reaches Python (history, counts, selection) and none changes the notebook."""
    page = marimo_page_
    root = page.locator(READY)
    if not root.locator(".corral-label-button").count():  # run alone: a first label, on group 0
        lasso_group(page, 0)
        field = root.locator(".corral-new-label")
        field.fill("weather")
        field.press("Enter")
        python_says(page, COUNTS, lambda m: "weather" in json.loads(m.group(1)))
    before = json.loads(python_says(page, COUNTS).group(1))
    cells = page.evaluate(_CELLS_JS)
    assert len(cells) >= 4 and all(code is not None for code in cells)
    first = root.locator(".corral-label-button").first.get_attribute("data-name")
    group = lasso_group(page, 2)
    python_says(page, r"PY-SELECTED=(\d+)", lambda m: int(m.group(1)) == len(group))
    assert root.evaluate("r => r.contains(r.getRootNode().activeElement)"), "the lasso left the focus outside the map"

    page.keyboard.press("1")
    grown = dict(before, **{first: before.get(first, 0) + len(group)})
    _counts(page, grown)
    page.keyboard.press("Backspace")
    _counts(page, before)
    page.keyboard.press("Control+z")
    _counts(page, grown)
    page.keyboard.press("Control+z")
    counts = _counts(page, before)
    m = python_says(page, r"PY-HISTORY=(\[[^\]]*\])", lambda m: json.loads(m.group(1)) == ["assign", "clear", "undo", "undo"])
    assert json.loads(m.group(1)) == ["assign", "clear", "undo", "undo"] and counts == before

    page.keyboard.press("d")
    assert root.get_attribute("data-draw") == "1"
    page.keyboard.press("d")
    assert root.get_attribute("data-draw") == "0"
    page.keyboard.press("Escape")
    python_says(page, r"PY-SELECTED=(\d+)", lambda m: int(m.group(1)) == 0)
    assert page.evaluate(_CELLS_JS) == cells, "a map key reached marimo's shortcuts"
    page.screenshot(path=str(artifacts / "e2e-marimo-keys.png"))
    fail_on_page_errors(page)


def test_draw_mode_in_marimo_reaches_python(marimo_page_, artifacts):
    """d, a label typed for the region, a polygon clicked round group 1: ``lab.regions`` in Python
    holds it, with exactly group 1's points inside; no point was labeled or selected by it."""
    page = marimo_page_
    root = page.locator(READY)
    labeled = json.loads(python_says(page, COUNTS).group(1))
    cells = page.evaluate(_CELLS_JS)
    xy, box = map_positions(page)
    own = xy[100:200]
    # a box 18 px round the group, kept 4 px inside the canvas (the map fits the points to its edges)
    inner_lo, inner_hi = np.array([box["left"] + 4, box["top"] + 4]), np.array([box["right"] - 4, box["bottom"] - 4])
    lo, hi = np.maximum(own.min(axis=0) - 18, inner_lo), np.minimum(own.max(axis=0) + 18, inner_hi)
    assert (own.min(axis=0) - lo > 3).all() and (hi - own.max(axis=0) > 3).all(), (own.min(axis=0), own.max(axis=0), box)
    corners = np.array([[lo[0], lo[1]], [hi[0], lo[1]], [hi[0], hi[1]], [lo[0], hi[1]]])
    assert ((corners[:, 0] > box["left"]) & (corners[:, 0] < box["right"])
            & (corners[:, 1] > box["top"]) & (corners[:, 1] < box["bottom"])).all(), (corners, box)
    others = np.delete(xy, np.s_[100:200], axis=0)
    assert not ((others > lo) & (others < hi)).all(axis=1).any(), "another group's point lies in the box"

    root.focus()
    page.keyboard.press("d")
    assert root.get_attribute("data-draw") == "1"
    field = root.locator(".corral-new-label")
    field.click()
    page.keyboard.type("vacation", delay=30)  # v, a, c: paste, new cell, copy in marimo's command mode
    page.keyboard.press("Enter")
    for x, y in corners[:-1]:
        page.mouse.click(x, y)
        page.wait_for_timeout(150)
    page.mouse.dblclick(*corners[-1])  # the last vertex, and close the polygon
    regions = _regions(page, lambda r: "vacation" in r)
    assert regions == {"vacation": [1, 100, 100, 199]}  # one polygon, holding group 1 and nothing else
    m = python_says(page, r"PY-HISTORY=(\[[^\]]*\])")
    assert json.loads(m.group(1))[-1] == "regions"
    assert json.loads(python_says(page, COUNTS).group(1)) == labeled  # drawing labels nothing
    python_says(page, r"PY-SELECTED=(\d+)", lambda m: int(m.group(1)) == 0)
    assert page.evaluate("() => {" + ROOT_JS + " return root.querySelectorAll('.corral-region').length; }") == 1
    page.screenshot(path=str(artifacts / "e2e-marimo-draw.png"))
    page.keyboard.press("d")
    assert root.get_attribute("data-draw") == "0"
    assert page.evaluate(_CELLS_JS) == cells, "typing the region's label reached marimo's shortcuts"
    assert cell_errors(page) == []
    fail_on_page_errors(page)
