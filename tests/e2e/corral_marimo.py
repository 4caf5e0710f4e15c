"""Helpers of the marimo tests: a real ``marimo edit`` on 127.0.0.1, a page on it, the map inside it.

* ``marimo_edit(notebook, base, cache_dir, theme=)``: ``marimo edit --headless --no-token`` on a free
  port, in a home of its own (no user config in, no state out) whose marimo config sets
  ``runtime.auto_instantiate`` (edit mode runs no cell on open by default) and ``display.theme``;
  stopped by its PID (terminate, then kill). Yields the URL.
* ``marimo_page(browser, url, artifacts, name)``: a page (own browser context) that records page
  errors and console errors, opened on ``url``, once a ready map is drawn.
* ``python_says(page, pattern, want)``: wait until the notebook's outputs show ``pattern``.
* ``cell_errors(page)``: cells that raised, and cells that wrote a traceback to stderr.
* ``map_positions`` / ``selected_points`` / ``toolbar_count`` / ``lasso_group``: the map of the
  test notebooks (three groups of 100 points, 8 sd apart; indices group*100 .. +99).

The map lives in ``marimo-anywidget``'s shadow root; playwright's locators pierce it, page scripts
reach it through ``shadowRoot`` (``ROOT_JS``).
"""

from __future__ import annotations

import contextlib
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

MARIMO = Path(sys.executable).with_name("marimo")
READY = '.corral-map[data-corral-ready="1"]'

# The map's root (the `index`-th ready one), inside the shadow root of marimo's anywidget element
# (the test hook `__corral` is on its parent: see js/src/index.js).
ROOT_JS = """
    const roots = Array.from(document.querySelectorAll('marimo-anywidget'))
        .map(h => h.shadowRoot && h.shadowRoot.querySelector('.corral-map[data-corral-ready="1"]')).filter(Boolean);
    const root = roots[typeof index === 'number' ? index : 0];
    const el = root && root.parentElement;
"""


def free_port() -> int:
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


def marimo_env(home: Path, cache_dir, *, theme: str = "light") -> dict:
    """The environment of a marimo process: a home of its own, the corral cache of the JupyterLab
    tier (``$CORRAL_E2E_CACHE_DIR`` when set, else the session's shared cache), offline."""
    cache_dir = os.environ.get("CORRAL_E2E_CACHE_DIR") or cache_dir
    for d in ("config/marimo", "cache", "state", "tmp"):
        (home / d).mkdir(parents=True, exist_ok=True)
    (home / "config" / "marimo" / "marimo.toml").write_text(
        f'[runtime]\nauto_instantiate = true\n\n[display]\ntheme = "{theme}"\n')
    env = dict(os.environ)
    env.update(
        HOME=str(home), XDG_CONFIG_HOME=str(home / "config"), XDG_CACHE_HOME=str(home / "cache"),
        XDG_STATE_HOME=str(home / "state"), TMPDIR=str(home / "tmp"),
        CORRAL_CACHE_DIR=str(cache_dir), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONUNBUFFERED="1",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO / "src"), env.get("PYTHONPATH")) if p),
    )
    return env


@contextlib.contextmanager
def marimo_edit(notebook: Path, base: Path, cache_dir, *, theme: str = "light"):
    """``marimo edit`` of ``notebook`` (its folder is the working directory); yields its URL."""
    if not MARIMO.exists():
        pytest.fail(f"{MARIMO} is missing: marimo is in the dev extra (pip install -e .[dev])")
    env = marimo_env(base / "home", cache_dir, theme=theme)
    log = base / "marimo.log"
    for _attempt in range(3):  # the free port can be taken between probing and binding it
        port = free_port()
        with open(log, "ab") as out:
            process = subprocess.Popen(
                [str(MARIMO), "edit", "--headless", "--host", "127.0.0.1", "--port", str(port), "--no-token",
                 "--skip-update-check", "--no-sandbox", str(notebook)],
                cwd=notebook.parent, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
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


@contextlib.contextmanager
def marimo_page(browser, url: str, artifacts: Path, name: str, *, timeout_ms: int = 120_000):
    """A page on ``url`` once a ready map is drawn (a screenshot ``e2e-<name>-start.png`` if not)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: errors.append(f"console.error: {msg.text}") if msg.type == "error" else None)
    page.corral_errors = errors  # type: ignore[attr-defined]
    try:
        page.goto(url)
        try:
            page.locator(READY).first.wait_for(timeout=timeout_ms)
        except Exception:
            page.screenshot(path=str(artifacts / f"e2e-{name}-start.png"))
            raise AssertionError(f"no map drawn in marimo; cells in error: {cell_errors(page)}")
        yield page
    finally:
        context.close()


def fail_on_page_errors(page) -> None:
    if page.corral_errors:
        found = list(page.corral_errors)
        page.corral_errors.clear()
        raise AssertionError("errors in the page:\n" + "\n".join(found))


def cell_errors(page) -> list[str]:
    """The text of each cell that raised (marimo marks it ``has-error``) or wrote a traceback to
    stderr."""
    return page.evaluate("""() => Array.from(document.querySelectorAll('.marimo-cell')).filter(c =>
        c.classList.contains('has-error') ||
        Array.from(c.querySelectorAll('.console-output-area .stderr')).some(s => /Traceback|Error/.test(s.innerText)))
        .map(c => c.innerText.slice(0, 2000))""")


def python_says(page, pattern: str, want=None, timeout: float = 30) -> re.Match:
    """The match of ``pattern`` in the notebook's outputs, waiting until ``want(match)`` holds."""
    deadline = time.monotonic() + timeout
    while True:
        fail_on_page_errors(page)
        m = re.search(pattern, page.evaluate("document.body.innerText"))
        if m and (want is None or want(m)):
            return m
        if time.monotonic() > deadline:
            raise AssertionError(f"the notebook never showed {pattern!r} as wanted (last: {m and m.group(0)!r}); "
                                 f"cells in error: {cell_errors(page)}")
        page.wait_for_timeout(200)


def map_positions(page, index: int = 0) -> tuple[np.ndarray, dict]:
    """Every point's page position and the visible canvas box, once they stop moving."""
    page.evaluate("(index) => {" + ROOT_JS + " root.querySelector('.corral-canvas-wrap').scrollIntoView({block: 'center'}); }",
                  index)
    prev = None
    for _ in range(40):
        data = page.evaluate("(index) => {" + ROOT_JS + """
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
        }""", index)
        xy = np.array(json.loads(data["xy"]), dtype=float)
        if prev is not None and np.allclose(xy, prev, atol=0.5, equal_nan=True):
            return xy, data["box"]
        prev = xy
        page.wait_for_timeout(250)
    raise AssertionError("the map's points did not settle")


def selected_points(page, index: int = 0) -> list[int]:
    return sorted(page.evaluate("(index) => {" + ROOT_JS + " return Array.from(el.__corral.scatterplot.get('selectedPoints')); }",
                                index))


def toolbar_count(page, index: int = 0) -> int:
    text = page.locator(READY).nth(index).locator(".corral-selected").text_content() or ""
    m = re.search(r"([\d,]+) selected", text)
    return int(m.group(1).replace(",", "")) if m else 0


def lasso_group(page, group: int, index: int = 0) -> list[int]:
    """Lasso round the densest spot of points of one group (indices group*100 .. +99); returns what
    the map selected."""
    xy, box = map_positions(page, index)
    own = np.full_like(xy, np.nan)
    own[group * 100:(group + 1) * 100] = xy[group * 100:(group + 1) * 100]
    center = pick_cluster(own, box, radius=45)
    before = selected_points(page, index)
    lasso(page, lasso_path(center, 45))
    deadline = time.monotonic() + 15
    while (selected_points(page, index) == before or toolbar_count(page, index) != len(selected_points(page, index))) \
            and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    chosen = selected_points(page, index)
    assert chosen and chosen != before, "the lasso selected nothing"
    assert all(group * 100 <= i < (group + 1) * 100 for i in chosen), chosen  # groups lie 8 sd apart
    return chosen
