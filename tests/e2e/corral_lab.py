"""Helpers of the real-JupyterLab tier (fixtures are in conftest.py).

Everything here drives a live JupyterLab page through ``window.jupyterapp`` (exposed by galata's
server configuration) and the map widget's test hook (``el.__corral``, see js/src/index.js):

* ``open_notebook(page, server, path)``: open in the server's host (JupyterLab: with ``?reset``;
  Notebook 7: /notebooks/<path>) and wait for a connected, idle kernel
* ``run_all(page)`` / ``cell_report(page)``: Run All, then every cell's execution count and outputs
* ``run_cell(page, code) -> str``: append a code cell, run it, return its text output
* ``map_positions(page)``: the map scrolled into view, every point's page position (stable)
* ``pick_cluster`` / ``lasso_path`` / ``lasso(page, points)``: draw a Shift + drag lasso around points
* ``lasso_cluster(page)``: all of the above: lasso the densest visible spot of the map
* ``selected_count(page)`` / ``legend_counts(page)`` / ``selected_points(page)``: what the widget shows
"""

from __future__ import annotations

import json
import math
import re
import time
import urllib.request
from dataclasses import dataclass

from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

REPO = Path(__file__).resolve().parents[2]
QUICKSTART = REPO / "notebooks" / "quickstart.ipynb"
MAP = ".jp-OutputArea-output .corral-map"
READY_MAP = MAP + '[data-corral-ready="1"]'
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


class CellError(AssertionError):
    """A cell run by the test raised in the kernel."""


# -- the page ----------------------------------------------------------------------------------

def check_page_errors(page) -> None:
    """Fail now if the page reported an error (collected by the page fixture)."""
    errors = getattr(page, "corral_errors", None)
    if errors:
        found = list(errors)
        errors.clear()  # reported here, not again by the page fixture
        raise AssertionError("errors in the page:\n" + "\n".join(found))


def wait_for(page, predicate_js: str, arg=None, *, timeout: float, what: str, poll_ms: int = 250):
    """Poll a JS predicate until it returns something truthy (and return that). Fails early on page
    errors. Polls from Python on a timer: software-GL frames make rAF-based waits slow."""
    deadline = time.monotonic() + timeout
    while True:
        check_page_errors(page)
        value = page.evaluate(predicate_js, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        page.wait_for_timeout(poll_ms)


# The notebook panel that is the current widget of the Lab shell, when it holds `path`.
_PANEL_JS = """
    const app = window.jupyterapp;
    const panel = app && app.shell && app.shell.currentWidget;
    const ok = panel && panel.context && panel.context.path === path && panel.content && panel.content.model;
"""


def open_notebook(page, server, path: str, *, timeout: float = 90) -> None:
    """Open ``path`` (relative to the server's root) in the server's host (``server.notebook_url``)
    and wait until its kernel is really usable: the toolbar's "idle" shows before the kernel's
    websocket is connected, and Run All then silently does nothing. Both hosts expose the same
    ``window.jupyterapp`` (galata's configuration), whose shell's current widget is the notebook."""
    page.goto(server.notebook_url(path))
    wait_for(
        page,
        "path => {" + _PANEL_JS + """
            if (!ok || !panel.context.isReady) return false;
            const session = panel.sessionContext && panel.sessionContext.session;
            const kernel = session && session.kernel;
            return !!kernel && kernel.connectionStatus === 'connected' && kernel.status === 'idle';
        }""",
        path,
        timeout=timeout,
        what=f"{path} to open with a connected, idle kernel",
    )


def run_all(page) -> None:
    """Start Run All on the current notebook (does not wait; see ``cell_report``)."""
    page.evaluate(
        """() => {
            window.__e2eRunAll = { done: false };
            window.jupyterapp.commands.execute('notebook:run-all-cells').then(
                ok => { window.__e2eRunAll = { done: true, ok }; },
                err => { window.__e2eRunAll = { done: true, ok: false, error: String(err) }; });
        }"""
    )


def cell_report(page) -> dict:
    """{runAll: {done, ok}, cells: [{index, type, count, outputs}]} of the current notebook."""
    return page.evaluate(
        """() => {
            const nb = window.jupyterapp.shell.currentWidget.content;
            const cells = [];
            for (let i = 0; i < nb.model.cells.length; i++) {
                const m = nb.model.cells.get(i);
                const code = m.type === 'code';
                cells.push({ index: i, type: m.type, count: code ? m.executionCount : null,
                             outputs: code ? m.outputs.toJSON() : [] });
            }
            return { runAll: window.__e2eRunAll || null, cells };
        }"""
    )


def output_text(outputs: list[dict]) -> str:
    """The text a person reads in a cell's output area (streams, text/plain results, errors)."""
    parts = []
    for out in outputs:
        kind = out.get("output_type")
        if kind == "stream":
            text = out.get("text", "")
            parts.append("".join(text) if isinstance(text, list) else text)
        elif kind in ("execute_result", "display_data"):
            text = out.get("data", {}).get("text/plain", "")
            parts.append(("".join(text) if isinstance(text, list) else text) + "\n")
        elif kind == "error":
            parts.append(f"{out.get('ename')}: {out.get('evalue')}\n")
    return "".join(parts)


def error_outputs(cells: list[dict]) -> list[str]:
    """Each error output of the cells, as 'cell i: traceback' (ANSI colours removed)."""
    found = []
    for cell in cells:
        for out in cell["outputs"]:
            if out.get("output_type") == "error":
                tb = ANSI.sub("", "\n".join(out.get("traceback") or [f"{out.get('ename')}: {out.get('evalue')}"]))
                found.append(f"cell {cell['index']}:\n{tb}")
    return found


def run_cell(page, code: str, *, timeout: float = 60) -> str:
    """Append a code cell holding ``code`` to the current notebook, run it (as the Run button does)
    and return its text output. Raises CellError if it raised in the kernel."""
    result = page.evaluate(
        """async ([code, timeoutMs]) => {
            const app = window.jupyterapp;
            const nb = app.shell.currentWidget.content;
            const index = nb.model.cells.length;
            nb.model.sharedModel.insertCell(index, { cell_type: 'code', source: code });
            nb.activeCellIndex = index;
            nb.deselectAll();  // run this cell only, whatever was selected before
            const cell = nb.widgets[index];
            const timedOut = new Promise(resolve => setTimeout(() => resolve('timeout'), timeoutMs));
            const ok = await Promise.race([app.commands.execute('notebook:run-cell'), timedOut]);
            return { ok, index, count: cell.model.executionCount, outputs: cell.model.outputs.toJSON() };
        }""",
        [code, int(timeout * 1000)],
    )
    if result["ok"] == "timeout":
        raise AssertionError(f"cell {result['index']} did not finish within {timeout:.0f} s:\n{code}")
    errors = error_outputs([{"index": result["index"], "outputs": result["outputs"]}])
    if errors:
        raise CellError(f"running\n{code}\nraised:\n" + "\n".join(errors))
    if result["count"] is None:
        raise AssertionError(f"cell {result['index']} was not executed:\n{code}")
    return output_text(result["outputs"])


def delete_sessions(base_url: str) -> None:
    """Shut down every kernel session of the server (each open notebook keeps its own kernel)."""
    with urllib.request.urlopen(f"{base_url}/api/sessions", timeout=10) as resp:
        sessions = json.load(resp)
    for session in sessions:
        req = urllib.request.Request(f"{base_url}/api/sessions/{session['id']}", method="DELETE")
        urllib.request.urlopen(req, timeout=30).close()


# -- the map widget ------------------------------------------------------------------------------

# JS: the anywidget element of the `index`-th drawn map (its root .corral-map is the element's child;
# the element carries the test hook `__corral`).
_MAP_EL_JS = f"const el = document.querySelectorAll({READY_MAP!r})[index].parentElement;"


def screen_positions(page, index: int = 0) -> tuple[np.ndarray, dict]:
    """(n x 2 page positions of every point, NaN where not drawn; the visible canvas box) of the
    ``index``-th map in the page. The box is the canvas clipped to the notebook's scroll area."""
    data = page.evaluate(
        """index => {
            """ + _MAP_EL_JS + """
            const hook = el.__corral;
            const r = hook.canvas.getBoundingClientRect();
            const n = hook.scatterplot.get('points').length;
            const xy = new Array(n);
            for (let i = 0; i < n; i++) {
                const p = hook.toScreen(i);
                xy[i] = p ? [r.left + p[0], r.top + p[1]] : [NaN, NaN];
            }
            const area = el.closest('.jp-Notebook') || document.documentElement;
            const a = area.getBoundingClientRect();
            const box = { left: Math.max(r.left, a.left, 0), top: Math.max(r.top, a.top, 0),
                          right: Math.min(r.right, a.right, window.innerWidth),
                          bottom: Math.min(r.bottom, a.bottom, window.innerHeight) };
            return { xy: JSON.stringify(xy), box };
        }""",
        index,
    )
    # JSON.stringify turns NaN into null; numpy reads None as NaN in a float array.
    xy = np.array(json.loads(data["xy"]), dtype=float).reshape(-1, 2)
    return xy, data["box"]


def map_positions(page, index: int = 0, *, timeout: float = 20) -> tuple[np.ndarray, dict]:
    """Scroll the map into view and return ``screen_positions`` once they stop moving (the notebook
    scroll, a resize refit and the PCA -> UMAP transition all move points)."""
    page.evaluate(
        "index => {" + _MAP_EL_JS + " el.querySelector('.corral-canvas-wrap').scrollIntoView({block: 'center'}); }",
        index,
    )
    deadline = time.monotonic() + timeout
    prev, steady = None, 0
    while True:
        check_page_errors(page)
        xy, box = screen_positions(page, index)
        same = prev is not None and xy.shape == prev[0].shape and prev[1] == box and np.allclose(
            xy, prev[0], atol=0.5, equal_nan=True)
        steady = steady + 1 if same else 0
        if steady >= 2 and np.isfinite(xy).all(axis=1).any():
            return xy, box
        if time.monotonic() > deadline:
            raise AssertionError(f"the map's points did not settle within {timeout:.0f} s")
        prev = (xy, box)
        page.wait_for_timeout(250)


def pick_cluster(xy: np.ndarray, box: dict, radius: float = 50, margin: float = 15) -> np.ndarray:
    """The centre (page px) of the densest disc of ``radius`` lying wholly inside ``box``."""
    ok = np.isfinite(xy).all(axis=1)
    pts = xy[ok]
    inner = ((pts[:, 0] > box["left"] + radius + margin) & (pts[:, 0] < box["right"] - radius - margin)
             & (pts[:, 1] > box["top"] + radius + margin) & (pts[:, 1] < box["bottom"] - radius - margin))
    candidates = pts[inner]
    if not len(candidates):
        raise AssertionError(f"no drawn point lies {radius + margin:.0f} px inside the visible map {box}")
    density = cKDTree(pts).query_ball_point(candidates, radius, return_length=True)
    return candidates[int(np.argmax(density))]


def lasso_path(center, radius: float, vertices: int = 20) -> list[tuple[float, float]]:
    """A mouse path round a circle for ``lasso``: from vertex 0 once round and on to vertex 1, so
    the lasso (which starts at the first move, vertex 1) is the whole polygon and the release is
    away from the press."""
    cx, cy = center
    return [(cx + radius * math.cos(2 * math.pi * k / vertices), cy + radius * math.sin(2 * math.pi * k / vertices))
            for k in range(vertices + 2)]


def lasso(page, points, *, modifier: str | None = "Shift", step_ms: int = 15) -> None:
    """Drag a lasso through ``points`` (page px) with ``modifier`` held, as a person does: press at
    the first point, move through the others (each move after the previous one was handled: the
    lasso takes a vertex at most every 8 ms), release at the last.

    regl-scatterplot closes the polygon itself, and its lasso starts at the first *move*. A drag
    that is released within 3 px of where it was pressed is also a click to it: the click selects
    the nearest point, replacing what the lasso selected. So the path must not end where it began
    (``lasso_path`` goes round once more to its second vertex)."""
    points = [(float(x), float(y)) for x, y in points]
    if math.dist(points[0], points[-1]) < 6:
        raise ValueError("a lasso released where it was pressed is a click: end it elsewhere")
    if modifier:
        page.keyboard.down(modifier)
    try:
        page.mouse.move(*points[0])
        page.mouse.down()
        for x, y in points[1:]:
            page.mouse.move(x, y)
            page.wait_for_timeout(step_ms)
        page.wait_for_timeout(50)
        page.mouse.up()
    finally:
        if modifier:
            page.keyboard.up(modifier)


def elements_at(page, points) -> list[str]:
    """Tag names of the topmost element at each page point (to check nothing covers the map)."""
    return page.evaluate(
        "pts => pts.map(([x, y]) => { const e = document.elementFromPoint(x, y); return e ? e.tagName : null; })",
        [[float(x), float(y)] for x, y in points],
    )


def selected_count(page, index: int = 0) -> int:
    """The number the map's toolbar shows as "N selected" (0 when it shows nothing)."""
    text = page.locator(MAP).nth(index).locator(".corral-selected").text_content() or ""
    m = re.fullmatch(r"\s*([\d,]+) selected\s*", text)
    if text.strip() and not m:
        raise AssertionError(f"unexpected selection text {text!r}")
    return int(m.group(1).replace(",", "")) if m else 0


def legend_counts(page, index: int = 0) -> dict[str, int]:
    """{label name: count} as the map's legend shows them (the unlabeled row as 'unlabeled')."""
    rows = page.locator(MAP).nth(index).locator(".corral-legend-row").evaluate_all(
        "rows => rows.map(r => [r.querySelector('.corral-label').textContent,"
        " r.querySelector('.corral-count').textContent])"
    )
    return {name: int(count.replace(",", "")) for name, count in rows}


def selected_points(page, index: int = 0) -> list[int]:
    """The points the map itself holds as selected (sorted)."""
    return sorted(page.evaluate(
        "index => {" + _MAP_EL_JS + " return Array.from(el.__corral.scatterplot.get('selectedPoints')); }", index))


@dataclass
class Lasso:
    """A lasso drawn by ``lasso_cluster``: its circle (page px), the points' page positions at the
    time, and the count the toolbar showed afterwards."""

    center: np.ndarray
    radius: float
    xy: np.ndarray
    shown: int

    def surely_inside(self, slack: float = 0.15) -> np.ndarray:
        d = np.linalg.norm(self.xy - self.center, axis=1)
        return np.flatnonzero(d < self.radius * (1 - slack))

    def surely_outside(self, slack: float = 0.15) -> np.ndarray:
        d = np.linalg.norm(self.xy - self.center, axis=1)
        return np.flatnonzero(~(d <= self.radius * (1 + slack)))  # NaN (not drawn) counts as outside


def lasso_cluster(page, index: int = 0, *, radius: float = 50, timeout: float = 15) -> Lasso:
    """Scroll the map into view, find its densest visible spot, lasso a circle around it
    (Shift + drag) and wait until the toolbar shows the new selection."""
    xy, box = map_positions(page, index)
    center = pick_cluster(xy, box, radius=radius)
    # 20 vertices: the polygon reaches 98.8% of the radius everywhere, and each move costs a frame
    # of software GL (~0.2 s here), so more vertices only make the test slower.
    path = lasso_path(center, radius)
    covered = [tag for tag in elements_at(page, path) if tag != "CANVAS"]
    if covered:
        raise AssertionError(f"something covers the map where the lasso goes: {covered}")
    before = page.locator(MAP).nth(index).locator(".corral-selected").text_content()
    lasso(page, path)
    wait_for(
        page,
        """([index, before]) => { const t = document.querySelectorAll(%r)[index]
               .querySelector('.corral-selected').textContent; return t !== '' && t !== before; }""" % READY_MAP,
        [index, before],
        timeout=timeout,
        what="the map's toolbar to show the lassoed selection",
        poll_ms=100,
    )
    return Lasso(center=np.asarray(center), radius=radius, xy=xy, shown=selected_count(page, index))
