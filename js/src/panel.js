// @ts-check
/**
 * The side panel: for the current selection, its size, its label make-up (swatch, name, count
 * and a bar) and a sample of its texts (MSG_SAMPLE, 10 texts), with "Resample" for a new seed.
 * Refreshed (debounced) when the selection or the labels change; replies to an older request
 * are dropped. Texts and label names come from users: textContent only.
 */

import { formatCount } from "./legend.js";
import { h } from "./layout.js";
import { MSG_SAMPLE } from "./protocol.js";

export const SAMPLE_SIZE = 10;
export const REFRESH_DELAY_MS = 120;

/**
 * @typedef {object} PanelOptions
 * @property {import("./messages.js").Client} client
 * @property {() => Uint32Array} selection the current selection (sorted indices)
 * @property {(name: string | null) => string} colorOf swatch colour of a label (null: unlabeled)
 * @property {HTMLElement} count the "N selected" element (kept up to date by the caller)
 */

/**
 * @param {Document} doc
 * @param {PanelOptions} options
 */
export function createPanel(doc, { client, selection, colorOf, count: size }) {
  const el = h(doc, "aside", "corral-panel");
  el.setAttribute("aria-label", "Selection");

  const head = h(doc, "div", "corral-panel-head");
  const title = h(doc, "span", "corral-panel-title", "Selection");
  head.append(title, size);

  const empty = h(doc, "div", "corral-panel-empty corral-muted", "Select points (Shift + drag) to see their labels and a sample of their texts.");
  const makeup = h(doc, "div", "corral-makeup");
  makeup.setAttribute("role", "list");
  makeup.setAttribute("aria-label", "Labels in the selection");

  const sampleHead = h(doc, "div", "corral-sample-head");
  const sampleTitle = h(doc, "span", "corral-panel-title", "Sample");
  const resample = /** @type {HTMLButtonElement} */ (h(doc, "button", "corral-button corral-resample", "Resample"));
  resample.type = "button";
  resample.title = "Show another random sample of the selected texts";
  sampleHead.append(sampleTitle, resample);
  const sample = h(doc, "ol", "corral-sample");
  const body = h(doc, "div", "corral-panel-body");
  body.append(makeup, sampleHead, sample);
  el.append(head, empty, body);

  let seed = 0;
  let latest = 0;
  /** @type {any} */
  let timer = 0;
  let disposed = false;

  /** @param {Array<[string | null, number]>} rows @param {number} total */
  const renderMakeup = (rows, total) => {
    makeup.replaceChildren(
      ...rows.map(([name, count]) => {
        const row = h(doc, "div", name === null ? "corral-makeup-row corral-unlabeled" : "corral-makeup-row");
        row.setAttribute("role", "listitem");
        row.dataset.count = String(count);
        const swatch = h(doc, "span", "corral-swatch");
        swatch.style.backgroundColor = colorOf(name);
        const label = h(doc, "span", "corral-label", name === null ? "unlabeled" : String(name));
        label.title = label.textContent ?? "";
        const n = h(doc, "span", "corral-count", formatCount(count));
        const bar = h(doc, "span", "corral-bar");
        const fill = h(doc, "span", "corral-bar-fill");
        fill.style.width = `${total ? Math.max(1, (100 * count) / total) : 0}%`;
        fill.style.backgroundColor = colorOf(name);
        bar.append(fill);
        row.append(swatch, label, n, bar);
        return row;
      }),
    );
  };

  /** @param {string[]} texts @param {number[]} indices @param {Set<number>} cut */
  const renderSample = (texts, indices, cut) => {
    sample.replaceChildren(
      ...texts.map((text, k) => {
        const item = h(doc, "li", "corral-sample-text", cut.has(indices[k]) ? `${text}\u2026` : String(text));
        item.dataset.index = String(indices[k]);
        item.title = "Click to show it all (click again to fold)";
        return item;
      }),
    );
  };

  // A text clamped to 3 lines opens on click, and folds again.
  sample.addEventListener("click", (event) => {
    const item = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (event.target).closest?.(".corral-sample-text"));
    if (item) item.toggleAttribute("data-expanded");
  });

  const load = async () => {
    timer = 0;
    const sel = selection();
    const id = ++latest;
    el.dataset.state = "loading";
    try {
      const { content } = await client.request(MSG_SAMPLE, { size: SAMPLE_SIZE, seed }, sel);
      if (disposed || id !== latest) return;
      const total = Number(content.total ?? sel.length);
      renderMakeup(Array.isArray(content.makeup) ? content.makeup : [], total);
      renderSample(content.texts ?? [], content.indices ?? [], new Set(content.truncated ?? []));
      el.dataset.state = "ready";
      el.dataset.seed = String(seed);
    } catch {
      if (!disposed && id === latest) el.dataset.state = "error"; // the status line says why
    }
  };

  /** @param {number} delay */
  const refresh = (delay) => {
    if (disposed) return;
    if (timer) clearTimeout(timer);
    timer = 0;
    const count = selection().length;
    const has = count > 0;
    empty.hidden = has;
    body.hidden = !has;
    if (!has) {
      latest++; // drop replies still on their way
      makeup.replaceChildren();
      sample.replaceChildren();
      el.dataset.state = "empty";
      return;
    }
    timer = setTimeout(load, delay);
  };

  resample.addEventListener("click", () => {
    seed = (seed + 1) % 2 ** 31;
    refresh(0);
  });
  refresh(0);

  return {
    el,
    /** The selection or the labels changed. */
    refresh: () => refresh(REFRESH_DELAY_MS),
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
