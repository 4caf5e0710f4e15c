"""The notebooks of notebooks/ and the HTML report in JupyterLab and Notebook 7 (both hosts of the
``jupyter_server`` fixture), and the map under the host's dark theme.

* cluster-review.ipynb and draw-a-classifier.ipynb: open, Run All, every code cell executed, no
  error output and no traceback on stderr, their maps drawn (a non-blank canvas);
  (quickstart.ipynb, the README's quickstart as a notebook, runs in test_jupyterlab.py);
* the report (``corral.report.inline.show_report``) displayed in a cell: an iframe whose bokeh
  plots are drawn;
* the host's dark theme (``apputils:change-theme``, "JupyterLab Dark"), switched while the map is
  shown: the map turns dark (``corral-dark``, a dark canvas); back to light, it turns light.

One notebook's kernel is shut down when the next one is open (the machine has 2 cores and little
memory to spare).
"""

from __future__ import annotations

import io
import json
import re
import time
import urllib.request

import numpy as np
import pytest
from corral_lab import (
    READY_MAP,
    REPO,
    cell_report,
    check_page_errors,
    error_outputs,
    open_notebook,
    run_all,
    run_cell,
    wait_for,
)
from PIL import Image

pytestmark = pytest.mark.e2e

NOTEBOOKS = ("cluster-review.ipynb", "draw-a-classifier.ipynb")
RUN_ALL_TIMEOUT = 420  # cold: embeds 2,000 + 2,100 texts and fits two UMAP maps on a busy 2-core box


def _shut_down_others(base_url: str, keep: str) -> None:
    """Shut down every kernel session but the one of the notebook at ``keep``."""
    with urllib.request.urlopen(f"{base_url}/api/sessions", timeout=10) as resp:
        sessions = json.load(resp)
    for session in sessions:
        if session.get("path") != keep:
            req = urllib.request.Request(f"{base_url}/api/sessions/{session['id']}", method="DELETE")
            urllib.request.urlopen(req, timeout=30).close()


def _run_notebook(page, server, path: str) -> dict:
    """Open ``path``, Run All, wait until it finished; fails fast on an error output."""
    open_notebook(page, server, path)
    _shut_down_others(server.base_url, path)
    run_all(page)
    t0 = time.monotonic()
    while True:
        report = cell_report(page)
        errors = error_outputs(report["cells"])
        if errors:
            raise AssertionError(f"a cell of {path} raised:\n" + "\n\n".join(errors))
        if (report["runAll"] or {}).get("done"):
            return report
        if time.monotonic() - t0 > RUN_ALL_TIMEOUT:
            raise AssertionError(f"{path}: Run All not done after {RUN_ALL_TIMEOUT} s; executed cells: "
                                 f"{[c['count'] for c in report['cells'] if c['type'] == 'code']}")
        check_page_errors(page)
        page.wait_for_timeout(500)


def _canvas_is_drawn(page, index: int = 0) -> bool:
    png = page.locator(READY_MAP).nth(index).locator("canvas").screenshot()
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3)
    return pixels.std(axis=0).max() > 5


@pytest.fixture(scope="module")
def ran(lab_page, jupyter_server):
    """{notebook name: (its path, its cell report)}, each run once per host (lazily, in order)."""
    done: dict[str, tuple[str, dict, float]] = {}

    def run(name: str):
        if name not in done:
            folder = jupyter_server.folder(f"notebooks-{name.split('.')[0]}", REPO / "notebooks" / name)
            path = f"{folder}/{name}"
            t0 = time.monotonic()
            done[name] = (path, _run_notebook(lab_page, jupyter_server, path), time.monotonic() - t0)
        return done[name]

    return run


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_clean(lab_page, jupyter_server, ran, name, artifacts):
    page = lab_page
    path, report, seconds = ran(name)
    code = [c for c in report["cells"] if c["type"] == "code"]
    assert report["runAll"] == {"done": True, "ok": True}
    assert code and all(c["count"] is not None for c in code), [c["count"] for c in code]
    assert error_outputs(report["cells"]) == []
    stderr = ["".join(o.get("text", "")) for c in code for o in c["outputs"]
              if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert not any("Traceback" in t or "Error" in t for t in stderr), stderr
    wait_for(page, f"() => document.querySelectorAll({READY_MAP!r}).length >= 1", timeout=60,
             what=f"the map of {name} to be drawn")
    page.locator(READY_MAP).first.scroll_into_view_if_needed()
    assert _canvas_is_drawn(page), f"the map's canvas of {name} is blank"
    page.locator(READY_MAP).first.screenshot(path=str(artifacts / f"e2e-{name.split('.')[0]}-{jupyter_server.host}.png"))
    print(f"\n{name} in {jupyter_server.host}: open + Run All {seconds:.0f} s")


def test_report_displays_in_a_cell(lab_page, jupyter_server, ran, artifacts):
    page = lab_page
    ran(NOTEBOOKS[-1])  # its Labeler `lab` has drawn regions and labels
    run_cell(page, "from corral.report.inline import show_report\nshow_report(lab, height=700)", timeout=120)
    frame = page.locator(".jp-OutputArea-output iframe.corral-report-frame").last
    frame.scroll_into_view_if_needed()
    report = page.frame_locator(".jp-OutputArea-output iframe.corral-report-frame >> nth=-1")
    deadline = time.monotonic() + 60
    while report.locator("canvas").count() < 2 and time.monotonic() < deadline:
        check_page_errors(page)
        page.wait_for_timeout(250)
    assert report.locator("canvas").count() >= 2, "the report's bokeh plots were not drawn"
    assert report.get_by_text(re.compile(r"^\d[\d,]* texts · [\d,]+ labeled")).count() == 1
    frame.screenshot(path=str(artifacts / f"e2e-report-{jupyter_server.host}.png"))


_THEME_JS = """(sel) => { const r = document.querySelector(sel);
    return [document.body.dataset.jpThemeLight, r.classList.contains('corral-dark'), getComputedStyle(r).color,
            getComputedStyle(r.querySelector('.corral-canvas-wrap')).backgroundColor]; }"""


def _set_theme(page, theme: str) -> None:
    page.evaluate("t => window.jupyterapp.commands.execute('apputils:change-theme', {theme: t})", theme)


def _canvas_median(page) -> float:
    png = page.locator(READY_MAP).first.locator("canvas").screenshot()
    return float(np.median(np.asarray(Image.open(io.BytesIO(png)).convert("L"))))


def test_the_map_follows_the_hosts_dark_theme(lab_page, jupyter_server, ran, artifacts):
    page = lab_page
    ran(NOTEBOOKS[-1])
    page.locator(READY_MAP).first.scroll_into_view_if_needed()
    try:
        _set_theme(page, "JupyterLab Dark")
        dark = wait_for(page, f"() => {{ const t = ({_THEME_JS})({READY_MAP!r}); return t[0] === 'false' && t[1] && t; }}",
                        timeout=30, what="the map to turn dark with the host")
        luminance = lambda css: sum(int(float(v)) for v in re.findall(r"[\d.]+", css)[:3])  # noqa: E731
        assert luminance(dark[2]) > luminance(dark[3]), dark  # light text on a dark map
        deadline = time.monotonic() + 10
        while _canvas_median(page) >= 60 and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert _canvas_median(page) < 60, "the canvas did not turn dark"
        page.locator(READY_MAP).first.screenshot(path=str(artifacts / f"e2e-dark-{jupyter_server.host}.png"))
    finally:
        _set_theme(page, "JupyterLab Light")
    light = wait_for(page, f"() => {{ const t = ({_THEME_JS})({READY_MAP!r}); return t[0] === 'true' && !t[1] && t; }}",
                     timeout=30, what="the map to turn light again")
    assert light[1] is False
    deadline = time.monotonic() + 10
    while _canvas_median(page) <= 180 and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert _canvas_median(page) > 180, "the canvas did not turn light again"
