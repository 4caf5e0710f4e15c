"""Suggestions on the map, end to end (harness tier): shown in their label's colour (lighter,
faded), a lasso's suggestions accepted with the key `a` as one operation, undo restores, and a
label name with markup stays text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from corral_gestures import clusters, js_hook, lasso, lasso_around, topic_texts
from corral_harness import assert_no_errors, mount
from test_labeling import focus_map, pixel_near

import corral

RAIN = "<i>rain</i>"  # markup in a label name: shown as these characters, never as HTML


@pytest.fixture
def setup():
    coords, truth = clusters()
    labels = [None] * len(truth)
    labels[0:10] = [RAIN] * 10
    labels[30:40] = ["jazz"] * 10
    labels[60:70] = ["pizza"] * 10
    lab = corral.Labeler(topic_texts(truth), coords=coords, labels=labels, embedder=corral.HashingEmbedder())
    return lab, truth, labels


def state(page):
    return page.evaluate(f"{js_hook()}.suggestions()")


def set_threshold(page, value: float) -> None:
    page.eval_on_selector("#mount .corral-suggest-threshold",
                          "(e, v) => { e.value = String(v); e.dispatchEvent(new Event('input')); }", value)


def direction(pixels, background) -> np.ndarray:
    """The unit colour direction of the pixel farthest from the background."""
    d = pixels - np.asarray(background)
    v = d[np.abs(d).sum(axis=1).argmax()].astype(float)
    return v / (np.linalg.norm(v) or 1.0)


def test_suggestions_shown_accepted_with_a_and_undone(page, setup):
    lab, truth, labels = setup
    w = lab.show()
    mount(page, w)
    colour = dict(zip(lab.label_names, w.colors))
    bg = np.array([255, 255, 255])
    before = pixel_near(page, 75)
    assert page.get_attribute("#mount .corral-accept", "disabled") is not None  # nothing shown yet

    focus_map(page)
    page.keyboard.press("a")  # suggestions not shown: `a` is not the map's (JupyterLab's "insert cell")
    assert page.evaluate("harness.sent.filter(m => m.kind === 'accept').length") == 0
    assert page.get_attribute("#mount .corral-map", "data-lm-suppress-shortcuts") is None

    page.click("#mount .corral-suggest")
    page.wait_for_function(f"{js_hook()}.suggestions().token !== null")
    set_threshold(page, 0.0)
    frame = lab.suggest()
    unlabeled = np.flatnonzero(pd.isna(pd.Series(labels)))
    expected = int(frame["suggested"].iloc[unlabeled].notna().sum())
    page.wait_for_function(f"{js_hook()}.suggestions().shown === {expected}")
    assert expected == 60 and state(page)["on"] and state(page)["threshold"] == 0.0
    assert frame["suggested"].iloc[75] == "pizza" and lab.labels.isna().sum() == 60  # never labels
    page.wait_for_timeout(150)  # one draw
    after = pixel_near(page, 75)
    # An unlabeled point: grey before, now in pizza's hue but lighter than a pizza label.
    pizza = np.array([int(colour["pizza"][i:i + 2], 16) for i in (1, 3, 5)])
    want = (pizza - bg) / np.linalg.norm(pizza - bg)
    assert direction(after, bg) @ want > 0.9 > direction(before, bg) @ want
    farthest = lambda px: np.abs(px - bg).sum(axis=1).max()  # noqa: E731
    assert farthest(after) < 0.8 * farthest(pixel_near(page, 60))  # the labeled pizza point is stronger

    # Above everything's confidence: all grey again, nothing shown.
    set_threshold(page, 1.0)
    page.wait_for_function(f"{js_hook()}.suggestions().shown === 0")
    set_threshold(page, 0.0)
    page.wait_for_function(f"{js_hook()}.suggestions().shown === 60")

    lasso(page, *lasso_around(page, truth, 2), vertices=12)
    page.wait_for_function("document.querySelector('#mount .corral-selected').textContent === '30 selected'")
    focus_map(page)
    page.keyboard.press("a")
    page.wait_for_function("document.querySelector('#mount .corral-status').textContent.startsWith('Accepted 20')")
    got = lab.labels
    assert page.evaluate("harness.sent.filter(m => m.kind === 'accept').length") == 1
    assert (got.iloc[60:90] == "pizza").all()
    assert got.iloc[10:30].isna().all() and got.iloc[40:60].isna().all()  # outside the lasso: untouched
    assert lab.history["kind"].tolist() == ["assign_many"] and lab.history["source"].tolist() == ["suggestion"]
    page.wait_for_function(f"{js_hook()}.suggestions().shown === 40")  # the others, refreshed

    page.keyboard.press("Control+z")
    page.wait_for_function("document.querySelector('#mount .corral-status').textContent.startsWith('Undid')")
    assert [None if pd.isna(v) else v for v in lab.labels.tolist()] == labels

    # The label name with markup is text on the page: no <i> element anywhere in the widget.
    names = page.eval_on_selector_all("#mount .corral-label-button", "bs => bs.map(b => b.dataset.name)")
    assert RAIN in names
    assert page.evaluate("document.querySelector('#mount .corral-map i')") is None
    assert page.evaluate(f"[...document.querySelectorAll('#mount .corral-map *')].some(e => e.textContent === {RAIN!r})")
    assert_no_errors(page)
