"""The map after the widget is resized, and the selection ring on grey points (harness tier):
a narrower widget fits the points again unless the user zoomed or panned (then their view is
kept); a selected unlabeled (grey) point is marked by a strong ring, checked in the pixels."""

from __future__ import annotations

import io

import numpy as np
from corral_gestures import clusters, lasso, lasso_around, screen_points, topic_texts
from corral_harness import assert_no_errors, flush, mount, settle, wait_until
from PIL import Image

import corral

N = 90


def make_labeler():
    coords, truth = clusters()
    return corral.Labeler(topic_texts(truth), coords=coords, embedder=corral.HashingEmbedder()), truth


def canvas_box(page):
    return page.eval_on_selector("#mount canvas", "c => { const r = c.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }")


def camera(page):
    return page.evaluate("""() => { const s = document.getElementById('mount').__corral.scatterplot;
        return [s.get('cameraDistance'), ...s.get('cameraTarget')]; }""")


def wait_still(page):
    previous = None
    for _ in range(60):
        now = camera(page)
        if now == previous:
            settle(page)
            return now
        previous = now
        page.wait_for_timeout(120)
    raise AssertionError("the camera kept moving")


def narrow_to(page, width):
    before = canvas_box(page)
    page.evaluate(f"document.getElementById('mount').style.width = '{width}px'")
    page.wait_for_function(f"document.querySelector('#mount canvas').getBoundingClientRect().width < {before[2] - before[0] - 1}")
    page.wait_for_timeout(200)
    return wait_still(page)


def test_a_narrower_widget_fits_the_points_again_after_a_lasso(page, artifacts):
    lab, truth = make_labeler()
    mount(page, lab.show())
    # A lasso (a mouse press on the map) is not a change of view.
    lasso(page, *lasso_around(page, truth, 1))
    wait_until(page, lambda: lab.selection.size == 30, what="the lasso")
    narrow_to(page, 420)
    left, top, right, bottom = canvas_box(page)
    px = screen_points(page, range(N))
    assert right - left < 420
    inside = (px[:, 0] >= left) & (px[:, 0] <= right) & (px[:, 1] >= top) & (px[:, 1] <= bottom)
    assert inside.all(), f"{(~inside).sum()} points cut off after narrowing"
    # And they use the room: the fitted view spans most of the narrower canvas.
    assert np.ptp(px[:, 0]) > 0.6 * (right - left)
    page.screenshot(path=str(artifacts / "map-narrowed.png"))
    assert_no_errors(page)


def test_a_zoomed_view_is_kept_when_the_widget_narrows(page):
    lab, _ = make_labeler()
    mount(page, lab.show())
    fitted = wait_still(page)
    left, top, right, bottom = canvas_box(page)
    page.mouse.move((left + right) / 2, (top + bottom) / 2)
    for _ in range(3):
        page.mouse.wheel(0, -250)
        page.wait_for_timeout(60)
    zoomed = wait_still(page)
    assert zoomed[0] < 0.9 * fitted[0], "the wheel zoomed in"
    after = narrow_to(page, 500)
    assert after == zoomed, "the user's zoom was reset by a resize"
    # Reset view fits again (all points inside).
    page.click("#mount .corral-reset")
    wait_still(page)
    left, top, right, bottom = canvas_box(page)
    px = screen_points(page, range(N))
    assert ((px[:, 0] >= left) & (px[:, 0] <= right)).all()


def test_the_selection_ring_shows_on_grey_points(page, artifacts):
    lab, truth = make_labeler()  # nothing labeled: every point is grey
    mount(page, lab.show())
    page.mouse.move(1, 1)  # no hover colour anywhere
    lab.selection = np.flatnonzero(truth == 0).tolist()
    flush(page)
    page.wait_for_function("document.getElementById('mount').__corral.scatterplot.get('selectedPoints').length === 30")
    settle(page, 5)
    img = np.asarray(Image.open(io.BytesIO(page.screenshot())).convert("RGB")).astype(float)
    lum = img.mean(axis=2)

    def dark_share(indices):
        """Of the pixels within 6 px of these points, how many are dark (the ring)."""
        hits = total = 0
        for x, y in screen_points(page, indices):
            patch = lum[int(y) - 6:int(y) + 7, int(x) - 6:int(x) + 7]
            hits += (patch < 80).sum()
            total += patch.size
        return hits / total

    selected, other = dark_share(np.flatnonzero(truth == 0)), dark_share(np.flatnonzero(truth == 1))
    assert selected > 0.05 and other < 0.005, (selected, other)
    page.screenshot(path=str(artifacts / "selection-ring-grey.png"), clip={"x": 0, "y": 60, "width": 700, "height": 560})
