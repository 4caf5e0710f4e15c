"""Hover texts, the side panel, search, and how the whole widget looks (harness tier, real Labeler)."""

from __future__ import annotations

import numpy as np
import pytest
from corral_gestures import clusters, js_hook, screen_points, topic_texts
from corral_harness import flush, mount, wait_until

import corral
from corral.map import protocol as P

XSS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '<a href="javascript:window.__xss=1">click</a>',
    "<svg onload=window.__xss=1>",
]
LONG = "pizza " * 500  # 3,000 characters: cut by Python at MAX_CHARS


def make_labeler(texts=None, coords=None, labels=None):
    c, truth = clusters()
    texts = topic_texts(truth) if texts is None else texts
    return corral.Labeler(texts, coords=c if coords is None else coords, labels=labels,
                          embedder=corral.HashingEmbedder())


def default_labels() -> list:
    labels = [None] * 90
    labels[0:30] = ["rain"] * 30
    labels[30:40] = ["jazz"] * 10
    return labels


def hover(page, index, view="mount") -> str:
    """Rest the mouse on point ``index``; return the tooltip's text once it shows that point."""
    x, y = screen_points(page, [index], view)[0]
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=3)
    page.wait_for_function(
        f"(() => {{ const t = document.querySelector('#{view} .corral-tooltip');"
        f" return !t.hidden && t.dataset.index === '{index}'; }})()"
    )
    return page.text_content(f"#{view} .corral-tooltip")


def sent(page, kind) -> int:
    return page.evaluate(f"harness.sent.filter(m => m.kind === '{kind}').length")


def test_hover_shows_the_text_fetched_once(page):
    coords, truth = clusters()
    texts = topic_texts(truth)
    texts[89] = LONG
    coords[88], coords[89] = [-6.0, 14.0], [16.0, -6.0]  # on their own: nothing else under the mouse
    lab = make_labeler(texts, coords)
    mount(page, lab.show())
    assert hover(page, 88) == texts[88]
    asked = sent(page, "texts")
    assert asked == 1
    page.mouse.move(5, 5)  # off the map: hidden
    page.wait_for_function("document.querySelector('#mount .corral-tooltip').hidden")
    assert hover(page, 88) == texts[88]
    assert sent(page, "texts") == asked  # cached: not fetched again
    assert hover(page, 89) == LONG[: P.MAX_CHARS] + "\u2026"
    box = page.locator("#mount .corral-tooltip").bounding_box()
    wrap = page.locator("#mount .corral-canvas-wrap").bounding_box()
    assert box["x"] >= wrap["x"] and box["x"] + box["width"] <= wrap["x"] + wrap["width"]


def test_xss_texts_and_labels_are_shown_literally(page):
    coords, truth = clusters()
    texts = topic_texts(truth)
    corners = [[-6.0, 14.0], [16.0, 14.0], [-6.0, -6.0], [16.0, -6.0]]  # far from the clusters
    spots = [20, 50, 70, 85]
    for i, text, xy in zip(spots, XSS, corners):
        texts[i], coords[i] = text, xy
    lab = make_labeler(texts, coords)
    mount(page, lab.show())
    for i, text in zip(spots, XSS):
        assert hover(page, i) == text
    # The panel's sample shows them too, literally.
    lab.selection = spots
    flush(page)
    page.wait_for_selector("#mount .corral-panel[data-state='ready']")
    shown = page.eval_on_selector_all("#mount .corral-sample-text", "ns => ns.map(n => n.textContent)")
    assert shown == XSS
    # A label named like markup, made from the text field, is text in the bar, legend and panel.
    name = XSS[1]
    page.fill("#mount .corral-new-label", name)
    page.press("#mount .corral-new-label", "Enter")
    wait_until(page, lambda: name in lab.label_names, what="the label")
    page.wait_for_function(
        "name => [...document.querySelectorAll('#mount .corral-makeup-row .corral-label')]"
        ".map(n => n.textContent).join() === name", arg=name)
    for sel in (".corral-label-button .corral-label", ".corral-legend .corral-label", ".corral-makeup .corral-label"):
        assert name in page.eval_on_selector_all(f"#mount {sel}", "ns => ns.map(n => n.textContent)")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__xss") is None
    # The regions overlay is the one SVG of the map: nothing else, and no markup inside it.
    injected = "#mount .corral-map script, #mount img, #mount a, #mount svg:not(.corral-overlay):not(.corral-lasso-path), #mount iframe, " \
        "#mount .corral-overlay :is(image, foreignObject)"
    assert page.locator(injected).count() == 0


def test_side_panel_makeup_sample_and_resample(page):
    lab = make_labeler(labels=default_labels())
    mount(page, lab.show())
    assert page.is_visible("#mount .corral-panel-empty")
    lab.selection = list(range(30, 60))  # 10 jazz, 20 unlabeled
    flush(page)
    page.wait_for_selector("#mount .corral-panel[data-state='ready']")
    assert page.text_content("#mount .corral-panel .corral-selected") == "30 selected"
    rows = page.eval_on_selector_all(
        "#mount .corral-makeup-row",
        "rs => rs.map(r => [r.querySelector('.corral-label').textContent, +r.dataset.count,"
        " r.querySelector('.corral-bar-fill').getBoundingClientRect().width])",
    )
    assert [r[:2] for r in rows] == [["unlabeled", 20], ["jazz", 10]]
    assert rows[0][2] == pytest.approx(2 * rows[1][2], rel=0.1)

    def sample():
        idx = page.eval_on_selector_all("#mount .corral-sample-text", "ns => ns.map(n => +n.dataset.index)")
        text = page.eval_on_selector_all("#mount .corral-sample-text", "ns => ns.map(n => n.textContent)")
        return idx, text

    idx, text = sample()
    assert len(idx) == 10 and set(idx) <= set(range(30, 60))
    assert text == [lab.texts[i] for i in idx]
    page.click("#mount .corral-resample")
    page.wait_for_selector("#mount .corral-panel[data-seed='1'][data-state='ready']")
    idx2, text2 = sample()
    assert idx2 != idx and len(idx2) == 10 and set(idx2) <= set(range(30, 60))
    assert text2 == [lab.texts[i] for i in idx2]

    # Labels change -> the make-up follows.
    page.focus("#mount .corral-map")
    page.keyboard.press("2")  # "rain" (labels: jazz, rain)
    wait_until(page, lambda: (lab.labels.iloc[30:60] == "rain").all(), what="key 2")
    page.wait_for_function("document.querySelector('#mount .corral-makeup-row .corral-label').textContent === 'rain'")
    page.wait_for_selector("#mount .corral-panel[data-state='ready']")
    assert page.eval_on_selector_all("#mount .corral-makeup-row", "rs => rs.map(r => +r.dataset.count)") == [30]
    # Selection cleared -> the panel says how to select.
    lab.selection = []
    flush(page)
    page.wait_for_selector("#mount .corral-panel-empty", state="visible")


def overlay(page):
    return page.evaluate(
        f"(() => {{ const o = {js_hook()}.overlay(); return [o.kind, o.values ? Array.from(o.values) : null]; }})()"
    )


def search(page, mode, query):
    page.select_option("#mount .corral-search-mode", mode)
    page.fill("#mount .corral-search-input", query)
    page.press("#mount .corral-search-input", "Enter")


def test_keyword_search_highlights_and_selects(page):
    lab = make_labeler(labels=default_labels())
    mount(page, lab.show())
    search(page, "keyword", "JAZZ")  # case-insensitive
    page.wait_for_selector("#mount .corral-search[data-result='matches']")
    assert page.text_content("#mount .corral-search-count") == "30 matches"
    kind, values = overlay(page)
    assert kind == "highlight" and np.flatnonzero(values).tolist() == list(range(30, 60))
    splot = f"{js_hook()}.scatterplot"
    assert page.evaluate(f"[{splot}.get('opacityBy'), {splot}.get('colorBy')]") == ["valueW", "valueZ"]  # regl's names for valueB, valueA
    page.click("#mount .corral-select-matches")
    wait_until(page, lambda: lab.selection.tolist() == list(range(30, 60)), what="Select these")
    page.wait_for_function("document.querySelector('#mount .corral-selected').textContent === '30 selected'")
    assert sorted(page.evaluate(f"{splot}.get('selectedPoints')")) == list(range(30, 60))
    # Labeling while highlighted keeps the highlight; Clear returns to label colours.
    page.click("#mount .corral-label-button[data-name='jazz']")
    wait_until(page, lambda: (lab.labels.iloc[30:60] == "jazz").all(), what="the label")
    page.wait_for_function("document.querySelector('#mount .corral-legend-row[data-code=\"0\"]').dataset.count === '30'")
    assert overlay(page)[0] == "highlight"
    page.click("#mount .corral-search-clear")
    page.wait_for_function(f"{splot}.get('opacityBy') === 'valueZ'")
    assert overlay(page) == ["labels", None]
    assert page.is_hidden("#mount .corral-search-result")
    # No match: says so, nothing dimmed.
    search(page, "keyword", "no such words")
    page.wait_for_function("document.querySelector('#mount .corral-search-count').textContent === '0 matches'")
    assert overlay(page)[0] == "labels" and page.is_hidden("#mount .corral-select-matches")


def test_regex_search_and_a_bad_regex(page):
    lab = make_labeler()
    mount(page, lab.show())
    search(page, "regex", r"^order .* #\d+$")
    page.wait_for_function("document.querySelector('#mount .corral-search-count').textContent === '30 matches'")
    assert np.flatnonzero(overlay(page)[1]).tolist() == list(range(60, 90))
    search(page, "regex", "(unclosed")
    page.wait_for_selector("#mount .corral-status[data-kind='error']")
    message = page.text_content("#mount .corral-status")
    assert "regular expression" in message and message.startswith("search:")
    assert overlay(page)[0] == "highlight"  # the last good result stays until cleared
    page.click("#mount .corral-status")  # errors can be dismissed
    page.wait_for_selector("#mount .corral-status[data-kind='hint']")


def test_meaning_search_colours_by_similarity_and_selects_top_k(page, artifacts):
    lab = make_labeler(labels=default_labels())
    mount(page, lab.show())
    lab.selection = list(range(0, 10))
    flush(page)
    page.wait_for_function(f"{js_hook()}.scatterplot.get('selectedPoints').length === 10")
    narrow = page.eval_on_selector("#mount .corral-search-input", "e => e.getBoundingClientRect().width")
    assert narrow >= 250, "the search input has room for a sentence (it was 180 px)"
    assert page.is_visible("#mount .corral-legend") and page.is_hidden("#mount .corral-colorbar")
    query = "smooth jazz track"
    search(page, "semantic", query)
    page.wait_for_selector("#mount .corral-search[data-result='scores']")
    # Coloured by similarity: the label legend gives way to a colour bar with the lowest and the
    # highest similarity, and the old selection is let go (in Python too).
    page.wait_for_selector("#mount .corral-colorbar:not([hidden])")
    assert page.is_hidden("#mount .corral-legend")
    scores = lab.similarity(query).to_numpy()
    bar = page.eval_on_selector("#mount .corral-colorbar", "e => [e.dataset.min, e.dataset.max, "
                                "e.querySelector('.corral-colorbar-title').textContent]")
    np.testing.assert_allclose([float(bar[0]), float(bar[1])], [scores.min(), scores.max()], rtol=1e-5, atol=1e-6)
    assert bar[2] == f"similarity to \u201c{query}\u201d"
    assert page.text_content("#mount .corral-colorbar-min") and page.text_content("#mount .corral-colorbar-max")
    wait_until(page, lambda: lab.selection.size == 0, what="the old selection let go")
    assert page.evaluate(f"{js_hook()}.scatterplot.get('selectedPoints').length") == 0
    page.screenshot(path=str(artifacts / "meaning-search.png"))
    splot = f"{js_hook()}.scatterplot"
    assert page.evaluate(f"{splot}.get('colorBy')") == "valueW"
    assert page.input_value("#mount .corral-topk") == "100"
    kind, values = overlay(page)
    scores = lab.similarity(query).to_numpy()
    assert kind == "similarity" and min(values) == 0 and max(values) == 1
    assert int(np.argmax(values)) == int(np.argmax(scores))
    assert np.mean(values[30:60]) > np.mean(values[60:90])  # jazz texts are the most similar
    page.fill("#mount .corral-topk", "5")
    page.click("#mount .corral-select-top")
    top5 = sorted(np.argsort(-scores, kind="stable")[:5].tolist())
    wait_until(page, lambda: lab.selection.tolist() == top5, what="Select top K")
    page.fill("#mount .corral-topk", "1000")  # more than there are: all of them
    page.press("#mount .corral-topk", "Enter")
    wait_until(page, lambda: lab.selection.size == 90, what="top K > n")
    page.click("#mount .corral-search-clear")
    page.wait_for_function(f"{splot}.get('colorBy') === 'valueZ'")
    assert page.is_visible("#mount .corral-legend") and page.is_hidden("#mount .corral-colorbar")


def test_a_label_applied_during_a_meaning_search_shows_at_once(page):
    """The choice: labeling ends the similarity colouring (back to label colours and the legend),
    so the newly labeled points are visible without pressing Clear."""
    lab = make_labeler(labels=default_labels())
    mount(page, lab.show())
    search(page, "semantic", "smooth jazz track")
    page.wait_for_selector("#mount .corral-search[data-result='scores']")
    page.fill("#mount .corral-topk", "5")
    page.click("#mount .corral-select-top")
    wait_until(page, lambda: lab.selection.size == 5, what="Select top K")
    assert overlay(page)[0] == "similarity"
    page.click("#mount .corral-label-button[data-name='jazz']")
    wait_until(page, lambda: (lab.labels.iloc[lab.selection] == "jazz").all(), what="the label")
    page.wait_for_function(f"{js_hook()}.overlay().kind === 'labels'")
    splot = f"{js_hook()}.scatterplot"
    page.wait_for_function(f"{splot}.get('colorBy') === 'valueZ'")
    assert page.is_visible("#mount .corral-legend") and page.is_hidden("#mount .corral-colorbar")
    assert page.is_hidden("#mount .corral-search-result")


@pytest.mark.parametrize("scheme", ["light"])  # add "dark" for a look at the dark theme
def test_widget_looks_clean_at_900px(page_factory, artifacts, scheme):
    """Label bar, panel and a search active: saved for a human look, and checked for overflow
    (nothing sticks out of the 900 px widget), readable text sizes and toolbar rows that do not wrap."""
    pg = page_factory(color_scheme=scheme)
    lab = make_labeler(labels=default_labels())
    mount(pg, lab.show(height=420))
    lab.selection = list(range(30, 60))
    flush(pg)
    search(pg, "keyword", "jazz")
    pg.wait_for_selector("#mount .corral-search[data-result='matches']")
    pg.wait_for_selector("#mount .corral-panel[data-state='ready']")
    pg.wait_for_timeout(200)
    pg.locator("#mount").screenshot(path=str(artifacts / f"labeling-widget-900-{scheme}.png"))
    report = pg.evaluate(
        """() => {
        const root = document.querySelector('#mount .corral-map');
        const r = root.getBoundingClientRect();
        const out = [...root.querySelectorAll('*')].filter(e => e.getClientRects().length
            && e.tagName !== 'STYLE' && !e.closest('[hidden]')
            && (e.getBoundingClientRect().right > r.right + 0.5 || e.getBoundingClientRect().left < r.left - 0.5));
        const texts = [...root.querySelectorAll('button, span, li, input, select, div')]
            .filter(e => e.getClientRects().length && e.textContent.trim());
        const small = texts.filter(e => parseFloat(getComputedStyle(e).fontSize) < 10).map(e => e.className);
        const rows = ['.corral-labelbar', '.corral-toolbar'].map(s => document.querySelector('#mount ' + s)
            .getBoundingClientRect().height);
        return { width: r.width, overflow: out.map(e => e.className || e.tagName),
                 scroll: root.scrollWidth - root.clientWidth, small, rows };
    }"""
    )
    assert report["width"] == 900
    assert report["overflow"] == [] and report["scroll"] <= 0
    assert report["small"] == []
    assert max(report["rows"]) < 40, f"a toolbar row wraps: {report['rows']}"
