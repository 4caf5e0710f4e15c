// @ts-check
/**
 * Colouring points by a score (the similarity of a meaning search): a sequential colour ramp per
 * theme, scores rescaled to [0, 1], and the top K points.
 */

/** @typedef {import("./theme.js").ThemeName} ThemeName */

/** Anchor colours, low -> high. Light: pale grey to deep blue; dark: viridis (dark to yellow). */
export const RAMPS = {
  light: ["#e3e6ec", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b"],
  dark: ["#2b2f3a", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#fde725"],
};
export const RAMP_STEPS = 64;

/** @param {string} hex @returns {[number, number, number]} */
function rgb(hex) {
  const v = parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** @param {number} v */
const hex2 = (v) => Math.round(Math.min(255, Math.max(0, v))).toString(16).padStart(2, "0");

/**
 * `steps` colours evenly interpolated through `anchors`.
 * @param {string[]} anchors
 * @param {number} [steps]
 * @returns {string[]}
 */
export function interpolate(anchors, steps = RAMP_STEPS) {
  const stops = anchors.map(rgb);
  const out = [];
  for (let s = 0; s < steps; s++) {
    const t = steps === 1 ? 0 : (s / (steps - 1)) * (stops.length - 1);
    const i = Math.min(stops.length - 2, Math.floor(t));
    const f = t - i;
    const [a, b] = [stops[i], stops[i + 1]];
    out.push(`#${hex2(a[0] + (b[0] - a[0]) * f)}${hex2(a[1] + (b[1] - a[1]) * f)}${hex2(a[2] + (b[2] - a[2]) * f)}`);
  }
  return out;
}

/** @param {ThemeName} theme */
export function rampFor(theme) {
  return interpolate(RAMPS[theme] ?? RAMPS.light);
}

/**
 * A CSS gradient of the theme's ramp (for the little scale shown next to a meaning search).
 * @param {ThemeName} theme
 */
export function rampCss(theme) {
  return `linear-gradient(to right, ${(RAMPS[theme] ?? RAMPS.light).join(", ")})`;
}

/**
 * Scores -> [0, 1] (min-max; all equal -> 1; non-finite -> 0).
 * @param {ArrayLike<number>} scores
 * @returns {{ values: Float32Array, min: number, max: number }}
 */
export function normalize(scores) {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!Number.isFinite(s)) continue;
    if (s < min) min = s;
    if (s > max) max = s;
  }
  const values = new Float32Array(scores.length);
  const span = max - min;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!Number.isFinite(s)) continue;
    values[i] = span > 0 ? (s - min) / span : 1;
  }
  return { values, min: Number.isFinite(min) ? min : 0, max: Number.isFinite(max) ? max : 0 };
}

/**
 * Indices of the k highest scores, best first (ties: lower index first). O(n log k).
 * @param {ArrayLike<number>} scores
 * @param {number} k
 * @returns {number[]}
 */
export function topK(scores, k) {
  const n = scores.length;
  k = Math.max(0, Math.min(Math.floor(k), n));
  if (k === 0) return [];
  // Min-heap of the best k so far, worst at the root.
  /** @type {number[]} */
  const heap = [];
  const worse = (/** @type {number} */ a, /** @type {number} */ b) =>
    scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const up = (/** @type {number} */ i) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const down = (/** @type {number} */ i) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(scores[i])) continue;
    if (heap.length < k) {
      heap.push(i);
      up(heap.length - 1);
    } else if (worse(heap[0], i)) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}

/**
 * Values -> categorical colour bins for the map: 0 for a missing (non-finite) value, else
 * 1 + the value's step on a `steps`-colour ramp (min-max over the finite values; all equal -> top).
 * The colours to pair them with: [no-value colour, ...ramp].
 * @param {ArrayLike<number>} values
 * @param {number} [steps]
 * @returns {{ bins: Float32Array, min: number, max: number, missing: number }}
 */
export function valueBins(values, steps = RAMP_STEPS) {
  const { values: t, min, max } = normalize(values);
  const bins = new Float32Array(values.length);
  let missing = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) bins[i] = 1 + Math.round(t[i] * (steps - 1));
    else missing++;
  }
  return { bins, min, max, missing };
}
