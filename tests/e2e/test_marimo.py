"""The map in a real marimo notebook (``marimo edit``, headless Chromium): gestures in, state out.

A small notebook (300 texts, ``HashingEmbedder``, ``coords=`` given: no model, no UMAP) is served
by ``marimo edit --headless --no-token`` on 127.0.0.1 and a free port, in a home of its own whose
marimo config sets ``runtime.auto_instantiate`` (edit mode runs no cell on open by default). Then:

* lassoes a cluster on the map: the cell that reads ``map_view.value`` re-runs and shows the new
  selection, the same points the map holds (the selection reached Python as a trait update);
* labels it with the label bar (a custom message), lassoes another cluster and presses "1", then
  Ctrl+Z: the cell that calls ``label_counts()`` (``corral.map.hosts.marimo_labels``) re-runs
  after each, with the counts Python holds.

The map lives in ``marimo-anywidget``'s shadow root; playwright's locators pierce it, page
scripts reach it through ``shadowRoot``.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from corral_lab import REPO, lasso, lasso_path, pick_cluster

pytestmark = pytest.mark.e2e

MARIMO = Path(sys.executable).with_name("marimo")

NOTEBOOK = '''\
import marimo

app = marimo.App(width="medium")


@app.cell
def _():
    import json

    import marimo as mo
    import numpy as np

    import corral
    from corral.map.hosts import marimo_labels, marimo_widget

    rng = np.random.default_rng(0)
    centers = np.array([[0.0, 0.0], [8.0, 0.0], [4.0, 7.0]])
    coords = np.vstack([c + rng.normal(scale=0.6, size=(100, 2)) for c in centers])
    texts = [f"query {i} <b>of</b> group {i // 100}" for i in range(300)]
    lab = corral.Labeler(texts, embedder=corral.HashingEmbedder(), coords=coords)
    return json, lab, marimo_labels, marimo_widget, mo


@app.cell
def _(lab, marimo_labels, marimo_widget):
    map_view = marimo_widget(lab, height=480)
    label_counts = marimo_labels(lab)
    map_view
    return label_counts, map_view


@app.cell
def _(lab, map_view, mo):
    _ = map_view.value  # re-run on every selection made in the browser
    mo.md(f"PY-SELECTED={lab.selection.size} PY-SUM={int(lab.selection.sum())}")
    return


@app.cell
def _(json, lab, label_counts, mo):
    _counts = label_counts()  # re-run on every label change
    mo.md(f"PY-LABELED={int(lab.labels.notna().sum())} PY-COUNTS={json.dumps(_counts.to_dict())}")
    return


if __name__ == "__main__":
    app.run()
'''

# The map's root, inside the shadow root of marimo's anywidget element (the test hook
# `__corral` is on its parent: see js/src/index.js).
_ROOT_JS = """
    const host = Array.from(document.querySelectorAll('marimo-anywidget'))
        .find(h => h.shadowRoot && h.shadowRoot.querySelector('.corral-map[data-corral-ready="1"]'));
    const root = host && host.shadowRoot.querySelector('.corral-map[data-corral-ready="1"]');
    const el = root && root.parentElement;
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def marimo_server(tmp_path_factory, shared_cache):
    if not MARIMO.exists():
        pytest.fail(f"{MARIMO} is missing: marimo is in the dev extra (pip install -e .[dev])")
    base = tmp_path_factory.mktemp("marimo")
    root, home = base / "root", base / "home"
    root.mkdir()
    for d in ("config", "cache", "state", "tmp"):
        (home / d).mkdir(parents=True)
    # marimo edit runs no cell on open unless told to (runtime.auto_instantiate, false by default)
    (home / "config" / "marimo").mkdir()
    (home / "config" / "marimo" / "marimo.toml").write_text("[runtime]\nauto_instantiate = true\n")
    notebook = root / "labeling.py"
    notebook.write_text(NOTEBOOK)
    env = dict(os.environ)
    env.update(
        # a home of its own: no user marimo config in, no state out
        HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"), TMPDIR=str(home / "tmp"),
        CORRAL_CACHE_DIR=str(shared_cache), HF_HUB_OFFLINE="1", PYTHONUNBUFFERED="1",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH")) if p),
    )
    log = base / "marimo.log"
    for _attempt in range(3):  # the free port can be taken between probing and binding it
        port = _free_port()
        with open(log, "ab") as out:
            process = subprocess.Popen(
                [str(MARIMO), "edit", "--headless", "--host", "127.0.0.1", "--port", str(port), "--no-token",
                 "--skip-update-check", "--no-sandbox", str(notebook)],
                cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline and not _answers(f"{url}/health"):
            time.sleep(0.2)
        if process.poll() is None and _answers(f"{url}/health"):
            break
        _stop(process)
    else:
        pytest.fail(f"marimo edit did not start:\n{log.read_text(errors='replace')[-3000:]}")
    try:
        yield url
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def marimo_page(e2e_browser, marimo_server, artifacts):
    context = e2e_browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: errors.append(f"console.error: {msg.text}") if msg.type == "error" else None)
    page.corral_errors = errors  # type: ignore[attr-defined]
    page.goto(marimo_server)
    try:
        page.locator('.corral-map[data-corral-ready="1"]').wait_for(timeout=90_000)
    except Exception:
        page.screenshot(path=str(artifacts / "e2e-marimo-start.png"))
        raise
    try:
        yield page
    finally:
        context.close()


def _fail_on_page_errors(page) -> None:
    if page.corral_errors:
        found = list(page.corral_errors)
        page.corral_errors.clear()
        raise AssertionError("errors in the page:\n" + "\n".join(found))


def _python_says(page, pattern: str, want=None, timeout: float = 20) -> re.Match:
    """The match of ``pattern`` in the notebook's outputs, waiting until ``want(match)`` holds."""
    deadline = time.monotonic() + timeout
    while True:
        _fail_on_page_errors(page)
        m = re.search(pattern, page.evaluate("document.body.innerText"))
        if m and (want is None or want(m)):
            return m
        if time.monotonic() > deadline:
            raise AssertionError(f"the notebook never showed {pattern!r} as wanted (last: {m and m.group(0)!r})")
        page.wait_for_timeout(200)


def _positions(page) -> tuple[np.ndarray, dict]:
    """Every point's page position and the visible canvas box, once they stop moving."""
    page.locator('.corral-map[data-corral-ready="1"] canvas').scroll_into_view_if_needed()
    prev = None
    for _ in range(40):
        data = page.evaluate("() => {" + _ROOT_JS + """
            const hook = el.__corral;
            const r = hook.canvas.getBoundingClientRect();
            const n = hook.scatterplot.get('points').length;
            const xy = [];
            for (let i = 0; i < n; i++) {
                const p = hook.toScreen(i);
                xy.push(p ? [r.left + p[0], r.top + p[1]] : [null, null]);
            }
            return { xy: JSON.stringify(xy), box: { left: Math.max(r.left, 0), top: Math.max(r.top, 0),
                     right: Math.min(r.right, innerWidth), bottom: Math.min(r.bottom, innerHeight) } };
        }""")
        xy = np.array(json.loads(data["xy"]), dtype=float)
        if prev is not None and np.allclose(xy, prev, atol=0.5, equal_nan=True):
            return xy, data["box"]
        prev = xy
        page.wait_for_timeout(250)
    raise AssertionError("the map's points did not settle")


def _selected_points(page) -> list[int]:
    return sorted(page.evaluate("() => {" + _ROOT_JS + " return Array.from(el.__corral.scatterplot.get('selectedPoints')); }"))


def _toolbar_count(page) -> int:
    text = page.locator('.corral-map[data-corral-ready="1"] .corral-selected').text_content() or ""
    m = re.search(r"([\d,]+) selected", text)
    return int(m.group(1).replace(",", "")) if m else 0


def _lasso_group(page, group: int) -> list[int]:
    """Lasso round the densest spot of points of one group (indices group*100 .. +99); returns what
    the map selected."""
    xy, box = _positions(page)
    own = np.full_like(xy, np.nan)
    own[group * 100:(group + 1) * 100] = xy[group * 100:(group + 1) * 100]
    center = pick_cluster(own, box, radius=45)
    before = _selected_points(page)
    lasso(page, lasso_path(center, 45))
    deadline = time.monotonic() + 15
    while (_selected_points(page) == before or _toolbar_count(page) != len(_selected_points(page))) \
            and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    chosen = _selected_points(page)
    assert chosen and chosen != before, "the lasso selected nothing"
    assert all(group * 100 <= i < (group + 1) * 100 for i in chosen), chosen  # groups lie 8 sd apart
    return chosen


def _counts(page, want: dict) -> dict:
    m = _python_says(page, r"PY-LABELED=(\d+) PY-COUNTS=(\{[^}]*\})", lambda m: json.loads(m.group(2)) == want)
    counts = json.loads(m.group(2))
    assert int(m.group(1)) == sum(counts.values())
    return counts


def test_lasso_in_marimo_reruns_the_cell_reading_the_selection(marimo_page, artifacts):
    page = marimo_page
    _python_says(page, r"PY-SELECTED=0 ")
    chosen = _lasso_group(page, 0)
    m = _python_says(page, r"PY-SELECTED=(\d+) PY-SUM=(\d+)", lambda m: int(m.group(1)) == len(chosen))
    assert int(m.group(2)) == sum(chosen)  # the same points, not only as many
    page.screenshot(path=str(artifacts / "e2e-marimo-lasso.png"))
    _fail_on_page_errors(page)


def test_label_bar_keys_and_undo_in_marimo_reach_python_and_rerun_cells(marimo_page, artifacts):
    page = marimo_page
    first = _selected_points(page) or _lasso_group(page, 0)
    _counts(page, {})

    field = page.locator('.corral-map[data-corral-ready="1"] .corral-new-label')
    field.fill("weather")
    field.press("Enter")
    assert _counts(page, {"weather": len(first)}) == {"weather": len(first)}

    second = _lasso_group(page, 1)
    page.keyboard.press("1")  # the first label, applied by key
    _counts(page, {"weather": len(first) + len(second)})
    legend = page.locator('.corral-map[data-corral-ready="1"] .corral-legend-row', has_text="weather")
    assert legend.locator(".corral-count").text_content().replace(",", "") == str(len(first) + len(second))

    page.keyboard.press("Control+z")
    _counts(page, {"weather": len(first)})
    page.screenshot(path=str(artifacts / "e2e-marimo-labels.png"))
    _fail_on_page_errors(page)
