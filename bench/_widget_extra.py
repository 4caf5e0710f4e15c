"""What ``bench/widget.py`` measures beside the gestures: memory after the first frame, the largest
message a widget's comm carried (against the hosts' 8 MiB budget), and corral's kernel-side cost of
a selection of half the points (point set -> indices -> a label assigned)."""

from __future__ import annotations

import json
import os
import time

import numpy as np

BUDGET = 8 * 1024 * 1024  # corral.map.protocol.MESSAGE_BUDGET (VS Code, Colab)


def message_size(data: dict, buffers) -> int:
    """Bytes of one comm message: its JSON and its binary buffers."""
    return len(json.dumps(data, default=str).encode("utf-8")) + sum(memoryview(b).nbytes for b in buffers or [])


def memory(page) -> dict:
    """The page's JS heap (CDP Performance metrics) and the RSS of this process' Chromium tree (one
    page open at a time: that page's renderer, the GPU process (SwiftShader) and the browser)."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("Performance.enable")
        metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    finally:
        cdp.detach()
    rss = None
    try:
        import psutil

        tree = psutil.Process(os.getpid()).children(recursive=True)
        rss = sum(p.memory_info().rss for p in tree if "chrom" in p.name().lower() or "headless" in p.name().lower())
    except Exception:  # noqa: BLE001 - memory is a figure, not a gesture
        pass
    return {"js_heap_mb": metrics.get("JSHeapUsedSize", 0) / 2**20, "chromium_rss_mb": rss / 2**20 if rss else None}


def kernel_selection_cost(labeler, repeats: int = 3) -> dict:
    """corral's kernel side of a lasso over half the points, as the map sends it: the selection
    trait (a point set) -> Labeler.selection, then an "assign" message -> the label on those points
    (journal, codes, and the code patch to the views). Best of ``repeats``, in ms."""
    from corral.map import protocol as P
    from corral.map.commands import handle

    n = len(labeler)
    chosen = np.random.default_rng(0).choice(n, size=n // 2, replace=False)
    data = P.encode_indices(chosen)
    out = {"points": n, "selected": n // 2, "message_bytes": len(data)}
    decode, select, assign = [], [], []
    for r in range(repeats):
        t0 = time.perf_counter()
        idx = P.decode_indices(memoryview(data))
        t1 = time.perf_counter()
        labeler.selection = idx
        t2 = time.perf_counter()
        reply, _ = handle(labeler, {"kind": P.MSG_ASSIGN, "label": f"k{r}"}, [memoryview(data)])
        t3 = time.perf_counter()
        if reply.get("kind") == P.MSG_ERROR:
            raise RuntimeError(reply["message"])
        decode.append(t1 - t0), select.append(t2 - t1), assign.append(t3 - t2)
    out.update(decode_ms=min(decode) * 1e3, selection_ms=min(select) * 1e3, assign_ms=min(assign) * 1e3)
    return out
