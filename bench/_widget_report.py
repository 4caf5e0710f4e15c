"""The tables ``bench/widget.py`` prints: per gesture, each peer's median and corral's ratio to it."""

from __future__ import annotations

PEER_LABEL = {"corral": "corral", "jupyter-scatter": "jscatter", "bokeh": "bokeh"}
METRICS = (("first_frame", "first frame (display -> points drawn)"),
           ("lasso", "lasso -> Python (mouse-up -> selection in Python)"),
           ("label", "label -> recolour (apply -> redrawn)"))


def fmt_ms(v) -> str:
    return "—" if v is None else f"{v / 1000:.2f} s" if v >= 10_000 else f"{v:.0f} ms"


def ratio(corral: dict, peer: dict, key: str = "median_ms") -> str | None:
    """corral / peer; "win*" when the peer failed or timed out and corral did not."""
    if corral[key] is None:
        return None
    if peer[key] is not None:
        return f"{corral[key] / peer[key]:.2f}"
    return "win*" if peer["failure"] else None


def print_tables(rows: list[dict], peers: list[str]) -> None:
    others = [p for p in peers if p != "corral"] if "corral" in peers else []
    for metric, title in METRICS:
        print(f"\n{title}: median of repeats; ratio = corral / peer (< 1: corral faster)")
        head = f"{'n':>9} | " + " | ".join(f"{PEER_LABEL[p]:>10}" for p in peers)
        if others:
            head += " | " + " | ".join(f"{'vs ' + PEER_LABEL[p]:>11}" for p in others)
            head += " | " + " | ".join(f"{'+frame vs ' + PEER_LABEL[p][:2]:>13}" for p in others)
        print(head)
        print("-" * len(head))
        for row in rows:
            cells = []
            for p in peers:
                m = row["peers"][p][metric]
                text = ("failed" if m["failure"] else "—") if m["median_ms"] is None else fmt_ms(m["median_ms"])
                cells.append(f"{text + ('' if m['exact'] else '!'):>10}")
            line = f"{row['n']:>9,} | " + " | ".join(cells)
            if others:
                c = row["peers"]["corral"][metric]
                line += " | " + " | ".join(f"{ratio(c, row['peers'][p][metric]) or '—':>11}" for p in others)
                line += " | " + " | ".join(
                    f"{ratio(c, row['peers'][p][metric], 'median_frame_ms') or '—':>13}" for p in others)
            print(line)
        for row in rows:
            for p in peers:
                m = row["peers"][p][metric]
                for f in (m["failure"], m["note"]):
                    if f:
                        print(f"  {PEER_LABEL[p]} at n={row['n']:,}: {f}")
    if others:
        behind = [f"{title.split(' (')[0]} at n={row['n']:,} vs {PEER_LABEL[p]} ({r})"
                  for metric, title in METRICS for row in rows for p in others
                  if (r := row["ratios"][metric].get(p)) is not None and r != "win*" and float(r) >= 1]
        print("\ntarget (corral faster than every peer, every size, every gesture): "
              + ("met" if not behind else f"not met: {len(behind)} behind: " + "; ".join(behind)))
    print("\n'+frame': the same ratio with every clock stopped one requestAnimationFrame later."
          "\n'!': the selection / labels that reached Python were not exactly the lassoed cluster (see JSON)."
          "\n'win*': the peer failed or timed out there (see the lines under the table).")


def print_extra(rows: list[dict], peers: list[str]) -> None:
    """Memory after the first frame, the largest comm message, and corral's kernel-side selection cost."""
    print("\nafter the first frame: page JS heap / Chromium RSS (MB); largest comm message (MiB; budget 8)")
    for row in rows:
        cells = []
        for p in peers:
            r = row["peers"][p]
            if r.get("skipped"):
                cells.append(f"{PEER_LABEL[p]}: not run")
                continue
            mem, msg = r.get("memory") or {}, r.get("messages")
            heap = f"{mem['js_heap_mb']:.0f}" if mem.get("js_heap_mb") is not None else "?"
            rss = f"{mem['chromium_rss_mb']:.0f}" if mem.get("chromium_rss_mb") else "?"
            largest = f"{msg['largest_bytes'] / 2**20:.1f} ({msg['over_budget']} over)" if msg else "—"
            cells.append(f"{PEER_LABEL[p]}: heap {heap}, rss {rss}, largest msg {largest}")
        print(f"{row['n']:>11,} | " + " | ".join(cells))
    for row in rows:
        k = row.get("kernel")
        if k:
            print(f"corral kernel side at n={row['n']:,}, {k['selected']:,} selected ({k['message_bytes'] / 2**20:.2f} MiB "
                  f"point set): decode {k['decode_ms']:.0f} ms, Labeler.selection {k['selection_ms']:.0f} ms, "
                  f"assign message -> labeled {k['assign_ms']:.0f} ms")
