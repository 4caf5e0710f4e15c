"""Labeling from the map, end to end: a real Labeler behind the widget (harness tier).

Every gesture goes through the widget's messages to ``Labeler`` (history, journal) and the traits
it pushes back; the assertions read ``labeler.labels`` / ``labeler.history`` and the page.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from corral_gestures import (
    clusters,
    drag_rectangle,
    gap_cut,
    lasso,
    lasso_around,
    legend_counts,
    screen_points,
    topic_texts,
)
from corral_harness import flush, mount, wait_until
from PIL import Image

import corral

N = 90


def initial_labels() -> list:
    """Cluster 0 all "rain", a third of cluster 1 "jazz", two points of cluster 2 "pizza"."""
    labels = [None] * N
    labels[0:30] = ["rain"] * 30
    labels[30:40] = ["jazz"] * 10
    labels[60:62] = ["pizza"] * 2
    return labels


@pytest.fixture
def setup():
    """(labeler, true cluster per point): three clusters of 30 points with topic texts."""
    coords, truth = clusters()
    lab = corral.Labeler(topic_texts(truth), coords=coords, labels=initial_labels(), embedder=corral.HashingEmbedder())
    return lab, truth


def labels_list(lab) -> list:
    return [None if pd.isna(v) else v for v in lab.labels.tolist()]


def history_kinds(lab) -> list[str]:
    return lab.history["kind"].tolist()


def select_in_python(page, lab, indices) -> None:
    """Set the selection from Python (as `labeler.selection = ...` in a notebook) and let it arrive."""
    lab.selection = list(indices)
    flush(page)
    page.wait_for_function(
        f"document.querySelector('#mount .corral-selected').textContent === '{len(indices)} selected'"
    )


def focus_map(page, view="mount") -> None:
    page.focus(f"#{view} .corral-map")


def status_text(page, view="mount") -> tuple[str, str]:
    return tuple(page.eval_on_selector(f"#{view} .corral-status", "e => [e.dataset.kind, e.textContent]"))


def pixel_near(page, index, view="mount") -> np.ndarray:
    """RGB pixels in a 3x3 box around point ``index`` on the canvas."""
    canvas = page.locator(f"#{view} canvas")
    box = canvas.bounding_box()
    img = np.asarray(Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")).astype(int)
    x, y = screen_points(page, [index], view)[0] - [box["x"], box["y"]]
    return img[int(y) - 1:int(y) + 2, int(x) - 1:int(x) + 2].reshape(-1, 3)


def near_colour(pixels, hex_color, tol=40) -> bool:
    want = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)])
    return bool(np.abs(pixels - want).sum(axis=1).min() < tol)


def test_lasso_a_cluster_then_click_a_label(page, setup):
    lab, truth = setup
    w = lab.show()
    mount(page, w)
    pizza_colour = w.colors[lab.label_names.index("pizza")]
    lasso(page, *lasso_around(page, truth, 2), vertices=12)  # 12 vertices: >96% of the ellipse
    wait_until(page, lambda: lab.selection.tolist() == list(range(60, 90)), what="the lasso in Python")
    page.click("#mount .corral-label-button[data-name='pizza']")
    wait_until(page, lambda: (lab.labels.iloc[60:90] == "pizza").all(), what="the label in Python")

    expected = initial_labels()
    expected[60:90] = ["pizza"] * 30
    assert labels_list(lab) == expected
    assert history_kinds(lab) == ["assign"] and lab.history["count"].tolist() == [30]
    page.wait_for_function("document.querySelector('#mount .corral-legend-row[data-code=\"1\"]').dataset.count === '30'")
    assert legend_counts(page) == {"jazz": 10, "pizza": 30, "rain": 30, "unlabeled": 20}
    page.wait_for_timeout(100)  # the recolour is one draw
    assert near_colour(pixel_near(page, 75), pizza_colour)
    assert page.evaluate("harness.sent.filter(m => m.kind === 'assign').length") == 1
    assert status_text(page) == ("info", "Labeled 30 points \u201cpizza\u201d")


def test_rectangle_select_then_key_2(page, setup, artifacts):
    lab, truth = setup
    w = lab.show()
    mount(page, w)
    page.click("#mount .corral-tool[data-tool='rectangle']")
    assert page.get_attribute("#mount .corral-map", "data-tool") == "rectangle"
    assert page.get_attribute("#mount .corral-tool[data-tool='rectangle']", "aria-pressed") == "true"

    # Left part of cluster 1: every point of it left of a clear gap, nothing else.
    pts = screen_points(page, range(N))
    own = pts[30:60]
    left, right = own[:, 0].min() - 15, gap_cut(own[:, 0])
    top, bottom = own[:, 1].min() - 15, own[:, 1].max() + 15
    inside = lambda p, x0, x1, y0, y1: (p[:, 0] > x0) & (p[:, 0] < x1) & (p[:, 1] > y0) & (p[:, 1] < y1)  # noqa: E731
    expected = np.flatnonzero(inside(pts, left, right, top, bottom))
    assert 5 < len(expected) < 30 and set(expected) <= set(range(30, 60))

    # The same set in data space: screen <-> data is one scale and shift per axis (y flipped).
    ax = np.polyfit(pts[:, 0], lab.coords[:, 0], 1)
    ay = np.polyfit(pts[:, 1], lab.coords[:, 1], 1)
    x0, x1 = sorted(np.polyval(ax, [left, right]))
    y0, y1 = sorted(np.polyval(ay, [top, bottom]))
    assert ay[0] < 0
    xy = lab.coords
    in_data = np.flatnonzero((xy[:, 0] > x0) & (xy[:, 0] < x1) & (xy[:, 1] > y0) & (xy[:, 1] < y1))
    assert in_data.tolist() == expected.tolist()

    drag_rectangle(page, (left, top), (right, bottom))
    wait_until(page, lambda: lab.selection.tolist() == expected.tolist(), what="the rectangle in Python")
    page.keyboard.press("2")  # the map has focus since the drag
    name = lab.label_names[1]
    wait_until(page, lambda: (lab.labels.iloc[expected] == name).all(), what="key 2 in Python")
    want = initial_labels()
    for i in expected:
        want[i] = name
    assert labels_list(lab) == want
    page.screenshot(path=str(artifacts / "labeling-rectangle.png"))


def test_rectangle_adds_with_meta_and_subtracts_with_alt(page, setup):
    lab, truth = setup
    mount(page, lab.show())
    page.click("#mount .corral-tool[data-tool='rectangle']")
    pts = screen_points(page, range(N))
    canvas = page.locator("#mount canvas").bounding_box()
    lo = np.array([canvas["x"], canvas["y"]]) + 2
    hi = lo + [canvas["width"] - 4, canvas["height"] - 4]

    def box(cluster):  # around the cluster, inside the canvas
        own = pts[truth == cluster]
        return np.maximum(own.min(axis=0) - 12, lo), np.minimum(own.max(axis=0) + 12, hi)

    (l0, t0), (r0, b0) = box(0)
    drag_rectangle(page, (l0, t0), (r0, b0))
    wait_until(page, lambda: lab.selection.tolist() == list(range(30)), what="cluster 0")
    (l2, t2), (r2, b2) = box(2)
    drag_rectangle(page, (l2, t2), (r2, b2), modifiers=("Shift", "Meta"))
    wait_until(page, lambda: lab.selection.tolist() == list(range(30)) + list(range(60, 90)), what="Meta adds")
    # Alt takes away the points of cluster 0 above a clear gap.
    own = pts[:30]
    cut = gap_cut(own[:, 1])
    removed = np.flatnonzero(pts[:30, 1] < cut)
    drag_rectangle(page, (l0, t0), (r0, cut), modifiers=("Shift", "Alt"))
    want = sorted(set(range(30)) - set(removed.tolist())) + list(range(60, 90))
    wait_until(page, lambda: lab.selection.tolist() == want, what="Alt subtracts")
    assert 0 < len(removed) < 30


def test_new_label_from_the_text_field_and_remove(page, setup):
    lab, truth = setup
    mount(page, lab.show())
    field = "#mount .corral-new-label"

    # Nothing selected: nothing happens, and the status line says so.
    page.fill(field, "weather")
    page.press(field, "Enter")
    assert status_text(page)[1].startswith("Nothing selected")
    assert page.input_value(field) == "weather"
    page.wait_for_timeout(50)
    assert history_kinds(lab) == [] and page.evaluate("harness.sent.filter(m => m.kind === 'assign').length") == 0

    select_in_python(page, lab, range(40, 50))
    page.press(field, "Enter")
    wait_until(page, lambda: "weather" in lab.label_names, what="the new label")
    assert (lab.labels.iloc[40:50] == "weather").all()
    page.wait_for_selector("#mount .corral-label-button[data-name='weather']")
    assert page.input_value(field) == ""
    assert legend_counts(page)["weather"] == 10

    # The Add button does the same; a name with spaces and quotes is kept as typed.
    select_in_python(page, lab, range(50, 55))
    page.fill(field, '  "odd" label  ')
    page.click("#mount .corral-add")
    wait_until(page, lambda: '"odd" label' in lab.label_names, what="the Add button")
    assert (lab.labels.iloc[50:55] == '"odd" label').all()

    # Remove label: by button, then by the keys 0, Backspace and Delete.
    page.click("#mount .corral-remove")
    wait_until(page, lambda: lab.labels.iloc[50:55].isna().all(), what="Remove label")
    for key, rows in (("0", range(0, 5)), ("Backspace", range(5, 10)), ("Delete", range(10, 15))):
        select_in_python(page, lab, rows)
        focus_map(page)
        page.keyboard.press(key)
        wait_until(page, lambda: lab.labels.iloc[list(rows)].isna().all(), what=f"key {key}")
    assert history_kinds(lab) == ["assign", "assign", "clear", "clear", "clear", "clear"]
    assert lab.labels.iloc[15:30].eq("rain").all()
    page.wait_for_function("document.querySelector('#mount .corral-legend-row[data-code=\"2\"]').dataset.count === '15'")


def test_undo_and_redo_by_button_and_key(page, setup):
    lab, truth = setup
    mount(page, lab.show())
    before = labels_list(lab)
    select_in_python(page, lab, range(40, 60))
    page.click("#mount .corral-label-button[data-name='jazz']")
    wait_until(page, lambda: (lab.labels.iloc[40:60] == "jazz").all(), what="the label")
    after = labels_list(lab)
    page.wait_for_function("document.querySelector('#mount .corral-redo').disabled")
    assert not page.is_disabled("#mount .corral-undo")

    steps = [
        (lambda: page.click("#mount .corral-undo"), before, "undo"),
        (lambda: page.click("#mount .corral-redo"), after, "redo"),
        (lambda: page.keyboard.press("Control+z"), before, "undo"),
        (lambda: page.keyboard.press("Control+Shift+z"), after, "redo"),
        (lambda: page.keyboard.press("Meta+z"), before, "undo"),
        (lambda: page.keyboard.press("Control+y"), after, "redo"),
    ]
    for k, (act, want, kind) in enumerate(steps):
        if k == 2:
            focus_map(page)
        act()
        wait_until(page, lambda: len(lab.history) == k + 2, what=f"step {k} ({kind})")
        assert labels_list(lab) == want, f"step {k}"
        assert history_kinds(lab)[-1] == kind
    flush(page)  # a barrier: everything Python sent so far is applied in the page
    assert page.is_disabled("#mount .corral-redo") and not page.is_disabled("#mount .corral-undo")
    assert legend_counts(page)["jazz"] == 30
    # Focus stayed in the widget all along (a disabled button would have dropped it).
    assert page.evaluate("document.querySelector('#mount .corral-map').contains(document.activeElement)")
    page.keyboard.press("Control+y")  # nothing to redo: Python decides, nothing changes
    wait_until(page, lambda: page.evaluate("harness.sent.filter(m => m.kind === 'redo').length") == 4, what="redo")
    flush(page)
    assert len(lab.history) == 7 and labels_list(lab) == after
    assert page.is_disabled("#mount .corral-redo")


def test_keys_stay_out_of_jupyterlab(page, setup):
    """Lumino's shortcut handler listens on the document (capturing before JupyterLab 4.1, bubbling
    since) and skips targets under ``data-lm-suppress-shortcuts``: a stand-in of each records what
    JupyterLab would see. Our keys must not reach either; other keys must reach both."""
    lab, truth = setup
    mount(page, lab.show())
    page.evaluate(
        """() => {
        window.__lumino = [];
        const suppressed = (e) => {  // lone modifiers are no keystroke to Lumino either
            if (['Control', 'Shift', 'Alt', 'Meta'].includes(e.key)) return true;
            for (let t = e.target; t; t = t.parentElement)
                if (t.hasAttribute && t.hasAttribute('data-lm-suppress-shortcuts')) return true;
            return false; };
        document.addEventListener('keydown', e => { if (!suppressed(e)) __lumino.push('capture ' + e.key); }, true);
        document.addEventListener('keydown', e => { if (!suppressed(e)) __lumino.push('bubble ' + e.key); });
    }"""
    )
    focus_map(page)
    page.keyboard.press("3")
    assert status_text(page)[1].startswith("Nothing selected")  # 1-9 / 0 with no selection
    for key in ["1", "0", "Delete", "Backspace", "Control+z", "Control+Shift+z", "Control+y", "Meta+z"]:
        page.keyboard.press(key)
    assert page.evaluate("window.__lumino") == []
    assert page.evaluate("harness.sent.filter(m => ['assign', 'clear'].includes(m.kind)).length") == 0
    assert page.get_attribute("#mount .corral-map", "data-lm-suppress-shortcuts") is None
    # Not ours: reaches JupyterLab (run cell, save, command-mode letters).
    for key in ["Shift+Enter", "Control+s", "a"]:
        page.keyboard.press(key)
    keys = ["Enter", "s", "a"]
    assert page.evaluate("window.__lumino") == [f"{p} {k}" for k in keys for p in ("capture", "bubble")]
    # Typing in the widget's text fields stays there.
    page.evaluate("window.__lumino = []")
    page.click("#mount .corral-new-label")
    page.keyboard.type("a1 0")
    page.click("#mount .corral-search-input")
    page.keyboard.type("2x")
    assert page.evaluate("window.__lumino") == []
    assert page.input_value("#mount .corral-new-label") == "a1 0"
    assert history_kinds(lab) == []
    # With a selection, Escape clears it (and stays ours); without one it is JupyterLab's.
    select_in_python(page, lab, [3, 4])
    focus_map(page)
    page.keyboard.press("Escape")
    wait_until(page, lambda: lab.selection.size == 0, what="Escape to clear")
    page.keyboard.press("Escape")
    assert page.evaluate("window.__lumino") == ["capture Escape", "bubble Escape"]


def test_two_views_of_one_labeler_stay_in_step(page, setup):
    lab, truth = setup
    w1, w2 = lab.show(height=260), lab.show(height=260)
    mount(page, w1)
    mount(page, w2, view="second")
    select_in_python(page, lab, range(60, 70))
    page.wait_for_function("document.querySelector('#second .corral-selected').textContent === '10 selected'")
    focus_map(page)
    page.keyboard.press("3")
    name = lab.label_names[2]
    wait_until(page, lambda: (lab.labels.iloc[60:70] == name).all(), what="key 3")
    for view in ("mount", "second"):
        page.wait_for_function(
            f"document.querySelector('#{view} .corral-legend-row[data-code=\"2\"]').dataset.count === '40'"
        )
        assert legend_counts(page, view) == legend_counts(page, "mount")
    assert not page.is_disabled("#second .corral-undo")  # the status reached the other view too
    # Undo from the second view: both follow.
    page.click("#second .corral-undo")
    wait_until(page, lambda: labels_list(lab)[60:70] == ["pizza"] * 2 + [None] * 8, what="undo from the second view")
    page.wait_for_function("document.querySelector('#mount .corral-legend-row[data-code=\"2\"]').dataset.count === '30'")
    # A new label made in one view gets its button in the other.
    page.fill("#second .corral-new-label", "sushi")
    page.press("#second .corral-new-label", "Enter")
    page.wait_for_selector("#mount .corral-label-button[data-name='sushi']")
    assert (lab.labels.iloc[60:70] == "sushi").all()
