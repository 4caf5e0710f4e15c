"""Bokeh in the widget bench: a server app with a WebGL scatter, LassoSelectTool(continuous=False),
a Python on_change callback and a Button that labels the selection."""

from __future__ import annotations

import _browser as B
import numpy as np
from _bokeh_server import BokehServer
from _widget_scene import CENTERS, DEFAULT_CANVAS, TIMEOUTS, drag, lasso_polygon, point_size

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
        self.server = BokehServer(self._app)
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
