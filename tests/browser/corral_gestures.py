"""Data and mouse/keyboard gestures shared by the browser tests (see corral_harness for the plumbing)."""

from __future__ import annotations

import math

import numpy as np

CENTERS = np.array([[0.0, 0.0], [10.0, 0.0], [5.0, 9.0]])
PER_CLUSTER = 30
TOPICS = ["rain", "jazz", "pizza"]
PHRASES = {
    "rain": "will it rain in {city} on day {i}",
    "jazz": "play some smooth jazz, track {i}",
    "pizza": "order a large pizza with {city} toppings #{i}",
}
CITIES = ["Oslo", "Lima", "Pune", "Kyiv", "Rome"]


def clusters(per=PER_CLUSTER, seed=0):
    """Three well separated 2-D clusters: coords (n x 2 float32) and the cluster of each point."""
    rng = np.random.default_rng(seed)
    truth = np.repeat(np.arange(3), per)
    coords = (CENTERS[truth] + rng.normal(scale=0.6, size=(len(truth), 2))).astype(np.float32)
    return coords, truth


def topic_texts(truth) -> list[str]:
    """One text per point, about its cluster's topic (so keyword and meaning searches find them)."""
    return [PHRASES[TOPICS[c]].format(city=CITIES[i % len(CITIES)], i=i) for i, c in enumerate(truth)]


def js_hook(view="mount") -> str:
    return f"document.getElementById({view!r}).__corral"


def screen_points(page, indices, view="mount") -> np.ndarray:
    """Page (viewport) CSS pixel positions of points, via the widget's test hook."""
    xy = page.evaluate(
        """([idx, view]) => {
            const hook = document.getElementById(view).__corral;
            const r = hook.canvas.getBoundingClientRect();
            return idx.map(i => { const p = hook.toScreen(i); return [r.left + p[0], r.top + p[1]]; });
        }""",
        [[int(i) for i in indices], view],
    )
    return np.array(xy, dtype=float)


def legend_counts(page, view="mount") -> dict[str, int]:
    """{label name: count} as shown in the legend (the unlabeled row under 'unlabeled')."""
    rows = page.eval_on_selector_all(
        f"#{view} .corral-legend-row",
        "rows => rows.map(r => [r.querySelector('.corral-label').textContent,"
        " r.querySelector('.corral-count').textContent])",
    )
    return {name: int(count.replace(",", "")) for name, count in rows}


def lasso(page, center, rx, ry, vertices=20, modifier="Shift", hold_ms=0):
    """Drag a closed elliptical lasso with the mouse (modifier held); each move lands after the
    previous frame (the lasso takes a vertex at most every few ms), and the end is let settle."""
    cx, cy = center
    path = [(cx + rx * math.cos(2 * math.pi * k / vertices), cy + ry * math.sin(2 * math.pi * k / vertices))
            for k in range(vertices + 1)]
    if modifier:
        page.keyboard.down(modifier)
    page.mouse.move(*path[0])
    page.mouse.down()
    if hold_ms:
        page.wait_for_timeout(hold_ms)
    for x, y in path[1:]:
        page.mouse.move(x, y)
        page.wait_for_timeout(10)
    page.wait_for_timeout(40)
    page.mouse.up()
    if modifier:
        page.keyboard.up(modifier)


def lasso_around(page, truth, cluster, view="mount"):
    """Centre and radii of an ellipse holding every point of ``cluster`` and no other point."""
    pts = screen_points(page, np.flatnonzero(truth == cluster), view)
    others = screen_points(page, np.flatnonzero(truth != cluster), view)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    center, (rx, ry) = (lo + hi) / 2, (hi - lo) / 2 * 1.45 + 12
    assert ((((pts - center) / [rx, ry]) ** 2).sum(axis=1) < 1).all()
    assert not ((((others - center) / [rx, ry]) ** 2).sum(axis=1) < 1).any()
    return center, rx, ry


def drag_rectangle(page, corner_a, corner_b, modifiers=("Shift",)):
    """Shift (+ modifiers) + drag from one corner to the other: the rectangle tool's gesture. The
    last position is held a moment so the lasso takes it as the final corner."""
    for key in modifiers:
        page.keyboard.down(key)
    page.mouse.move(*corner_a)
    page.mouse.down()
    (ax, ay), (bx, by) = corner_a, corner_b
    for t in (0.3, 0.6, 0.9, 1.0):
        page.mouse.move(ax + (bx - ax) * t, ay + (by - ay) * t)
        page.wait_for_timeout(30)
    page.wait_for_timeout(40)
    page.mouse.up()
    for key in reversed(modifiers):
        page.keyboard.up(key)


def gap_cut(values, target=None, margin=2.0) -> float:
    """A coordinate at least ``margin`` px from every value, in the gap between two consecutive
    values nearest ``target`` (default: the median), so a rectangle edge there leaves no point
    in doubt."""
    v = np.sort(np.asarray(values, dtype=float))
    target = float(np.median(v)) if target is None else target
    gaps = np.flatnonzero(np.diff(v) >= 2 * margin)
    assert gaps.size, "no clear gap for a rectangle edge"
    mids = (v[gaps] + v[gaps + 1]) / 2
    return float(mids[np.argmin(np.abs(mids - target))])
