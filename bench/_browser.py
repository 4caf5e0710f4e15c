"""Browser plumbing of ``bench/widget.py``: one headless Chromium, the widget harness page of
``tests/browser`` for the anywidget peers (corral, jupyter-scatter), a Bokeh server for bokeh.

Nothing here decides what is measured; it moves state and messages like a widget manager would,
and gives every page the same instrumentation (``window.__bench``) so that every peer is clocked
at the same points.

Clocks: the page stamps with ``performance.timeOrigin + performance.now()`` (epoch ms), Python with
``time.time() * 1000``. :func:`clock_offset` measures the difference by round trips (error below
half a round trip, ~1 ms), so spans that start in one and end in the other (Python -> page for the
first frame, page -> Python for a lasso) are taken on one time line.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import http.server
import importlib.util
import itertools
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS_BROWSER = ROOT / "tests" / "browser"
for _path in (TESTS_BROWSER, TESTS_BROWSER.parent):  # harness helpers, and tests/chromium.py
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import corral_harness  # noqa: E402  (tests/browser: the harness the browser tests use)
from ipywidgets.widgets.widget import _put_buffers  # noqa: E402


def _browser_conftest():
    """tests/browser/conftest.py as a module (Chromium path/flags, harness page, bundle path)."""
    spec = importlib.util.spec_from_file_location("corral_browser_conftest", TESTS_BROWSER / "conftest.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

    def log_message(self, format, *args):  # noqa: A002
        pass


try:  # the browser tests' own settings, so the bench runs the browser exactly as they do
    _conftest = _browser_conftest()
except Exception as e:  # noqa: BLE001 - tests/browser is being edited: fall back to the documented recipe
    print(f"bench: tests/browser/conftest.py did not import ({e!r}); using the ENVIRONMENT.md defaults",
          file=sys.stderr)
    _conftest = None
CHROMIUM: str = getattr(_conftest, "CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS: list[str] = list(getattr(_conftest, "CHROMIUM_ARGS", [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic"]))
HARNESS: Path = getattr(_conftest, "HARNESS", TESTS_BROWSER / "harness.html")
CORRAL_BUNDLE: Path = getattr(_conftest, "BUNDLE", ROOT / "src" / "corral" / "static" / "widget.js")
_Handler = getattr(_conftest, "_QuietHandler", _QuietHandler)
INLINE_LIMIT: int = getattr(corral_harness, "INLINE_LIMIT", 1 << 20)  # larger buffers go by loopback fetch
SKIP_STATE: set = set(getattr(corral_harness, "SKIP_STATE", {"_esm", "_css", "layout"}))
VIEWPORT = {"width": 1000, "height": 900}
_file_ids = itertools.count()


def now_ms() -> float:
    return time.time() * 1000.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- static files on loopback ---------------------------------------------------------------------
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
    html = HARNESS.read_text()
    if "class MockModel" not in html or HARNESS_ANCHOR not in html:
        raise RuntimeError(f"{HARNESS} changed: no MockModel class / '{HARNESS_ANCHOR}' to hook the bench into")
    srv = StaticServer()
    (srv.dir / "harness.html").write_text(
        html.replace(HARNESS_ANCHOR, HARNESS_ANCHOR + "\nwindow.__benchMockModel = MockModel;", 1))
    shutil.copy(bundle, srv.dir / "widget.js")
    if css is not None:
        shutil.copy(css, srv.dir / "widget.css")
    return srv


# -- the kernel side of a widget: capture what ipywidgets would send --------------------------------
class CaptureComm:
    """Stands in for the kernel comm of one widget: keeps the comm_open payload and every message."""

    def __init__(self, **kwargs) -> None:
        self.comm_id = kwargs.get("comm_id") or f"bench-{id(self):x}"
        self.kernel = True  # ipywidgets only sends when the comm has a kernel
        data = kwargs.get("data") or {}
        self.open_state = data.get("state", {})
        self.open_paths = data.get("buffer_paths", [])
        self.open_buffers = list(kwargs.get("buffers") or [])
        self.outbox: list[tuple[dict, list]] = []
        self._handlers = []

    def send(self, data=None, metadata=None, buffers=None) -> None:
        self.outbox.append((data or {}, list(buffers or [])))

    def on_msg(self, callback) -> None:
        self._handlers.append(callback)

    def on_close(self, callback) -> None:
        pass

    def close(self, data=None, metadata=None, buffers=None, deleting=False) -> None:
        pass

    def take(self) -> list[tuple[dict, list]]:
        out, self.outbox = self.outbox, []
        return out


@contextlib.contextmanager
def capture_comms():
    """While active, widgets created get a :class:`CaptureComm` (as ``widget.comm``)."""
    import comm

    original = comm.create_comm
    comm.create_comm = lambda *a, **kw: CaptureComm(**kw)
    try:
        yield
    finally:
        comm.create_comm = original


def _buffers_to_wire(server: StaticServer, buffers) -> list[dict]:
    """Buffers as the harness page takes them: inline base64, or a file on the loopback server when
    large (the harness' own rule, ``corral_harness.INLINE_LIMIT``)."""
    wire = []
    for buf in buffers:
        data = bytes(buf)
        if len(data) > INLINE_LIMIT:
            name = f"buffer-{next(_file_ids)}.bin"
            (server.dir / name).write_bytes(data)
            wire.append({"url": name})
        else:
            wire.append({"b64": base64.b64encode(data).decode("ascii")})
    return wire


def open_payload(server: StaticServer, comm: CaptureComm) -> dict:
    """The comm_open state of a widget in the harness' mount() format (bundle code left out: the
    page has the bundle already)."""
    skip = SKIP_STATE
    state = {k: v for k, v in comm.open_state.items() if k not in skip}
    keep = [i for i, p in enumerate(comm.open_paths) if p[0] not in skip]
    return {
        "state": state,
        "paths": [comm.open_paths[i] for i in keep],
        "buffers": _buffers_to_wire(server, [comm.open_buffers[i] for i in keep]),
    }


def messages_to_wire(server: StaticServer, messages) -> list[dict]:
    """Kernel -> page messages (update / custom) in the form the page's ``__bench.deliver`` takes.
    ``echo_update`` (ipywidgets' acknowledgement of a browser change) is dropped."""
    out = []
    for data, buffers in messages:
        method = data.get("method")
        if method == "update":
            out.append({"method": "update", "state": data.get("state", {}), "paths": data.get("buffer_paths", []),
                        "buffers": _buffers_to_wire(server, buffers)})
        elif method == "custom":
            out.append({"method": "custom", "content": data.get("content"),
                        "buffers": _buffers_to_wire(server, buffers)})
    return out


# -- page instrumentation ---------------------------------------------------------------------------
BENCH_INIT_JS = r"""
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const raf = () => new Promise((r) => requestAnimationFrame(() => r()));
  const tick = () => new Promise((r) => setTimeout(r, 0));
  const bench = (window.__bench = {
    now, raf, tick,
    pointerUpAt: null,     // last pointerup seen by the page (capture phase, before any widget)
    readyAt: null,         // first frame signal (see below)
    readyFrameAt: null,    // the animation frame after it
    draws: [],             // regl-scatterplot draw() calls: {at, done}
    scatterplots: [],
    lastRpc: null,
    errors: [],
  });
  window.addEventListener("pointerup", () => { bench.pointerUpAt = now(); }, true);

  const markReady = () => {
    if (bench.readyAt !== null) return;
    bench.readyAt = now();
    raf().then(() => { bench.readyFrameAt = now(); });
  };
  bench.markReady = markReady;

  // regl-scatterplot: wrap draw() to know when a redraw with new data has reached the canvas
  // (its promise resolves on the 'draw' event of the frame that shows the new points).
  bench.watch = (sp) => {
    if (!sp || sp.__benchWatched) return sp;
    sp.__benchWatched = true;
    bench.scatterplots.push(sp);
    const draw = sp.draw;
    sp.draw = function (...args) {
      const rec = { at: now(), done: null, error: null };
      const p = draw.apply(this, args);
      rec.promise = p.then(
        () => { rec.done = now(); markReady(); },
        (e) => { rec.error = String(e); },
      );
      bench.draws.push(rec);
      return p;
    };
    return sp;
  };
  // jupyter-scatter keeps its regl-scatterplot instance as `container.api`: catch the assignment
  // (it happens right before its first draw()).
  Object.defineProperty(HTMLElement.prototype, "api", {
    configurable: true,
    get() { return undefined; },
    set(v) {
      Object.defineProperty(this, "api", { value: v, writable: true, configurable: true, enumerable: true });
      bench.watch(v);
    },
  });
  // corral: the widget sets data-corral-ready="1" once its first frame is drawn.
  const watchReady = () => {
    new MutationObserver(() => {
      if (document.querySelector('[data-corral-ready="1"]')) markReady();
    }).observe(document.documentElement, { attributes: true, subtree: true, attributeFilter: ["data-corral-ready"] });
  };
  if (document.documentElement) watchReady(); else document.addEventListener("DOMContentLoaded", watchReady);

  // -- a widget manager's comm, for the harness' mock model ------------------------------------
  const toBase64 = (view) => {
    const bytes = view instanceof ArrayBuffer ? new Uint8Array(view)
      : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  };
  const isBinary = (v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v);
  /** @jupyter-widgets/base remove_buffers: binary values anywhere in the state leave as buffers. */
  const removeBuffers = (state) => {
    const paths = [], buffers = [];
    const walk = (v, path) => {
      if (isBinary(v)) { paths.push(path); buffers.push(toBase64(v)); return undefined; }
      if (Array.isArray(v)) {
        return v.map((x, i) => { const r = walk(x, [...path, i]); return r === undefined ? null : r; });
      }
      if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
        const o = {};
        for (const [k, x] of Object.entries(v)) { const r = walk(x, [...path, k]); if (r !== undefined) o[k] = r; }
        return o;
      }
      return v;
    };
    return { state: walk(state, []), paths, buffers };
  };
  const toDataView = async (wire) => {
    const res = await fetch(wire.url ?? `data:application/octet-stream;base64,${wire.b64}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    return new DataView(bytes.buffer, 0, bytes.byteLength);
  };
  /** Apply kernel messages in order, as a widget manager does on comm messages. */
  let delivering = Promise.resolve();
  bench.deliver = (messages) => (delivering = delivering.then(() => apply(messages)).catch((e) => {
    bench.errors.push(String(e)); console.error("bench: applying Python's messages failed", e);
  }));
  const apply = async (messages) => {
    const model = window.harness.model;
    for (const m of messages) {
      if (m.method === "update") {
        // ipywidgets' put_buffers, then the change events (as the harness does for Python changes)
        const state = m.state;
        for (let i = 0; i < m.paths.length; i++) {
          const path = m.paths[i];
          let obj = state;
          for (const key of path.slice(0, -1)) obj = obj[key];
          obj[path[path.length - 1]] = await toDataView(m.buffers[i]);
        }
        for (const [k, v] of Object.entries(state)) {
          if (typeof model.pySet === "function") model.pySet(k, v);
          else { model.attrs[k] = v; model.trigger(`change:${k}`, v); model.trigger("change"); }
        }
      } else if (m.method === "custom") {
        const buffers = await Promise.all(m.buffers.map(toDataView));
        for (const h of [...(model.handlers["msg:custom"] ?? [])]) h.cb.call(h.ctx, m.content, buffers);
      }
    }
  };
  /** Browser -> kernel: save_changes (state) and send (custom message), each answered with the
   *  kernel's messages, which are then applied. */
  bench.installComm = () => {
    patch(window.__benchMockModel.prototype);
    const mount = window.harness.mount;
    window.harness.mount = function (...args) { bench.mountAt = now(); return mount.apply(this, args); };
  };
  // JupyterLab hands widgets each buffer as a DataView over an ArrayBuffer of its own (byteOffset 0);
  // the harness deliberately uses offset views (corral copes; jupyter-scatter reads view.buffer
  // from 0 and would draw garbage), so buffers are re-based here, for every peer alike.
  const ownBuffers = (v) => {
    if (v instanceof DataView) {
      return v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? v
        : new DataView(v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength));
    }
    if (Array.isArray(v)) {
      let out = null;
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === null || typeof x !== "object") continue;
        const y = ownBuffers(x);
        if (y !== x) { out ??= v.slice(); out[i] = y; }
      }
      return out ?? v;
    }
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      let out = null;
      for (const [k, x] of Object.entries(v)) {
        const y = ownBuffers(x);
        if (y !== x) { out ??= { ...v }; out[k] = y; }
      }
      return out ?? v;
    }
    return v;
  };
  const patch = (proto) => {
    if (proto.__benchPatched) return;
    proto.__benchPatched = true;
    const get = proto.get;
    proto.get = function (name) {
      const v = get.call(this, name);
      const w = ownBuffers(v);
      if (w !== v) this.attrs[name] = w;
      return w;
    };
    proto.save_changes = function () {
      const calledAt = now();
      const pending = this.pending; this.pending = {};
      const { state, paths, buffers } = removeBuffers(pending);
      bench.lastRpc = window.__benchSave({ state, paths, buffers, calledAt })
        .then((msgs) => bench.deliver(msgs))
        .catch((e) => { bench.errors.push(String(e)); console.error("bench save failed", e); });
    };
    proto.send = function (content, callbacks, buffers) {
      const payload = { content, buffers: (buffers ?? []).map(toBase64) };
      bench.lastRpc = window.__benchMsg(payload)
        .then((msgs) => bench.deliver(msgs))
        .catch((e) => { bench.errors.push(String(e)); console.error("bench send failed", e); });
      return bench.lastRpc;
    };
  };
  /** Python-side action standing for a notebook cell (jupyter-scatter's recolour): same channel. */
  bench.call = (name, args) => {
    bench.lastRpc = window.__benchCall({ name, args })
      .then((msgs) => bench.deliver(msgs))
      .catch((e) => { bench.errors.push(String(e)); console.error("bench call failed", e); });
    return bench.lastRpc;
  };
  /** After `rpc` (the browser -> Python request of a gesture) has been answered and its reply
   *  applied: the regl draw() calls it caused (issued since `mark`) and when they reached the canvas. */
  bench.settleDraws = async (mark, t0, rpc) => {
    await rpc;
    const applied = now(); // the kernel's reply has been applied to the model
    await tick(); // queued microtasks / promise chains of the widget have run
    // A widget may call draw() a few frames later (corral lets its new colours land first, so
    // the points are drawn once, not twice): wait up to 3 animation frames for it.
    for (let f = 0; f < 3 && bench.draws.length === mark; f++) await raf();
    const recs = bench.draws.slice(mark);
    if (!recs.length) return { t0, error: "no redraw after the change" };
    await Promise.all(recs.map((r) => r.promise));
    const failed = recs.find((r) => r.error);
    const drawn = Math.max(...recs.map((r) => r.done ?? 0));
    await raf();
    return { t0, drawn, frame: now(), draws: recs.length, error: failed ? failed.error : null,
             phases: { applied: applied - t0, draw_called: recs[0].at - t0, drawn: drawn - t0 } };
  };
})();
"""


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


class AnywidgetPage:
    """One harness page holding one widget, with its comm routed through Python.

    Browser -> kernel: the mock model's ``save_changes`` -> ``widget.set_state`` (ipywidgets'
    buffers put back first), ``send`` -> ``widget._handle_custom_msg``; the kernel's messages
    captured while handling either go back as the reply and are applied in the page.
    """

    def __init__(self, browser, server: StaticServer, css: bool = False) -> None:
        self.server = server
        self.page = new_page(browser)
        self.widget = None
        self.comm: CaptureComm | None = None
        self.saves: list[dict] = []  # {at (Python ms), names}
        self.calls: dict = {}
        page = self.page
        page.expose_function("__benchSave", self._save)
        page.expose_function("__benchMsg", self._msg)
        page.expose_function("__benchCall", self._call)
        page.goto(f"{server.url}/harness.html")
        page.wait_for_function("window.harnessReady === true")
        page.evaluate("() => window.__bench.installComm()")
        if css:
            page.add_style_tag(url=f"{server.url}/widget.css")

    # kernel side ------------------------------------------------------------------------------
    def _reply(self) -> list[dict]:
        return messages_to_wire(self.server, self.comm.take()) if self.comm is not None else []

    def _save(self, payload: dict) -> list[dict]:
        received = now_ms()
        state = payload.get("state") or {}
        buffers = [memoryview(base64.b64decode(b)) for b in payload.get("buffers") or []]
        _put_buffers(state, payload.get("paths") or [], buffers)
        self.widget.set_state(state)
        self.saves.append({"at": now_ms(), "received": received, "called": payload.get("calledAt"),
                           "names": sorted(state)})
        return self._reply()

    def _msg(self, payload: dict) -> list[dict]:
        buffers = [memoryview(base64.b64decode(b)) for b in payload.get("buffers") or []]
        self.widget._handle_custom_msg(payload.get("content"), buffers)
        return self._reply()

    def _call(self, payload: dict) -> list[dict]:
        self.calls[payload["name"]](**(payload.get("args") or {}))
        return self._reply()

    # display ----------------------------------------------------------------------------------
    def mount(self, make_widget, timeout_s: float) -> dict:
        """Create the widget (``make_widget()``, as the notebook cell would), ship its comm_open
        state into the page, render; returns the first-frame stamps on the page's clock."""
        offset = clock_offset(self.page)
        t0 = now_ms()
        with capture_comms():
            widget = make_widget()
        self.widget = widget
        self.comm = widget.comm
        payload = open_payload(self.server, self.comm)
        t_sent = now_ms()
        self.page.evaluate("p => window.harness.mount(p)", payload)
        early = messages_to_wire(self.server, self.comm.take())  # sent while the widget was built
        if early:
            self.page.evaluate("m => window.__bench.deliver(m)", early)
        wait_for(self.page, lambda: self.page.evaluate("window.__bench.readyFrameAt"), timeout_s, "the first frame",
                 step_ms=20)
        stamps = self.page.evaluate("({ready: __bench.readyAt, frame: __bench.readyFrameAt, mount: __bench.mountAt})")
        return {"t0": t0 + offset, "sent": t_sent + offset, "mount": stamps["mount"], "ready": stamps["ready"],
                "frame": stamps["frame"]}

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.page.context.close()
        for f in self.server.dir.glob("buffer-*.bin"):  # big buffers shipped to this page
            f.unlink(missing_ok=True)


# -- bokeh server ------------------------------------------------------------------------------------
class BokehServer:
    """A Bokeh server on loopback in a thread of its own: ``/app`` runs ``make_doc(doc)`` per session,
    ``/harness`` is an empty page with BokehJS inline (loaded before anything is timed)."""

    def __init__(self, make_doc) -> None:
        from bokeh.application import Application
        from bokeh.application.handlers.function import FunctionHandler
        from bokeh.resources import Resources
        from bokeh.server.server import Server
        from tornado.ioloop import IOLoop
        from tornado.web import RequestHandler

        resources = Resources(mode="inline", components=["bokeh", "bokeh-gl", "bokeh-widgets"])
        html = ("<!doctype html><html><head><meta charset='utf-8'><link rel='icon' href='data:,'>"
                + resources.render_js() + resources.render_css()
                + "<style>body{margin:16px;background:#fff}</style></head><body></body></html>")

        class Harness(RequestHandler):
            def get(self):
                self.set_header("Content-Type", "text/html")
                self.write(html)

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        started = threading.Event()
        failure: list[BaseException] = []

        def serve():
            import asyncio

            asyncio.set_event_loop(asyncio.new_event_loop())
            try:
                self.loop = IOLoop.current()
                self.server = Server(
                    {"/app": Application(FunctionHandler(make_doc))}, io_loop=self.loop, port=self.port,
                    address="127.0.0.1", allow_websocket_origin=[f"127.0.0.1:{self.port}"],
                    websocket_max_message_size=1 << 30, extra_patterns=[(r"/harness", Harness)],
                    unused_session_lifetime_milliseconds=5_000, check_unused_sessions_milliseconds=5_000,
                )
                self.server.start()
            except BaseException as e:  # noqa: BLE001
                failure.append(e)
                started.set()
                return
            started.set()
            self.loop.start()

        self.thread = threading.Thread(target=serve, name="bench-bokeh", daemon=True)
        self.thread.start()
        started.wait(30)
        if failure:
            raise failure[0]

    def close(self) -> None:
        def stop():
            self.server.stop()
            self.loop.stop()

        self.loop.add_callback(stop)
        self.thread.join(timeout=10)
