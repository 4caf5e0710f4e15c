"""The measuring loop of ``bench/widget.py``: every gesture of one peer at one size, repeated, with
failures and slow gestures recorded as results; and the untimed warm-up round."""

from __future__ import annotations

import statistics
import time
import traceback

from _widget_extra import BUDGET
from _widget_report import METRICS, fmt_ms
from _widget_scene import K, Failure, make_data

SLOW_MS = 20_000  # a gesture slower than this is measured once, not repeated (keeps the run short)


def median(xs):
    return statistics.median(xs) if xs else None


def measure_peer(peer, coords, truth, repeats: int, log) -> dict:
    """Every gesture of one peer at one size: ``repeats`` first frames (a new page each), then on
    the last page ``repeats`` times: lasso cluster r % K, label it. A gesture slower than SLOW_MS is
    not repeated (the time of the repeats done is reported, and the cut noted)."""
    n = len(coords)
    out = {m: {"samples": [], "frame_samples": [], "details": [], "failure": None, "note": None}
           for m, _ in METRICS}
    t_start = time.monotonic()
    peer.setup(coords, truth)
    log(f"    {peer.name} n={n:,}: set up in {time.monotonic() - t_start:.1f} s")

    def run(metric, fn):
        started = time.monotonic()
        try:
            res = fn()
        except Exception as e:  # noqa: BLE001 - a failing peer is a result, not a crash
            elapsed = time.monotonic() - started
            kind = "timeout" if isinstance(e, TimeoutError) else "failed"
            out[metric]["failure"] = f"{kind} after {elapsed:.1f} s: {str(e).splitlines()[0][:200]}"
            log(f"    {peer.name} n={n:,}: {metric} {out[metric]['failure']}")
            if not isinstance(e, (TimeoutError, Failure)):
                log(traceback.format_exc())
            return False
        out[metric]["samples"].append(res["ms"])
        if "frame_ms" in res:
            out[metric]["frame_samples"].append(res["frame_ms"])
        out[metric]["details"].append(res)
        log(f"    {peer.name} n={n:,}: {metric} {fmt_ms(res['ms'])} (step {time.monotonic() - started:.1f} s)")
        return True

    def slow(*metrics):
        cut = [m for m in metrics if out[m]["samples"] and out[m]["samples"][-1] > SLOW_MS]
        for m in cut:
            out[m]["note"] = f"not repeated: one took over {SLOW_MS / 1000:.0f} s"
        return bool(cut)

    for _ in range(repeats):
        if not run("first_frame", peer.first_frame) or slow("first_frame"):
            break
    if out["first_frame"]["failure"] is None:
        for r in range(repeats):
            cluster = r % K
            if not run("lasso", lambda: peer.lasso(cluster)):
                out["label"]["failure"] = out["label"]["failure"] or "not measured: the lasso failed"
                break
            if not run("label", lambda: peer.label(cluster, r)) or slow("lasso", "label"):
                break
    else:
        for m in ("lasso", "label"):
            out[m]["failure"] = "not measured: no first frame"
    out["page_errors"] = peer.errors()[:20]
    comm = getattr(getattr(peer, "view", None), "comm", None)
    if comm is not None:  # every message of the last page's comm (state, frames, replies)
        out["messages"] = {"count": len(comm.sizes), "largest_bytes": max(comm.sizes),
                           "over_budget": sum(size > BUDGET for size in comm.sizes)}
    firsts = [d.get("memory") for d in out["first_frame"]["details"] if d.get("memory")]
    out["memory"] = firsts[-1] if firsts else None
    peer.close_view()
    out["wall_s"] = time.monotonic() - t_start
    for m, _ in METRICS:
        # A gesture that failed once counts as failed (a median of the repeats that passed would flatter).
        failed = out[m]["failure"] is not None
        out[m]["median_ms"] = None if failed else median(out[m]["samples"])
        out[m]["median_frame_ms"] = None if failed else median(out[m]["frame_samples"])
        out[m]["partial_median_ms"] = median(out[m]["samples"])
        out[m]["exact"] = all(d.get("exact", True) for d in out[m]["details"])
    return out


def warm_up(peer, log) -> None:
    """One untimed round on small data: browser shader caches, JIT of each bundle, Python imports."""
    coords, truth = make_data(2_000, seed=1)
    try:
        peer.setup(coords, truth)
        peer.first_frame()
        peer.lasso(0)
        peer.label(0, 0)
    except Exception as e:  # noqa: BLE001 - the timed rounds report failures
        log(f"  warm-up of {peer.name} failed: {e!r}"[:300])
    finally:
        peer.close_view()
