"""Map widget benchmark: corral against the peers users pick today, same data, same browser.

For 10k, 100k and 1M points (5 Gaussian clusters, seed 0; 5M and 10M with --sizes, Bokeh skipped
above 1M: it took 18 s to a first frame at 1M) it measures, in one headless Chromium (software
WebGL: SwiftShader, so compare the ratios, not the absolute times):

  first frame     display -> the first frame with the points drawn
  lasso           mouse-up of a lasso around one cluster -> Python holds exactly its indices
  label recolour  a label applied to that selection -> the page has redrawn in the new colours

for corral's map widget, jupyter-scatter (an anywidget on regl-scatterplot, like corral) and a Bokeh
server app (WebGL scatter, LassoSelectTool(continuous=False), a Python on_change callback and a
Button: what `bulk` does), and prints corral's medians as ratios to theirs (< 1: corral is faster).
Beside them: the page's JS heap and Chromium's memory after the first frame, the largest message
each widget's comm carried (the hosts' budget: 8 MiB), and from 1M points corral's kernel-side
cost of a selection of half the points (point set -> indices -> a label assigned).
How each clock starts and stops: METHOD below (also written into the JSON). Per-step times go to
stderr; every sample, with its phases, to the JSON (default bench/results/widget.json).

Usage: python bench/widget.py [--sizes 10000 100000 1000000] [--repeats 3] [--peers ...] [--out PATH]
At scale: python bench/widget.py --sizes 5000000 10000000 --repeats 1 --peers corral jupyter-scatter
Smoke run (< 2 minutes): python bench/widget.py --sizes 2000 --repeats 1
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _browser as B  # noqa: E402
from _peer_bokeh import BokehPeer  # noqa: E402
from _peer_corral import CorralPeer  # noqa: E402
from _peer_jscatter import JscatterPeer  # noqa: E402
from _widget_extra import kernel_selection_cost  # noqa: E402
from _widget_report import METRICS, fmt_ms, print_extra, print_tables, ratio  # noqa: E402
from _widget_run import measure_peer, warm_up  # noqa: E402
from _widget_scene import make_data  # noqa: E402

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

PEERS = ("corral", "jupyter-scatter", "bokeh")
PEER_MAX = {"bokeh": 1_000_000}  # above this many points a peer is not run (bokeh: 18 s to a first frame at 1M)
KERNEL_FROM = 1_000_000  # corral's kernel-side selection cost is measured from this size on


def skipped(why: str) -> dict:
    """A peer not run at this size: no figure, a note (not a failure: no 'win*')."""
    out = {m: {"median_ms": None, "median_frame_ms": None, "partial_median_ms": None, "failure": None,
               "note": why, "exact": True, "samples": [], "details": []} for m, _ in METRICS}
    out.update(wall_s=0.0, memory=None, skipped=why)
    return out


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
                    if n > PEER_MAX.get(p, n):
                        row["peers"][p] = skipped(f"not run above {PEER_MAX[p]:,} points")
                        continue
                    log(f"  n={n:,}: {p} ...")
                    row["peers"][p] = res = measure_peer(instances[p], coords, truth, args.repeats, log)
                    log(f"  n={n:,}: {p} done in {res['wall_s']:.0f} s: "
                        + ", ".join(f"{m} {fmt_ms(res[m]['median_ms'])}" for m, _ in METRICS))
                if "corral" in peers and n >= KERNEL_FROM:
                    row["kernel"] = kernel_selection_cost(instances["corral"].labeler)
                    log(f"  n={n:,}: corral kernel side of a {n // 2:,}-point selection: {row['kernel']}")
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
    print_extra(rows, peers)
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
