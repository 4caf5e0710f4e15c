"""Draw mode, end to end (harness tier): regions drawn, edited and removed with the mouse reach
``labeler.regions`` through the Labeler; regions set from Python and read-only outlines show on
the map. Where a pixel lands in data space is checked against an affine map fitted to where
regl-scatterplot itself draws the points (not against the widget's own transform).
"""

from __future__ import annotations

import numpy as np
import pytest
from corral_gestures import clusters, lasso, screen_points, topic_texts
from corral_harness import flush, mount, settle, wait_until

import corral
from corral.core.palette import color_for

N = 90
XSS = '<img src=x onerror="window.__xss = 1">'


@pytest.fixture
def lab():
    coords, truth = clusters()
    labels = [None] * N
    labels[0:5] = ["rain"] * 5
    labels[30:35] = ["jazz"] * 5
    return corral.Labeler(topic_texts(truth), coords=coords, labels=labels, embedder=corral.HashingEmbedder())


def pixel_frame(page, lab):
    """(data -> page px, page px -> data), fitted to the points as regl-scatterplot draws them."""
    px = screen_points(page, range(N))
    design = np.c_[lab.coords, np.ones(N)]
    forward, *_ = np.linalg.lstsq(design, px, rcond=None)
    assert np.abs(design @ forward - px).max() < 0.5  # pan/zoom only: an exact affine map
    inverse, *_ = np.linalg.lstsq(np.c_[px, np.ones(N)], lab.coords, rcond=None)
    return (lambda d: np.c_[np.atleast_2d(d), np.ones(len(np.atleast_2d(d)))] @ forward,
            lambda p: np.c_[np.atleast_2d(p), np.ones(len(np.atleast_2d(p)))] @ inverse)


def camera_still(page, timeout: float = 10.0) -> None:
    """Wait until the camera stops moving (zoom and reset-view transitions are animated)."""
    previous, waited = None, 0.0
    while True:
        view = page.evaluate("Array.from(document.getElementById('mount').__corral.scatterplot.get('cameraView'))")
        if view == previous:
            settle(page)
            return
        assert waited < timeout, "the camera kept moving"
        previous = view
        page.wait_for_timeout(150)
        waited += 0.15


def on_canvas(page, pixels) -> bool:
    """Whether the map's canvas is what the mouse finds at each of these page pixels."""
    return page.evaluate(
        "pts => pts.every(([x, y]) => document.elementFromPoint(x, y) === document.querySelector('#mount canvas'))",
        [list(map(float, p)) for p in pixels],
    )


def drawing(page):
    return page.evaluate("document.getElementById('mount').__corral.drawing()")


def region_polygons(page):
    """[(label, fill, [[x, y] page px ...]), ...] as drawn in the SVG overlay (its vertices through
    the transforms the browser applies to them)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#mount .corral-region')].map(p => [
            p.getAttribute('data-label'), p.getAttribute('fill'),
            [...p.points].map(q => { const s = q.matrixTransform(p.getScreenCTM()); return [s.x, s.y]; })])"""
    )


def test_draw_a_region_with_the_mouse_then_edit_and_delete_it(page, lab, artifacts):
    mount(page, lab.show())
    to_px, to_data = pixel_frame(page, lab)
    labels_before = lab.labels.copy()
    # JupyterLab must not see d (its "d d" deletes the cell): Lumino resolves shortcuts from a
    # document listener (capture or bubbling) and skips targets marked data-lm-suppress-shortcuts.
    page.evaluate("""() => {
        window.__keys = [];
        document.addEventListener('keydown', e => window.__keys.push(['capture', e.key,
            e.target.closest('[data-lm-suppress-shortcuts]') !== null]), true);
        document.addEventListener('keydown', e => window.__keys.push(['bubble', e.key]));
    }""")
    page.focus("#mount .corral-map")
    page.keyboard.press("d")
    assert page.evaluate("window.__keys") == [["capture", "d", True]]
    categories = list(lab.session.categories)
    assert drawing(page)["on"] and drawing(page)["label"] == categories[0]  # the first label by default
    other = categories[1]
    page.click(f"#mount .corral-label-button[data-name='{other}']")  # in draw mode: choose it, label nothing
    assert drawing(page)["label"] == other

    # Escape drops a polygon half drawn.
    page.mouse.click(*to_px([10.0, 0.0])[0])
    assert len(drawing(page)["draft"]) == 1
    page.keyboard.press("Escape")
    assert drawing(page)["draft"] == [] and drawing(page)["on"]

    corners = np.array([[8.2, -1.3], [11.6, -1.3], [11.6, 1.8], [8.2, 1.8]])  # around cluster 1 (centre 10, 0)
    clicks = to_px(corners)
    assert on_canvas(page, clicks)
    for x, y in clicks[:-1]:
        page.mouse.click(x, y)
    page.mouse.dblclick(*clicks[-1])  # the last vertex, and close
    wait_until(page, lambda: other in lab.regions, what="the drawn region in labeler.regions")
    (polygon,) = lab.regions[other]
    np.testing.assert_allclose(polygon, to_data(clicks), atol=0.05)  # a pixel is ~0.03 data units here
    np.testing.assert_allclose(polygon, corners, atol=0.05)
    assert list(lab.regions) == [other] and lab.history["kind"].iloc[-1] == "regions"
    assert lab.labels.equals(labels_before) and lab.selection.size == 0  # drawing labels and selects nothing
    page.wait_for_function("document.querySelectorAll('#mount .corral-region').length === 1")
    ((label, fill, shown),) = region_polygons(page)
    assert label == other and fill == color_for(1)
    np.testing.assert_allclose(shown, clicks, atol=1.0)
    page.screenshot(path=str(artifacts / "regions-draw.png"))

    # The overlay follows the camera: zoom in with the wheel, the region stays on the same data.
    page.mouse.move(*to_px([6.0, 4.0])[0])
    page.mouse.wheel(0, -300)
    camera_still(page)
    zoomed_px, _ = pixel_frame(page, lab)
    unit = lambda px: px([[1.0, 0.0]])[0][0] - px([[0.0, 0.0]])[0][0]  # noqa: E731 - pixels per data unit
    assert unit(zoomed_px) > 1.2 * unit(to_px)
    np.testing.assert_allclose(region_polygons(page)[0][2], zoomed_px(polygon), atol=1.0)
    page.click("#mount .corral-reset")
    page.wait_for_timeout(100)
    camera_still(page)
    np.testing.assert_allclose(region_polygons(page)[0][2], clicks, atol=1.0)

    # Choose it (click inside), then drag its third vertex to a new place.
    page.mouse.click(*to_px([10.0, 1.0])[0])
    page.wait_for_function("document.querySelectorAll('#mount .corral-vertex').length === 4")
    assert drawing(page)["selected"] == 0
    target = to_px([10.5, 3.5])[0]
    assert on_canvas(page, [target])
    page.mouse.move(*clicks[2])
    page.mouse.down()
    for t in np.linspace(0, 1, 6)[1:]:
        page.mouse.move(*(clicks[2] + t * (target - clicks[2])))
    page.mouse.up()
    wait_until(page, lambda: abs(lab.regions[other][0][2][1] - 3.5) < 0.05, what="the dragged vertex")
    np.testing.assert_allclose(lab.regions[other][0], [corners[0], corners[1], [10.5, 3.5], corners[3]], atol=0.05)
    assert len(lab.regions[other]) == 1

    # Delete removes the chosen region (and no point loses its label).
    page.keyboard.press("Delete")
    wait_until(page, lambda: lab.regions == {}, what="the region removed")
    page.wait_for_function("document.querySelectorAll('#mount .corral-region').length === 0")
    assert lab.labels.equals(labels_before)

    # While drawing the lasso is off; d leaves draw mode and it selects again.
    center = to_px([10.0, 0.0])[0]
    lasso(page, center, 60, 60)
    page.wait_for_timeout(300)
    assert lab.selection.size == 0
    page.keyboard.press("d")
    assert not drawing(page)["on"]
    lasso(page, center, 60, 60)
    wait_until(page, lambda: lab.selection.size > 0, what="a lasso selection after draw mode")


def test_regions_from_python_and_outlines_show_on_the_map(page, lab, artifacts):
    square = [[-2.0, -2.0], [2.0, -2.0], [2.0, 2.0], [-2.0, 2.0]]
    lab.regions = {"rain": [square], "brand new": [[[3, 7], [7, 7], [5, 11]]]}
    hint = [[8.0, -2.0], [12.0, -2.0], [12.0, 2.0], [8.0, 2.0]]
    mount(page, lab.show(outlines=[{"name": XSS, "polygon": hint}]))
    to_px, _ = pixel_frame(page, lab)
    shown = region_polygons(page)
    rain = color_for(list(lab.session.categories).index("rain"))
    assert [(label, fill) for label, fill, _ in shown] == [("rain", rain), ("brand new", color_for(2))]
    np.testing.assert_allclose(shown[0][2], to_px(square), atol=1.0)

    # The outline: dashed, its name written literally over its centroid (moved in only as far as
    # keeps it whole inside the canvas), nothing of it run as HTML.
    text, (left, top, right, bottom) = page.eval_on_selector(
        "#mount .corral-outline-name",
        "t => { const r = t.getBoundingClientRect(); return [t.textContent, [r.left, r.top, r.right, r.bottom]]; }")
    canvas = page.eval_on_selector("#mount canvas", "c => { const r = c.getBoundingClientRect(); return [r.left, r.right]; }")
    (cx, cy), = to_px([[10.0, 0.0]])
    assert text == XSS and left <= cx <= right and top <= cy <= bottom
    assert canvas[0] <= left and right <= canvas[1]
    assert page.eval_on_selector("#mount .corral-outline", "e => getComputedStyle(e).strokeDasharray") != "none"
    assert page.evaluate("document.querySelectorAll('#mount img').length === 0 && window.__xss === undefined")

    # Set from Python later: the view follows.
    lab.regions = {"rain": [square, [[8, -1], [9, -1], [9, 1]]]}
    flush(page)
    page.wait_for_function("document.querySelectorAll('#mount .corral-region').length === 2")
    assert [label for label, _, _ in region_polygons(page)] == ["rain", "rain"]

    # In draw mode a name typed in the label bar is the region label: no label is made for points,
    # and its regions take the next colour.
    page.focus("#mount .corral-map")
    page.keyboard.press("d")
    page.fill("#mount .corral-new-label", "fresh")
    page.press("#mount .corral-new-label", "Enter")
    assert drawing(page)["label"] == "fresh" and lab.label_names == ["jazz", "rain"]
    triangle = to_px([[4.0, 2.0], [6.0, 2.0], [5.0, 4.0]])
    for x, y in triangle:
        page.mouse.click(x, y)
    page.keyboard.press("Enter")
    wait_until(page, lambda: "fresh" in lab.regions, what="the region of a new label")
    np.testing.assert_allclose(lab.regions["fresh"][0], [[4, 2], [6, 2], [5, 4]], atol=0.05)
    page.wait_for_function("document.querySelector('#mount .corral-region[data-label=\"fresh\"]') !== null")
    assert region_polygons(page)[-1][:2] == ["fresh", color_for(2)]
    assert lab.label_names == ["jazz", "rain"] and lab.labels.notna().sum() == 10

    # The × of a chosen region removes it through Python.
    page.mouse.click(*to_px([0.0, 0.0])[0])
    page.wait_for_function("document.querySelector('#mount .corral-region-remove') !== null")
    page.screenshot(path=str(artifacts / "regions-outlines.png"))  # draw mode, a region chosen, an outline
    page.click("#mount .corral-region-remove")
    wait_until(page, lambda: len(lab.regions.get("rain", [])) == 1, what="the region removed by ×")
    np.testing.assert_allclose(lab.regions["rain"][0], [[8, -1], [9, -1], [9, 1]])
    assert list(lab.regions) == ["rain", "fresh"]


def test_a_click_in_the_same_frame_as_the_move_before_it_adds_a_vertex_there(page, lab):
    """The camera pans, each frame while the button is down, by how far the mouse went since the
    last frame: a press that comes before a frame took in the move that led to it (a quick move
    and click, or any click while frames are slow) must not pan the map by that move. The move
    and the press are dispatched in one task here, so no frame can come between them."""
    mount(page, lab.show())
    to_px, to_data = pixel_frame(page, lab)
    page.focus("#mount .corral-map")
    page.keyboard.press("d")
    start, target = to_px([[4.0, 4.0], [10.0, 0.0]])
    view = "Array.from(document.getElementById('mount').__corral.scatterplot.get('cameraView'))"
    before = page.evaluate(view)
    page.evaluate(
        """([start, target]) => new Promise(done => {
            const canvas = document.querySelector('#mount canvas');
            const fire = (type, [x, y], extra = {}) => canvas.dispatchEvent(new MouseEvent(type,
                { bubbles: true, cancelable: true, view: window, clientX: x, clientY: y, ...extra }));
            const frames = (n, then) => (n ? requestAnimationFrame(() => frames(n - 1, then)) : then());
            fire('mousemove', start);
            frames(2, () => {
                fire('mousemove', target);
                fire('mousedown', target, { button: 0, buttons: 1 });
                frames(2, () => {
                    fire('mouseup', target, { button: 0, buttons: 0 });
                    fire('click', target, { button: 0, detail: 1 });
                    done();
                });
            });
        })""",
        [list(map(float, start)), list(map(float, target))],
    )
    assert page.evaluate(view) == before  # the press did not pan the map
    (vertex,) = drawing(page)["draft"]
    np.testing.assert_allclose(vertex, to_data(target)[0], atol=0.05)


def test_regions_follow_new_coordinates_with_the_same_number_of_points(page, lab):
    """New coordinates of as many points keep the camera (no `view` event): the regions are drawn
    again once the points are, in the new frame."""
    from corral.map import protocol as P

    square = [[8.0, -2.0], [12.0, -2.0], [12.0, 2.0], [8.0, 2.0]]
    lab.regions = {"rain": [square]}
    w = lab.show()
    mount(page, w)
    moved = lab.coords * 2.0 + [5.0, -3.0]  # the frame (normalisation of the bounds) changes
    w.coords = P.encode_coords(moved.astype(np.float32))
    flush(page)
    page.wait_for_timeout(700)  # the points animate to their new place
    settle(page)
    px = screen_points(page, range(N))
    forward, *_ = np.linalg.lstsq(np.c_[moved, np.ones(N)], px, rcond=None)
    np.testing.assert_allclose(region_polygons(page)[0][2], np.c_[square, np.ones(4)] @ forward, atol=1.0)


def test_an_early_echo_does_not_hide_a_later_change(page, lab):
    """Two regions drawn before Python answers the first: the echo of the first (which lacks the
    second) is not shown, and the next change is built on both."""
    mount(page, lab.show())
    to_px, _ = pixel_frame(page, lab)
    page.focus("#mount .corral-map")
    page.keyboard.press("d")
    # Hold every message to Python until the test lets it through.
    page.evaluate("""() => {
        const real = window.__corralMsg;
        window.__held = [];
        window.__corralMsg = (payload) => new Promise((done) => window.__held.push(() => real(payload).then(done)));
        window.__release = async () => { await window.__held.shift()(); await window.harness.deliver([]); };
    }""")
    triangles = [[[4.0, 2.0], [6.0, 2.0], [5.0, 4.0]], [[-1.5, -1.5], [1.5, -1.5], [0.0, 1.5]]]
    for triangle in triangles:
        assert on_canvas(page, to_px(triangle))
        for x, y in to_px(triangle):
            page.mouse.click(x, y)
        page.keyboard.press("Enter")
    assert len(drawing(page)["regions"]) == 2 and page.evaluate("window.__held.length") == 2
    page.evaluate("window.__release()")  # the first change, its echo and its reply
    assert len(lab.regions[drawing(page)["label"]]) == 1
    assert len(drawing(page)["regions"]) == 2  # the second is still shown
    page.evaluate("window.__release()")
    wait_until(page, lambda: sum(map(len, lab.regions.values())) == 2, what="both regions in Python")
    page.wait_for_function("document.querySelectorAll('#mount .corral-region').length === 2")
    assert len(drawing(page)["regions"]) == 2 and page.evaluate("window.__held.length") == 0


def test_enter_on_a_focused_button_presses_it_in_draw_mode(page, lab):
    mount(page, lab.show())
    page.focus("#mount .corral-map")
    page.keyboard.press("d")
    assert drawing(page)["on"]
    page.focus("#mount .corral-draw")
    page.keyboard.press("Enter")  # the button's own action: leave draw mode
    assert not drawing(page)["on"]


def test_pan_and_zoom_move_the_overlay_without_rebuilding_it(page, lab):
    lab.regions = {"rain": [[[8.0, -2.0], [12.0, -2.0], [12.0, 2.0], [8.0, 2.0]]]}
    mount(page, lab.show())
    page.focus("#mount .corral-map")
    page.keyboard.press("d")
    page.evaluate("""() => { window.__nodes = [document.querySelector('#mount .corral-draw-label').firstChild,
                                             document.querySelector('#mount .corral-region')]; }""")
    before = page.eval_on_selector("#mount .corral-shapes", "g => g.getAttribute('transform')")
    box = page.locator("#mount canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -300)
    camera_still(page)
    assert page.eval_on_selector("#mount .corral-shapes", "g => g.getAttribute('transform')") != before
    assert page.evaluate("""() => window.__nodes[0] === document.querySelector('#mount .corral-draw-label').firstChild
        && window.__nodes[1] === document.querySelector('#mount .corral-region')""")
