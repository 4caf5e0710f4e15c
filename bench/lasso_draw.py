"""Lasso drawing benchmark: the time to draw a lasso (press, the moves, the page idle again; not the
release, whose selection bench/widget.py times), before
and after the lasso path moved to an overlay, in the same run (bench/widget.py's harness and
gestures: headless Chromium, software WebGL).

"before" is the widget bundle built from the js/src of commit --before (the path drawn by
regl-scatterplot in WebGL: every move redraws every point), "after" the current build. Sizes and
bundles alternate per repeat; median of --repeats. The lasso must select its cluster exactly in both.
Usage: python bench/lasso_draw.py [--sizes 100000 1000000] [--before 58539fc]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
ROOT = Path(__file__).resolve().parents[1]


def build_old(commit: str) -> Path:
    """The widget bundle built from ``commit``'s js/src (with this tree's node_modules)."""
    out = Path(tempfile.mkdtemp(prefix="corral-old-js-"))
    tar = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "js/src"], check=True, capture_output=True).stdout
    tarfile.open(fileobj=BytesIO(tar)).extractall(out)
    (out / "js" / "node_modules").symlink_to(ROOT / "js" / "node_modules")
    bundle = out / "widget.js"
    subprocess.run([str(ROOT / "js" / "node_modules" / ".bin" / "esbuild"), str(out / "js" / "src" / "index.js"),
                    "--bundle", "--format=esm", "--minify", "--target=es2020", f"--outfile={bundle}"],
                   check=True, capture_output=True)
    return bundle


def densify(poly, moves: int):
    """``moves`` + 1 points along the closed polygon ``poly`` (each of its edges in equal steps)."""
    import numpy as np

    p = np.asarray(list(poly) + [poly[0]], dtype=float)
    if np.allclose(p[-1], p[-2]):
        p = p[:-1]
    t = np.linspace(0, len(p) - 1, moves + 1)
    i = np.minimum(t.astype(int), len(p) - 2)
    f = (t - i)[:, None]
    return [tuple(q) for q in p[i] * (1 - f) + p[i + 1] * f]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--before", default="58539fc")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--moves", type=int, default=22, help="mouse moves per lasso")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "lasso_draw.json")
    args = parser.parse_args()

    import _browser as B
    import numpy as np
    from _peer_corral import CorralPeer
    from _widget_scene import make_data
    from playwright.sync_api import sync_playwright

    bundles = {"before": build_old(args.before), "after": B.CORRAL_BUNDLE}
    times: dict = {s: {k: [] for k in bundles} for s in args.sizes}
    exact: dict = {s: {k: True for k in bundles} for s in args.sizes}
    with sync_playwright() as p:
        browser = B.launch(p)
        peers = {}
        for k, bundle in bundles.items():
            cls = type(f"Corral_{k}", (CorralPeer,), {"bundle": bundle})
            peers[k] = cls(browser, {})
        try:
            for n in args.sizes:
                coords, truth = make_data(n)
                for r in range(args.repeats):
                    for k in (("before", "after") if r % 2 == 0 else ("after", "before")):
                        peer = peers[k]
                        peer.setup(coords, truth)
                        peer.first_frame()
                        page = peer.view.page
                        poly = densify(peer.polygon(0), args.moves)
                        # bench/_widget_scene.drag, with the clock stopped before the release
                        # (the mouse-up's selection is bench/widget.py's "lasso to Python").
                        page.keyboard.down("Shift")
                        page.mouse.move(*poly[0])
                        B.settle(page)
                        t = time.perf_counter()
                        page.mouse.down()
                        for x, y in poly[1:]:
                            page.mouse.move(x, y)
                            page.wait_for_timeout(16)
                        B.settle(page)  # the page has drawn the whole lasso
                        times[n][k].append(time.perf_counter() - t)
                        page.mouse.up()
                        page.keyboard.up("Shift")
                        want = np.flatnonzero(truth == 0)
                        B.wait_for(page, lambda: peer.labeler.selection.size == want.size, 120, "the selection")
                        exact[n][k] &= bool(np.array_equal(np.sort(peer.labeler.selection), want))
                        peer.close_view()
                        print(n, k, f"{times[n][k][-1]:.2f} s", flush=True)
        finally:
            for peer in peers.values():
                peer.close()
            browser.close()

    result = {"machine": platform.platform(), "cores": os.cpu_count(), "load_average_end": os.getloadavg()[0],
              "moves": args.moves, "wait_per_move_ms": 16, "sizes": {}}
    for n in args.sizes:
        med = {k: statistics.median(v) for k, v in times[n].items()}
        result["sizes"][n] = {"before_s": med["before"], "after_s": med["after"], "after_over_before": med["after"] / med["before"],
                              "exact": exact[n], "all_s": times[n]}
    print(json.dumps(result, indent=1))
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
