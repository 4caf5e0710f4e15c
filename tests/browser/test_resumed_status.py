"""The widget's status line says a Labeler resumed from its journal (status.resumed) until the
first labeling action in this view (harness tier, a real Labeler with autosave)."""

from __future__ import annotations

from corral_gestures import clusters, topic_texts
from corral_harness import flush, mount, wait_until

import corral

HOSTILE = "<img src=x onerror=alert(1)>"


def status_text(page) -> str:
    return page.text_content("#mount .corral-status")


def test_status_line_says_resumed_until_the_first_labeling_action(page, tmp_path, artifacts):
    coords, truth = clusters()
    texts = topic_texts(truth)
    folder = tmp_path / HOSTILE  # a hostile path must show as text too
    folder.mkdir()
    journal = folder / "quickstart.journal"
    first = corral.Labeler(texts, coords=coords, embedder=corral.HashingEmbedder(), autosave=journal)
    first.assign(list(range(0, 10)), HOSTILE)
    first.assign(list(range(30, 40)), "music")
    del first

    lab = corral.Labeler(texts, coords=coords, embedder=corral.HashingEmbedder(), autosave=journal)
    assert lab.labels.iloc[0] == HOSTILE
    mount(page, lab.show())
    expected = f"Resumed 2 operations from {journal}"
    assert status_text(page).startswith(expected), status_text(page)
    assert page.get_attribute("#mount .corral-status", "data-kind") == "resumed"
    assert page.eval_on_selector("#mount .corral-status", "el => el.children.length") == 0  # text only
    assert page.locator("#mount img").count() == 0
    page.screenshot(path=str(artifacts / "resumed_status.png"))

    # A trait change (a selection from Python) keeps it; the first labeling action ends it.
    lab.selection = list(range(60, 70))
    flush(page)
    page.wait_for_function("document.querySelector('#mount .corral-selected').textContent === '10 selected'")
    assert status_text(page).startswith(expected)
    page.focus("#mount .corral-map")
    page.keyboard.press("2")  # the second label shown
    wait_until(page, lambda: lab.labels.iloc[60:70].notna().all(), what="the key label")
    page.wait_for_function(
        "document.querySelector('#mount .corral-status').dataset.kind === 'hint'", timeout=8000
    )
    assert "Resumed" not in status_text(page)
    assert "lasso" in status_text(page)


def test_no_resume_notice_without_a_journal_to_resume(page, tmp_path):
    coords, truth = clusters()
    lab = corral.Labeler(topic_texts(truth), coords=coords, embedder=corral.HashingEmbedder(),
                         autosave=tmp_path / "new.journal")
    mount(page, lab.show())
    assert page.get_attribute("#mount .corral-status", "data-kind") == "hint"
    assert "Resumed" not in status_text(page)
