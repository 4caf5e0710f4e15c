"""Static files on loopback for the bench pages: a temporary directory served over http, and the
browser tests' harness page (tests/browser/harness.html) served there with a widget bundle."""

from __future__ import annotations

import functools
import http.server
import shutil
import tempfile
import threading
from pathlib import Path

import _browser as B


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

    def log_message(self, format, *args):  # noqa: A002
        pass


_Handler = getattr(B.browser_conftest, "_QuietHandler", _QuietHandler)


class StaticServer:
    """A loopback http.server over a temporary directory (the harness page, a bundle, buffers)."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="corral-bench-"))
        handler = functools.partial(_Handler, directory=str(self.dir))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="bench-http", daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
        shutil.rmtree(self.dir, ignore_errors=True)


HARNESS_ANCHOR = "window.harness = harness;"


def harness_server(bundle: Path, css: Path | None = None) -> StaticServer:
    """The tests' harness page with ``bundle`` as its ``widget.js`` (and ``css`` as widget.css).

    One line is added to the page: its mock model class is exported as ``window.__benchMockModel``
    so the bench can route the model's ``save_changes``/``send`` before any widget binds them."""
    html = B.HARNESS.read_text()
    if "class MockModel" not in html or HARNESS_ANCHOR not in html:
        raise RuntimeError(f"{B.HARNESS} changed: no MockModel class / '{HARNESS_ANCHOR}' to hook the bench into")
    srv = StaticServer()
    (srv.dir / "harness.html").write_text(
        html.replace(HARNESS_ANCHOR, HARNESS_ANCHOR + "\nwindow.__benchMockModel = MockModel;", 1))
    shutil.copy(bundle, srv.dir / "widget.js")
    if css is not None:
        shutil.copy(css, srv.dir / "widget.css")
    return srv
