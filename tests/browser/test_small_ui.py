"""Small widget behaviours from issue 11 (harness tier, a real Labeler)."""

from __future__ import annotations

import numpy as np
from corral_harness import flush, mount, settle

import corral


def test_a_long_sample_text_opens_on_click_and_folds_again(page):
    long = " ".join(f"word{i}" for i in range(200))  # far more than 3 lines, under the 2,000 characters sent whole
    texts = [long] + [f"short text {i}" for i in range(9)]
    lab = corral.Labeler(texts, coords=np.random.default_rng(0).normal(size=(10, 2)), embedder=corral.HashingEmbedder())
    mount(page, lab.show())
    settle(page)
    lab.selection = [0, 1]
    flush(page)
    item = page.locator("#mount .corral-sample-text[data-index='0']")
    item.wait_for()
    clamped = item.bounding_box()["height"]
    assert clamped < 70  # three lines
    item.click()
    assert item.get_attribute("data-expanded") == ""
    assert item.bounding_box()["height"] > 3 * clamped
    item.click()
    assert item.get_attribute("data-expanded") is None
    assert item.bounding_box()["height"] == clamped
    assert item.text_content() == long
