// @ts-check
/**
 * How label codes become point encodings (pure; the WebGL part is scatter.js).
 *
 * Each point carries one categorical value, `code + 1` (0 = unlabeled), which indexes the
 * colour, size and opacity lists: unlabeled points are grey, a little smaller and translucent.
 */

import { safeColor } from "./theme.js";

/** @typedef {import("./theme.js").Palette} Palette */

const FALLBACK_COLOR = "#808080";
const UNLABELED_OPACITY = 0.75;
const UNLABELED_SIZE_RATIO = 0.75;

/**
 * Base point size (CSS px) for n points: big enough to see and click, small enough that dense
 * maps do not turn into blobs.
 * @param {number} n
 */
export function pointSizeFor(n) {
  if (n <= 2_000) return 7;
  if (n <= 20_000) return 5;
  if (n <= 100_000) return 3;
  if (n <= 400_000) return 2;
  return 1.5;
}

/**
 * The categorical value per point: code + 1, or 0 for unlabeled and out-of-range codes.
 * Points past the end of `codes` (a codes buffer that lags the coords) count as unlabeled.
 * @param {ArrayLike<number>} codes
 * @param {number} n number of points
 * @param {number} k number of labels
 * @returns {Float32Array}
 */
export function categoryValues(codes, n, k) {
  const z = new Float32Array(n);
  const m = Math.min(n, codes.length);
  for (let i = 0; i < m; i++) {
    const c = codes[i];
    if (c >= 0 && c < k) z[i] = c + 1;
  }
  return z;
}

/**
 * regl-scatterplot encodings indexed by categorical value (0 = unlabeled, 1.. = labels).
 * @param {string[]} colors
 * @param {number} k
 * @param {number} n
 * @param {Palette} palette
 */
export function encodings(colors, k, n, palette) {
  const base = pointSizeFor(n);
  const pointColor = [palette.unlabeled];
  const pointSize = [Math.max(1, base * UNLABELED_SIZE_RATIO)];
  const opacity = [UNLABELED_OPACITY];
  for (let c = 0; c < k; c++) {
    pointColor.push(safeColor(colors[c], FALLBACK_COLOR));
    pointSize.push(base);
    opacity.push(1);
  }
  // Selected points: an outline in their colour around a halo of the background; grey points get
  // the palette's strong ring instead (their own grey hardly shows against the halo).
  return { pointColor, pointColorActive: [palette.ring, ...pointColor.slice(1)], pointSize, opacity };
}

/** @typedef {"labels" | "highlight" | "similarity" | "values"} Overlay */

export const DIM_OPACITY = 0.12;
export const SIMILARITY_OPACITY = [0.35, 0.55, 0.75, 0.9, 1];

/**
 * Encodings for what the points show: their labels (valueA = code + 1), labels with search
 * matches highlighted (valueB = 1 for a match, 0 dims the rest), a similarity score
 * (valueB in [0, 1] through a sequential `ramp`), or the values the map is coloured by (valueB =
 * colour bin, see colorscale.valueBins).
 * @param {Overlay} overlay
 * @param {string[]} colors
 * @param {number} k
 * @param {number} n
 * @param {Palette} palette
 * @param {string[]} ramp
 */
export function overlayEncodings(overlay, colors, k, n, palette, ramp) {
  const base = encodings(colors, k, n, palette);
  if (overlay === "highlight") {
    const size = pointSizeFor(n);
    return {
      ...base,
      pointSize: [Math.max(1, size * 0.8), size * 1.5],
      opacity: [DIM_OPACITY, 1],
      colorBy: "valueA",
      sizeBy: "valueB",
      opacityBy: "valueB",
    };
  }
  if (overlay === "values") {
    // valueB = colour bin (colorscale.valueBins): 0 = no value (grey), 1.. = the ramp's steps.
    // Only the colour varies: every point full size and opaque, labeled or not.
    const pointColor = [palette.unlabeled, ...ramp];
    return {
      ...base,
      pointColor,
      pointColorActive: [palette.ring, ...ramp],
      pointSize: pointSizeFor(n),
      opacity: 1,
      colorBy: "valueB",
      sizeBy: null,
      opacityBy: null,
    };
  }
  if (overlay === "similarity") {
    return {
      ...base,
      pointColor: ramp,
      pointColorActive: ramp,
      opacity: SIMILARITY_OPACITY,
      colorBy: "valueB",
      sizeBy: "valueA",
      opacityBy: "valueB",
    };
  }
  return { ...base, colorBy: "valueA", sizeBy: "valueA", opacityBy: "valueA" };
}
