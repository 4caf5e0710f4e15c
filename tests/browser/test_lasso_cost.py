"""A lasso in progress costs nothing that grows with the number of points (harness tier, 300k and 10.2M points).

Every WebGL draw call the page makes is counted (the context's draw functions are wrapped before
the widget loads), so the test sees what the GPU is asked to do, not what the widget says it does:
from the press through a 20-move lasso no draw covers all the points (the path is an SVG overlay), the
mouse-up draws the points again, and the selection is exactly the lassoed cluster.
"""

from __future__ import annotations

import numpy as np
from corral_harness import mount, wait_until

import corral

PER = 100_000  # three clusters: 300k points

COUNT_DRAWS = """
(() => {
  window.__glDraws = [];
  const wrap = (proto, name, countArg) => {
    const f = proto && proto[name];
    if (!f) return;
    proto[name] = function (...args) {
      window.__glDraws.push(args[countArg]);
      return f.apply(this, args);
    };
  };
  for (const proto of [globalThis.WebGLRenderingContext?.prototype, globalThis.WebGL2RenderingContext?.prototype]) {
    wrap(proto, "drawArrays", 2);
    wrap(proto, "drawElements", 1);
    wrap(proto, "drawArraysInstanced", 2);
    wrap(proto, "drawElementsInstanced", 1);
  }
  const ext = WebGLRenderingContext.prototype.getExtension;
  WebGLRenderingContext.prototype.getExtension = function (name) {
    const e = ext.call(this, name);
    if (e && name === "ANGLE_instanced_arrays" && !e.__counted) {
      e.__counted = true;
      const a = e.drawArraysInstancedANGLE.bind(e), b = e.drawElementsInstancedANGLE.bind(e);
      e.drawArraysInstancedANGLE = (...args) => (window.__glDraws.push(args[2] * args[3]), a(...args));
      e.drawElementsInstancedANGLE = (...args) => (window.__glDraws.push(args[1] * args[4]), b(...args));
    }
    return e;
  };
})();
"""


def full_draws(page, n: int, since: int = 0) -> int:
    """WebGL draw calls since call number ``since`` that drew at least ``n`` vertices."""
    return page.evaluate("([n, since]) => window.__glDraws.slice(since).filter(c => c >= n).length", [n, since])


def lasso_cost(page_factory, per: int, timeout_s: float) -> None:
    """Three clusters of ``per`` points; a 20-move lasso round the third: no full draw until mouse-up."""
    page = page_factory()
    page.add_init_script(COUNT_DRAWS)
    page.reload()
    page.wait_for_function("window.harnessReady === true")
    rng = np.random.default_rng(0)
    centers = np.array([[0.0, 0.0], [10.0, 0.0], [5.0, 9.0]])
    truth = np.repeat(np.arange(3), per)
    noise = rng.standard_normal(size=(len(truth), 2), dtype=np.float32).clip(-4, 4) * 0.5  # within 2 of the centre
    coords = (centers[truth] + noise).astype(np.float32)
    n = len(truth)
    lab = corral.Labeler([f"text {i}" for i in range(n)], coords=coords, embedder=corral.HashingEmbedder())
    mount(page, lab.show(), timeout=timeout_s * 1000)
    assert full_draws(page, n) >= 1, "the instrumentation sees the points being drawn"

    # A circle of radius 3.5 round the third cluster: all of its points, none of the others (>= 8 away).
    path = page.evaluate(
        """() => { const h = document.getElementById('mount').__corral, box = h.canvas.getBoundingClientRect();
            return Array.from({length: 21}, (_, k) => {
              const a = 2 * Math.PI * k / 20, [x, y] = h.dataToScreen([5 + 3.5 * Math.cos(a), 9 + 3.5 * Math.sin(a)]);
              return [box.left + x, box.top + y]; }); }""")
    page.mouse.move(*path[0])
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # hover frame
    before = page.evaluate("window.__glDraws.length")
    page.keyboard.down("Shift")
    page.mouse.down()
    for x, y in path[1:]:
        page.mouse.move(x, y)
        page.wait_for_timeout(10)
    # Let any frame the moves asked for happen (two animation frames), then look.
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    assert full_draws(page, n, before) == 0
    vertices = page.evaluate(
        "document.querySelector('#mount .corral-lasso-path polygon').getAttribute('points').trim().split(' ').length"
    )
    assert vertices >= 15, "the path in progress is drawn on the overlay"
    assert page.evaluate("getComputedStyle(document.querySelector('#mount .corral-lasso-path')).display") != "none"

    page.mouse.up()
    page.keyboard.up("Shift")
    want = np.arange(2 * per, 3 * per)
    wait_until(page, lambda: np.array_equal(lab.selection, want), timeout=timeout_s, what="the lasso in Python")
    page.wait_for_function(f"window.__glDraws.slice({before}).some(c => c >= {n})", polling=50,
                           timeout=timeout_s * 1000)
    assert page.evaluate("getComputedStyle(document.querySelector('#mount .corral-lasso-path')).display") == "none"


def test_lasso_path_draws_no_points_until_mouse_up(page_factory):
    lasso_cost(page_factory, PER, timeout_s=120)


def test_at_10m_points_too(page_factory):
    """The same at 10.2M points (its arrays, 160 MB, reach the page in 4 MiB frames)."""
    lasso_cost(page_factory, 3_400_000, timeout_s=600)
