// @ts-check
/**
 * The legend: one row per label (colour swatch, name, point count) plus an "unlabeled" row.
 *
 * Label names come from users, so the DOM is built with createElement/textContent only (never
 * innerHTML): a name like `<img src=x onerror=...>` is shown as the literal text it is.
 */

import { UNLABELED } from "./protocol.js";

/**
 * @typedef {object} LegendRow
 * @property {number} code label code (UNLABELED for the unlabeled row)
 * @property {string} name
 * @property {string} color CSS colour of the swatch
 * @property {number} count points with this code
 */

/**
 * Points per label code. Codes outside [0, k) other than -1 count as unlabeled (a stale codes
 * buffer must not crash the view).
 * @param {ArrayLike<number>} codes
 * @param {number} k number of labels
 * @returns {{ counts: Float64Array, unlabeled: number }}
 */
export function countCodes(codes, k) {
  const counts = new Float64Array(Math.max(0, k));
  let unlabeled = 0;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c >= 0 && c < k) counts[c]++;
    else unlabeled++;
  }
  return { counts, unlabeled };
}

/**
 * The rows to show, labels first (in code order), then "unlabeled".
 * @param {{ categories: string[], colors: string[], codes: ArrayLike<number>,
 *           unlabeledColor: string, fallbackColor?: string }} args
 * @returns {LegendRow[]}
 */
export function legendRows({ categories, colors, codes, unlabeledColor, fallbackColor }) {
  const { counts, unlabeled } = countCodes(codes, categories.length);
  /** @type {LegendRow[]} */
  const rows = categories.map((name, code) => ({
    code,
    name: String(name),
    color: colors[code] ?? fallbackColor ?? unlabeledColor,
    count: counts[code],
  }));
  rows.push({ code: UNLABELED, name: "unlabeled", color: unlabeledColor, count: unlabeled });
  return rows;
}

/**
 * A count as people read it ("1,234,567").
 * @param {number} n
 */
export function formatCount(n) {
  return Math.round(n).toLocaleString("en-US");
}

/**
 * @typedef {{ createElement(tag: string): HTMLElement }} DocLike
 */

/**
 * Replace the contents of `container` with the legend rows.
 * @param {HTMLElement} container
 * @param {LegendRow[]} rows
 * @param {DocLike} [doc]
 */
export function renderLegend(container, rows, doc = globalThis.document) {
  const children = rows.map((row) => {
    const item = doc.createElement("div");
    item.className = row.code === UNLABELED ? "corral-legend-row corral-unlabeled" : "corral-legend-row";
    item.setAttribute("role", "listitem");
    item.setAttribute("data-code", String(row.code));
    item.setAttribute("data-count", String(row.count));
    item.title = `${row.name}: ${formatCount(row.count)} points`;

    const swatch = doc.createElement("span");
    swatch.className = "corral-swatch";
    swatch.style.backgroundColor = row.color;

    const name = doc.createElement("span");
    name.className = "corral-label";
    name.textContent = row.name;

    const count = doc.createElement("span");
    count.className = "corral-count";
    count.textContent = formatCount(row.count);

    item.append(swatch, name, count);
    return item;
  });
  container.replaceChildren(...children);
}

/**
 * The legend of the points as they are: rows for `codes` (only the first n count; points past
 * the end of a lagging codes buffer are unlabeled too), rendered into `container`.
 * @param {HTMLElement} container
 * @param {{ categories: string[], colors: string[], codes: Int32Array, n: number,
 *           unlabeledColor: string }} args
 * @param {DocLike} [doc]
 */
export function showLegend(container, { categories, colors, codes, n, unlabeledColor }, doc = globalThis.document) {
  const rows = legendRows({ categories, colors, codes: codes.length > n ? codes.subarray(0, n) : codes, unlabeledColor });
  if (codes.length < n) rows[rows.length - 1].count += n - codes.length;
  renderLegend(container, rows, doc);
}
