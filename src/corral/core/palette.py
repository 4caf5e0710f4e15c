"""Colours for labels: distinct, stable (a label keeps its colour), with no cap on the count.

>>> colors_for(3)
['#4e79a7', '#f28e2b', '#e15759']
"""

from __future__ import annotations

import colorsys

# Tableau 10 then 10 more hand-picked distinct hues; beyond 20 labels colours are generated.
BASE = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#17becf",
    "#1f3a93", "#a0cb33", "#8c2d04", "#d62ad0", "#00a676",
    "#ffbe0b", "#6a4c93", "#ff595e", "#3a86ff", "#8ac926",
]  # fmt: skip
UNLABELED = "#9e9e9e"
UNLABELED_NAME = "unlabeled"  # what the map widget's legend calls the unlabeled points (js/src/legend.js)
_GOLDEN = 0.618033988749895


def color_for(code: int) -> str:
    """The colour of label number ``code`` (0-based)."""
    if code < len(BASE):
        return BASE[code]
    h = (code * _GOLDEN) % 1.0
    lightness = 0.45 + 0.15 * ((code // 7) % 2)
    r, g, b = colorsys.hls_to_rgb(h, lightness, 0.65)
    return "#{:02x}{:02x}{:02x}".format(round(r * 255), round(g * 255), round(b * 255))


def colors_for(n: int) -> list[str]:
    """Colours of the first ``n`` labels."""
    return [color_for(i) for i in range(n)]
