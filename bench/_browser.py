"""The headless Chromium of ``bench/widget.py``: launched with the browser tests' own settings, a
page per peer carrying the same instrumentation (``window.__bench``, _browser_instrumentation.js),
so that every peer is clocked at the same points, and the clock/polling helpers the gestures use.

The harness page and comm routing of the anywidget peers: _anywidget_page.py; bokeh's server:
_bokeh_server.py. Nothing here decides what is measured.

Clocks: the page stamps with ``performance.timeOrigin + performance.now()`` (epoch ms), Python with
``time.time() * 1000``. :func:`clock_offset` measures the difference by round trips (error below
half a round trip, ~1 ms), so spans that start in one and end in the other (Python -> page for the
first frame, page -> Python for a lasso) are taken on one time line.
"""

from __future__ import annotations

import importlib.util
import socket
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS_BROWSER = ROOT / "tests" / "browser"
for _path in (TESTS_BROWSER, TESTS_BROWSER.parent):  # harness helpers, and tests/chromium.py
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))


def _browser_conftest():
    """tests/browser/conftest.py as a module (Chromium path/flags, harness page, bundle path)."""
    spec = importlib.util.spec_from_file_location("corral_browser_conftest", TESTS_BROWSER / "conftest.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


try:  # the browser tests' own settings, so the bench runs the browser exactly as they do
    browser_conftest = _browser_conftest()
except Exception as e:  # noqa: BLE001 - tests/browser is being edited: fall back to the documented recipe
    print(f"bench: tests/browser/conftest.py did not import ({e!r}); using the ENVIRONMENT.md defaults",
          file=sys.stderr)
    browser_conftest = None
CHROMIUM: str = getattr(browser_conftest, "CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS: list[str] = list(getattr(browser_conftest, "CHROMIUM_ARGS", [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic"]))
HARNESS: Path = getattr(browser_conftest, "HARNESS", TESTS_BROWSER / "harness.html")
CORRAL_BUNDLE: Path = getattr(browser_conftest, "BUNDLE", ROOT / "src" / "corral" / "static" / "widget.js")
VIEWPORT = {"width": 1000, "height": 900}


def now_ms() -> float:
    return time.time() * 1000.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BENCH_INIT_JS = (Path(__file__).resolve().parent / "_browser_instrumentation.js").read_text()


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def new_page(browser):
    """A fresh context + page carrying the bench instrumentation; page errors are collected."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.bench_errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.bench_errors.append(f"pageerror: {exc}"))
    page.on("console", lambda msg: page.bench_errors.append(f"console.error: {msg.text}")
            if msg.type == "error" else None)
    page.add_init_script(BENCH_INIT_JS)
    return page


def clock_offset(page, rounds: int = 7) -> float:
    """page epoch-ms minus Python epoch-ms, from the quickest of a few round trips."""
    best = None
    for _ in range(rounds):
        a = now_ms()
        p = page.evaluate("performance.timeOrigin + performance.now()")
        b = now_ms()
        if best is None or b - a < best[0]:
            best = (b - a, p - (a + b) / 2)
    return best[1]


SETTLE_JS = "() => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))"


def settle(page) -> None:
    """Let the page finish what it is doing (an animation frame, then a task): every gesture
    starts on a page that has drawn what it was asked to."""
    page.evaluate(SETTLE_JS)


def wait_for(page, predicate, timeout_s: float, what: str, step_ms: int = 5):
    """Poll ``predicate()`` while the page runs (exposed functions are served meanwhile)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout_s:.0f} s waiting for {what}")
        page.wait_for_timeout(step_ms)
