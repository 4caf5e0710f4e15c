"""The part of the corral and jupyter-scatter peers they share: an anywidget on regl-scatterplot in
the harness page (first frame, lasso), measured the same way for both."""

from __future__ import annotations

from pathlib import Path

import _browser as B
import numpy as np
from _anywidget_page import AnywidgetPage
from _static_server import harness_server
from _widget_extra import memory
from _widget_scene import CENTERS, TIMEOUTS, drag, lasso_polygon


class ReglPeer:
    """An anywidget built on regl-scatterplot (corral, jupyter-scatter) in the harness page."""

    name = ""
    modifier: str | None = None
    bundle: Path
    css: Path | None = None

    def __init__(self, browser, shared: dict) -> None:
        self.browser = browser
        self.shared = shared  # {"canvas": (w, h)}: corral's map size, given to the peers
        self.server = harness_server(self.bundle, self.css)
        self.view: AnywidgetPage | None = None

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
        self.view = AnywidgetPage(self.browser, self.server, css=self.css is not None)
        s = self.view.mount(self.make_widget, TIMEOUTS["first_frame"])
        self.after_mount()
        canvas = self.view.page.evaluate(
            "() => { const r = window.__bench.scatterplots[0].get('canvas').getBoundingClientRect();"
            " return [Math.round(r.width), Math.round(r.height)]; }")
        return {"ms": s["ready"] - s["t0"], "frame_ms": s["frame"] - s["t0"], "canvas": canvas,
                "phases": {"python": s["sent"] - s["t0"], "mount_called": s["mount"] - s["t0"]},
                "memory": memory(self.view.page)}

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
