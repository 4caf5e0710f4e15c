"""Browser harness tier: the built widget bundle in headless Chromium, driven by a real MapWidget.

A loopback http.server serves ``harness.html`` and a copy of ``src/corral/static/widget.js``. The
page holds a Backbone-like mock model seeded with the widget's real state (ipywidgets'
``_remove_buffers(widget.get_state())``, binary traits as DataViews); its ``save_changes`` and
``send`` come back here through ``page.expose_function`` (``widget.set_state`` and
``widget._handle_custom_msg``), and what the widget sends from Python (trait updates, replies,
status) goes back to the page, so tests drive a real ``Labeler`` (see corral_harness.py).

Every test fails on any page error or console error.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from chromium import CHROMIUM, CHROMIUM_ARGS, launch_chromium  # noqa: F401 (re-exported)
from corral_harness import _apply_save, _handle_msg, assert_no_errors, flush, mount, push, settle, wait_until  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "src" / "corral" / "static" / "widget.js"
HARNESS = Path(__file__).with_name("harness.html")
ARTIFACTS = ROOT / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

    def log_message(self, format, *args):  # noqa: A002 - keep test output clean
        pass


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """(base URL, directory) of a loopback server holding harness.html + the built bundle."""
    if not BUNDLE.exists():
        pytest.fail(f"{BUNDLE} is missing: build the widget first (`make js` or `cd js && npm run build`)")
    root = tmp_path_factory.mktemp("harness")
    shutil.copy(HARNESS, root / "harness.html")
    shutil.copy(BUNDLE, root / "widget.js")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="harness-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser():
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def page_factory(browser, served):
    """``page_factory(**context_options)`` -> a fresh page on the harness. Each page fails the test
    on any page error or console error (checked at teardown; ``assert_no_errors`` checks earlier)."""
    opened = []

    def new_page(**context_options):
        context = browser.new_context(viewport={"width": 1000, "height": 900}, **context_options)
        pg = context.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
        pg.on("console", lambda msg: errors.append(f"console.error: {msg.text}") if msg.type == "error" else None)
        pg.corral_errors = errors  # type: ignore[attr-defined]
        pg.corral_widget = None  # type: ignore[attr-defined]
        pg.corral_widgets = {}  # type: ignore[attr-defined]
        pg.corral_outbox = []  # type: ignore[attr-defined]
        pg.corral_served_dir = served[1]  # type: ignore[attr-defined]
        pg.expose_function("__corralSave", functools.partial(_apply_save, pg))
        pg.expose_function("__corralMsg", functools.partial(_handle_msg, pg))
        opened.append((context, pg))
        pg.goto(f"{served[0]}/harness.html")
        pg.wait_for_function("window.harnessReady === true")
        return pg

    try:
        yield new_page
        for _, pg in opened:
            assert_no_errors(pg)
    finally:
        for context, _ in opened:
            context.close()


@pytest.fixture
def page(page_factory):
    """A fresh page on the harness (light colour scheme)."""
    return page_factory()
