// @ts-check
/**
 * "Show suggestions", its confidence threshold and "Accept" (button and key `a`, the key only while
 * suggestions are shown: otherwise `a` is left to JupyterLab).
 *
 * Suggestions come from Python (MSG_SUGGEST: float32 confidence + int32 suggested code per point,
 * label names as text, and a `token` naming that frame). While shown, each unlabeled point whose
 * suggestion reaches the threshold is drawn in a lighter, smaller version of its suggested
 * label's colour, fainter the less confident; the points below stay grey and labeled points keep
 * their colour. "Accept" sends MSG_ACCEPT with the token of the frame on the screen, the
 * threshold and the selection (empty: every suggestion shown); Python decides, and refuses when
 * its suggestions are no longer the ones shown. The pure parts (values, encodings) are exported
 * for tests.
 */

import { pointSizeFor } from "./encoding.js";
import { h } from "./layout.js";
import { guardShortcuts, isTextField } from "./keys.js";
import { formatCount } from "./legend.js";
import { MSG_ACCEPT, MSG_SUGGEST, decodeCodes, decodeScores } from "./protocol.js";
import { safeColor } from "./theme.js";

/** Opacity by valueB (continuous, 0..1): labeled points sit at 1, suggestions at 0.15..0.8. */
export const OPACITY_STEPS = Array.from({ length: 11 }, (_, i) => Math.round((0.1 + 0.09 * i) * 100) / 100);
export const LABELED_W = 1;
export const GREY_W = 0.7; // unlabeled, no suggestion shown: as translucent as without suggestions
export const SUGGESTION_SIZE_RATIO = 0.7;
export const LIGHTEN = 0.45; // share of the background mixed into a suggestion's colour
export const DEFAULT_THRESHOLD = 0.9;
export const REFIT_POLL_MS = 1500;

/**
 * Mix two "#rrggbb" colours: `t` of `b` into `a`.
 * @param {string} a @param {string} b @param {number} t
 */
export function mixColor(a, b, t) {
  const rgb = (/** @type {string} */ c) => {
    const s = c.length === 4 ? `#${c[1]}${c[1]}${c[2]}${c[2]}${c[3]}${c[3]}` : c.slice(0, 7);
    return [1, 3, 5].map((i) => parseInt(s.slice(i, i + 2), 16));
  };
  const [x, y] = [rgb(safeColor(a, "#808080")), rgb(safeColor(b, "#ffffff"))];
  return `#${x.map((v, i) => Math.round(v * (1 - t) + y[i] * t).toString(16).padStart(2, "0")).join("")}`;
}

/**
 * What each point shows with suggestions on. valueA (categorical): 0 grey, 1..k label code + 1,
 * k+1..2k a suggestion of code (value - k - 1); valueB: opacity (see OPACITY_STEPS).
 * @param {ArrayLike<number>} codes label code per point (-1 unlabeled)
 * @param {{ codes: Int32Array, confidence: Float32Array, labels: string[] }} frame from Python
 * @param {number} threshold suggestions below it stay grey
 * @param {number} n number of points
 * @param {string[]} categories current label names (a suggestion's colour is its label's)
 * @returns {{ z: Float32Array, w: Float32Array, shown: number }}
 */
export function suggestionValues(codes, frame, threshold, n, categories) {
  const k = categories.length;
  const toCat = frame.labels.map((name) => categories.indexOf(name));
  const z = new Float32Array(n);
  const w = new Float32Array(n);
  let shown = 0;
  for (let i = 0; i < n; i++) {
    const c = i < codes.length ? codes[i] : -1;
    if (c >= 0 && c < k) {
      z[i] = c + 1;
      w[i] = LABELED_W;
      continue;
    }
    w[i] = GREY_W;
    if (i >= frame.codes.length) continue;
    const s = frame.codes[i];
    const p = frame.confidence[i];
    const cat = s >= 0 && s < toCat.length ? toCat[s] : -1;
    if (cat < 0 || !(p >= threshold)) continue;
    z[i] = k + 1 + cat;
    w[i] = 0.05 + 0.75 * Math.min(1, Math.max(0, p)); // fainter the less confident, never as a label
    shown++;
  }
  return { z, w, shown };
}

/**
 * regl-scatterplot encodings for suggestionValues: label colours as usual, suggestions lighter
 * (mixed with the background) and smaller.
 * @param {string[]} colors @param {number} k @param {number} n
 * @param {import("./theme.js").Palette} palette
 */
export function suggestionEncodings(colors, k, n, palette) {
  const base = pointSizeFor(n);
  const labelColors = Array.from({ length: k }, (_, c) => safeColor(colors[c], "#808080"));
  const faded = labelColors.map((c) => mixColor(c, palette.background, LIGHTEN));
  const pointColor = [palette.unlabeled, ...labelColors, ...faded];
  return {
    pointColor,
    pointColorActive: [palette.ring, ...labelColors, ...labelColors],
    pointSize: [Math.max(1, base * 0.75), ...labelColors.map(() => base), ...faded.map(() => Math.max(1, base * SUGGESTION_SIZE_RATIO))],
    opacity: OPACITY_STEPS,
    colorBy: "valueA",
    sizeBy: "valueA",
    opacityBy: "valueB",
  };
}

/**
 * The controls and their state.
 * @param {Document} doc
 * @param {{ client: import("./messages.js").Client, status: import("./statusline.js").StatusLine,
 *           root: HTMLElement, before: HTMLElement, selection: () => Uint32Array, refocus: () => void,
 *           onChange: () => void, report: (err: unknown) => void }} ctx
 */
export function createSuggestions(doc, { client, status, root, before, selection, refocus, onChange, report }) {
  const group = h(doc, "span", "corral-suggest-group");
  const toggle = /** @type {HTMLButtonElement} */ (h(doc, "button", "corral-button corral-suggest", "Suggest"));
  toggle.type = "button";
  toggle.title = "Colour unlabeled points by the label a model suggests (lighter and smaller than labels)";
  toggle.setAttribute("aria-pressed", "false");
  const range = /** @type {HTMLInputElement} */ (h(doc, "input", "corral-suggest-threshold"));
  range.type = "range";
  range.min = "0";
  range.max = "1";
  range.step = "0.01";
  range.value = String(DEFAULT_THRESHOLD);
  range.title = "Suggestions below this confidence stay grey and are not accepted";
  range.setAttribute("aria-label", "Minimum confidence of the suggestions shown");
  const shownText = h(doc, "span", "corral-suggest-info", "");
  const accept = /** @type {HTMLButtonElement} */ (h(doc, "button", "corral-button corral-accept", "Accept"));
  accept.type = "button";
  accept.title = "Accept the suggestions shown in the selection, or all shown when nothing is selected (a)";
  group.append(toggle, range, shownText, accept);
  before.before(group);

  let on = false;
  /** @type {{ token: string, codes: Int32Array, confidence: Float32Array, labels: string[] } | null} */
  let frame = null;
  let shown = 0;
  let asked = 0; // the latest request: an older reply is dropped
  let current = true; // the frame is of the labels as they are (else: the model is refitting)
  /** @type {any} */
  let timer = 0;

  const threshold = () => Number(range.value);
  const sayThreshold = () => {
    shownText.textContent = on ? `\u2265 ${Math.round(threshold() * 100)}%` : "";
    range.disabled = accept.disabled = !on;
    range.hidden = shownText.hidden = accept.hidden = !on; // the toolbar stays one row until they are wanted
  };
  sayThreshold();

  const fetch = () => {
    const mine = ++asked;
    client
      .request(MSG_SUGGEST, {})
      .then(({ content, buffers }) => {
        if (mine !== asked || !on) return;
        frame = {
          token: String(content.token),
          confidence: Float32Array.from(decodeScores(buffers[0])),
          codes: Int32Array.from(decodeCodes(buffers[1])),
          labels: Array.isArray(content.labels) ? content.labels.map(String) : [],
        };
        root.dataset.suggestions = frame.token;
        current = content.current !== false;
        clearTimeout(timer);
        if (!current) timer = setTimeout(fetch, REFIT_POLL_MS); // the model refits: the newer ones later
        onChange();
      })
      .catch((err) => (err?.name === "ReplyError" ? undefined : report(err)));
  };

  const setOn = (/** @type {boolean} */ value) => {
    on = value;
    toggle.setAttribute("aria-pressed", String(on));
    if (!on) {
      frame = null;
      asked++;
      clearTimeout(timer);
      delete root.dataset.suggestions;
    } else fetch();
    sayThreshold();
    onChange();
  };

  const acceptShown = () => {
    if (!on || !frame) {
      status.info(on ? "The suggestions are still on their way" : "Show suggestions first, then accept them (a)");
      return;
    }
    const sel = selection();
    const min = threshold();
    client
      .request(MSG_ACCEPT, { token: frame.token, min_confidence: min }, sel)
      .then(({ content }) => status.info(String(content.message ?? "")))
      .catch((err) => (err?.name === "ReplyError" ? fetch() : report(err))); // refused: show the current ones
  };

  // `a` is ours only while suggestions are shown: otherwise it stays JupyterLab's (insert a cell above).
  const onKey = (/** @type {KeyboardEvent} */ event) =>
    on && !isTextField(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey && event.key === "a";
  const guard = guardShortcuts(root, onKey);
  const onKeyDown = (/** @type {KeyboardEvent} */ event) => {
    if (!onKey(event)) return;
    event.preventDefault();
    event.stopPropagation();
    guard.lift();
    if (!event.repeat) acceptShown();
  };
  root.addEventListener("keydown", onKeyDown);
  toggle.addEventListener("click", () => (setOn(!on), refocus()));
  accept.addEventListener("click", () => (acceptShown(), refocus()));
  range.addEventListener("input", () => (sayThreshold(), onChange()));

  return {
    /** What the points show with suggestions on, or null when off (or none arrived yet). */
    view(/** @type {ArrayLike<number>} */ codes, /** @type {number} */ n, /** @type {string[]} */ categories) {
      if (!on || !frame) return null;
      const v = suggestionValues(codes, frame, threshold(), n, categories);
      shown = v.shown;
      shownText.textContent = `\u2265 ${Math.round(threshold() * 100)}% \u00b7 ${formatCount(shown)}${current ? "" : " (refitting\u2026)"}`;
      return v;
    },
    /** Labels changed: the model may say something else now (asked again, a little later). */
    labelsChanged() {
      if (!on) return;
      clearTimeout(timer);
      timer = setTimeout(fetch, 300);
    },
    get on() {
      return on;
    },
    /** Whether the points show suggestions now (on, and a frame arrived), without computing them. */
    get active() {
      return on && frame !== null;
    },
    /** For tests. */
    state: () => ({ on, token: frame?.token ?? null, threshold: threshold(), shown, current }),
    dispose() {
      clearTimeout(timer);
      guard.dispose();
      root.removeEventListener("keydown", onKeyDown);
      group.remove();
    },
  };
}
