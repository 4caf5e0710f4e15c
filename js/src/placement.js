// @ts-check
/**
 * Where to write names over the map so that none covers another and none is cut at the canvas
 * edge (pure logic, no DOM). Greedy by priority: the most important name (a larger cluster or
 * region) is placed first at its anchor; each next one goes at its anchor or, when that covers a
 * name already placed, at a nearby offset (above, below, half a name right or left, then a row further); a name that
 * fits nowhere near its anchor is hidden. Every placed box is clamped inside the bounds; a name
 * whose anchor is off the canvas is hidden (its shape is out of view), and a name wider than the
 * canvas is shortened (see fitText).
 *
 * @example
 * placeLabels(
 *   [{ anchor: [50, 50], width: 40, height: 14, priority: 2 },
 *    { anchor: [52, 50], width: 40, height: 14, priority: 1 }],
 *   { width: 200, height: 100 },
 * ); // -> the first at its anchor, the second moved above or below it
 */

/**
 * @typedef {object} LabelItem
 * @property {[number, number]} anchor where the name belongs (canvas px), e.g. a centroid
 * @property {number} width of its box (px, halo included)
 * @property {number} height of its box (px)
 * @property {number} priority larger first
 */
/** @typedef {{ x: number, y: number, width: number, height: number }} Box left, top */
/** @typedef {{ shown: boolean, box: Box }} Placed */

/** @param {Box} a @param {Box} b @param {number} gap */
export function intersects(a, b, gap = 0) {
  return (
    a.x < b.x + b.width + gap && b.x < a.x + a.width + gap && a.y < b.y + b.height + gap && b.y < a.y + a.height + gap
  );
}

/** @param {number} v @param {number} lo @param {number} hi */
const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), Math.max(lo, hi));

/**
 * Offsets (in box widths / heights) of the places tried around the anchor, nearest first.
 * @type {Array<[number, number]>}
 */
const CANDIDATES = [
  [0, 0], [0, -1], [0, 1], [0.5, 0], [-0.5, 0], [0.5, -1], [-0.5, -1], [0.5, 1], [-0.5, 1],
  [0, -2], [0, 2],
];

/**
 * @param {LabelItem[]} items
 * @param {{ width: number, height: number }} bounds the canvas (px, origin top-left)
 * @param {{ gap?: number, margin?: number }} [options] gap: px kept between boxes; margin: px
 *   kept from the canvas edge
 * @returns {Placed[]} one per item, in the items' order
 */
export function placeLabels(items, bounds, { gap = 2, margin = 2 } = {}) {
  const order = items.map((_, i) => i).sort((a, b) => items[b].priority - items[a].priority || a - b);
  /** @type {Box[]} */
  const placed = [];
  /** @type {Placed[]} */
  const out = items.map((it) => ({ shown: false, box: { x: it.anchor[0], y: it.anchor[1], width: 0, height: 0 } }));
  for (const i of order) {
    const { anchor, width, height } = items[i];
    const [ax, ay] = anchor;
    if (!(Number.isFinite(ax) && Number.isFinite(ay) && width > 0 && height > 0)) continue;
    if (ax < 0 || ay < 0 || ax > bounds.width || ay > bounds.height) continue; // out of view
    if (width > bounds.width - 2 * margin || height > bounds.height - 2 * margin) continue;
    for (const [dx, dy] of CANDIDATES) {
      const box = {
        x: clamp(ax - width / 2 + dx * width, margin, bounds.width - margin - width),
        y: clamp(ay - height / 2 + dy * (height + gap), margin, bounds.height - margin - height),
        width,
        height,
      };
      if (placed.some((p) => intersects(p, box, gap))) continue;
      placed.push(box);
      out[i] = { shown: true, box };
      break;
    }
  }
  return out;
}

/**
 * The longest start of `text` (with "…") whose width fits in `max` px, or the text itself.
 * @param {string} text
 * @param {number} max
 * @param {(s: string) => number} measure its width in px
 */
export function fitText(text, max, measure) {
  if (measure(text) <= max) return text;
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (measure(`${chars.slice(0, mid).join("")}\u2026`) <= max) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join("")}\u2026`;
}
