"""150 labels (more than BANKING77's 77): the map widget stays one screen (harness tier).

A real Labeler behind the widget: chips for the labels with the most points, the rest behind
"+N more" (type to filter), a legend collapsed to the top labels; keys 1-9 apply the chips as
shown; hostile label names stay text. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from corral_harness import flush, mount, settle, wait_until

import corral

K = 150
EVIL = "<img src=x onerror=window.__xss=1>"


def names() -> list[str]:
    words = ["card", "transfer", "top_up", "cash", "fee", "pin", "refund", "account", "exchange", "atm"]
    out = [f"{words[i % 10]}_{['arrival', 'declined', 'pending', 'failed', 'limit'][i // 10 % 5]}_{i}" for i in range(K - 1)]
    return out + [EVIL]


@pytest.fixture
def lab():
    """3,000 points; label i has (K - i) * 20 / K + 1 points or so (a long tail), 300 unlabeled."""
    rng = np.random.default_rng(0)
    label_names = names()
    sizes = np.maximum(1, np.round(np.geomspace(80, 2, K))).astype(int)
    labels = [name for name, s in zip(label_names, sizes) for _ in range(s)]
    n = len(labels) + 300
    labels = labels + [None] * 300
    coords = rng.normal(size=(n, 2)).astype(np.float32)
    texts = [f"text {i} about {labels[i] or 'nothing'}" for i in range(n)]
    return corral.Labeler(texts, coords=coords, labels=labels, embedder=corral.HashingEmbedder())


def select_in_python(page, lab, indices) -> None:
    lab.selection = list(indices)
    flush(page)
    page.wait_for_function(
        f"document.querySelector('#mount .corral-selected').textContent === '{len(indices)} selected'"
    )


def test_150_labels_stay_one_screen_and_stay_usable(page, lab, artifacts):
    counts = lab.counts
    assert len(counts) == K
    page.set_viewport_size({"width": 1400, "height": 900})
    mount(page, lab.show(height=520))
    settle(page)
    page.screenshot(path=str(artifacts / "many_labels_150.png"), full_page=True)
    box = page.locator("#mount .corral-map").bounding_box()
    assert box["height"] < 900, f"the widget is {box['height']:.0f} px tall at height=520"
    assert page.locator("#mount .corral-labelbar").bounding_box()["height"] < 130  # 4 rows at most
    assert page.locator("#mount .corral-legend").bounding_box()["height"] < 70

    # Chips: the nine labels with the most points, keyed 1-9; the rest behind "+141 more".
    chips = page.eval_on_selector_all("#mount .corral-label-button", "bs => bs.map(b => b.dataset.name)")
    top9 = counts.sort_values(ascending=False, kind="stable").index[:9]
    assert sorted(chips) == sorted(top9)
    assert chips == [n for n in lab.label_names if n in set(chips)]  # in order of first use
    keys = page.eval_on_selector_all("#mount .corral-label-button .corral-key", "ks => ks.map(k => k.textContent)")
    assert keys == [str(i) for i in range(1, 10)]
    assert page.text_content("#mount .corral-more") == f"+{K - 9} more"

    # Key 3 applies the third chip, as shown.
    unlabeled = np.flatnonzero(lab.labels.isna().to_numpy())
    select_in_python(page, lab, unlabeled[:5])
    page.focus("#mount .corral-map")
    page.keyboard.press("3")
    wait_until(page, lambda: (lab.labels.iloc[unlabeled[:5]] == chips[2]).all(), what="key 3")

    # "+N more", type to filter, pick one: it labels the selection.
    target = "refund_failed_36"
    assert target not in chips
    select_in_python(page, lab, unlabeled[5:12])
    page.click("#mount .corral-more")
    page.wait_for_selector("#mount .corral-label-popup:not([hidden])")
    assert page.evaluate("document.activeElement.classList.contains('corral-label-filter')")
    assert page.locator("#mount .corral-label-option").count() == K - 9
    page.keyboard.type("refund failed")
    options = page.eval_on_selector_all("#mount .corral-label-option", "bs => bs.map(b => b.dataset.name)")
    assert target in options and all("refund" in o and "failed" in o for o in options)
    assert page.text_content("#mount .corral-label-found") == f"{len(options)} of {K - 9} labels"
    popup = page.locator("#mount .corral-label-popup").bounding_box()
    assert popup["height"] < 400
    page.screenshot(path=str(artifacts / "many_labels_filter.png"))
    page.click(f"#mount .corral-label-option[data-name='{target}']")
    wait_until(page, lambda: (lab.labels.iloc[unlabeled[5:12]] == target).all(), what="the picked label")
    assert page.locator("#mount .corral-label-popup").is_hidden()
    assert page.evaluate("document.querySelector('#mount .corral-map').contains(document.activeElement)")

    # Enter in the filter picks the first match.
    select_in_python(page, lab, unlabeled[12:14])
    page.click("#mount .corral-more")
    page.keyboard.type("exchange_limit_48")
    page.keyboard.press("Enter")
    wait_until(page, lambda: (lab.labels.iloc[unlabeled[12:14]] == "exchange_limit_48").all(), what="Enter")

    # The hostile name is found and shown as text.
    page.click("#mount .corral-more")
    page.keyboard.type("<img")
    page.wait_for_function("document.querySelectorAll('#mount .corral-label-option').length === 1")
    assert page.text_content("#mount .corral-label-option .corral-label") == EVIL
    page.keyboard.press("Escape")
    assert page.locator("#mount .corral-label-popup").is_hidden()
    assert page.locator("#mount img, #mount script").count() == 0
    assert page.evaluate("window.__xss") is None

    # The legend: 12 rows with counts, unlabeled, "+N more"; expanded it scrolls in a capped box.
    flush(page)
    rows = page.eval_on_selector_all("#mount .corral-legend-row", "rs => rs.map(r => [r.dataset.code, r.dataset.count])")
    assert len(rows) == 13 and rows[-1][0] == "-1"
    shown = {lab.label_names[int(c)]: int(n) for c, n in rows[:-1]}
    now = lab.counts
    assert shown == {k: int(now[k]) for k in shown}
    assert min(shown.values()) >= now.drop(list(shown)).max()
    page.click("#mount .corral-legend-more")
    page.wait_for_function(f"document.querySelectorAll('#mount .corral-legend-row').length === {len(now) + 1}")
    assert page.locator("#mount .corral-legend").bounding_box()["height"] <= 160
    assert page.locator("#mount .corral-map").bounding_box()["height"] < 1000
    page.click("#mount .corral-legend-more")
    page.wait_for_function("document.querySelectorAll('#mount .corral-legend-row').length === 13")


def test_labels_with_no_points_leave_the_bar_and_legend(page):
    lab = corral.Labeler([f"t{i}" for i in range(6)], coords=np.arange(12, dtype=np.float32).reshape(6, 2),
                         labels=["a", "a", "b", "b", None, None], embedder=corral.HashingEmbedder())
    mount(page, lab.show())
    settle(page)
    chips = lambda: page.eval_on_selector_all("#mount .corral-label-button", "bs => bs.map(b => b.dataset.name)")  # noqa: E731
    assert chips() == ["a", "b"]
    lab.clear([2, 3])
    flush(page)
    page.wait_for_function("document.querySelectorAll('#mount .corral-label-button').length === 1")
    assert chips() == ["a"]
    assert [r for r in page.eval_on_selector_all("#mount .corral-legend .corral-label", "ls => ls.map(l => l.textContent)")] == ["a", "unlabeled"]
    assert page.text_content("#mount .corral-more") == "+1 more"  # "b" is still there to pick
    page.click("#mount .corral-more")
    assert page.eval_on_selector_all("#mount .corral-label-option", "bs => bs.map(b => b.dataset.name)") == ["b"]
    assert page.text_content("#mount .corral-label-option .corral-count") == "0"
    lab.selection = [4]
    flush(page)
    page.click("#mount .corral-label-option[data-name='b']")
    wait_until(page, lambda: lab.labels.iloc[4] == "b", what="b from the list")
    page.wait_for_function("document.querySelectorAll('#mount .corral-label-button').length === 2")
    assert pd.isna(lab.labels.iloc[5])


def test_review_makeup_is_the_top_ten_with_bars(page, lab, artifacts):
    """The review widget's make-up of a cluster holding all 150 labels: ten rows with bars and one
    "+N more" line, rendered as the widget's HTML would be (names as text)."""
    session = lab.review(clusters=np.zeros(len(lab), dtype=int))
    widget = session.show(show_map=False)
    page.set_content(f"<div id='makeup' style='width:420px'>{widget.makeup.value}</div>")
    rows = page.eval_on_selector_all(".corral-review-makeup-row", "rs => rs.map(r => r.firstChild.textContent)")
    counts = session.current.label_counts
    top = sorted(counts, key=lambda k: -counts[k])[:10]
    assert rows == top
    assert page.text_content(".corral-review-makeup-more") == f"+{len(counts) - 10} more labels ({sum(sorted(counts.values())[:-10]):,} texts)"
    widths = page.eval_on_selector_all(".corral-review-makeup-row span span", "bs => bs.map(b => b.getBoundingClientRect().width)")
    assert widths == sorted(widths, reverse=True) and widths[0] > widths[-1] > 0
    assert page.locator("#makeup").bounding_box()["height"] < 260
    assert page.locator("#makeup img").count() == 0 and page.evaluate("window.__xss") is None
    page.locator("#makeup").screenshot(path=str(artifacts / "review_makeup_150.png"))
