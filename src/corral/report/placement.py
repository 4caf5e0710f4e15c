"""Where the report writes names over its map (cluster outlines, regions) so that none covers
another and none is cut at the plot's edge. Pure logic in data units, no bokeh.

Greedy by priority (a larger shape first): each name goes at its anchor or, when that box would
cover a name already placed, at a nearby offset (above, below, half a name right or left); a name
that fits nowhere near its anchor is skipped. Every box is clamped whole inside the bounds, and a
name wider than the plot is shortened with "…" first. Text boxes are estimated from the plot's
pixel size and the font size (:func:`text_box`), the same rule the widget's ``placement.js``
follows in pixels.

>>> boxes = place_names([(0.0, 0.0, 4.0, 1.0, 2.0), (0.5, 0.0, 4.0, 1.0, 1.0), (9.9, 0.0, 4.0, 1.0, 0.5)],
...                     (-10.0, 10.0, -5.0, 5.0))
>>> boxes[0]                       # the larger first, at its anchor (box centre x, y)
(0.0, 0.0)
>>> boxes[1] != (0.5, 0.0)         # moved off the first one
True
>>> boxes[2]                       # at the right edge: clamped inside, not cut
(8.0, 0.0)
>>> fit_text("delete · service · account", 10)
'delete · …'
"""

from __future__ import annotations

from collections.abc import Sequence

# Average glyph width and line height of a sans-serif font, as fractions of its size in px
# (generous, so an estimated box holds the real text), plus the background's padding (px).
CHAR_EM = 0.62
LINE_EM = 1.3
PAD_PX = 3.0
# Offsets of the places tried around the anchor (in box widths, box heights), nearest first.
CANDIDATES = ((0, 0), (0, 1), (0, -1), (0.5, 0), (-0.5, 0), (0.5, 1), (-0.5, 1), (0.5, -1), (-0.5, -1),
              (0, 2), (0, -2))


def fit_text(text: str, max_chars: int) -> str:
    """``text``, shortened with "…" when longer than ``max_chars`` characters."""
    if len(text) <= max_chars:
        return text
    return text[: max(max_chars - 2, 0)].rstrip() + " …" if max_chars > 2 else "…"


def text_box(text: str, font_px: float, units_per_px: tuple[float, float]) -> tuple[float, float]:
    """(width, height) in data units of ``text`` written at ``font_px`` on a plot whose one pixel is
    ``units_per_px`` = (x units, y units), background padding included.

    >>> text_box("abcd", 10.0, (0.5, 0.25))
    (15.4, 4.75)
    """
    width_px = len(text) * CHAR_EM * font_px + 2 * PAD_PX
    height_px = LINE_EM * font_px + 2 * PAD_PX
    return round(width_px * units_per_px[0], 9), round(height_px * units_per_px[1], 9)


def intersects(a: tuple[float, float, float, float], b: tuple[float, float, float, float], gap: float = 0.0) -> bool:
    """Whether boxes (x0, x1, y0, y1) overlap (closer than ``gap``)."""
    return a[0] < b[1] + gap and b[0] < a[1] + gap and a[2] < b[3] + gap and b[2] < a[3] + gap


def _clamp(v: float, lo: float, hi: float) -> float:
    return min(max(v, lo), max(lo, hi))


def place_names(items: Sequence[tuple[float, float, float, float, float]],
                bounds: tuple[float, float, float, float], *, gap: float = 0.0) -> list[tuple[float, float] | None]:
    """Box centres for ``items`` = [(anchor x, anchor y, width, height, priority)], one per item in
    their order (None: skipped), inside ``bounds`` = (x0, x1, y0, y1), no two boxes closer than
    ``gap``. A box larger than the bounds, or an anchor outside them, is skipped."""
    x0, x1, y0, y1 = bounds
    order = sorted(range(len(items)), key=lambda i: (-items[i][4], i))
    placed: list[tuple[float, float, float, float]] = []
    out: list[tuple[float, float] | None] = [None] * len(items)
    for i in order:
        ax, ay, w, h, _ = items[i]
        if w > x1 - x0 or h > y1 - y0 or not (x0 <= ax <= x1 and y0 <= ay <= y1):
            continue
        for dx, dy in CANDIDATES:
            cx = _clamp(ax + dx * w, x0 + w / 2, x1 - w / 2)
            cy = _clamp(ay + dy * h, y0 + h / 2, y1 - h / 2)
            box = (cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2)
            if not any(intersects(box, p, gap) for p in placed):
                placed.append(box)
                out[i] = (cx, cy)
                break
    return out
