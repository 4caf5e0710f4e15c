"""Map widget benchmark: corral against the peers users pick today, same data, same browser.

For 10k, 100k and 1M points (5 Gaussian clusters, seed 0) it measures, in one headless Chromium
(software WebGL: SwiftShader, so compare the ratios, not the absolute times):

  first frame     display -> the first frame with the points drawn
  lasso           mouse-up of a lasso around one cluster -> Python holds exactly its indices
  label recolour  a label applied to that selection -> the page has redrawn in the new colours

for corral's map widget, jupyter-scatter (an anywidget on regl-scatterplot, like corral) and a Bokeh
server app (WebGL scatter, LassoSelectTool(continuous=False), a Python on_change callback and a
Button: what `bulk` does), and prints corral's medians as ratios to theirs (< 1: corral is faster).
How each clock starts and stops: METHOD below (also written into the JSON). Per-step times go to
stderr; every sample, with its phases, to the JSON (default bench/results/widget.json).

Usage: python bench/widget.py [--sizes 10000 100000 1000000] [--repeats 3] [--peers ...] [--out PATH]
Smoke run (< 2 minutes): python bench/widget.py --sizes 2000 --repeats 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import traceback
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _browser as B  # noqa: E402

METHOD = {
    "common": (
        "One headless Chromium (Debian's; WebGL on SwiftShader), one page per peer at a time, viewport "
        "1000x900. Every peer draws into a map of the size corral's map has (640x520 px with its side panel), "
        "with corral's point size for n, no axes. Data: 5 round Gaussian clusters (sigma 1, offsets clipped at "
        "4 sigma) plus 4 frame points in the corners, seed 0; cluster of point i = i % 5. An untimed warm-up "
        "round on 2,000 points per peer comes first. Page times: performance.timeOrigin + performance.now(); "
        "Python times: time.time(); their offset is measured per gesture by round trips (error ~1 ms). "
        "A widget's draw() call is awaited for up to 3 animation frames after the change is applied. "
        "'Drawn' = the renderer's own signal that the frame with the new points is on its canvas: for "
        "regl-scatterplot (corral, jupyter-scatter) its draw() promise (it resolves on the 'draw' event of that "
        "frame), for Bokeh the end of PlotView paint (repainted / Document idle). '+frame' columns stop one "
        "requestAnimationFrame later (the page is free to show the next frame). Each gesture starts on a "
        "settled page (an animation frame + a task after the previous one). Medians of --repeats; a gesture "
        "over 20 s is not repeated; a gesture that fails or passes its time limit is reported as such."
    ),
    "first_frame": {
        "corral": "starts in Python before Labeler.show() builds the MapWidget (which serialises its comm_open "
                  "state: get_state + _remove_buffers, as in Jupyter); that state goes into the harness page "
                  "(base64 in the call, or a loopback fetch above 1 MiB) and the bundle's render() runs on the "
                  "harness' mock model; stops at data-corral-ready=1 (set when its first draw() resolved).",
        "jupyter-scatter": "the same path: starts before jscatter.Scatter(...).widget is built; its comm_open "
                           "state into the same harness page, its bundle's render(); stops when its first "
                           "regl-scatterplot draw() resolves.",
        "bokeh": "starts when the page (BokehJS already loaded, as after output_notebook) inserts the server "
                 "app's autoload.js: includes the server building the document (figure + ColumnDataSource of "
                 "float32 x, y and int32 codes) and sending it over its websocket; stops at Document idle "
                 "(first paint done).",
    },
    "lasso": {
        "all": "the same octagon around one cluster (radius 5.5 sigma, through each peer's own data->screen "
               "mapping, read from the page) dragged with the real mouse, each move after the page handled "
               "the last; the clock starts at the page's pointerup (a capture listener on window, before any "
               "widget's handler) and stops in Python; the indices are checked equal to the cluster's.",
        "corral": "Shift+drag; stops when widget.set_state() returned with the selection trait set (and "
                  "Labeler.selection, checked equal).",
        "jupyter-scatter": "mouse_mode='lasso' (its toolbar's lasso tool), plain drag; stops when set_state() "
                           "returned with its selection trait set.",
        "bokeh": "LassoSelectTool(continuous=False) active, plain drag; stops when the Python "
                 "source.selected.on_change('indices') callback runs.",
    },
    "label": {
        "corral": "clicks the label bar's Add with a new label name typed (if this build has no label bar: "
                  "model.send({'kind': 'assign', 'label'}, buffers=[selection]) from page JS); the widget's "
                  "send() goes to widget._handle_custom_msg -> Labeler.assign, the codes/categories/colors "
                  "update and status Python sends back are applied in the page; stops when the redraw "
                  "(draw() call) it caused is drawn.",
        "jupyter-scatter": "page JS asks Python, over the same channel, to run what a user runs in a cell: a "
                           "new categorical column where the lassoed points get a new label, then "
                           "scatter.color(by=that column); its trait updates are applied in the page; stops "
                           "when the redraw they caused is drawn.",
        "bokeh": "page JS clicks a Bokeh Button whose Python on_click gives the selected points a new code "
                 "(source.data['code'] = a new int32 array; colour through a LinearColorMapper); stops at the "
                 "end of the first repaint after the new column reached the page.",
    },
    "transport": "corral and jupyter-scatter run in the tests' harness page (tests/browser/harness.html, plus "
                 "one line exporting its mock model class) with their comm routed through Playwright: "
                 "browser->Python messages (save_changes, send) as base64 arguments of an exposed function, "
                 "the kernel's messages (captured from the widget's comm) as its return value, buffers over "
                 "1 MiB fetched from a loopback server; buffers reach the widgets as JupyterLab hands them "
                 "(a DataView over an ArrayBuffer of its own); ipywidgets' echo_update is dropped. Bokeh uses "
                 "its own websocket. Loading the JS bundles / BokehJS is not timed for anyone.",
}

CENTERS = np.array([[-12.0, -6.0], [0.0, -6.0], [12.0, -6.0], [-6.0, 6.0], [6.0, 6.0]])
K = len(CENTERS)
CLIP = 4.0  # sigma: offsets beyond are pulled in, so a lasso of radius LASSO_R holds exactly one cluster
LASSO_R = 5.5
LASSO_VERTICES = 8  # the octagon's inner radius (5.08) still clears its cluster (4) and the next ones (8)
DEFAULT_CANVAS = (640, 520)  # map size when corral is not run (else corral's own map size is used)
SLOW_MS = 20_000  # a gesture slower than this is measured once, not repeated (keeps the run short)
TIMEOUTS = {"first_frame": 180.0, "lasso": 90.0, "label": 90.0}
PEERS = ("corral", "jupyter-scatter", "bokeh")
PEER_LABEL = {"corral": "corral", "jupyter-scatter": "jscatter", "bokeh": "bokeh"}
METRICS = (("first_frame", "first frame (display -> points drawn)"),
           ("lasso", "lasso -> Python (mouse-up -> selection in Python)"),
           ("label", "label -> recolour (apply -> redrawn)"))


FRAME = np.array([[-18.5, -12.5], [18.5, -12.5], [-18.5, 12.5], [18.5, 12.5]])  # corners: every lasso fits inside


def make_data(n: int, seed: int = 0):
    """n points: K round Gaussian clusters (sigma 1, offsets clipped at CLIP sigma), point i in
    cluster i % K (clusters interleave in index order, as real data does), except the last 4 points:
    the corners of a frame around them (cluster -1), so that every peer's fitted view leaves room
    for a lasso around an outer cluster."""
    rng = np.random.default_rng(seed)
    truth = np.arange(n) % K
    off = rng.normal(size=(n, 2))
    r = np.hypot(off[:, 0], off[:, 1])
    far = r > CLIP
    off[far] *= (CLIP / r[far])[:, None]
    coords = CENTERS[truth] + off
    coords[-len(FRAME):] = FRAME
    truth[-len(FRAME):] = -1
    return coords.astype(np.float32), truth


def point_size(n: int) -> float:
    """corral's base point size for n points (js/src/encoding.js pointSizeFor), given to every peer."""
    return 7 if n <= 2_000 else 5 if n <= 20_000 else 3 if n <= 100_000 else 2 if n <= 400_000 else 1.5


def lasso_polygon(data_xy: np.ndarray, screen_xy: np.ndarray, center, rect) -> list[tuple[float, float]]:
    """Screen polygon of a circle of radius LASSO_R around ``center`` (data units), through the affine
    map fitted on sample points, clamped inside ``rect`` (left, top, width, height)."""
    A = np.c_[data_xy, np.ones(len(data_xy))]
    coef, *_ = np.linalg.lstsq(A, screen_xy, rcond=None)
    resid = np.abs(A @ coef - screen_xy).max()
    if resid > 1.0:
        raise RuntimeError(f"the data->screen map is not affine (residual {resid:.1f} px)")
    t = np.linspace(0, 2 * np.pi, LASSO_VERTICES, endpoint=False)
    ring = np.c_[center[0] + LASSO_R * np.cos(t), center[1] + LASSO_R * np.sin(t)]
    pts = np.c_[ring, np.ones(len(ring))] @ coef
    left, top, w, h = rect
    pts[:, 0] = pts[:, 0].clip(left + 4, left + w - 4)
    pts[:, 1] = pts[:, 1].clip(top + 4, top + h - 4)
    return [tuple(map(float, p)) for p in pts] + [tuple(map(float, pts[0]))]


def drag(page, poly, modifier=None) -> None:
    """Press, move along ``poly`` (each move after the previous frame, so every vertex counts),
    release; the release is what the lasso clock starts on (the page stamps its pointerup)."""
    if modifier:
        page.keyboard.down(modifier)
    page.mouse.move(*poly[0])
    page.mouse.down()
    for x, y in poly[1:]:
        page.mouse.move(x, y)  # each move waits for the page (a frame per move at 1M points)
        page.wait_for_timeout(16)
    B.settle(page)  # the page has drawn the whole lasso: the release lands on an idle page
    page.evaluate("window.__bench.pointerUpAt = null")
    page.mouse.up()
    if modifier:
        page.keyboard.up(modifier)


class Failure(Exception):
    pass


# -- peers ------------------------------------------------------------------------------------------
class ReglPeer:
    """An anywidget built on regl-scatterplot (corral, jupyter-scatter) in the harness page."""

    name = ""
    modifier: str | None = None
    bundle: Path
    css: Path | None = None

    def __init__(self, browser, shared: dict) -> None:
        self.browser = browser
        self.shared = shared  # {"canvas": (w, h)}: corral's map size, given to the peers
        self.server = B.harness_server(self.bundle, self.css)
        self.view: B.AnywidgetPage | None = None

    def close(self) -> None:
        self.close_view()
        self.server.close()

    def close_view(self) -> None:
        if self.view is not None:
            self.view.close()
            self.view = None

    def errors(self) -> list[str]:
        return list(self.view.page.bench_errors) if self.view else []

    # per size
    def setup(self, coords, truth) -> None:
        self.coords, self.truth, self.n = coords, truth, len(coords)

    def make_widget(self):
        raise NotImplementedError

    def first_frame(self) -> dict:
        self.close_view()
        self.view = B.AnywidgetPage(self.browser, self.server, css=self.css is not None)
        s = self.view.mount(self.make_widget, TIMEOUTS["first_frame"])
        self.after_mount()
        canvas = self.view.page.evaluate(
            "() => { const r = window.__bench.scatterplots[0].get('canvas').getBoundingClientRect();"
            " return [Math.round(r.width), Math.round(r.height)]; }")
        return {"ms": s["ready"] - s["t0"], "frame_ms": s["frame"] - s["t0"], "canvas": canvas,
                "phases": {"python": s["sent"] - s["t0"], "mount_called": s["mount"] - s["t0"]}}

    def after_mount(self) -> None:
        pass

    def screen_samples(self, idx):
        return self.view.page.evaluate(
            """idx => { const sp = window.__bench.scatterplots[0]; const r = sp.get('canvas').getBoundingClientRect();
                return {rect: [r.left, r.top, r.width, r.height],
                        pts: idx.map(i => { const p = sp.getScreenPosition(i);
                                            return [p[0] + r.left, p[1] + r.top]; })}; }""",
            [int(i) for i in idx])

    def polygon(self, cluster: int):
        sample = np.random.default_rng(cluster).choice(self.n, size=min(self.n, 40), replace=False)
        got = self.screen_samples(sample)
        return lasso_polygon(self.coords[sample].astype(float), np.array(got["pts"]), CENTERS[cluster], got["rect"])

    def python_selection(self) -> np.ndarray:
        raise NotImplementedError

    def lasso(self, cluster: int) -> dict:
        page = self.view.page
        want = np.flatnonzero(self.truth == cluster)
        poly = self.polygon(cluster)
        offset = B.clock_offset(page)
        mark = len(self.view.saves)
        drag(page, poly, self.modifier)

        def arrived():
            for s in self.view.saves[mark:]:
                if "selection" in s["names"]:
                    return s
            return None

        save = B.wait_for(page, arrived, TIMEOUTS["lasso"], "the selection in Python")
        up = page.evaluate("window.__bench.pointerUpAt")
        got = self.python_selection()
        phases = {"widget": save["called"] - up, "to_python": save["received"] + offset - up,
                  "set_state": save["at"] + offset - up}
        return {"ms": save["at"] + offset - up, "selected": int(got.size), "expected": int(want.size),
                "exact": bool(np.array_equal(np.sort(got), want)), "phases": phases}


class CorralPeer(ReglPeer):
    name = "corral"
    modifier = "Shift"
    bundle = B.CORRAL_BUNDLE

    def setup(self, coords, truth) -> None:
        super().setup(coords, truth)
        import corral

        texts = [f"point {i}" for i in range(len(coords))]
        self.labeler = corral.Labeler(texts, coords=coords, embedder=corral.HashingEmbedder())

    def make_widget(self):
        views = self.labeler._views
        if views is not None:
            views.widgets.clear()  # earlier (closed) views of this Labeler get no more updates
        return self.labeler.show()

    def after_mount(self) -> None:
        self.view.page.evaluate(
            "() => window.__bench.watch(document.getElementById('mount').__corral.scatterplot)")

    def first_frame(self) -> dict:
        res = super().first_frame()
        self.shared["canvas"] = tuple(res["canvas"])
        return res

    def python_selection(self) -> np.ndarray:
        from corral import _protocol as P

        trait = P.decode_indices(self.view.widget.selection)
        lab = self.labeler.selection
        if not np.array_equal(trait, lab):
            raise Failure("widget.selection and Labeler.selection differ")
        return trait

    def label(self, cluster: int, r: int) -> dict:
        label = f"L{r}"
        B.settle(self.view.page)
        res = self.view.page.evaluate(
            """label => { const b = window.__bench, m = window.harness.model;
                const root = document.getElementById('mount');
                const field = root.querySelector('input.corral-new-label');
                const add = root.querySelector('button.corral-add');
                const mark = b.draws.length, before = b.lastRpc;
                let t0, via;
                if (field && add) {
                  // The label bar: a new label typed, then "Add" (applies it to the selection).
                  field.value = label;
                  via = 'label bar';
                  t0 = b.now();
                  add.click();
                  if (b.lastRpc === before) return {error: 'the label bar sent nothing'};
                } else {
                  // No label bar in this build: what it sends, through the model's send().
                  via = 'model.send';
                  t0 = b.now();
                  m.send({kind: 'assign', label}, undefined, [m.get('selection')]);
                }
                return b.settleDraws(mark, t0, b.lastRpc).then(r => ({...r, via})); }""", label)
        if res.get("error"):
            raise Failure(res["error"])
        labels = self.labeler.labels.to_numpy()
        ok = bool((labels[self.truth == cluster] == label).all())
        return {"ms": res["drawn"] - res["t0"], "frame_ms": res["frame"] - res["t0"], "draws": res["draws"],
                "phases": res["phases"], "via": res["via"], "exact": ok}


class JscatterPeer(ReglPeer):
    name = "jupyter-scatter"
    bundle = None  # set in __init__ (site-packages)

    def __init__(self, browser, shared: dict) -> None:
        import jscatter

        root = Path(jscatter.__file__).parent
        self.bundle, self.css = root / "bundle.js", root / "bundle.css"
        super().__init__(browser, shared)

    def setup(self, coords, truth) -> None:
        super().setup(coords, truth)
        import pandas as pd

        self.pd = pd
        self.codes = np.zeros(len(coords), dtype=np.int8)  # 0 = unlabeled
        self.categories = ["unlabeled"]
        self.df = pd.DataFrame({"x": coords[:, 0], "y": coords[:, 1],
                                "label": pd.Categorical.from_codes(self.codes, self.categories)})

    def make_widget(self):
        import jscatter

        w, h = self.shared.get("canvas", DEFAULT_CANVAS)
        self.scatter = jscatter.Scatter(data=self.df, x="x", y="y", color_by="label", size=point_size(self.n),
                                        width=w, height=h, axes=False, axes_grid=False, legend=False,
                                        mouse_mode="lasso")
        return self.scatter.widget

    def after_mount(self) -> None:
        self.view.calls["label"] = self._label

    def _label(self, label: str, column: str) -> None:
        """What a user runs in a cell: the selection gets a new label; colour by the new column."""
        sel = np.asarray(self.scatter.selection(), dtype=np.int64)
        if label not in self.categories:
            self.categories.append(label)
        self.codes[sel] = self.categories.index(label)
        self.df[column] = self.pd.Categorical.from_codes(self.codes, self.categories)
        self.scatter.color(by=column)

    def python_selection(self) -> np.ndarray:
        sel = self.view.widget.selection
        return np.asarray(sel if sel is not None else [], dtype=np.int64)

    def label(self, cluster: int, r: int) -> dict:
        label, column = f"L{r}", f"label_{r}"
        B.settle(self.view.page)
        res = self.view.page.evaluate(
            """([label, column]) => { const b = window.__bench;
                const mark = b.draws.length, t0 = b.now();
                const rpc = b.call('label', {label, column});
                return b.settleDraws(mark, t0, rpc); }""", [label, column])
        if res.get("error"):
            raise Failure(res["error"])
        z = np.asarray(self.view.widget.points)[:, 2]
        want_code = self.categories.index(label)
        ok = bool((z[self.truth == cluster] == want_code).all())
        return {"ms": res["drawn"] - res["t0"], "frame_ms": res["frame"] - res["t0"], "draws": res["draws"],
                "phases": res["phases"], "exact": ok}


# -- bokeh ------------------------------------------------------------------------------------------
BOKEH_PALETTE = ["#9e9e9e", "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
                 "#ff9da7", "#9c755f", "#17becf", "#1f3a93"]

BOKEH_HOOKS_JS = r"""
() => {
  const b = window.__bench;
  // Catch the document as BokehJS creates it (Document's constructor pushes it on Bokeh.documents).
  const docs = window.Bokeh.documents;
  const push = docs.push;
  docs.push = function (...ds) {
    // (pushed at the start of the constructor: its signals exist once the constructor returns)
    for (const d of ds) {
      queueMicrotask(() => {
        if (d.is_idle && d.roots().length) b.markReady(); else d.idle.connect(() => b.markReady());
      });
    }
    return push.apply(this, ds);
  };
  // Skip autoload.js' library loading: BokehJS is on the page already.
  window._bokeh_onload_callbacks = [];
  window._bokeh_is_loading = 0;
  b.bokeh = { paints: [], dataAt: null };
}
"""

BOKEH_AFTER_READY_JS = r"""
() => {
  const b = window.__bench, B = window.Bokeh;
  const doc = B.documents[B.documents.length - 1];
  const find = (pred) => B.index.query_one(pred);
  const pv = find((v) => v.model === doc.get_model_by_name('plot'));
  const bv = find((v) => v.model === doc.get_model_by_name('apply'));
  const source = doc.get_model_by_name('points');
  b.bokeh.plot = pv; b.bokeh.button = bv; b.bokeh.source = source;
  pv.repainted.connect(() => b.bokeh.paints.push(b.now()));
  source.properties.data.change.connect(() => { b.bokeh.dataAt = b.now(); });
  return true;
}
"""


class BokehPeer:
    name = "bokeh"

    def __init__(self, browser, shared: dict) -> None:
        self.browser = browser
        self.shared = shared
        self.state: dict = {}
        self.events: list = []  # (python ms, kind, payload)
        self.server = B.BokehServer(self._app)
        self.page = None

    def close(self) -> None:
        self.close_view()
        self.server.close()

    def close_view(self) -> None:
        if self.page is not None:
            try:
                self.page.context.close()
            except Exception:
                pass
            self.page = None

    def errors(self) -> list[str]:
        return list(self.page.bench_errors) if self.page else []

    def setup(self, coords, truth) -> None:
        self.coords, self.truth, self.n = coords, truth, len(coords)
        pad = 0.04
        lo, hi = coords.min(axis=0), coords.max(axis=0)
        span = hi - lo
        self.state = {"x": coords[:, 0].copy(), "y": coords[:, 1].copy(),
                      "x_range": (float(lo[0] - pad * span[0]), float(hi[0] + pad * span[0])),
                      "y_range": (float(lo[1] - pad * span[1]), float(hi[1] + pad * span[1])),
                      "size": point_size(len(coords)), "canvas": self.shared.get("canvas", DEFAULT_CANVAS)}

    # the server app (runs in the server's thread, one document per page load)
    def _app(self, doc) -> None:
        from bokeh.layouts import column
        from bokeh.models import Button, ColumnDataSource, LassoSelectTool, LinearColorMapper, Range1d
        from bokeh.plotting import figure

        st = self.state
        n = len(st["x"])
        source = ColumnDataSource({"x": st["x"], "y": st["y"], "code": np.full(n, -1, dtype=np.int32)},
                                  name="points")
        mapper = LinearColorMapper(palette=BOKEH_PALETTE, low=-1, high=len(BOKEH_PALETTE) - 1)
        lasso = LassoSelectTool(continuous=False)
        w, h = st["canvas"]
        p = figure(frame_width=w, frame_height=h, output_backend="webgl", tools=[lasso, "pan", "wheel_zoom", "reset"],
                   active_drag=lasso, x_range=Range1d(*st["x_range"]), y_range=Range1d(*st["y_range"]),
                   min_border=0, toolbar_location="above", name="plot")
        p.axis.visible = False
        p.grid.visible = False
        p.scatter("x", "y", source=source, size=st["size"], line_color=None,
                  fill_color={"field": "code", "transform": mapper})
        button = Button(label="apply label", name="apply")
        events = self.events
        label_state = {"next": 0}

        def selected(attr, old, new):
            events.append((B.now_ms(), "selection", np.asarray(new, dtype=np.int64)))

        def apply_label():
            t = B.now_ms()
            sel = np.asarray(source.selected.indices, dtype=np.int64)
            codes = np.array(source.data["code"], dtype=np.int32)  # a new column, as a user would
            codes[sel] = label_state["next"]
            label_state["next"] += 1
            source.data["code"] = codes
            events.append((t, "label", (sel, codes)))

        source.selected.on_change("indices", selected)
        button.on_click(apply_label)
        doc.add_root(column(button, p))

    def first_frame(self) -> float:
        self.close_view()
        self.events.clear()
        page = self.page = B.new_page(self.browser)
        page.goto(f"{self.server.url}/harness")
        page.wait_for_function("window.Bokeh !== undefined && window.Bokeh.documents !== undefined")
        page.evaluate(BOKEH_HOOKS_JS)
        t0 = page.evaluate(
            """url => { const b = window.__bench; const t0 = b.now();
                const s = document.createElement('script'); s.id = 'bokeh-root';
                s.src = `${url}/app/autoload.js?bokeh-autoload-element=bokeh-root&bokeh-app-path=/app`
                        + `&bokeh-absolute-url=${url}/app`;
                document.body.appendChild(s); return t0; }""", self.server.url)
        B.wait_for(page, lambda: page.evaluate("window.__bench.readyFrameAt"), TIMEOUTS["first_frame"],
                   "the first frame", step_ms=20)
        stamps = page.evaluate("({ready: __bench.readyAt, frame: __bench.readyFrameAt})")
        page.evaluate(BOKEH_AFTER_READY_JS)
        canvas = page.evaluate("() => { const b = window.__bench.bokeh.plot.frame.bbox; return [b.width, b.height]; }")
        return {"ms": stamps["ready"] - t0, "frame_ms": stamps["frame"] - t0, "canvas": canvas}

    def polygon(self, cluster: int):
        sample = np.random.default_rng(cluster).choice(self.n, size=min(self.n, 40), replace=False)
        got = self.page.evaluate(
            """pts => { const pv = window.__bench.bokeh.plot; const f = pv.frame;
                const r = pv.canvas_view.el.getBoundingClientRect();
                const bb = f.bbox;
                return {rect: [r.left + bb.left, r.top + bb.top, bb.width, bb.height],
                        pts: pts.map(([x, y]) => [r.left + f.x_scale.compute(x), r.top + f.y_scale.compute(y)])}; }""",
            self.coords[sample].astype(float).tolist())
        return lasso_polygon(self.coords[sample].astype(float), np.array(got["pts"]), CENTERS[cluster], got["rect"])

    def lasso(self, cluster: int) -> dict:
        page = self.page
        want = np.flatnonzero(self.truth == cluster)
        poly = self.polygon(cluster)
        offset = B.clock_offset(page)
        mark = len(self.events)
        drag(page, poly, None)

        def arrived():
            for e in self.events[mark:]:
                if e[1] == "selection" and len(e[2]):
                    return e
            return None

        ev = B.wait_for(page, arrived, TIMEOUTS["lasso"], "the selection in Python")
        up = page.evaluate("window.__bench.pointerUpAt")
        got = np.sort(ev[2])
        return {"ms": ev[0] + offset - up, "selected": int(got.size), "expected": int(want.size),
                "exact": bool(np.array_equal(got, want))}

    def label(self, cluster: int, r: int) -> dict:
        page = self.page
        B.settle(page)
        mark = len(self.events)
        res = page.evaluate(
            """() => new Promise((resolve) => { const b = window.__bench, k = b.bokeh;
                k.dataAt = null; const t0 = b.now();
                const conn = () => {
                  if (k.dataAt === null) return;
                  const drawn = b.now();
                  k.plot.repainted.disconnect(conn);
                  b.raf().then(() => resolve({t0, drawn, frame: b.now(), data: k.dataAt}));
                };
                k.plot.repainted.connect(conn);
                k.button.button_el.click(); })""")
        ev = [e for e in self.events[mark:] if e[1] == "label"]
        ok = bool(ev) and bool((ev[-1][2][1][self.truth == cluster] == r).all())
        return {"ms": res["drawn"] - res["t0"], "frame_ms": res["frame"] - res["t0"], "draws": 1,
                "phases": {"applied": res["data"] - res["t0"], "drawn": res["drawn"] - res["t0"]}, "exact": ok}


# -- the run ----------------------------------------------------------------------------------------
def median(xs):
    return statistics.median(xs) if xs else None


def measure_peer(peer, coords, truth, repeats: int, log) -> dict:
    """Every gesture of one peer at one size: ``repeats`` first frames (a new page each), then on
    the last page ``repeats`` times: lasso cluster r % K, label it. A gesture slower than SLOW_MS is
    not repeated (the time of the repeats done is reported, and the cut noted)."""
    n = len(coords)
    out = {m: {"samples": [], "frame_samples": [], "details": [], "failure": None, "note": None}
           for m, _ in METRICS}
    t_start = time.monotonic()
    peer.setup(coords, truth)
    log(f"    {peer.name} n={n:,}: set up in {time.monotonic() - t_start:.1f} s")

    def run(metric, fn):
        started = time.monotonic()
        try:
            res = fn()
        except Exception as e:  # noqa: BLE001 - a failing peer is a result, not a crash
            elapsed = time.monotonic() - started
            kind = "timeout" if isinstance(e, TimeoutError) else "failed"
            out[metric]["failure"] = f"{kind} after {elapsed:.1f} s: {str(e).splitlines()[0][:200]}"
            log(f"    {peer.name} n={n:,}: {metric} {out[metric]['failure']}")
            if not isinstance(e, (TimeoutError, Failure)):
                log(traceback.format_exc())
            return False
        out[metric]["samples"].append(res["ms"])
        if "frame_ms" in res:
            out[metric]["frame_samples"].append(res["frame_ms"])
        out[metric]["details"].append(res)
        log(f"    {peer.name} n={n:,}: {metric} {fmt_ms(res['ms'])} (step {time.monotonic() - started:.1f} s)")
        return True

    def slow(*metrics):
        cut = [m for m in metrics if out[m]["samples"] and out[m]["samples"][-1] > SLOW_MS]
        for m in cut:
            out[m]["note"] = f"not repeated: one took over {SLOW_MS / 1000:.0f} s"
        return bool(cut)

    for _ in range(repeats):
        if not run("first_frame", peer.first_frame) or slow("first_frame"):
            break
    if out["first_frame"]["failure"] is None:
        for r in range(repeats):
            cluster = r % K
            if not run("lasso", lambda: peer.lasso(cluster)):
                out["label"]["failure"] = out["label"]["failure"] or "not measured: the lasso failed"
                break
            if not run("label", lambda: peer.label(cluster, r)) or slow("lasso", "label"):
                break
    else:
        for m in ("lasso", "label"):
            out[m]["failure"] = "not measured: no first frame"
    out["page_errors"] = peer.errors()[:20]
    peer.close_view()
    out["wall_s"] = time.monotonic() - t_start
    for m, _ in METRICS:
        # A gesture that failed once counts as failed (a median of the repeats that passed would flatter).
        failed = out[m]["failure"] is not None
        out[m]["median_ms"] = None if failed else median(out[m]["samples"])
        out[m]["median_frame_ms"] = None if failed else median(out[m]["frame_samples"])
        out[m]["partial_median_ms"] = median(out[m]["samples"])
        out[m]["exact"] = all(d.get("exact", True) for d in out[m]["details"])
    return out


def warm_up(peer, log) -> None:
    """One untimed round on small data: browser shader caches, JIT of each bundle, Python imports."""
    coords, truth = make_data(2_000, seed=1)
    try:
        peer.setup(coords, truth)
        peer.first_frame()
        peer.lasso(0)
        peer.label(0, 0)
    except Exception as e:  # noqa: BLE001 - the timed rounds report failures
        log(f"  warm-up of {peer.name} failed: {e!r}"[:300])
    finally:
        peer.close_view()


def fmt_ms(v) -> str:
    return "—" if v is None else f"{v / 1000:.2f} s" if v >= 10_000 else f"{v:.0f} ms"


def ratio(corral: dict, peer: dict, key: str = "median_ms") -> str | None:
    """corral / peer; "win*" when the peer failed or timed out and corral did not."""
    if corral[key] is None:
        return None
    if peer[key] is not None:
        return f"{corral[key] / peer[key]:.2f}"
    return "win*" if peer["failure"] else None


def print_tables(rows: list[dict], peers: list[str]) -> None:
    others = [p for p in peers if p != "corral"] if "corral" in peers else []
    for metric, title in METRICS:
        print(f"\n{title}: median of repeats; ratio = corral / peer (< 1: corral faster)")
        head = f"{'n':>9} | " + " | ".join(f"{PEER_LABEL[p]:>10}" for p in peers)
        if others:
            head += " | " + " | ".join(f"{'vs ' + PEER_LABEL[p]:>11}" for p in others)
            head += " | " + " | ".join(f"{'+frame vs ' + PEER_LABEL[p][:2]:>13}" for p in others)
        print(head)
        print("-" * len(head))
        for row in rows:
            cells = []
            for p in peers:
                m = row["peers"][p][metric]
                text = ("failed" if m["failure"] else "—") if m["median_ms"] is None else fmt_ms(m["median_ms"])
                cells.append(f"{text + ('' if m['exact'] else '!'):>10}")
            line = f"{row['n']:>9,} | " + " | ".join(cells)
            if others:
                c = row["peers"]["corral"][metric]
                line += " | " + " | ".join(f"{ratio(c, row['peers'][p][metric]) or '—':>11}" for p in others)
                line += " | " + " | ".join(
                    f"{ratio(c, row['peers'][p][metric], 'median_frame_ms') or '—':>13}" for p in others)
            print(line)
        for row in rows:
            for p in peers:
                m = row["peers"][p][metric]
                for f in (m["failure"], m["note"]):
                    if f:
                        print(f"  {PEER_LABEL[p]} at n={row['n']:,}: {f}")
    if others:
        behind = [f"{title.split(' (')[0]} at n={row['n']:,} vs {PEER_LABEL[p]} ({r})"
                  for metric, title in METRICS for row in rows for p in others
                  if (r := row["ratios"][metric].get(p)) is not None and r != "win*" and float(r) >= 1]
        print("\ntarget (corral faster than every peer, every size, every gesture): "
              + ("met" if not behind else f"not met: {len(behind)} behind: " + "; ".join(behind)))
    print("\n'+frame': the same ratio with every clock stopped one requestAnimationFrame later."
          "\n'!': the selection / labels that reached Python were not exactly the lassoed cluster (see JSON)."
          "\n'win*': the peer failed or timed out there (see the lines under the table).")


def machine_info(browser) -> dict:
    page = B.new_page(browser)
    try:
        page.set_content("<canvas id=c></canvas>")
        gl = page.evaluate("""() => { const c = document.getElementById('c').getContext('webgl2');
            if (!c) return null; const e = c.getExtension('WEBGL_debug_renderer_info');
            return e ? c.getParameter(e.UNMASKED_RENDERER_WEBGL) : c.getParameter(c.RENDERER); }""")
    finally:
        page.context.close()
    import bokeh
    import jscatter

    return {"platform": platform.platform(), "machine": platform.machine(), "cores": os.cpu_count(),
            "load_average_at_start": os.getloadavg(),
            "python": platform.python_version(), "chromium": browser.version, "webgl_renderer": gl, "gpu": None,
            "bokeh": bokeh.__version__, "jupyter_scatter": getattr(jscatter, "__version__", "?")}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3, help="times each gesture is measured (median kept)")
    parser.add_argument("--peers", nargs="+", default=list(PEERS), choices=PEERS)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "widget.json")
    args = parser.parse_args(argv)
    peers = ["corral"] + [p for p in args.peers if p != "corral"] if "corral" in args.peers else args.peers

    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    rows = []
    with sync_playwright() as pw:
        browser = B.launch(pw)
        info = machine_info(browser)
        print(f"machine: {info['machine']}, {info['cores']} cores, no GPU; Chromium {info['chromium']} headless, "
              f"WebGL: {info['webgl_renderer']} (software: compare ratios, not absolute times)", flush=True)
        print(f"sizes {args.sizes}, {args.repeats} repeat(s) per gesture, peers: {', '.join(peers)}", flush=True)
        classes = {"corral": CorralPeer, "jupyter-scatter": JscatterPeer, "bokeh": BokehPeer}
        shared: dict = {}
        instances = {p: classes[p](browser, shared) for p in peers}
        try:
            for p in peers:
                log(f"  warm-up: {p} ...")
                warm_up(instances[p], log)
            for n in args.sizes:
                coords, truth = make_data(n)
                row = {"n": n, "peers": {}, "ratios": {}}
                for p in peers:
                    log(f"  n={n:,}: {p} ...")
                    row["peers"][p] = res = measure_peer(instances[p], coords, truth, args.repeats, log)
                    log(f"  n={n:,}: {p} done in {res['wall_s']:.0f} s: "
                        + ", ".join(f"{m} {fmt_ms(res[m]['median_ms'])}" for m, _ in METRICS))
                if "corral" in peers:
                    for m, _ in METRICS:
                        c = row["peers"]["corral"][m]
                        row["ratios"][m] = {p: ratio(c, row["peers"][p][m]) for p in peers if p != "corral"}
                        row["ratios"][m + "+frame"] = {p: ratio(c, row["peers"][p][m], "median_frame_ms")
                                                       for p in peers if p != "corral"}
                rows.append(row)
        finally:
            for inst in instances.values():
                try:
                    inst.close()
                except Exception:  # noqa: BLE001
                    pass
            browser.close()
    print_tables(rows, peers)
    wall = time.monotonic() - started
    info["load_average_at_end"] = os.getloadavg()
    print(f"\nwall time {wall:.0f} s; load average {info['load_average_at_start'][0]:.1f} at the start, "
          f"{info['load_average_at_end'][0]:.1f} at the end (on {info['cores']} cores: above that, other work "
          "shared the machine)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": info, "method": METHOD, "sizes": args.sizes, "repeats": args.repeats,
                                    "peers": peers, "wall_s": wall, "rows": rows}, indent=1, default=str))
    print(f"written to {args.out}")
    # Exit status: 1 when corral itself failed a gesture or got a wrong selection/labels (a peer failing
    # is a result, not an error).
    if "corral" in peers:
        bad = [f"n={row['n']}: {m}" for row in rows for m, _ in METRICS
               if row["peers"]["corral"][m]["failure"] or not row["peers"]["corral"][m]["exact"]]
        if bad:
            print("corral failed: " + ", ".join(bad), file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
