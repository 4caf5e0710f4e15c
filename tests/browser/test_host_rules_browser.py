"""VS Code's and Colab's rules, in a real browser (harness tier): the widget fetches nothing, keeps
its CSS inside itself, and follows a dark or a light page.

Every request the page makes is recorded (``page.on("request")``) and anything not on the
harness's own loopback origin is aborted and fails the test, while the widget is mounted and used:
lasso, label by button and by key, undo, search, draw mode.
"""

from __future__ import annotations

import pytest
from corral_gestures import clusters, lasso, lasso_around, topic_texts
from corral_harness import mount, wait_until

import corral

# regl-scatterplot (the WebGL scatter) adds its lasso animations as @keyframes to document.head;
# keyframes style no element, but their names are global: these are the only ones allowed.
LIBRARY_KEYFRAMES = {"scaleInFadeOut", "fadeScaleOut", "mainIn", "effectIn", "circleIn", "leftSpinIn",
                     "rightSpinIn", "mainOut", "effectOut", "leftSpinOut", "rightSpinOut", "circleOut"}


@pytest.fixture
def watched(page_factory, served):
    """(page, requests): a page whose every request is recorded; off-origin ones are aborted."""
    origin = served[0]
    requests: list[str] = []

    def new(**options):
        pg = page_factory(**options)

        def route(r):
            url = r.request.url
            (r.continue_ if url.startswith(origin + "/") or url.startswith(("data:", "blob:")) else r.abort)()

        pg.context.route("**/*", route)
        pg.on("request", lambda req: requests.append(req.url))
        pg.reload()  # again, watched from the first request (the exposed bindings survive a reload)
        pg.wait_for_function("window.harnessReady === true")
        return pg

    return new, requests, origin


def off_origin(requests, origin) -> list[str]:
    return [u for u in requests if not (u.startswith(origin + "/") or u.startswith(("data:", "blob:")))]


def style_report(page):
    """Selectors of every style rule in the document: inside the widget's root, and elsewhere."""
    return page.evaluate(
        """() => {
        const root = document.querySelector('#mount .corral-map');
        const inside = [], outside = [], keyframes = [];
        for (const sheet of document.styleSheets) {
            const owner = sheet.ownerNode;
            const mine = owner && root.contains(owner);
            const harness = owner && owner.parentNode === document.head && owner.textContent.includes('#mount');
            for (const rule of sheet.cssRules) {
                if (rule instanceof CSSKeyframesRule) { keyframes.push([mine, rule.name]); continue; }
                if (harness) continue;  // the harness page's own style
                (mine ? inside : outside).push(rule.selectorText ?? rule.cssText.slice(0, 60));
            }
        }
        return { inside, outside, keyframes };
    }"""
    )


def test_the_widget_fetches_nothing_while_used(watched):
    new, requests, origin = watched
    page = new()
    coords, truth = clusters()
    lab = corral.Labeler(topic_texts(truth), coords=coords, embedder=corral.HashingEmbedder())
    mount(page, lab.show())
    loaded = len(requests)
    assert any(u.endswith("/widget.js") for u in requests)  # the recorder works: it saw the bundle

    lasso(page, *lasso_around(page, truth, 0), vertices=12)
    wait_until(page, lambda: lab.selection.size >= 28, what="the lasso in Python")
    page.fill("#mount .corral-new-label", "weather")
    page.press("#mount .corral-new-label", "Enter")
    wait_until(page, lambda: (lab.labels == "weather").sum() >= 28, what="the new label")
    page.click("#mount .corral-undo")
    wait_until(page, lambda: (lab.labels == "weather").sum() == 0, what="undo")
    page.fill("#mount .corral-search-input", "jazz")
    page.press("#mount .corral-search-input", "Enter")
    page.wait_for_selector("#mount .corral-search[data-result='matches']")
    page.focus("#mount .corral-map")
    page.keyboard.press("d")
    assert page.evaluate("document.getElementById('mount').__corral.drawing().on")
    page.keyboard.press("Escape")
    page.mouse.move(10, 10)
    page.wait_for_timeout(300)

    assert off_origin(requests, origin) == [], "the widget reached outside the page"
    after = [u for u in requests[loaded:] if not u.startswith("data:")]
    assert after == [], f"requests while the widget was used: {after}"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_css_stays_inside_the_widget_and_follows_the_theme(watched, scheme):
    new, requests, origin = watched
    page = new(color_scheme=scheme)
    coords, truth = clusters()
    lab = corral.Labeler(topic_texts(truth), coords=coords, labels=["rain"] * 30 + [None] * 60,
                         embedder=corral.HashingEmbedder())
    mount(page, lab.show())
    lasso(page, *lasso_around(page, truth, 1), vertices=12, hold_ms=700, modifier=None)  # long press lasso
    wait_until(page, lambda: lab.selection.size >= 28, what="the long-press lasso in Python")

    report = style_report(page)
    assert len(report["inside"]) > 50
    assert all(s.startswith(".corral-map") for sel in report["inside"] for s in sel.split(", ")), report["inside"]
    assert report["outside"] == [], f"style rules outside the widget: {report['outside']}"
    assert {name for mine, name in report["keyframes"] if not mine} <= LIBRARY_KEYFRAMES
    # Nothing outside the widget changed look: the page's body keeps its own font and colour.
    assert page.evaluate("getComputedStyle(document.body).fontFamily") == "sans-serif"

    colours = page.evaluate(
        """() => { const r = document.querySelector('#mount .corral-map');
        return [r.classList.contains('corral-dark'), getComputedStyle(r).color,
                getComputedStyle(r.querySelector('.corral-canvas-wrap')).backgroundColor]; }"""
    )
    dark, fg, bg = colours
    assert dark == (scheme == "dark")
    luminance = lambda css: sum(int(v) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])  # noqa: E731
    assert (luminance(bg) < luminance(fg)) == (scheme == "dark"), colours
    assert off_origin(requests, origin) == []
