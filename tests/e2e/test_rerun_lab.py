"""Restart the kernel and Run All in a real JupyterLab: the quickstart resumes from its journal,
says so, and its re-run labeling cells leave a correction made on the map alone (issue 11, item 1).
"""

from __future__ import annotations

import json
import time

import pytest
from corral_lab import (
    QUICKSTART,
    READY_MAP,
    cell_report,
    check_page_errors,
    error_outputs,
    lasso_cluster,
    open_notebook,
    output_text,
    run_all,
    run_cell,
    selected_count,
)

pytestmark = pytest.mark.e2e

RUN_ALL_TIMEOUT = 480  # cold: embeds 3,000 texts + fits UMAP on a busy 2-core box (the second run reads the cache)
STATE = ("import json; print(json.dumps({'labels': lab.labels.fillna('(none)').tolist(), "
         "'history': len(lab.history), 'resumed': lab.show().status['resumed']}))")


def _run_all_and_wait(page, *, resumed: bool = False) -> dict:
    """Run All; wait until it is done and the map is drawn (after a restart: until the Labeler cell
    has printed its resume notice, since the old outputs stay on the page until cells re-run)."""
    run_all(page)
    t0 = time.monotonic()
    while True:
        report = cell_report(page)
        errors = error_outputs(report["cells"])
        assert not errors, "a cell raised:\n" + "\n\n".join(errors)
        fresh = not resumed or "corral: resumed" in output_text(report["cells"][2]["outputs"])
        if (report["runAll"] or {}).get("done") and fresh and page.locator(READY_MAP).count() > 0:
            return report
        counts = [c["count"] for c in report["cells"] if c["type"] == "code"]
        assert time.monotonic() - t0 < RUN_ALL_TIMEOUT, f"Run All {report['runAll']}, cells {counts}"
        check_page_errors(page)
        page.wait_for_timeout(500)


def _restart_kernel(page) -> None:
    """What Kernel > Restart does, without its confirmation dialog; then wait for a usable kernel."""
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.restartKernel()")
    deadline = time.monotonic() + 90
    while True:
        ok = page.evaluate("""() => {
            const k = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
            return !!k && k.connectionStatus === 'connected' && k.status === 'idle';
        }""")
        if ok:
            return
        assert time.monotonic() < deadline, "the kernel did not come back after the restart"
        page.wait_for_timeout(250)


@pytest.mark.timeout(1200)  # two Run Alls, the first one cold
def test_restart_and_run_all_keeps_a_correction_made_on_the_map(lab_page, jupyter_server, artifacts):
    page = lab_page
    folder = jupyter_server.folder("rerun", QUICKSTART)
    open_notebook(page, jupyter_server, f"{folder}/{QUICKSTART.name}")
    first = _run_all_and_wait(page)
    first_out = output_text(first["cells"][2]["outputs"])
    assert "resumed" not in first_out  # a fresh journal: nothing to say

    # a person's correction: lasso a cluster of the (full) map and give it a label in the widget
    assert run_cell(page, "_ = lab.coords\nimport time; time.sleep(0.5)\nprint(lab.projection_ready)",
                    timeout=180).strip() == "True"
    lasso_cluster(page, radius=40)
    n = selected_count(page)
    assert n > 0
    field = page.locator(READY_MAP).first.locator(".corral-new-label")
    field.fill("corrected")
    field.press("Enter")
    deadline = time.monotonic() + 15
    while int(run_cell(page, 'print(lab.labels.eq("corrected").sum())').strip()) != n:
        assert time.monotonic() < deadline, "the correction did not reach Python"
        page.wait_for_timeout(250)
    before = json.loads(run_cell(page, STATE))
    assert before["resumed"] is None
    page.locator(READY_MAP).first.screenshot(path=str(artifacts / "e2e-rerun-before-restart.png"))

    _restart_kernel(page)
    second = _run_all_and_wait(page, resumed=True)

    out = output_text(second["cells"][2]["outputs"])  # the cell that builds the Labeler
    ops = before["history"]
    assert f"corral: resumed {ops} operations from quickstart.journal" in out, out
    rerun_notes = sum(output_text(c["outputs"]).count("already in the resumed history; not applied again")
                      for c in second["cells"] if c["type"] == "code")
    assert rerun_notes == 3  # the two rules and the undo of the quickstart
    after = json.loads(run_cell(page, STATE))
    assert after["labels"] == before["labels"]  # the correction (and every label) kept
    assert after["history"] == before["history"]  # no operation repeated
    assert after["resumed"].startswith(f"corral: resumed {ops} operations from quickstart.journal")
    assert int(run_cell(page, 'print(lab.labels.eq("corrected").sum())').strip()) == n
    page.locator(READY_MAP).first.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "e2e-rerun-after-restart.png"))
