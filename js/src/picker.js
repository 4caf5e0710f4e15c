// @ts-check
/**
 * Which labels the label bar shows as chips and which wait behind "+N more", and the filter of
 * that list. Pure functions (no DOM), so the rules are tested in node.
 *
 * The rule: labels with no points are never chips (they linger otherwise after an undo); when
 * at most CHIP_LIMIT labels have points, every one of them is a chip, in code order (the order
 * of first use, as the colours are); beyond that the TOP_CHIPS labels with the most points are
 * chips (ties: the older label), still in code order, and the rest (with the empty ones) are in
 * the "+N more" list, most points first. Keys 1-9 apply the first nine chips.
 */

export const CHIP_LIMIT = 12;
export const TOP_CHIPS = 9;

/**
 * @param {number} k number of labels
 * @param {ArrayLike<number>} counts points per label code
 * @param {{ limit?: number, top?: number }} [options]
 * @returns {{ chips: number[], rest: number[] }} label codes
 */
export function splitLabels(k, counts, { limit = CHIP_LIMIT, top = TOP_CHIPS } = {}) {
  const codes = Array.from({ length: k }, (_, i) => i);
  const count = (/** @type {number} */ c) => Number(counts[c] ?? 0);
  const used = codes.filter((c) => count(c) > 0);
  const byCount = (/** @type {number} */ a, /** @type {number} */ b) => count(b) - count(a) || a - b;
  const chips = used.length <= limit ? used : [...used].sort(byCount).slice(0, top).sort((a, b) => a - b);
  const isChip = new Set(chips);
  const rest = codes.filter((c) => !isChip.has(c)).sort(byCount);
  return { chips, rest };
}

/**
 * The labels whose name contains every word of `query` (case-insensitive), names that start
 * with it first; order kept otherwise.
 * @param {string[]} names label names
 * @param {number[]} codes the codes to filter (in the order to show)
 * @param {string} query
 * @returns {number[]}
 */
export function filterLabels(names, codes, query) {
  const words = String(query).toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return codes;
  const hits = codes.filter((c) => {
    const name = String(names[c]).toLowerCase();
    return words.every((w) => name.includes(w));
  });
  const first = String(query).trim().toLowerCase();
  const starts = hits.filter((c) => String(names[c]).toLowerCase().startsWith(first));
  return [...starts, ...hits.filter((c) => !starts.includes(c))];
}
