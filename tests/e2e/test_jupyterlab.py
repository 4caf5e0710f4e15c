"""Smoke tests in a real JupyterLab: the quickstart notebook runs, a lasso on the map reaches
Python, and labels set from Python reach the map's legend.

The three tests share one live notebook (the ``quickstart`` fixture opens it and runs all cells
once); each test still works when run alone.
"""

from __future__ import annotations

import io
import json
import time

import numpy as np
import pytest
from corral_lab import (
    QUICKSTART,
    READY_MAP,
    check_page_errors,
    cell_report,
    wait_for,
    error_outputs,
    lasso_cluster,
    legend_counts,
    open_notebook,
    run_all,
    run_cell,
    selected_count,
    selected_points,
)
from PIL import Image

pytestmark = pytest.mark.e2e

N_TEXTS = 3000  # rows of the quickstart's SNIPS sample
RUN_ALL_TIMEOUT = 360  # cold: embeds 3,000 texts + fits UMAP (100-190 s here on a busy 2-core box)


class Quickstart:
    def __init__(self, page, path: str, server):
        self.page, self.path, self.server = page, path, server
        self.timings: dict[str, float] = dict(server.timings)
        self.report: dict = {}


def _run_quickstart(qs: Quickstart) -> None:
    """Open the notebook, wait for its kernel, Run All and wait for the drawn map. Fails fast on a
    cell error or a page error."""
    page = qs.page
    t0 = time.monotonic()
    open_notebook(page, qs.server, qs.path)
    qs.timings["open notebook + kernel"] = time.monotonic() - t0

    t0 = time.monotonic()
    run_all(page)
    finished_at = None
    while True:
        report = cell_report(page)
        errors = error_outputs(report["cells"])
        if errors:
            raise AssertionError("a quickstart cell raised:\n" + "\n\n".join(errors))
        ready = page.locator(READY_MAP).count() > 0
        run = report["runAll"] or {}
        if run.get("done") and finished_at is None:
            finished_at = time.monotonic()
        if ready and run.get("done"):
            break
        elapsed = time.monotonic() - t0
        if elapsed > RUN_ALL_TIMEOUT or (finished_at and time.monotonic() - finished_at > 30):
            raise AssertionError(f"after {elapsed:.0f} s: Run All {run}, map drawn: {ready}; "
                                 f"executed cells: {[c['count'] for c in report['cells'] if c['type'] == 'code']}")
        check_page_errors(page)
        page.wait_for_timeout(500)
    qs.timings["run all + map drawn"] = time.monotonic() - t0
    qs.report = report


@pytest.fixture(scope="module")
def quickstart(lab_page, jupyter_server, artifacts):
    folder = jupyter_server.folder("smoke", QUICKSTART)
    qs = Quickstart(lab_page, f"{folder}/{QUICKSTART.name}", jupyter_server)
    _run_quickstart(qs)
    yield qs
    lines = [f"{name}: {seconds:.1f} s" for name, seconds in qs.timings.items()]
    noise = lab_page.lab_noise
    (artifacts / "e2e-timings.txt").write_text(
        "\n".join(lines) + f"\nfiltered Lab console noise ({len(noise)}):\n" + "\n".join(noise) + "\n")
    print(f"\ne2e timings: {'; '.join(lines)}; filtered Lab console noise: {len(noise)}")


def _canvas_is_drawn(page) -> bool:
    png = page.locator(READY_MAP).first.locator("canvas").screenshot()
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    return pixels.std(axis=0).max() > 5


def _python_int(page, code: str, want: int, timeout: float = 10) -> int:
    """Run ``code`` (which prints an int) in a new cell; run it again while it differs from ``want``
    until ``timeout`` (a widget's state reaches the kernel as a message of its own)."""
    deadline = time.monotonic() + timeout
    while True:
        got = int(run_cell(page, code).strip())
        if got == want or time.monotonic() > deadline:
            return got
        page.wait_for_timeout(250)


def test_quickstart_runs_clean_in_jupyterlab(quickstart, artifacts):
    page, report = quickstart.page, quickstart.report
    code_cells = [c for c in report["cells"] if c["type"] == "code"]
    assert report["runAll"] == {"done": True, "ok": True}
    assert all(c["count"] is not None for c in code_cells), [c["count"] for c in code_cells]
    assert error_outputs(report["cells"]) == []
    stderr = [o.get("text", "") for c in code_cells for o in c["outputs"]
              if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert not any("Traceback" in "".join(t) for t in stderr), stderr

    widget = page.locator(READY_MAP)
    assert widget.count() == 1
    page.locator(READY_MAP).first.scroll_into_view_if_needed()
    assert sum(legend_counts(page).values()) == N_TEXTS
    assert _canvas_is_drawn(page), "the map's canvas is blank"
    page.screenshot(path=str(artifacts / "e2e-quickstart.png"))


def test_lasso_on_the_map_reaches_python(quickstart, artifacts):
    page = quickstart.page
    t0 = time.monotonic()
    # UMAP may still be fitting (the map shows PCA until then): wait for it, and for its map update
    # (sent from the fitting thread just after), so the points do not move under the lasso.
    # (Run All waited for it already: the quickstart's to_frame() needs the full map.)
    wait_umap = "_ = lab.coords\nimport time; time.sleep(0.5)\nprint(lab.projection_ready)"
    assert run_cell(page, wait_umap, timeout=180).strip() == "True"

    drawn = lasso_cluster(page, radius=40)
    assert drawn.shown > 0
    page.screenshot(path=str(artifacts / "e2e-lasso.png"))

    printed = _python_int(page, "print(len(lab.selection))", drawn.shown)
    assert printed == drawn.shown > 0

    in_python = json.loads(run_cell(page, "print(lab.selection.tolist())"))
    assert in_python == selected_points(page)
    # The lasso took what it was drawn around: every point well inside the circle, none well outside.
    assert set(drawn.surely_inside()) <= set(in_python)
    assert not set(drawn.surely_outside()) & set(in_python)
    quickstart.timings["lasso test"] = time.monotonic() - t0


def test_labels_from_python_reach_the_legend(quickstart, artifacts):
    page = quickstart.page
    t0 = time.monotonic()
    if selected_count(page) == 0:  # run alone: make a selection first
        run_cell(page, "_ = lab.coords\nimport time; time.sleep(0.5)", timeout=180)
        lasso_cluster(page)
    size = _python_int(page, "print(len(lab.selection))", selected_count(page))
    assert size == selected_count(page) > 0

    run_cell(page, 'lab.assign(lab.selection, "smoke")')
    assert int(run_cell(page, 'print(lab.labels.eq("smoke").sum())').strip()) == size

    page.locator(READY_MAP).first.scroll_into_view_if_needed()
    deadline = time.monotonic() + 15
    while legend_counts(page).get("smoke") != size and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    legend = legend_counts(page)
    assert legend.get("smoke") == size, legend
    assert sum(legend.values()) == N_TEXTS
    assert page.locator(READY_MAP).first.locator(".corral-legend-row", has_text="smoke").is_visible()
    page.locator(READY_MAP).first.screenshot(path=str(artifacts / "e2e-legend-smoke.png"))
    quickstart.timings["label test"] = time.monotonic() - t0


_NOTEBOOK_STATE_JS = """() => {
    const panel = window.jupyterapp.shell.currentWidget;
    const nb = panel.content;
    const types = [];
    for (let i = 0; i < nb.model.cells.length; i++) types.push(nb.model.cells.get(i).type);
    return { kernel: panel.sessionContext.session.kernel.id, types, mode: nb.mode };
}"""


def test_keys_label_the_selection_not_the_notebook(quickstart, artifacts):
    """The map's keys (1-9 label, 0 remove, Ctrl+Z undo) act on the map and not on the host, whose
    command mode binds the same keys (1-6: the cell becomes a heading; 0 0: restart the kernel)."""
    page = quickstart.page
    t0 = time.monotonic()
    # UMAP done (points stay put), and no selection left from the tests before (a lasso of the same
    # spot would show the same count)
    run_cell(page, "_ = lab.coords\nimport time; time.sleep(0.5)\nlab.selection = []", timeout=180)
    wait_for(page, f"() => document.querySelector({READY_MAP!r} + ' .corral-selected').textContent === ''",
             timeout=10, what="the map to show no selection")
    bar = page.locator(READY_MAP).first.locator('.corral-label-button[data-name="weather"]')
    key = str(int(bar.get_attribute("data-code")) + 1)
    assert key in "123456789"
    before = page.evaluate(_NOTEBOOK_STATE_JS)

    drawn = lasso_cluster(page, radius=40)
    assert page.evaluate(f"() => document.querySelector({READY_MAP!r}).contains(document.activeElement)"), \
        "the lasso left the focus outside the map"
    for press in (key, "0", "0", "Control+z", "Control+z"):
        page.keyboard.press(press)
        page.wait_for_timeout(300)  # each is a message of its own to Python
    check_page_errors(page)

    after = page.evaluate(_NOTEBOOK_STATE_JS)
    assert after["kernel"] == before["kernel"], "the kernel was restarted (0 0 reached the notebook)"
    assert after["types"] == before["types"], "a cell changed type (a digit reached the notebook)"
    size = _python_int(page, "print(len(lab.selection))", drawn.shown)
    assert size == drawn.shown > 0
    out = run_cell(page, "h = lab.history.tail(5)\n"
                         "print(h.kind.tolist(), h.label.iloc[0],"
                         " int(lab.labels.to_numpy()[lab.selection].__eq__('weather').sum()))")
    assert out.startswith("['assign', 'clear', 'clear', 'undo', 'undo'] weather "), out
    assert out.split()[-1] == str(size)  # the key labelled it, and the undos gave it back
    page.locator(READY_MAP).first.screenshot(path=str(artifacts / f"e2e-keys-{quickstart.server.host}.png"))
    quickstart.timings["keys test"] = time.monotonic() - t0
