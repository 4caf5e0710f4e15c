// @ts-check
/**
 * Drawn regions, pure logic (no DOM): the wire format, colours, the polygon being drawn, hit
 * tests, edits, and the draw mode's keys. Polygons are arrays of [x, y] in data (map) coordinates
 * unless a function says otherwise; edits return new arrays (the shown list is replaced, not
 * changed in place, so a refused edit can fall back to what Python holds).
 */

/** @typedef {[number, number]} Point */
/** @typedef {{ label: string, polygon: Point[] }} Region */
/** @typedef {{ name: string, polygon: Point[] }} Outline */

/** The first colours of labels, as corral.core.palette.BASE (checked by tests/map/test_widget_state.py). */
export const BASE = [
  "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
  "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#17becf",
  "#1f3a93", "#a0cb33", "#8c2d04", "#d62ad0", "#00a676",
  "#ffbe0b", "#6a4c93", "#ff595e", "#3a86ff", "#8ac926",
];
const GOLDEN = 0.618033988749895;

/** Python's colorsys.hls_to_rgb. @param {number} h @param {number} l @param {number} s */
function hlsToRgb(h, l, s) {
  if (s === 0) return [l, l, l];
  const m2 = l <= 0.5 ? l * (1 + s) : l + s - l * s;
  const m1 = 2 * l - m2;
  /** @param {number} hue */
  const v = (hue) => {
    hue = ((hue % 1) + 1) % 1;
    if (hue < 1 / 6) return m1 + (m2 - m1) * hue * 6;
    if (hue < 0.5) return m2;
    if (hue < 2 / 3) return m1 + (m2 - m1) * (2 / 3 - hue) * 6;
    return m1;
  };
  return [v(h + 1 / 3), v(h), v(h - 1 / 3)];
}

/** Python's round(): halves to even. @param {number} x */
function roundHalfEven(x) {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * The colour of label number `code` (0-based), as corral.core.palette.color_for.
 * @param {number} code
 */
export function colorFor(code) {
  if (code < BASE.length) return BASE[code];
  const h = (code * GOLDEN) % 1;
  const lightness = 0.45 + 0.15 * (Math.floor(code / 7) % 2);
  const hex = hlsToRgb(h, lightness, 0.65).map((c) => roundHalfEven(c * 255).toString(16).padStart(2, "0"));
  return `#${hex.join("")}`;
}

/**
 * Colour per region label: a category's colour, else the next colours after the categories' (in
 * order of first appearance), as the label will get once points carry it.
 * @param {string[]} labels
 * @param {string[]} categories
 * @param {string[]} colors of the categories
 * @returns {Map<string, string>}
 */
export function labelColors(labels, categories, colors) {
  /** @type {Map<string, string>} */
  const out = new Map();
  let next = categories.length;
  for (const label of labels) {
    if (out.has(label)) continue;
    const code = categories.indexOf(label);
    out.set(label, code >= 0 ? colors[code] ?? colorFor(code) : colorFor(next++));
  }
  return out;
}

/** @param {unknown} polygon @returns {Point[] | null} */
function cleanPolygon(polygon) {
  if (!Array.isArray(polygon)) return null;
  const pts = polygon.filter(
    (p) => Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]),
  );
  return pts.length >= 3 && pts.length === polygon.length ? pts.map((p) => /** @type {Point} */ ([p[0], p[1]])) : null;
}

/**
 * The `regions` trait as regions (malformed entries dropped; Python sends only checked ones).
 * @param {unknown} wire
 * @returns {Region[]}
 */
export function regionsFromWire(wire) {
  if (!Array.isArray(wire)) return [];
  /** @type {Region[]} */
  const out = [];
  for (const entry of wire) {
    const polygon = cleanPolygon(entry?.polygon);
    if (polygon && typeof entry.label === "string" && entry.label) out.push({ label: entry.label, polygon });
  }
  return out;
}

/**
 * The `outlines` trait as outlines (names as given: they are shown as text only).
 * @param {unknown} wire
 * @returns {Outline[]}
 */
export function outlinesFromWire(wire) {
  if (!Array.isArray(wire)) return [];
  /** @type {Outline[]} */
  const out = [];
  for (const entry of wire) {
    const polygon = cleanPolygon(entry?.polygon);
    if (polygon) out.push({ name: String(entry.name ?? ""), polygon });
  }
  return out;
}

/** @param {Region[]} regions */
export const regionsToWire = (regions) =>
  regions.map((r) => ({ label: r.label, polygon: r.polygon.map((p) => [...p]) }));

/**
 * Twice the signed area (shoelace; positive when counter-clockwise in a y-up space).
 * @param {Point[]} poly
 */
export function signedArea2(poly) {
  let s = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) s += poly[j][0] * poly[i][1] - poly[i][0] * poly[j][1];
  return s;
}

/**
 * Where to write a polygon's name: its area centroid, or the mean of its vertices when it has
 * (almost) no area.
 * @param {Point[]} poly
 * @returns {Point}
 */
export function centroid(poly) {
  const a2 = signedArea2(poly);
  const n = poly.length;
  if (!n) return [0, 0];
  const span = Math.max(...poly.map((p) => Math.abs(p[0] - poly[0][0]) + Math.abs(p[1] - poly[0][1])));
  if (Math.abs(a2) <= 1e-12 * span * span || !Number.isFinite(a2)) {
    return [poly.reduce((s, p) => s + p[0], 0) / n, poly.reduce((s, p) => s + p[1], 0) / n];
  }
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const cross = poly[j][0] * poly[i][1] - poly[i][0] * poly[j][1];
    cx += (poly[j][0] + poly[i][0]) * cross;
    cy += (poly[j][1] + poly[i][1]) * cross;
  }
  return [cx / (3 * a2), cy / (3 * a2)];
}

/**
 * Whether `p` is inside `poly` (even-odd rule, as corral.core.geometry).
 * @param {Point[]} poly
 * @param {Point} p
 */
export function contains(poly, [x, y]) {
  let inside = false;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const [xi, yi] = poly[i];
    const [xj, yj] = poly[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/**
 * The region under `p`: the last drawn (topmost) that contains it, or -1.
 * @param {Region[]} regions
 * @param {Point} p
 */
export function regionAt(regions, p) {
  for (let r = regions.length - 1; r >= 0; r--) if (contains(regions[r].polygon, p)) return r;
  return -1;
}

/**
 * The polygon being drawn with one more vertex; a vertex within `tolerance` of the last one is
 * not added again (the two clicks of the double-click that closes a polygon).
 * @param {Point[]} draft
 * @param {Point} p
 * @param {number} tolerance
 * @returns {Point[]}
 */
export function addVertex(draft, p, tolerance) {
  const last = draft[draft.length - 1];
  if (last && Math.hypot(last[0] - p[0], last[1] - p[1]) <= tolerance) return draft;
  return [...draft, [p[0], p[1]]];
}

/**
 * Close the polygon being drawn: the finished polygon, or null when it cannot be one (fewer
 * than 3 distinct vertices, or all of them on one line). A last vertex on the first is dropped.
 * @param {Point[]} draft
 * @param {number} tolerance
 * @returns {Point[] | null}
 */
export function closeDraft(draft, tolerance) {
  /** @type {Point[]} */
  const pts = [];
  for (const p of draft) {
    const last = pts[pts.length - 1];
    if (!last || Math.hypot(last[0] - p[0], last[1] - p[1]) > tolerance) pts.push(p);
  }
  const [first, last] = [pts[0], pts[pts.length - 1]];
  if (pts.length > 3 && Math.hypot(first[0] - last[0], first[1] - last[1]) <= tolerance) pts.pop();
  if (pts.length < 3) return null;
  const extent = Math.max(...pts.map((p) => Math.hypot(p[0] - pts[0][0], p[1] - pts[0][1])));
  return Math.abs(signedArea2(pts)) > 1e-9 * extent * extent ? pts : null;
}

/**
 * @param {Region[]} regions
 * @param {string} label
 * @param {Point[]} polygon
 * @returns {Region[]}
 */
export const addRegion = (regions, label, polygon) => [...regions, { label, polygon }];

/**
 * @param {Region[]} regions
 * @param {number} r region
 * @param {number} v vertex
 * @param {Point} p its new place
 * @returns {Region[]}
 */
export function moveVertex(regions, r, v, p) {
  return regions.map((region, i) =>
    i === r ? { label: region.label, polygon: region.polygon.map((q, k) => (k === v ? [p[0], p[1]] : q)) } : region,
  );
}

/** @param {Region[]} regions @param {number} r @returns {Region[]} */
export const removeRegion = (regions, r) => regions.filter((_, i) => i !== r);

/**
 * @typedef {{ type: "toggle" } | { type: "close" } | { type: "cancel" } | { type: "delete" } |
 *           { type: "pick", index: number }} DrawKey
 */

/**
 * What a key press means to the draw mode, or null. `d` toggles it (any time); while drawing:
 * Enter closes the polygon, Escape cancels it (or lets go of the chosen region, or leaves draw
 * mode), Delete / Backspace removes the chosen region, 1-9 pick the label to draw with.
 * @param {{ key?: string, code?: string, ctrlKey?: boolean, metaKey?: boolean, altKey?: boolean,
 *           shiftKey?: boolean, repeat?: boolean }} e
 * @param {boolean} active whether draw mode is on
 * @returns {DrawKey | null}
 */
export function drawKey(e, active) {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const key = e.key ?? "";
  if ((key === "d" || key === "D" || e.code === "KeyD") && !e.shiftKey) return { type: "toggle" };
  if (!active) return null;
  if (key === "Enter") return { type: "close" };
  if (key === "Escape") return { type: "cancel" };
  if (key === "Delete" || key === "Backspace") return { type: "delete" };
  if (/^[1-9]$/.test(key)) return { type: "pick", index: Number(key) - 1 };
  return null;
}
