"""corral in the widget bench: a Labeler's map widget (Shift+lasso, the label bar's Add)."""

from __future__ import annotations

import _browser as B
import numpy as np
from _peer_regl import ReglPeer
from _widget_scene import Failure


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
        from corral.map import protocol as P

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
