// @ts-check
/**
 * Data space <-> regl-scatterplot's normalized space.
 *
 * regl-scatterplot wants point positions in [-1, 1]. We fit the data's bounding box into that
 * square, centred and keeping its aspect ratio (one uniform scale for x and y), with a little
 * padding. With the default camera regl-scatterplot shows y in [-1, 1] over the canvas height and
 * x in [-A, A] over its width (A = width / height); {@link fitDistance} gives the camera distance
 * at which the fitted data fills the canvas.
 */

/** @typedef {{ xmin: number, xmax: number, ymin: number, ymax: number, finite: number }} Bounds */
/** @typedef {{ cx: number, cy: number, scale: number }} Fit  ndc = (v - c) * scale */

/** Fraction of [-1, 1] left empty around the data. */
export const DEFAULT_PADDING = 0.05;

/**
 * Bounding box of interleaved x y coordinates, ignoring non-finite values.
 * @param {ArrayLike<number>} xy
 * @returns {Bounds}
 */
export function bounds(xy) {
  let xmin = Infinity;
  let xmax = -Infinity;
  let ymin = Infinity;
  let ymax = -Infinity;
  let finite = 0;
  const n = Math.floor(xy.length / 2);
  for (let i = 0; i < n; i++) {
    const x = xy[2 * i];
    const y = xy[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    finite++;
    if (x < xmin) xmin = x;
    if (x > xmax) xmax = x;
    if (y < ymin) ymin = y;
    if (y > ymax) ymax = y;
  }
  if (finite === 0) return { xmin: -1, xmax: 1, ymin: -1, ymax: 1, finite };
  return { xmin, xmax, ymin, ymax, finite };
}

/**
 * The uniform transform that puts `b` centred in [-1, 1]^2 with `padding` to spare.
 * @param {Bounds} b
 * @param {number} [padding]
 * @returns {Fit}
 */
export function fit(b, padding = DEFAULT_PADDING) {
  const span = Math.max(b.xmax - b.xmin, b.ymax - b.ymin);
  const scale = span > 0 ? (2 * (1 - padding)) / span : 1;
  return { cx: (b.xmin + b.xmax) / 2, cy: (b.ymin + b.ymax) / 2, scale };
}

/**
 * Interleaved data coordinates -> column arrays in normalized space. Non-finite points go to
 * the origin (the Python side validates coordinates; this only keeps the GPU state sane).
 * @param {ArrayLike<number>} xy
 * @param {Fit} f
 * @returns {{ x: Float32Array, y: Float32Array }}
 */
export function toNormalized(xy, f) {
  const n = Math.floor(xy.length / 2);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const px = xy[2 * i];
    const py = xy[2 * i + 1];
    if (Number.isFinite(px) && Number.isFinite(py)) {
      x[i] = (px - f.cx) * f.scale;
      y[i] = (py - f.cy) * f.scale;
    }
  }
  return { x, y };
}

/**
 * One data point -> normalized space.
 * @param {[number, number]} p
 * @param {Fit} f
 * @returns {[number, number]}
 */
export function forward([px, py], f) {
  return [(px - f.cx) * f.scale, (py - f.cy) * f.scale];
}

/**
 * One normalized point -> data space (the inverse of {@link forward}).
 * @param {[number, number]} p
 * @param {Fit} f
 * @returns {[number, number]}
 */
export function inverse([nx, ny], f) {
  return [nx / f.scale + f.cx, ny / f.scale + f.cy];
}

/**
 * Camera distance at which the fitted data fills a width x height canvas (regl-scatterplot's
 * camera: at distance d it shows x in [-d*A, d*A] and y in [-d, d], A = width / height).
 * @param {Bounds} b
 * @param {Fit} f
 * @param {number} width
 * @param {number} height
 * @param {number} [padding]
 * @returns {number}
 */
export function fitDistance(b, f, width, height, padding = DEFAULT_PADDING) {
  if (!(width > 0 && height > 0)) return 1;
  const aspect = width / height;
  const hx = ((b.xmax - b.xmin) * f.scale) / 2 / (1 - padding);
  const hy = ((b.ymax - b.ymin) * f.scale) / 2 / (1 - padding);
  const d = Math.max(hy, hx / aspect);
  return d > 1e-6 ? d : 1;
}

/**
 * A CSS pixel position on the canvas -> normalized space, through regl-scatterplot's camera:
 * clip = P * V * M * p with P = scale x by 1 / (width / height), V = the camera's view matrix
 * (`scatterplot.get("cameraView")`, column-major; pan and zoom, no rotation needed) and M = scale
 * x by the data aspect ratio (1 unless set).
 * @param {[number, number]} screen
 * @param {ArrayLike<number>} view 4x4 column-major
 * @param {number} width
 * @param {number} height
 * @param {number} [dataAspect]
 * @returns {[number, number]}
 */
export function screenToNormalized([sx, sy], view, width, height, dataAspect = 1) {
  const cx = (2 * sx) / width - 1;
  const cy = 1 - (2 * sy) / height;
  const aspect = width / height;
  // clip.x = (v0 * d * x + v4 * y + v12) / aspect;  clip.y = v1 * d * x + v5 * y + v13
  const a = (view[0] * dataAspect) / aspect;
  const b = view[4] / aspect;
  const c = view[1] * dataAspect;
  const d = view[5];
  const ex = cx - view[12] / aspect;
  const ey = cy - view[13];
  const det = a * d - b * c;
  if (!det) return [0, 0];
  return [(d * ex - b * ey) / det, (a * ey - c * ex) / det];
}

/**
 * Positions (indices) of the interleaved x y coordinates inside the axis-aligned rectangle
 * spanned by two corners (in the same space, any order; edges included).
 * @param {ArrayLike<number>} xy
 * @param {[number, number]} p
 * @param {[number, number]} q
 * @returns {number[]}
 */
export function pointsInRect(xy, p, q) {
  const x0 = Math.min(p[0], q[0]);
  const x1 = Math.max(p[0], q[0]);
  const y0 = Math.min(p[1], q[1]);
  const y1 = Math.max(p[1], q[1]);
  const out = [];
  const n = Math.floor(xy.length / 2);
  for (let i = 0; i < n; i++) {
    const x = xy[2 * i];
    const y = xy[2 * i + 1];
    if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out.push(i);
  }
  return out;
}

/**
 * Normalized space -> a CSS pixel position on the canvas (the inverse of
 * {@link screenToNormalized}, same camera model), for drawing over the map.
 * @param {[number, number]} p
 * @param {ArrayLike<number>} view 4x4 column-major
 * @param {number} width
 * @param {number} height
 * @param {number} [dataAspect]
 * @returns {[number, number]}
 */
export function normalizedToScreen([nx, ny], view, width, height, dataAspect = 1) {
  const aspect = width / height;
  const cx = (view[0] * dataAspect * nx + view[4] * ny + view[12]) / aspect;
  const cy = view[1] * dataAspect * nx + view[5] * ny + view[13];
  return [((cx + 1) * width) / 2, ((1 - cy) * height) / 2];
}
