"""What every peer of ``bench/widget.py`` is shown and how it is touched: the clustered points, the
point size, the lasso around one cluster and its drag, and the time limits of each gesture."""

from __future__ import annotations

import _browser as B
import numpy as np

CENTERS = np.array([[-12.0, -6.0], [0.0, -6.0], [12.0, -6.0], [-6.0, 6.0], [6.0, 6.0]])
K = len(CENTERS)
CLIP = 4.0  # sigma: offsets beyond are pulled in, so a lasso of radius LASSO_R holds exactly one cluster
LASSO_R = 5.5
LASSO_VERTICES = 8  # the octagon's inner radius (5.08) still clears its cluster (4) and the next ones (8)
DEFAULT_CANVAS = (640, 520)  # map size when corral is not run (else corral's own map size is used)
TIMEOUTS = {"first_frame": 180.0, "lasso": 90.0, "label": 90.0}
FRAME = np.array([[-18.5, -12.5], [18.5, -12.5], [-18.5, 12.5], [18.5, 12.5]])  # corners: every lasso fits inside


def make_data(n: int, seed: int = 0):
    """n points: K round Gaussian clusters (sigma 1, offsets clipped at CLIP sigma), point i in
    cluster i % K (clusters interleave in index order, as real data does), except the last 4 points:
    the corners of a frame around them (cluster -1), so that every peer's fitted view leaves room
    for a lasso around an outer cluster."""
    rng = np.random.default_rng(seed)
    truth = np.arange(n) % K
    off = rng.normal(size=(n, 2))
    r = np.hypot(off[:, 0], off[:, 1])
    far = r > CLIP
    off[far] *= (CLIP / r[far])[:, None]
    coords = CENTERS[truth] + off
    coords[-len(FRAME):] = FRAME
    truth[-len(FRAME):] = -1
    return coords.astype(np.float32), truth


def point_size(n: int) -> float:
    """corral's base point size for n points (js/src/encoding.js pointSizeFor), given to every peer."""
    return 7 if n <= 2_000 else 5 if n <= 20_000 else 3 if n <= 100_000 else 2 if n <= 400_000 else 1.5


def lasso_polygon(data_xy: np.ndarray, screen_xy: np.ndarray, center, rect) -> list[tuple[float, float]]:
    """Screen polygon of a circle of radius LASSO_R around ``center`` (data units), through the affine
    map fitted on sample points, clamped inside ``rect`` (left, top, width, height)."""
    A = np.c_[data_xy, np.ones(len(data_xy))]
    coef, *_ = np.linalg.lstsq(A, screen_xy, rcond=None)
    resid = np.abs(A @ coef - screen_xy).max()
    if resid > 1.0:
        raise RuntimeError(f"the data->screen map is not affine (residual {resid:.1f} px)")
    t = np.linspace(0, 2 * np.pi, LASSO_VERTICES, endpoint=False)
    ring = np.c_[center[0] + LASSO_R * np.cos(t), center[1] + LASSO_R * np.sin(t)]
    pts = np.c_[ring, np.ones(len(ring))] @ coef
    left, top, w, h = rect
    pts[:, 0] = pts[:, 0].clip(left + 4, left + w - 4)
    pts[:, 1] = pts[:, 1].clip(top + 4, top + h - 4)
    return [tuple(map(float, p)) for p in pts] + [tuple(map(float, pts[0]))]


def drag(page, poly, modifier=None) -> None:
    """Press, move along ``poly`` (each move after the previous frame, so every vertex counts),
    release; the release is what the lasso clock starts on (the page stamps its pointerup)."""
    if modifier:
        page.keyboard.down(modifier)
    page.mouse.move(*poly[0])
    page.mouse.down()
    for x, y in poly[1:]:
        page.mouse.move(x, y)  # each move waits for the page (a frame per move at 1M points)
        page.wait_for_timeout(16)
    B.settle(page)  # the page has drawn the whole lasso: the release lands on an idle page
    page.evaluate("window.__bench.pointerUpAt = null")
    page.mouse.up()
    if modifier:
        page.keyboard.up(modifier)


class Failure(Exception):
    """A gesture that ran but did not do what it should (no redraw, selections that differ)."""
