"""Lasso drawing benchmark: the time to draw a lasso (press, the moves, the page idle again), before
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--before", default="58539fc")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "lasso_draw.json")
    args = parser.parse_args()

    import _browser as B
    import numpy as np
    from _peer_corral import CorralPeer
    from _widget_scene import drag, make_data
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
                        poly = peer.polygon(0)
                        t = time.perf_counter()
                        drag(page, poly, "Shift")  # the moves, then settle: the page drew the lasso
                        times[n][k].append(time.perf_counter() - t)
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
              "moves": None, "sizes": {}}
    for n in args.sizes:
        med = {k: statistics.median(v) for k, v in times[n].items()}
        result["sizes"][n] = {"before_s": med["before"], "after_s": med["after"], "after_over_before": med["after"] / med["before"],
                              "exact": exact[n], "all_s": times[n]}
    print(json.dumps(result, indent=1))
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
