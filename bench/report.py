"""Review and report benchmark: what corral's review session and HTML report cost over their peers.

Measured in one process on one machine, on N synthetic texts in 40 blobs (10 of them labeled):
  review   ReviewSession.label_cluster (labels, progress journaled, next cluster) next to the bare
           Labeler.assign of the same points (both with an autosave journal), and a click on the
           review widget's "Mark reviewed" (session + widget refresh) next to the same
           session.mark_reviewed() call alone: best of --repeats.
  report   Labeler.to_html (map by label, hover texts, cluster outlines and names, counts; BokehJS
           inlined) next to a bare bokeh page of the same points (webgl scatter, text tooltips,
           file_html with INLINE resources): seconds to write, MB, and seconds from navigation to
           BokehJS's "document idle" in headless Chromium (software GL). Above --max-points corral
           draws a sample; the peer draws every point.
Usage: python bench/report.py [--sizes 10000 50000 200000] [--repeats 3] [--quick] [--out file.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def best_of(repeats: int, fn) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def make_labeler(n: int, folder: str):
    from corral import HashingEmbedder, Labeler

    rng = np.random.default_rng(0)
    truth = rng.integers(0, 40, n)
    coords = rng.uniform(-50, 50, (40, 2))[truth] + rng.normal(0, 1.0, (n, 2))
    texts = [f"text {i} about topic {truth[i]} <b>{i}</b>" for i in range(n)]
    lab = Labeler(texts, embedder=HashingEmbedder(), coords=coords, autosave=os.path.join(folder, f"{n}.journal"))
    for c in range(10):
        lab.assign(np.flatnonzero(truth == c), f"label {c}")
    return lab, truth


def bench_review(lab, truth, repeats: int) -> dict:
    session = lab.review(clusters=truth)
    members = session.current.members
    assign_s = best_of(repeats, lambda: lab.assign(members, "peer"))
    label_s = best_of(repeats, lambda: (session.label_cluster("bench", advance=False)))
    widget = session.show(show_map=False)
    session.mark_reviewed(), widget.buttons["mark_reviewed"].click()  # warm-up
    button = widget.buttons["mark_reviewed"]
    click_s = best_of(repeats, button.click)
    call_s = best_of(repeats, session.mark_reviewed)
    widget.close()
    return {"assign_s": assign_s, "label_cluster_s": label_s, "click_s": click_s, "call_s": call_s}


def bare_bokeh_page(lab, path: Path) -> None:
    from bokeh.embed import file_html
    from bokeh.models import ColumnDataSource, HoverTool
    from bokeh.plotting import figure
    from bokeh.resources import INLINE

    xy = lab.coords
    source = ColumnDataSource({"x": xy[:, 0], "y": xy[:, 1], "text": lab.texts})
    fig = figure(width=760, height=620, output_backend="webgl")
    points = fig.scatter("x", "y", source=source, size=5, alpha=0.8)
    fig.add_tools(HoverTool(renderers=[points], tooltips=[("text", "@text")]))
    path.write_text(file_html(fig, resources=INLINE, title="peer"), encoding="utf-8")


def open_seconds(browser, path: Path) -> float:
    page = browser.new_page(viewport={"width": 1500, "height": 950})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    start = time.perf_counter()
    page.goto(path.resolve().as_uri())
    page.wait_for_function("() => window.Bokeh && Bokeh.documents.length > 0 && Bokeh.documents[0].is_idle",
                           timeout=300_000)
    seconds = time.perf_counter() - start
    page.close()
    if errors:
        raise RuntimeError(f"{path.name}: page errors {errors}")
    return seconds


def bench_report(lab, folder: Path, browser, repeats: int, max_points: int) -> dict:
    ours, peer = folder / "corral.html", folder / "peer.html"
    lab.to_html(ours, max_points=max_points), bare_bokeh_page(lab, peer)  # warm-up: imports, caches
    write_s = best_of(repeats, lambda: lab.to_html(ours, max_points=max_points))
    peer_write_s = best_of(repeats, lambda: bare_bokeh_page(lab, peer))
    open_s = min(open_seconds(browser, ours) for _ in range(repeats))
    peer_open_s = min(open_seconds(browser, peer) for _ in range(repeats))
    return {"write_s": write_s, "peer_write_s": peer_write_s, "mb": ours.stat().st_size / 1e6,
            "peer_mb": peer.stat().st_size / 1e6, "open_s": open_s, "peer_open_s": peer_open_s}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 200_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--max-points", type=int, default=50_000)
    parser.add_argument("--quick", action="store_true", help="one small size, one repeat (a smoke run)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeats = [2_000], 1
    from chromium import launch_chromium

    rows = []
    with launch_chromium() as browser, tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            lab, truth = make_labeler(n, tmp)
            row = {"n": n, **bench_review(lab, truth, args.repeats),
                   **bench_report(lab, Path(tmp), browser, args.repeats, args.max_points)}
            rows.append(row)
            print(f"n={n:,}: label_cluster {row['label_cluster_s'] * 1e3:.1f} ms vs assign "
                  f"{row['assign_s'] * 1e3:.1f} ms (ratio {row['label_cluster_s'] / row['assign_s']:.2f}); widget "
                  f"click {row['click_s'] * 1e3:.1f} ms vs call {row['call_s'] * 1e3:.1f} ms (ratio "
                  f"{row['click_s'] / row['call_s']:.2f})")
            print(f"        to_html {row['write_s']:.2f} s vs bare bokeh {row['peer_write_s']:.2f} s (ratio "
                  f"{row['write_s'] / row['peer_write_s']:.2f}); {row['mb']:.1f} MB vs {row['peer_mb']:.1f} MB; "
                  f"open {row['open_s']:.2f} s vs {row['peer_open_s']:.2f} s (ratio "
                  f"{row['open_s'] / row['peer_open_s']:.2f})", flush=True)
    result = {"machine": platform.platform(), "cpus": os.cpu_count(), "load": os.getloadavg(), "rows": rows}
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
