"""Label guidelines in the real browser (harness tier): each label chip's tooltip (its title attribute) holds
the guideline as plain text; hostile text stays text; a new guidelines version updates it live."""

from __future__ import annotations

import numpy as np
from corral_harness import flush, mount, settle

import corral

EVIL = "<img src=x onerror=window.__xss=1>"


def test_chip_tooltips_show_the_guidelines_as_text(page):
    n = 200
    labels = ["spam" if i % 3 == 0 else EVIL if i % 3 == 1 else None for i in range(n)]
    lab = corral.Labeler([f"text {i}" for i in range(n)], coords=np.random.default_rng(0).normal(size=(n, 2)),
                         labels=labels, embedder=corral.HashingEmbedder())
    lab.guidelines = {"spam": {"definition": "Unsolicited ads", "exclude": "newsletters", "examples": [EVIL]},
                      EVIL: {"definition": EVIL, "color": "#00ff00"}}
    mount(page, lab.show(height=400))
    settle(page)
    titles = page.eval_on_selector_all("#mount .corral-label-button",
                                       "els => els.map(e => [e.dataset.name, e.getAttribute('title')])")
    titles = dict(titles)
    assert titles["spam"].split("\n") == ['Apply "spam" to the selection (key 2)', "", "Unsolicited ads",
                                          "Excludes: newsletters", "Examples:", f"  \u2022 {EVIL}"]
    assert titles[EVIL].split("\n")[2] == EVIL
    assert page.evaluate("window.__xss") is None and page.locator("#mount img[src=x]").count() == 0
    lab.guidelines = {"spam": "version two"}  # a new version reaches the open map
    flush(page)
    page.wait_for_function("""() => [...document.querySelectorAll('#mount .corral-label-button')]
        .some(e => e.dataset.name === 'spam' && e.getAttribute('title').endsWith('version two'))""")
    new = dict(page.eval_on_selector_all("#mount .corral-label-button",
                                         "els => els.map(e => [e.dataset.name, e.getAttribute('title')])"))
    assert new[EVIL] == f'Apply "{EVIL}" to the selection (key 1)'
