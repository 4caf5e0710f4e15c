"""What a view shows from its first frame: undo/redo state, and colouring by values (harness tier)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
from corral_gestures import clusters, screen_points, topic_texts
from corral_harness import assert_no_errors, flush, mount, wait_until
from PIL import Image

import corral
from corral.map import protocol as P

LOW, HIGH, NO_VALUE = "#e3e6ec", "#08306b", "#9a9a9a"  # light theme: ramp ends, unlabeled grey


def make_labeler():
    coords, truth = clusters()
    return corral.Labeler(topic_texts(truth), coords=coords, embedder=corral.HashingEmbedder()), truth


def buttons(page) -> dict[str, bool]:
    return page.evaluate("""() => Object.fromEntries(['undo', 'redo'].map(k =>
        [k, !document.querySelector('#mount .corral-' + k).disabled]))""")


def test_undo_redo_buttons_are_right_on_first_display(page):
    lab, _ = make_labeler()
    lab.assign([0, 1], "rain")
    lab.assign([2], "jazz")
    lab.undo()
    mount(page, lab.show())  # no label operation after the view opened: only its initial state
    assert buttons(page) == {"undo": True, "redo": True}
    lab.undo()  # and the view follows what Python does next
    flush(page)
    wait_until(page, lambda: buttons(page) == {"undo": False, "redo": True}, what="undo disabled")
    assert_no_errors(page)


def test_fresh_labeler_shows_undo_and_redo_disabled(page):
    lab, _ = make_labeler()
    mount(page, lab.show())
    assert buttons(page) == {"undo": False, "redo": False}


def rgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i:i + 2], 16) for i in (1, 3, 5)])


def colour_distance_at(page, img: Image.Image, indices, color: str) -> float:
    """Smallest colour distance to ``color`` in 3x3 px around the first points of ``indices``."""
    box = page.locator("#mount canvas").bounding_box()
    arr = np.asarray(img).astype(int)
    pts = screen_points(page, indices[:6]) - [box["x"], box["y"]]
    return min(np.abs(arr[int(y) - 1:int(y) + 2, int(x) - 1:int(x) + 2] - rgb(color)).sum(axis=2).min()
               for x, y in pts)


def test_colour_by_values_draws_the_ramp_and_a_colour_bar(page, artifacts):
    lab, truth = make_labeler()
    lab.assign(np.flatnonzero(truth == 0), "rain")  # labels stay in the legend, colours follow values
    values = pd.Series(np.where(truth == 0, 1.0, np.where(truth == 1, 0.0, np.nan)), index=lab.index)
    name = "<img src=x onerror=window.__pwned=1>doubt"
    w = lab.show(color_by=values, color_label=name)
    mount(page, w)
    page.wait_for_timeout(200)
    img = Image.open(io.BytesIO(page.locator("#mount canvas").screenshot())).convert("RGB")
    assert colour_distance_at(page, img, np.flatnonzero(truth == 0), HIGH) < 40
    assert colour_distance_at(page, img, np.flatnonzero(truth == 1), LOW) < 40
    assert colour_distance_at(page, img, np.flatnonzero(truth == 2), NO_VALUE) < 40
    bar = page.locator("#mount .corral-colorbar")
    assert bar.is_visible()
    assert page.text_content("#mount .corral-colorbar-title") == name  # shown as text
    assert page.text_content("#mount .corral-colorbar-min") == "0"
    assert page.text_content("#mount .corral-colorbar-max") == "1"
    assert page.text_content("#mount .corral-colorbar-missing") == "no value: 30"
    assert page.evaluate("window.__pwned") is None and page.locator("#mount .corral-colorbar img").count() == 0
    assert page.get_attribute("#mount .corral-map", "data-overlay") == "values"
    page.screenshot(path=str(artifacts / "map-widget-values.png"))
    # A keyword search shows over the values; clearing it comes back to them.
    page.fill("#mount .corral-search-input", "jazz")
    page.press("#mount .corral-search-input", "Enter")
    wait_until(page, lambda: page.get_attribute("#mount .corral-map", "data-overlay") == "highlight", what="highlight")
    assert not bar.is_visible()
    page.click("#mount .corral-search-clear")
    wait_until(page, lambda: page.get_attribute("#mount .corral-map", "data-overlay") == "values", what="values back")
    assert bar.is_visible()
    # Python can drop the values: the map goes back to label colours.
    w.values = b""
    flush(page)
    wait_until(page, lambda: page.get_attribute("#mount .corral-map", "data-overlay") == "labels", what="labels")
    assert not bar.is_visible()
    # Values back, in the same update as a colour change that leaves every label code as it was.
    with w.hold_sync():
        w.values = P.encode_values(values.to_numpy())
        w.colors = ["#2ca02c"]
    flush(page)
    wait_until(page, lambda: page.get_attribute("#mount .corral-map", "data-overlay") == "values", what="values")
    page.wait_for_timeout(200)
    img = Image.open(io.BytesIO(page.locator("#mount canvas").screenshot())).convert("RGB")
    assert colour_distance_at(page, img, np.flatnonzero(truth == 0), HIGH) < 40
    assert colour_distance_at(page, img, np.flatnonzero(truth == 1), LOW) < 40
    assert_no_errors(page)


def test_plain_show_keeps_label_colours(page):
    lab, _ = make_labeler()
    mount(page, lab.show())
    assert page.get_attribute("#mount .corral-map", "data-overlay") in (None, "labels")
    assert not page.locator("#mount .corral-colorbar").is_visible()
