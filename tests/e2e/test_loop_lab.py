"""The labeling loop in a real JupyterLab: the queue widget walked with keys (a selection of a group
labeled with key 2, the next group's suggestion accepted with `a`, undone with `z`), and the map's
suggestions (shown, a lasso's suggestions accepted with `a`, undone); texts and label names with
markup (<b>, <script>, <i>) are shown as text, and the keys never reach JupyterLab (no cell is
inserted by `a`).
"""

from __future__ import annotations

import json
import time

import nbformat
import numpy as np
import pytest
from corral_lab import READY_MAP, lasso, lasso_path, map_positions, open_notebook, run_cell, selected_count, wait_for

pytestmark = pytest.mark.e2e

SETUP = """\
import json
import numpy as np
import corral
rng = np.random.default_rng(0)
truth = np.repeat([0, 1, 2], 20)
emb = (6 * np.eye(16)[:3][truth] + rng.normal(size=(60, 16))).astype(np.float32)
coords = np.vstack([rng.normal(c, 0.5, (20, 2)) for c in [(0, 0), (8, 0), (0, 8)]])
words = ["rain <b>forecast</b>", "jazz <script>window.pwned = 1</script>", "pizza order"]
texts = [f"{words[k]} {i}" for i, k in enumerate(truth)]
labels = [None] * 60
labels[0:5], labels[20:25], labels[40:45] = ["rain"] * 5, ["<i>jazz</i>"] * 5, ["pizza"] * 5
lab = corral.Labeler(texts, embeddings=emb, coords=coords, labels=labels)
walk = lab.queue_session(group=4)
print(json.dumps({"positions": walk.current.positions.tolist(), "texts": walk.current.texts,
                  "names": lab.label_names}))
"""

QUEUE = ".jp-OutputArea-output .corral-queue"


@pytest.fixture(scope="module")
def notebook(jupyter_server, tmp_path_factory):
    path = tmp_path_factory.mktemp("loop-nb") / "loop.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return f"{jupyter_server.folder('loop', path)}/loop.ipynb"


def cell_count(page) -> int:
    return page.evaluate("() => window.jupyterapp.shell.currentWidget.content.model.cells.length")


def wait_progress(page, text: str) -> None:
    wait_for(page, "t => (document.querySelector('.corral-queue .corral-queue-progress')?.innerText || '')"
                   ".trim().startsWith(t)", text, timeout=30, what=f"the queue's progress to read {text!r}")


def python(page, expression: str):
    return json.loads(run_cell(page, f"print(json.dumps({expression}))"))


def test_queue_widget_walked_with_keys(lab_page, jupyter_server, notebook, artifacts):
    page = lab_page
    open_notebook(page, jupyter_server, notebook)
    first = json.loads(run_cell(page, SETUP, timeout=120))
    assert sorted(first["names"]) == ["<i>jazz</i>", "pizza", "rain"] and len(first["positions"]) == 4
    run_cell(page, "w = walk.show()\nw")
    wait_for(page, f"() => document.querySelector({QUEUE!r} + ' .corral-queue-keys') !== null", timeout=60,
             what="the queue widget with its key listener")
    queue = page.locator(QUEUE)
    queue.scroll_into_view_if_needed()

    # Texts and label names with markup are text: the characters on the page, no elements made of them.
    assert queue.locator(".corral-queue-text").all_inner_texts() == first["texts"]
    assert queue.locator(".corral-queue-label-button").all_inner_texts() == first["names"]
    for tag in ("b", "script", "i"):
        assert queue.locator(f".corral-queue-texts {tag}, .corral-queue-label-buttons {tag}").count() == 0
    assert page.evaluate("() => window.pwned === undefined")
    page.screenshot(path=str(artifacts / "e2e-queue.png"))

    # Group 1: untick its first text, key 2 gives the others the second label button's label.
    cells = cell_count(page)
    queue.locator(".corral-queue-texts input[type=checkbox]").first.click()
    page.keyboard.press("2")
    wait_progress(page, "1 decisions")
    got = python(page, "[None if l != l else l for l in lab.labels.iloc[%s]]" % first["positions"])
    assert got == [None] + [first["names"][1]] * 3
    assert python(page, "lab.history.source.dropna().tolist()[-1]") == "queue"

    # Group 2 (the model has labels): `a` accepts its suggestion, in one operation; `z` undoes it.
    second = python(page, "{'positions': walk.current.positions.tolist(), 'suggested': walk.current.suggested}")
    assert second["suggested"] in first["names"] and not set(second["positions"]) & set(first["positions"])
    queue.locator(".corral-queue-keys").click()  # back from the cells above: into the widget
    page.keyboard.press("a")
    wait_progress(page, "2 decisions")
    page.keyboard.press("z")  # no click: the key listener kept the focus in the widget
    wait_progress(page, "1 decisions")
    queue.locator(".corral-queue-keys").click()
    page.keyboard.press("a")
    wait_progress(page, "2 decisions")
    assert python(page, "lab.labels.iloc[%s].tolist()" % second["positions"]) == [second["suggested"]] * len(
        second["positions"])
    assert python(page, "lab.history.source.dropna().tolist()[-1]") == "suggestion"
    queue.locator(".corral-queue-keys").click()
    page.keyboard.press("z")
    wait_progress(page, "1 decisions")
    assert python(page, "bool(lab.labels.iloc[%s].isna().all())" % second["positions"])
    assert python(page, "walk.current.positions.tolist()") == second["positions"]  # the group is offered again
    assert cell_count(page) == cells + 7  # the seven python() cells: no key reached JupyterLab


def test_suggestions_on_the_map_accepted_with_a_and_undone(lab_page, jupyter_server, notebook, artifacts):
    page = lab_page
    if page.locator(".jp-Notebook .jp-Cell").count() == 0:  # run alone: set the notebook up first
        open_notebook(page, jupyter_server, notebook)
        run_cell(page, SETUP, timeout=120)
    run_cell(page, "lab2 = corral.Labeler(texts, embeddings=emb, coords=coords, labels=labels)\n"
                   "lab2._learner().background = False\nlab2.show()")
    wait_for(page, f"() => document.querySelectorAll({READY_MAP!r}).length === 1", timeout=60, what="the map")
    hook = f"document.querySelector({READY_MAP!r}).parentElement.__corral"
    xy, _box = map_positions(page)
    the_map = page.locator(READY_MAP)
    assert the_map.locator(".corral-accept").get_attribute("disabled") is not None  # nothing shown yet

    the_map.locator(".corral-suggest").click()
    wait_for(page, f"() => {hook}.suggestions().token !== null", timeout=60, what="the suggestions to arrive")
    the_map.locator(".corral-suggest-threshold").evaluate(
        "e => { e.value = '0'; e.dispatchEvent(new Event('input')); }")
    wait_for(page, f"() => {hook}.suggestions().shown === 45", timeout=30, what="45 suggestions shown")
    assert python(page, "int(lab2.labels.isna().sum())") == 45  # shown, never labels

    pizza = np.arange(40, 60)  # lasso the pizza topic: 5 labeled, 15 suggested
    xy, _box = map_positions(page)  # again: the suggestion controls may have moved the map
    center = np.median(xy[pizza], axis=0)
    radius = float(np.linalg.norm(xy[pizza] - center, axis=1).max()) + 25.0
    others = np.setdiff1d(np.arange(60), pizza)
    assert np.linalg.norm(xy[others] - center, axis=1).min() > radius + 5  # the lasso holds pizza only
    lasso(page, lasso_path(center, radius, vertices=16))
    deadline = time.monotonic() + 20
    while selected_count(page) != 20 and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert selected_count(page) == 20
    cells = cell_count(page)
    page.focus(f"{READY_MAP}")
    page.keyboard.press("a")
    wait_for(page, f"() => document.querySelector({READY_MAP!r} + ' .corral-status').textContent.startsWith('Accepted 15')",
             timeout=30, what="the status to say 15 suggestions were accepted")
    got = python(page, "[lab2.labels.iloc[40:60].tolist(), int(lab2.labels.isna().sum()), "
                       "lab2.history.source.tolist()[-1], lab2.history.kind.tolist()[-1]]")
    assert got == [["pizza"] * 20, 30, "suggestion", "assign_many"]
    page.screenshot(path=str(artifacts / "e2e-suggestions-map.png"))

    page.focus(f"{READY_MAP}")
    page.keyboard.press("Control+z")
    wait_for(page, f"() => document.querySelector({READY_MAP!r} + ' .corral-status').textContent.startsWith('Undid')",
             timeout=30, what="the status to say the accept was undone")
    assert python(page, "[int(lab2.labels.isna().sum()), lab2.labels.iloc[45:60].isna().all().item()]") == [45, True]
    assert cell_count(page) == cells + 2  # `a` and Ctrl+Z stayed in the map

    # Label names with markup are text in the map: no <i>, <b> or <script> element made of them.
    names = the_map.locator(".corral-label-button").evaluate_all("bs => bs.map(b => b.dataset.name)")
    assert "<i>jazz</i>" in names
    for tag in ("i", "b", "script"):
        assert the_map.locator(tag).count() == 0
