"""A map above one message's worth of points in a real JupyterLab (and Notebook 7): every websocket
frame stays under the hosts' 8 MiB budget while 600,000 points (9.6 MB of arrays, more than the
419,430 that fitted in one message before chunking) are drawn, lassoed, labeled, shown in a
second view and undone.
"""

from __future__ import annotations

import json
import math

import pytest
from corral_lab import MAP, READY_MAP, check_page_errors, lasso, legend_counts, open_notebook, run_cell, wait_for

pytestmark = pytest.mark.e2e

N = 600_000
BUDGET = 8 * 1024 * 1024  # corral.map.protocol.MESSAGE_BUDGET
EMPTY = {"cells": [], "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
         "nbformat": 4, "nbformat_minor": 5}
SETUP = f"""
import numpy as np, corral
rng = np.random.default_rng(0)
n = {N}
side = np.arange(n) % 2  # two round clusters, far apart: point i is in cluster i % 2
coords = rng.normal(scale=1.0, size=(n, 2)).clip(-4, 4) + np.c_[np.where(side == 0, -10.0, 10.0), np.zeros(n)]
lab = corral.Labeler([f"text {{i}}" for i in range(n)], coords=coords, embedder=corral.HashingEmbedder())
lab.show()
"""


def _frames(page) -> list[tuple[str, int]]:
    """Record the size of every websocket frame of the page (both ways) from now on."""
    frames: list[tuple[str, int]] = []

    def size(payload) -> int:
        return len(payload) if isinstance(payload, (bytes, bytearray)) else len(payload.encode("utf-8"))

    def on_socket(ws):
        ws.on("framereceived", lambda payload: frames.append((ws.url, size(payload))))
        ws.on("framesent", lambda payload: frames.append((ws.url, size(payload))))

    page.on("websocket", on_socket)
    return frames


def _circle(page, index: int, center, radius_data: float, vertices: int = 24):
    """A lasso path (page px) round a circle given in data coordinates on map ``index``."""
    return page.evaluate(
        """([index, c, r, k]) => {
            const el = document.querySelectorAll(%r)[index].parentElement;
            const box = el.__corral.canvas.getBoundingClientRect();
            const pts = [];
            for (let i = 0; i < k + 2; i++) {
              const a = 2 * Math.PI * i / k;
              const [x, y] = el.__corral.dataToScreen([c[0] + r * Math.cos(a), c[1] + r * Math.sin(a)]);
              pts.push([box.left + x, box.top + y]);
            }
            return pts; }""" % READY_MAP,
        [index, list(center), radius_data, vertices],
    )


@pytest.mark.timeout(900)
def test_a_map_of_600k_points_never_sends_a_frame_over_the_budget(lab_page_factory, jupyter_server, tmp_path):
    page = lab_page_factory()
    frames = _frames(page)
    notebook = tmp_path / "large.ipynb"
    notebook.write_text(json.dumps(EMPTY))
    folder = jupyter_server.folder("large", notebook)
    open_notebook(page, jupyter_server, f"{folder}/large.ipynb")
    run_cell(page, SETUP, timeout=300)
    wait_for(page, f"document.querySelectorAll({READY_MAP!r}).length === 1", timeout=240, what="the 600k-point map")
    page.locator(READY_MAP).first.scroll_into_view_if_needed()
    shown = page.evaluate("() => document.querySelector(%r).parentElement.__corral.arrays()" % READY_MAP)
    assert shown["points"] == N and shown["loaded"]
    assert legend_counts(page) == {"unlabeled": N}

    # Lasso the left cluster (every other point): 300,000 indices back to Python.
    lasso(page, _circle(page, 0, (-10.0, 0.0), 7.0))
    wait_for(page, "document.querySelector(%r).querySelector('.corral-selected').textContent === '300,000 selected'"
             % READY_MAP, timeout=120, what="300,000 selected", poll_ms=200)
    out = run_cell(page, "print(len(lab.selection), bool((lab.selection % 2 == 0).all()))", timeout=120)
    assert out.split() == ["300000", "True"]

    # Label them with the label bar: the codes come back as a patch (not 2.4 MB of all codes).
    field = page.locator(READY_MAP).first.locator(".corral-new-label")
    field.fill("left")
    field.press("Enter")
    wait_for(page, "(() => { const m = document.querySelector(%r); return [...m.querySelectorAll('.corral-legend-row')]"
             ".some(r => r.textContent.includes('left') && r.textContent.includes('300,000')); })()" % READY_MAP,
             timeout=120, what="the legend to count 300,000 'left'", poll_ms=200)

    # A second view of the same widget gets the whole map and its labels.
    run_cell(page, "w = lab._views.widgets[0]\nw", timeout=120)
    wait_for(page, f"document.querySelectorAll({READY_MAP!r}).length === 2", timeout=240, what="the second view")
    assert legend_counts(page, 1) == {"left": 300_000, "unlabeled": 300_000}

    # Undo from Python: both views recolour.
    run_cell(page, "lab.undo()", timeout=120)
    for index in (0, 1):
        wait_for(page, "i => (document.querySelectorAll(%r)[i].querySelector('.corral-legend').textContent || '')"
                 ".includes('600,000')" % MAP, index, timeout=120, what=f"view {index} to show 600,000 unlabeled")
    check_page_errors(page)

    kernel = [size for url, size in frames if "/channels" in url]
    assert kernel, "no kernel websocket frame was seen"
    big = [size for size in kernel if size > 1024 * 1024]
    assert len(big) >= 4, f"the arrays did not come in frames: {sorted(kernel)[-5:]}"  # 9.6 MB, twice (two views)
    assert max(kernel) <= BUDGET, f"a frame of {max(kernel) / 2**20:.1f} MiB (budget 8 MiB)"
    print(f"{len(kernel)} kernel frames, largest {max(kernel) / 2**20:.2f} MiB, {len(big)} over 1 MiB")
