// @ts-check
/**
 * The legend: one row per label (colour swatch, name, point count) plus an "unlabeled" row.
 * Labels with no points are left out; with many labels it shows the LEGEND_TOP with the most
 * points and a "+N more" button that shows the rest (in a box that scrolls, not the page).
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

export const LEGEND_TOP = 12;

/**
 * The rows to show: labels with points (all of them when `expanded` or when at most `top` are
 * left, else the `top` with the most points, in code order), then "unlabeled" (always).
 * @param {LegendRow[]} rows as legendRows gives them (unlabeled last)
 * @param {{ top?: number, expanded?: boolean }} [options]
 * @returns {{ rows: LegendRow[], hidden: number }} hidden: labels with points left out
 */
export function collapseRows(rows, { top = LEGEND_TOP, expanded = false } = {}) {
  const labels = rows.filter((r) => r.code !== UNLABELED && r.count > 0);
  const unlabeled = rows.filter((r) => r.code === UNLABELED);
  if (expanded || labels.length <= top + 1) return { rows: [...labels, ...unlabeled], hidden: 0 };
  const keep = new Set([...labels].sort((a, b) => b.count - a.count || a.code - b.code).slice(0, top).map((r) => r.code));
  return { rows: [...labels.filter((r) => keep.has(r.code)), ...unlabeled], hidden: labels.length - keep.size };
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
 * the end of a lagging codes buffer are unlabeled too), rendered into `container`, collapsed to
 * the top labels unless `expanded` (a "+N more" / "Show fewer" button has class corral-legend-more).
 * @param {HTMLElement} container
 * @param {{ categories: string[], colors: string[], codes: Int32Array, n: number,
 *           unlabeledColor: string, expanded?: boolean }} args
 * @param {DocLike} [doc]
 * @returns {LegendRow[]} every row (the counts per label, for the label bar)
 */
export function showLegend(container, { categories, colors, codes, n, unlabeledColor, expanded = false },
  doc = globalThis.document) {
  const all = legendRows({ categories, colors, codes: codes.length > n ? codes.subarray(0, n) : codes, unlabeledColor });
  if (codes.length < n) all[all.length - 1].count += n - codes.length;
  const collapsed = collapseRows(all);
  const { rows } = expanded ? collapseRows(all, { expanded: true }) : collapsed;
  renderLegend(container, rows, doc);
  if (collapsed.hidden) {
    const more = doc.createElement("button");
    more.className = "corral-button corral-legend-more";
    /** @type {any} */ (more).type = "button";
    more.textContent = expanded ? "Show fewer" : `+${formatCount(collapsed.hidden)} more`;
    more.title = expanded ? `Show the ${LEGEND_TOP} labels with the most points` : "Show every label";
    container.append(more);
  }
  container.toggleAttribute?.("data-expanded", expanded && collapsed.hidden > 0);
  return all;
}
