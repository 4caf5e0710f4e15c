// @ts-check
/**
 * Search: a mode (keyword | regex | meaning) and a query; Enter asks Python (MSG_SEARCH).
 *   keyword / regex -> the matching points: highlighted (the rest dimmed), "N matches",
 *                      "Select these" makes them the selection;
 *   meaning         -> a similarity per point: points coloured by it (sequential scale, shown
 *                      as a colour bar with the lowest and highest similarity instead of the
 *                      label legend), the old selection let go; "Select top K" selects the K
 *                      most similar (K editable, default 100). Labels applied meanwhile end
 *                      the similarity colouring (index.js), so they show at once.
 * "Clear" returns to the label colours. A bad regex comes back as an error reply, which the
 * message client shows in the status line.
 */

import { keepKeys } from "./keys.js";
import { h } from "./layout.js";
import { formatCount } from "./legend.js";
import { MSG_SEARCH, decodeIndices, decodeScores, normalizeIndices } from "./protocol.js";
import { normalize, topK } from "./colorscale.js";

export const DEFAULT_TOP_K = 100;
export const MODES = [
  ["keyword", "keyword"],
  ["regex", "regex"],
  ["semantic", "meaning"],
];

/**
 * @typedef {object} SearchOptions
 * @property {import("./messages.js").Client} client
 * @property {() => number} count number of points
 * @property {(kind: import("./encoding.js").Overlay, values: Float32Array | null,
 *   range?: { query: string, min: number, max: number }) => void} onOverlay
 *   what the points show: "highlight" (valueB 1 = match), "similarity" (valueB = score in [0, 1],
 *   with the query and the lowest and highest similarity for the colour bar) or "labels" (values null)
 * @property {(indices: ArrayLike<number>) => void} select make these points the selection
 * @property {(text: string) => void} info a message for the status line
 * @property {() => string} rampCss CSS gradient of the similarity colour scale
 */

/**
 * @param {Document} doc
 * @param {SearchOptions} o
 */
export function createSearch(doc, o) {
  const el = h(doc, "div", "corral-search");
  el.setAttribute("role", "search");

  const mode = /** @type {HTMLSelectElement} */ (h(doc, "select", "corral-select corral-search-mode"));
  mode.setAttribute("aria-label", "Search mode");
  mode.title = "keyword: plain text \u00b7 regex: regular expression \u00b7 meaning: most similar texts";
  for (const [value, text] of MODES) {
    const option = /** @type {HTMLOptionElement} */ (h(doc, "option", undefined, text));
    option.value = value;
    mode.append(option);
  }
  const input = /** @type {HTMLInputElement} */ (h(doc, "input", "corral-input corral-search-input"));
  input.type = "search";
  input.placeholder = "Search texts, Enter";
  input.setAttribute("aria-label", "Search texts");
  input.spellcheck = false;
  keepKeys(input);
  keepKeys(mode);

  const result = h(doc, "div", "corral-search-result");
  result.hidden = true;
  const summary = h(doc, "span", "corral-search-count", "");
  const ramp = h(doc, "span", "corral-ramp");
  ramp.title = "Similarity: low \u2192 high";
  const selectThese = /** @type {HTMLButtonElement} */ (h(doc, "button", "corral-button corral-select-matches", "Select these"));
  selectThese.type = "button";
  selectThese.title = "Make the matching points the selection";
  const topGroup = h(doc, "span", "corral-topk-group");
  const selectTop = /** @type {HTMLButtonElement} */ (h(doc, "button", "corral-button corral-select-top", "Select top"));
  selectTop.type = "button";
  selectTop.title = "Select the K most similar points";
  const k = /** @type {HTMLInputElement} */ (h(doc, "input", "corral-input corral-topk"));
  k.type = "number";
  k.min = "1";
  k.step = "1";
  k.value = String(DEFAULT_TOP_K);
  k.setAttribute("aria-label", "K: how many of the most similar points to select");
  keepKeys(k);
  topGroup.append(selectTop, k);
  const clear = /** @type {HTMLButtonElement} */ (h(doc, "button", "corral-button corral-search-clear", "Clear"));
  clear.type = "button";
  clear.title = "Back to the label colours";
  result.append(summary, ramp, selectThese, topGroup, clear);
  el.append(mode, input, result);

  let latest = 0;
  /** @type {Uint32Array | null} */
  let matches = null;
  /** @type {Float32Array | null} */
  let scores = null;

  /** @param {"matches" | "scores" | null} kind */
  const showResult = (kind) => {
    result.hidden = kind === null;
    el.dataset.result = kind ?? "";
    selectThese.hidden = kind !== "matches" || !matches?.length;
    topGroup.hidden = kind !== "scores";
    ramp.hidden = true; // the colour bar above the legend shows the scale, with its values
    if (kind === "scores") ramp.style.background = o.rampCss();
  };

  const reset = () => {
    latest++;
    matches = null;
    scores = null;
    delete el.dataset.busy;
    showResult(null);
  };

  const run = async () => {
    const query = input.value;
    if (!query.trim()) {
      o.info("Type something to search for");
      return;
    }
    const id = ++latest;
    const kind = mode.value;
    el.dataset.busy = "1";
    try {
      const { content, buffers } = await o.client.request(MSG_SEARCH, { query, mode: kind });
      if (id !== latest) return;
      const n = o.count();
      if (content.mode === "semantic") {
        const got = decodeScores(buffers[0]);
        if (got.length !== n) throw new Error(`search: ${got.length} scores for ${n} points`);
        scores = got.slice();
        matches = null;
        summary.textContent = "Similarity";
        // The old selection would hide among the similarity colours: let go of it.
        o.select([]);
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of scores) if (Number.isFinite(v)) (lo = Math.min(lo, v)), (hi = Math.max(hi, v));
        o.onOverlay("similarity", normalize(scores).values, { query, min: lo, max: hi });
        showResult("scores");
      } else {
        matches = normalizeIndices(decodeIndices(buffers[0]), n);
        scores = null;
        summary.textContent = `${formatCount(matches.length)} match${matches.length === 1 ? "" : "es"}`;
        if (matches.length) {
          const mask = new Float32Array(n);
          for (const i of matches) mask[i] = 1;
          o.onOverlay("highlight", mask);
        } else {
          o.onOverlay("labels", null);
        }
        showResult("matches");
      }
    } catch (err) {
      // Error replies are already in the status line; anything else goes there too.
      if (id === latest && !(err && /** @type {any} */ (err).name === "ReplyError")) o.info(String(err));
    } finally {
      if (id === latest) delete el.dataset.busy;
    }
  };

  const selectTopK = () => {
    if (!scores) return;
    const want = Math.floor(Number(k.value));
    if (!(want >= 1)) {
      o.info("K must be a whole number of at least 1");
      return;
    }
    o.select(topK(scores, want));
  };

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      run();
    }
  });
  k.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      selectTopK();
    }
  });
  selectThese.addEventListener("click", () => matches && o.select(matches));
  selectTop.addEventListener("click", selectTopK);
  clear.addEventListener("click", () => {
    reset();
    o.onOverlay("labels", null);
  });

  return {
    el,
    /** Forget the results (e.g. the points changed); the caller restores label colours. */
    reset,
    /** Whether a search result is shown. */
    get active() {
      return matches !== null || scores !== null;
    },
  };
}
