"""Undo and redo say what they did; Ctrl+Z in draw mode undoes region edits, never labels; the
first view says it is a preview until the full map arrives (harness tier, a real Labeler)."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from corral_gestures import clusters, screen_points, topic_texts
from corral_harness import flush, mount, settle, wait_until

import corral
from corral.data.projectors import PCALayout


@pytest.fixture
def lab():
    coords, truth = clusters()
    return corral.Labeler(topic_texts(truth), coords=coords, labels=["rain"] * 5 + [None] * 85,
                          embedder=corral.HashingEmbedder())


def status_text(page) -> str:
    return page.text_content("#mount .corral-status")


def select_in_python(page, lab, indices) -> None:
    lab.selection = list(indices)
    flush(page)
    page.wait_for_function(
        f"document.querySelector('#mount .corral-selected').textContent === '{len(indices)} selected'"
    )


def test_undo_and_redo_say_what_they_did(page, lab, artifacts):
    mount(page, lab.show())
    select_in_python(page, lab, range(30, 60))
    page.fill("#mount .corral-new-label", "music")
    page.keyboard.press("Enter")
    wait_until(page, lambda: (lab.labels.iloc[30:60] == "music").all(), what="music")
    assert status_text(page) == "Labeled 30 points \u201cmusic\u201d"
    page.focus("#mount .corral-map")
    page.keyboard.press("Control+z")
    wait_until(page, lambda: lab.labels.iloc[30:60].isna().all(), what="undo")
    page.wait_for_function("document.querySelector('#mount .corral-status').textContent.startsWith('Undid')")
    assert status_text(page) == "Undid: 30 points \u2192 \u201cmusic\u201d"
    page.screenshot(path=str(artifacts / "undo_says_what.png"))
    page.click("#mount .corral-redo")
    page.wait_for_function("document.querySelector('#mount .corral-status').textContent.startsWith('Redid')")
    assert status_text(page) == "Redid: 30 points \u2192 \u201cmusic\u201d"
    select_in_python(page, lab, [0, 1])
    page.focus("#mount .corral-map")
    page.keyboard.press("0")
    wait_until(page, lambda: lab.labels.iloc[:2].isna().all(), what="clear")
    page.keyboard.press("Control+z")
    page.wait_for_function("document.querySelector('#mount .corral-status').textContent.startsWith('Undid')")
    assert status_text(page) == "Undid: removed the label of 2 points"
    assert lab.labels.iloc[:2].eq("rain").all()
    for _ in range(3):
        page.keyboard.press("Control+z")
    page.wait_for_function("document.querySelector('#mount .corral-status').textContent === 'Nothing to undo'")
    assert lab.labels.iloc[:5].eq("rain").all() and lab.labels.iloc[30:60].isna().all()  # initial labels stay


def test_ctrl_z_in_draw_mode_undoes_region_edits_not_labels(page, lab):
    lab.assign(list(range(60, 90)), "pizza")
    mount(page, lab.show())
    settle(page)
    labels_before = lab.labels.copy()
    history_before = len(lab.history)
    page.focus("#mount .corral-map")
    page.keyboard.press("d")
    # Pixels of a square around cluster 1 (data 10, 0), from where the points are drawn.
    px = screen_points(page, range(90))
    fwd, *_ = np.linalg.lstsq(np.c_[lab.coords, np.ones(90)], px, rcond=None)
    corners = np.c_[np.array([[8.2, -1.3], [11.6, -1.3], [11.6, 1.8], [8.2, 1.8]]), np.ones(4)] @ fwd
    for x, y in corners[:2]:
        page.mouse.click(x, y)
    drawing = lambda: page.evaluate("document.getElementById('mount').__corral.drawing()")  # noqa: E731
    assert len(drawing()["draft"]) == 2
    page.keyboard.press("Control+z")  # the last vertex
    assert len(drawing()["draft"]) == 1 and status_text(page) == "Undid: the last vertex"
    page.mouse.click(*corners[1])
    page.mouse.click(*corners[2])
    page.mouse.dblclick(*corners[3])
    wait_until(page, lambda: "rain" in lab.regions, what="the region")
    page.keyboard.press("Control+z")
    wait_until(page, lambda: "rain" not in lab.regions, what="the region undone")
    assert status_text(page) == "Undid: region added to \u201crain\u201d"
    page.keyboard.press("Control+Shift+z")
    wait_until(page, lambda: "rain" in lab.regions, what="the region redone")
    assert status_text(page) == "Redid: region added to \u201crain\u201d"
    page.keyboard.press("Control+z")
    wait_until(page, lambda: "rain" not in lab.regions, what="undone again")
    page.keyboard.press("Control+z")  # nothing left in draw mode: labels are not touched
    assert status_text(page).startswith("Nothing to undo in draw mode")
    flush(page)
    assert lab.labels.equals(labels_before)
    assert "undo" not in lab.history["kind"].iloc[history_before:].tolist()
    page.keyboard.press("d")  # out of draw mode, Ctrl+Z undoes labels again
    page.keyboard.press("Control+z")
    wait_until(page, lambda: lab.labels.iloc[60:90].isna().all(), what="the label undo")


def test_preview_is_said_until_the_full_map_arrives_and_points_move(page):
    gate = threading.Event()
    coords, truth = clusters()

    class Slow:  # a projector whose full map waits for the test: a mirror of the first view
        def first_view(self, X):
            return PCALayout().fit_transform(X)

        def fit_transform(self, X):
            gate.wait(30)
            return -PCALayout().fit_transform(X)

    lab = corral.Labeler(topic_texts(truth), embedder=corral.HashingEmbedder(dim=32), projector=Slow())
    mount(page, lab.show())
    settle(page)
    assert page.get_attribute("#mount .corral-map", "data-preview") == "1"
    assert status_text(page).startswith("preview \u00b7 map computing (")
    page.wait_for_function(
        "document.querySelector('#mount .corral-status').textContent.startsWith('preview \u00b7 map computing (2 s)')",
        timeout=5000,
    )
    select_in_python(page, lab, range(30, 40))
    before = screen_points(page, range(90))
    gate.set()
    lab.coords
    wait_until(page, lambda: (flush(page), page.get_attribute("#mount .corral-map", "data-preview") == "0")[1],
               what="the end of the preview")
    assert status_text(page) == "The full map is ready: points moved to their places"
    settle(page)
    page.wait_for_timeout(600)  # the 400 ms transition
    after = screen_points(page, range(90))
    assert np.abs(after - before).max() > 20  # the points moved to the (mirrored) full map
    assert lab.selection.tolist() == list(range(30, 40))
    assert sorted(page.evaluate("document.getElementById('mount').__corral.scatterplot.get('selectedPoints')")) == list(range(30, 40))
