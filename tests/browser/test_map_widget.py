"""The map widget's front end in headless Chromium, driven by a real MapWidget (harness tier)."""

from __future__ import annotations

import io
import time

import numpy as np
import pytest
from corral_gestures import clusters, lasso, lasso_around, legend_counts, screen_points
from corral_harness import assert_no_errors, flush, mount, push, settle, wait_until
from PIL import Image

import corral
from corral.map import protocol as P
from corral.map.map_widget import MapWidget

NAMES = ["rain", "jazz", "pizza"]
COLORS = ["#4e79a7", "#f28e2b", "#e15759"]




def make_widget(coords, codes, categories=NAMES, colors=COLORS, **kw) -> MapWidget:
    return MapWidget(
        coords=P.encode_coords(coords),
        codes=P.encode_codes(codes),
        categories=list(categories),
        colors=list(colors),
        count=len(coords),
        **kw,
    )


def labelled_blobs():
    """Clusters 0 and 1 fully labelled, cluster 2 half labelled, the rest unlabeled."""
    coords, truth = clusters()
    codes = truth.copy()
    codes[(truth == 2) & (np.arange(len(truth)) % 2 == 1)] = P.UNLABELED
    return coords, truth, codes








def selected_in_page(page) -> list[int]:
    return sorted(page.evaluate("document.getElementById('mount').__corral.scatterplot.get('selectedPoints')"))


def canvas_png(page) -> Image.Image:
    return Image.open(io.BytesIO(page.locator("#mount canvas").screenshot())).convert("RGB")


def test_renders_clusters_with_legend_counts(page, artifacts):
    coords, truth, codes = labelled_blobs()
    mount(page, make_widget(coords, codes))

    assert page.get_attribute(".corral-map", "data-corral-ready") == "1"
    assert not page.locator(".corral-empty").is_visible()
    assert legend_counts(page) == {"rain": 30, "jazz": 30, "pizza": 15, "unlabeled": 15}
    # Canvas sized to its area (the element's width less the side panel) x the height trait.
    box = page.locator("#mount canvas").bounding_box()
    area = page.locator("#mount .corral-canvas-wrap").bounding_box()
    panel = page.locator("#mount .corral-panel").bounding_box()
    assert box["width"] == pytest.approx(area["width"] - 2, abs=2)
    assert area["width"] + panel["width"] + 8 == pytest.approx(page.locator("#mount").bounding_box()["width"], abs=2)
    assert box["width"] > 550
    assert box["height"] == pytest.approx(520, abs=1)
    # Labelled points are drawn bigger than unlabeled ones (size per categorical value, 0 = unlabeled).
    sizes = page.evaluate("document.getElementById('mount').__corral.scatterplot.get('pointSize')")
    assert len(sizes) == 4 and sizes[0] < sizes[1] == sizes[2] == sizes[3]

    settle(page)
    img = canvas_png(page)
    pixels = np.asarray(img).reshape(-1, 3)
    assert pixels.std(axis=0).max() > 5, "canvas looks blank"
    # Each cluster's colour is drawn where the hook says its points are.
    canvas_box = page.locator("#mount canvas").bounding_box()
    for cluster, hex_color in enumerate(COLORS):
        idx = np.flatnonzero(codes == cluster)[:5]
        want = np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)])
        pts = screen_points(page, idx) - [canvas_box["x"], canvas_box["y"]]
        arr = np.asarray(img).astype(int)
        dists = [np.abs(arr[int(y) - 1:int(y) + 2, int(x) - 1:int(x) + 2] - want).sum(axis=2).min()
                 for x, y in pts]
        assert min(dists) < 40, f"colour {hex_color} not drawn at cluster {cluster}"
    # Points of different clusters land far apart on screen, inside the canvas.
    centers = np.array([screen_points(page, np.flatnonzero(truth == c)).mean(axis=0) for c in range(3)])
    assert min(np.linalg.norm(centers[i] - centers[j]) for i in range(3) for j in range(i)) > 150
    page.screenshot(path=str(artifacts / "map-widget-clusters.png"), full_page=True)




def test_lasso_selects_exactly_one_cluster_into_python(page, artifacts):
    coords, truth, codes = labelled_blobs()
    w = make_widget(coords, codes)
    mount(page, w)
    target = np.flatnonzero(truth == 1)
    lasso(page, *lasso_around(page, truth, 1))
    wait_until(page, lambda: len(w.selection) > 0, what="selection to reach Python")
    assert P.decode_indices(w.selection).tolist() == target.tolist()
    assert selected_in_page(page) == target.tolist()
    assert page.text_content(".corral-selected") == f"{len(target)} selected"
    page.screenshot(path=str(artifacts / "map-widget-lasso.png"))
    # One save, carrying only the selection, and no echo afterwards.
    page.wait_for_timeout(200)
    assert page.evaluate("[harness.saves, harness.acked]") == [1, 1]
    assert page.evaluate("harness.saved") == [["selection"]]


def test_lasso_closed_on_a_point_where_it_started_is_a_lasso_not_a_click(page):
    # A lone point between clusters 0 and 1: the lasso starts on it, circles cluster 1 and is
    # released exactly where it was pressed, so the click that follows the release lands on it.
    coords, truth = clusters()
    coords = np.vstack([coords, [[5.0, 0.0]]]).astype(np.float32)
    truth = np.append(truth, 3)
    w = make_widget(coords, np.full(len(coords), P.UNLABELED))
    mount(page, w)
    lone = len(coords) - 1
    start = tuple(screen_points(page, [lone])[0])
    center, rx, ry = lasso_around(page, truth, 1)
    ring = [(center[0] - rx * np.cos(a), center[1] + ry * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 21)]
    page.keyboard.down("Shift")
    page.mouse.move(*start)
    page.mouse.down()
    for x, y in [*ring, start]:
        page.mouse.move(x, y)
        page.wait_for_timeout(10)
    page.wait_for_timeout(40)
    page.mouse.up()
    page.keyboard.up("Shift")
    wait_until(page, lambda: len(w.selection) > 0, what="selection to reach Python")
    page.wait_for_timeout(300)  # regl-scatterplot's click would have replaced it by now
    got = P.decode_indices(w.selection).tolist()
    cluster = np.flatnonzero(truth == 1).tolist()
    assert got in (cluster, cluster + [lone]), got  # the lone point is on the lasso's edge
    assert selected_in_page(page) == got
    # A plain click on that point (no lasso) still selects it alone.
    page.mouse.click(*start)
    wait_until(page, lambda: P.decode_indices(w.selection).tolist() == [lone], what="the click's selection")
    assert_no_errors(page)


def test_long_press_lasso_without_modifier_then_double_click_clears(page):
    coords, truth, codes = labelled_blobs()
    w = make_widget(coords, codes)
    mount(page, w)
    view = "Array.from(document.getElementById('mount').__corral.scatterplot.get('cameraView'))"
    before = page.evaluate(view)
    lasso(page, *lasso_around(page, truth, 0), modifier=None, hold_ms=900)
    wait_until(page, lambda: len(w.selection) > 0, what="selection to reach Python")
    assert P.decode_indices(w.selection).tolist() == np.flatnonzero(truth == 0).tolist()
    assert page.evaluate(view) == pytest.approx(before)  # the lasso drag did not pan
    # Double-click on empty space clears, in the page and in Python.
    box = page.locator("#mount canvas").bounding_box()
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_until(page, lambda: len(w.selection) == 0, what="the cleared selection to reach Python")
    assert selected_in_page(page) == []


def test_shift_mousedown_does_not_reach_the_notebook(page):
    coords, _, codes = labelled_blobs()
    mount(page, make_widget(coords, codes))
    page.evaluate("""() => { window.__bubbled = [];
        document.body.addEventListener('mousedown', e => window.__bubbled.push(e.shiftKey)); }""")
    box = page.locator("#mount canvas").bounding_box()
    x, y = box["x"] + 20, box["y"] + 20
    page.mouse.click(x, y)
    page.keyboard.down("Shift")
    page.mouse.click(x + 5, y + 5)
    page.keyboard.up("Shift")
    assert page.evaluate("window.__bubbled") == [False]


def test_python_selection_is_highlighted_without_echo(page):
    coords, truth, codes = labelled_blobs()
    w = make_widget(coords, codes)
    mount(page, w)
    chosen = [2, 5, 31, 64, 89]
    w.selection = P.encode_indices(chosen)
    push(page, w, "selection")
    page.wait_for_function("document.querySelector('.corral-selected').textContent === '5 selected'")
    assert selected_in_page(page) == chosen
    # Out-of-range indices from a stale Python selection are ignored, not drawn or echoed.
    w.selection = P.encode_indices([1, 500])
    push(page, w, "selection")
    page.wait_for_function("document.querySelector('.corral-selected').textContent === '1 selected'")
    assert selected_in_page(page) == [1]
    w.selection = b""
    push(page, w, "selection")
    page.wait_for_function("document.querySelector('.corral-selected').textContent === ''")
    assert selected_in_page(page) == []
    page.wait_for_timeout(150)
    assert page.evaluate("harness.saves") == 0


def test_python_codes_change_updates_legend_and_keeps_the_view(page):
    coords, truth, codes = labelled_blobs()
    w = make_widget(coords, codes)
    mount(page, w)
    # Zoom in a little (wheel over the canvas) so a reset would be visible.
    box = page.locator("#mount canvas").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -200)
    page.wait_for_timeout(150)
    w.selection = P.encode_indices([3, 4, 5])
    push(page, w, "selection")
    page.wait_for_function("document.querySelector('.corral-selected').textContent === '3 selected'")
    view_before = page.evaluate("Array.from(document.getElementById('mount').__corral.scatterplot.get('cameraView'))")
    pos_before = screen_points(page, [0, 40, 70])

    new = codes.copy()
    new[truth == 2] = 2
    new[:10] = 1
    w.codes = P.encode_codes(new)
    push(page, w, "codes")
    page.wait_for_function(
        "document.querySelector('.corral-legend-row[data-code=\"-1\"] .corral-count').textContent === '0'"
    )
    assert legend_counts(page) == {"rain": 20, "jazz": 40, "pizza": 30, "unlabeled": 0}

    # A new label arrives with its colour (categories + colors + codes change together).
    w.categories, w.colors = NAMES + ["sushi"], COLORS + ["#59a14f"]
    new[80:] = 3
    w.codes = P.encode_codes(new)
    push(page, w, "categories", "colors", "codes")
    page.wait_for_function("document.querySelectorAll('.corral-legend-row').length === 5")
    assert legend_counts(page) == {"rain": 20, "jazz": 40, "pizza": 20, "sushi": 10, "unlabeled": 0}
    settle(page)
    view_after = page.evaluate("Array.from(document.getElementById('mount').__corral.scatterplot.get('cameraView'))")
    assert view_after == pytest.approx(view_before)
    assert screen_points(page, [0, 40, 70]) == pytest.approx(pos_before)
    assert selected_in_page(page) == [3, 4, 5]  # recolouring keeps the selection
    assert page.evaluate("harness.saves") == 0


def test_empty_map_then_points_arrive(page):
    w = MapWidget()
    mount(page, w)
    assert page.locator(".corral-empty").is_visible()
    assert legend_counts(page) == {"unlabeled": 0}
    coords, truth, codes = labelled_blobs()
    w.coords, w.codes, w.count = P.encode_coords(coords), P.encode_codes(codes), len(coords)
    w.categories, w.colors = NAMES, COLORS
    push(page, w, "coords", "codes", "count", "categories", "colors")
    page.wait_for_function("document.querySelector('.corral-empty').hidden")
    settle(page)
    assert legend_counts(page) == {"rain": 30, "jazz": 30, "pizza": 15, "unlabeled": 15}
    box = page.locator("#mount canvas").bounding_box()
    pts = screen_points(page, range(len(coords)))
    assert (pts[:, 0] > box["x"]).all() and (pts[:, 0] < box["x"] + box["width"]).all()
    assert np.asarray(canvas_png(page)).reshape(-1, 3).std(axis=0).max() > 5


def test_label_names_are_shown_literally(page):
    coords, truth, _ = labelled_blobs()
    evil = ["<img src=x onerror=window.__xss=1>", "<script>window.__xss=1</script>", "a & b"]
    mount(page, make_widget(coords, truth, categories=evil))
    settle(page)
    page.wait_for_timeout(100)
    labels = page.eval_on_selector_all(".corral-legend .corral-label", "ns => ns.map(n => n.textContent)")
    assert labels == evil + ["unlabeled"]
    assert page.evaluate("window.__xss") is None
    assert page.locator(".corral-legend img, .corral-legend script").count() == 0


def test_python_coords_change_redraws_points(page):
    coords, truth, codes = labelled_blobs()
    w = make_widget(coords, codes)
    mount(page, w)
    before = screen_points(page, [0, 35])
    moved = coords.copy()
    moved[truth == 0] += [10.0, 9.0]  # cluster 0 jumps onto cluster 2's side
    w.coords = P.encode_coords(moved)
    push(page, w, "coords")
    page.wait_for_timeout(700)  # the points animate to their new place
    settle(page)
    after = screen_points(page, [0, 35])
    assert np.linalg.norm(after[0] - before[0]) > 100
    assert legend_counts(page)["rain"] == 30

    # A different number of points: redrawn and refitted.
    more, _ = clusters(per=50, seed=1)
    w.coords, w.codes, w.count = P.encode_coords(more), P.encode_codes(np.zeros(150, dtype=np.int32)), 150
    push(page, w, "coords", "codes", "count")
    page.wait_for_function("document.querySelector('.corral-legend-row[data-code=\"0\"]').dataset.count === '150'")
    settle(page)
    box = page.locator("#mount canvas").bounding_box()
    pts = screen_points(page, range(150))
    assert (pts[:, 0] > box["x"]).all() and (pts[:, 0] < box["x"] + box["width"]).all()
    assert (pts[:, 1] > box["y"]).all() and (pts[:, 1] < box["y"] + box["height"]).all()

    # The height trait resizes the canvas.
    w.height = 300
    push(page, w, "height")
    page.wait_for_function("document.querySelector('#mount canvas').getBoundingClientRect().height === 300")


def test_theme_follows_jupyterlab_and_color_scheme(page_factory, artifacts):
    pg = page_factory(color_scheme="dark")
    coords, _, codes = labelled_blobs()
    mount(pg, make_widget(coords, codes))
    bg = "getComputedStyle(document.querySelector('.corral-canvas-wrap')).backgroundColor"
    assert pg.evaluate("document.querySelector('.corral-map').classList.contains('corral-dark')")
    dark_bg = pg.evaluate(bg)
    pg.screenshot(path=str(artifacts / "map-widget-dark.png"))
    # JupyterLab's theme attribute wins over the media query, and is followed live.
    pg.evaluate("document.body.setAttribute('data-jp-theme-light', 'true')")
    pg.wait_for_function("!document.querySelector('.corral-map').classList.contains('corral-dark')")
    assert pg.evaluate(bg) != dark_bg
    pg.evaluate("document.body.setAttribute('data-jp-theme-light', 'false')")
    pg.wait_for_function("document.querySelector('.corral-map').classList.contains('corral-dark')")
    settle(pg)


def test_reset_view_and_cleanup(page):
    coords, _, codes = labelled_blobs()
    mount(page, make_widget(coords, codes))
    hook = "document.getElementById('mount').__corral"
    fitted = page.evaluate(f"Array.from({hook}.scatterplot.get('cameraView'))")
    box = page.locator("#mount canvas").bounding_box()
    page.mouse.move(box["x"] + 100, box["y"] + 100)
    page.mouse.down()
    page.mouse.move(box["x"] + 300, box["y"] + 250, steps=8)
    page.mouse.up()
    page.wait_for_timeout(100)
    assert page.evaluate(f"Array.from({hook}.scatterplot.get('cameraView'))") != pytest.approx(fitted)
    page.click("text=Reset view")
    page.wait_for_timeout(500)
    assert page.evaluate(f"Array.from({hook}.scatterplot.get('cameraView'))") == pytest.approx(fitted, abs=1e-4)

    page.evaluate("harness.unmount()")
    assert page.evaluate("harness.model.listenerCount()") == 0
    assert page.locator("#mount canvas").count() == 0
    assert page.evaluate(f"{hook} === undefined")
    assert page.get_attribute("#mount", "data-corral-ready") is None


def test_million_points_with_the_label_bar(page, artifacts):
    """A million points behind a real Labeler: renders, and a key labels a selection end to end."""
    n_per = 1_000_000 // 4
    rng = np.random.default_rng(7)
    truth = np.repeat(np.arange(4), n_per)
    centers = np.array([[0, 0], [30, 0], [0, 30], [30, 30]], dtype=np.float32)
    coords = (centers[truth] + rng.normal(scale=4.0, size=(len(truth), 2))).astype(np.float32)
    lab = corral.Labeler([f"text {i}" for i in range(len(truth))], coords=coords, embedder=corral.HashingEmbedder())
    for c, name in enumerate(NAMES):
        lab.assign(np.flatnonzero(truth == c), name)
    w = lab.show()

    t0 = time.perf_counter()
    mount(page, w, timeout=90_000)
    wall = time.perf_counter() - t0
    first_frame = page.evaluate("document.getElementById('mount').__corral.firstFrameMs")
    assert legend_counts(page) == {"rain": n_per, "jazz": n_per, "pizza": n_per, "unlabeled": n_per}
    hook = "document.getElementById('mount').__corral"
    assert page.evaluate(f"{hook}.scatterplot.get('isPointsDrawn')")
    assert max(page.evaluate(f"{hook}.scatterplot.get('pointSize')")) <= 2  # small points at this size
    assert page.locator("#mount .corral-label-button").count() == 3

    # Select 1,000 unlabeled points (from Python), label them with key 1: Python and legend agree.
    chosen = np.arange(3 * n_per, 3 * n_per + 1000)
    lab.selection = chosen
    flush(page)
    page.focus("#mount .corral-map")
    t1 = time.perf_counter()
    page.keyboard.press("1")
    first = lab.label_names[0]
    wait_until(page, lambda: lab.counts.get(first) == n_per + 1000, what="key 1 at 1M points")
    page.wait_for_function(
        f"document.querySelector('#mount .corral-legend-row[data-code=\"-1\"]').dataset.count === '{n_per - 1000}'",
        polling=50, timeout=30_000,
    )
    relabel = time.perf_counter() - t1
    assert (lab.labels.iloc[chosen] == first).all()
    counts = legend_counts(page)
    assert counts[first] == n_per + 1000 and counts["unlabeled"] == n_per - 1000
    line = (f"1M points: first frame {first_frame:.0f} ms after render(); mount incl. transfer {wall:.2f} s; "
            f"key -> Python -> legend {relabel:.2f} s\n")
    (artifacts / "timings.txt").open("a").write(line)
    print("\n" + line.strip())
    settle(page)
    pixels = np.asarray(canvas_png(page)).reshape(-1, 3)
    assert pixels.std(axis=0).max() > 5
    page.screenshot(path=str(artifacts / "map-widget-1m.png"))
    assert_no_errors(page)
