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

/**
 * The tooltip text of a label chip: what applying it does, then the label's guideline (definition,
 * what is in, what is out, examples), as plain text lines. Guidelines come from users: callers set
 * the result as text (the title attribute), never as HTML.
 * @param {string} action e.g. `Apply "spam" to the selection (key 1)`
 * @param {unknown} guideline `{definition, include, exclude, examples}` or undefined
 * @returns {string}
 */
export function guidelineText(action, guideline) {
  if (!guideline || typeof guideline !== "object") return action;
  const g = /** @type {Record<string, unknown>} */ (guideline);
  const lines = [action];
  const text = (/** @type {unknown} */ v) => (typeof v === "string" ? v.trim() : "");
  if (text(g.definition)) lines.push("", text(g.definition));
  if (text(g.include)) lines.push(`Includes: ${text(g.include)}`);
  if (text(g.exclude)) lines.push(`Excludes: ${text(g.exclude)}`);
  const examples = Array.isArray(g.examples) ? g.examples.map(text).filter(Boolean) : [];
  if (examples.length) lines.push("Examples:", ...examples.slice(0, 5).map((e) => `  \u2022 ${e.length > 200 ? `${e.slice(0, 200)}\u2026` : e}`));
  return lines.join("\n");
}
