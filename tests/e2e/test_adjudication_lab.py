"""The adjudication widget in a real JupyterLab (and Notebook 7), on a SQLite label store two
annotators labeled: each annotator's label is shown (names and labels with markup as text), and a
decision clicked in the browser reaches the store as a journaled, adjudicated assign by the lead.
"""

from __future__ import annotations

import nbformat
import pytest
from corral_lab import open_notebook, run_cell, wait_for

from corral.labels.store.sqlite import SQLiteStore

pytestmark = pytest.mark.e2e

SETUP = """\
import os, tempfile
import numpy as np
import corral
store = os.path.join(tempfile.mkdtemp(), "team.db")
texts = [f"text <b>{i}</b>" for i in range(40)]
coords = np.random.default_rng(0).normal(size=(40, 2))
def person(name):
    return corral.Labeler(texts, coords=coords, embedder=corral.HashingEmbedder(), autosave=store, annotator=name)
ana, ben = person("<i>ana</i>"), person("ben & <script>co</script>")
ana.assign(list(range(0, 10)), "<b>rain</b>")
ben.assign(list(range(5, 12)), "sun")
lead = person("lead")
meeting = lead.adjudicate()
print(len(meeting), store)
"""

W = ".jp-OutputArea-output .corral-adjudicate"


@pytest.fixture(scope="module")
def notebook(jupyter_server, tmp_path_factory):
    path = tmp_path_factory.mktemp("adjudicate-nb") / "adjudicate.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return f"{jupyter_server.folder('adjudicate', path)}/adjudicate.ipynb"


def text_of(page, part: str) -> str:
    return page.locator(f"{W} .corral-adjudicate-{part}").inner_text().strip()


def test_adjudicate_in_the_browser_reaches_the_store(lab_page, jupyter_server, notebook, artifacts):
    page = lab_page
    open_notebook(page, jupyter_server, notebook)
    count, store = run_cell(page, SETUP, timeout=120).split()
    assert count == "5"  # texts 5..9: ana said <b>rain</b>, ben said sun
    run_cell(page, "meeting.show()")
    wait_for(page, f"() => document.querySelector({W + ' .corral-adjudicate-choices button'!r}) !== null",
             timeout=60, what="the adjudication widget")
    widget = page.locator(W)
    widget.scroll_into_view_if_needed()
    assert text_of(page, "progress") == "0 / 5 disagreements · 0 decided"
    assert text_of(page, "text") == "text <b>5</b>"  # the text as text
    votes = [x.strip() for x in text_of(page, "votes").splitlines() if x.strip()]
    assert votes == ["<i>ana</i>: <b>rain</b>", "ben & <script>co</script>: sun"]
    buttons = widget.locator(".corral-adjudicate-choices button")
    assert [buttons.nth(i).inner_text().strip() for i in range(buttons.count())] == ["<b>rain</b>", "sun"]
    assert widget.locator("b, i, script").count() == 0  # nothing of the markup became elements
    page.screenshot(path=str(artifacts / "e2e-adjudicate.png"))

    buttons.nth(1).click()  # the decision for text 5: sun
    wait_for(page, "t => document.querySelector('.corral-adjudicate-progress').innerText.trim() !== t",
             "0 / 5 disagreements · 0 decided", timeout=30, what="the progress to move on")
    assert text_of(page, "progress") == "1 / 5 disagreements · 1 decided"
    assert text_of(page, "text") == "text <b>6</b>"
    widget.locator(".corral-adjudicate-skip").click()  # skip text 6, decide text 7 with a free label
    wait_for(page, "() => document.querySelector('.corral-adjudicate-text').innerText.trim() === 'text <b>7</b>'",
             timeout=30, what="the next text after Skip")
    widget.locator(".corral-adjudicate-other input").fill("<u>both</u>")
    widget.locator(".corral-adjudicate-decide-other").click()
    wait_for(page, "() => document.querySelector('.corral-adjudicate-progress').innerText.trim()"
                   ".endsWith('2 decided')", timeout=30, what="the second decision")

    # in the store (read here, by another process): two adjudicated assigns by the lead, after the votes
    reader = SQLiteStore(store)
    try:
        records = reader.records_since(0)
    finally:
        reader.close()
    decisions = [r for r in records if r.get("adjudicated")]
    assert [(r["op"], r["label"], r["annotator"], r["indices"].tolist()) for r in decisions] == \
        [("assign", "sun", "lead", [5]), ("assign", "<u>both</u>", "lead", [7])]
    assert [r["annotator"] for r in records if not r.get("adjudicated")] == ["<i>ana</i>", "ben & <script>co</script>"]
    # and every kernel on the store sees the decisions
    out = run_cell(page, "ana.sync(); print(ana.labels.iloc[5], ana.labels.iloc[7], len(lead.adjudicate()))")
    assert out.split() == ["sun", "<u>both</u>", "3"]  # 6, 8, 9 are left
