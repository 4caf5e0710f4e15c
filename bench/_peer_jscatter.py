"""jupyter-scatter in the widget bench: its lasso, then a new label column and scatter.color(by=...),
as a user runs it in a cell."""

from __future__ import annotations

from pathlib import Path

import _browser as B
import numpy as np
from _peer_regl import ReglPeer
from _widget_scene import DEFAULT_CANVAS, Failure, point_size


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
