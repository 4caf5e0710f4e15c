// @ts-check
/**
 * Hover: the text of the point under the cursor, in a tooltip over the map.
 *
 * Texts live in Python; they are fetched on demand (MSG_TEXTS) after a short pause on a point,
 * and kept in a bounded cache. Python cuts very long texts (MAX_CHARS) and says so; those are
 * shown with an ellipsis. Texts come from users: textContent only.
 */

import { h } from "./layout.js";
import { MSG_TEXTS } from "./protocol.js";

export const HOVER_DELAY_MS = 60;
export const CACHE_LIMIT = 5000;
const OFFSET = 12;

/**
 * @typedef {{ text: string, truncated: boolean }} Entry
 * @typedef {(indices: number[]) => Promise<{ indices: number[], texts: string[], truncated: number[] }>} Fetch
 */

/**
 * Texts by point index, fetched through `fetch` when missing; at most `limit` kept (the least
 * recently used dropped first). Concurrent asks for the same point share one fetch.
 * @param {Fetch} fetch
 * @param {number} [limit]
 */
export function createTextCache(fetch, limit = CACHE_LIMIT) {
  /** @type {Map<number, Entry>} */
  const entries = new Map();
  /** @type {Map<number, Promise<Entry | undefined>>} */
  const inflight = new Map();

  /** @param {number} i @param {Entry} entry */
  const put = (i, entry) => {
    entries.delete(i);
    entries.set(i, entry);
    while (entries.size > limit) entries.delete(/** @type {number} */ (entries.keys().next().value));
  };

  return {
    /** @param {number} i */
    peek: (i) => entries.get(i),

    /**
     * @param {number} i
     * @returns {Promise<Entry | undefined>}
     */
    get(i) {
      const hit = entries.get(i);
      if (hit) {
        put(i, hit); // most recently used: kept longest
        return Promise.resolve(hit);
      }
      const running = inflight.get(i);
      if (running) return running;
      const job = fetch([i])
        .then((reply) => {
          const cut = new Set(reply.truncated ?? []);
          (reply.indices ?? []).forEach((j, k) => put(j, { text: String(reply.texts[k] ?? ""), truncated: cut.has(j) }));
          return entries.get(i);
        })
        .finally(() => inflight.delete(i));
      inflight.set(i, job);
      return job;
    },

    clear() {
      entries.clear();
    },

    get size() {
      return entries.size;
    },
  };
}

/** @typedef {ReturnType<typeof createTextCache>} TextCache */

/**
 * The tooltip element, positioned inside `container` (the canvas area).
 * @param {Document} doc
 * @param {HTMLElement} container
 */
export function createTooltip(doc, container) {
  const el = h(doc, "div", "corral-tooltip");
  el.setAttribute("role", "tooltip");
  el.hidden = true;
  container.append(el);

  return {
    el,
    /**
     * @param {Entry} entry
     * @param {[number, number]} at CSS px relative to the container
     * @param {number} index
     */
    show(entry, at, index) {
      el.textContent = entry.truncated ? `${entry.text}\u2026` : entry.text;
      el.dataset.index = String(index);
      el.hidden = false;
      const w = container.clientWidth;
      const ht = container.clientHeight;
      const box = { w: el.offsetWidth, h: el.offsetHeight };
      let x = at[0] + OFFSET;
      let y = at[1] + OFFSET;
      if (x + box.w > w - 4) x = Math.max(4, at[0] - OFFSET - box.w);
      if (y + box.h > ht - 4) y = Math.max(4, at[1] - OFFSET - box.h);
      el.style.left = `${Math.round(x)}px`;
      el.style.top = `${Math.round(y)}px`;
    },
    hide() {
      el.hidden = true;
      delete el.dataset.index;
    },
  };
}

/**
 * Wire hover events to the tooltip: `over(i)` after a short pause fetches and shows point i,
 * `out()` hides it. Only the latest point is ever shown.
 * @param {{ cache: TextCache, tooltip: ReturnType<typeof createTooltip>,
 *           locate: (i: number) => [number, number] | null, delayMs?: number }} options
 */
export function createHover({ cache, tooltip, locate, delayMs = HOVER_DELAY_MS }) {
  /** @type {number | null} */
  let current = null;
  /** @type {any} */
  let timer = 0;

  /** @param {number} i */
  const reveal = (i) => {
    if (current !== i) return;
    const entry = cache.peek(i);
    const at = locate(i);
    if (entry && at) tooltip.show(entry, at, i);
  };

  return {
    /** @param {number} i */
    over(i) {
      current = i;
      if (timer) clearTimeout(timer);
      if (cache.peek(i)) {
        timer = 0;
        reveal(i);
        return;
      }
      timer = setTimeout(() => {
        timer = 0;
        cache.get(i).then(() => reveal(i), () => undefined);
      }, delayMs);
    },
    out() {
      current = null;
      if (timer) clearTimeout(timer);
      timer = 0;
      tooltip.hide();
    },
    dispose() {
      if (timer) clearTimeout(timer);
      current = null;
    },
  };
}

/**
 * Hover texts for a map: cache (fetching through MSG_TEXTS), tooltip in `container`, hover.
 * @param {Document} doc
 * @param {{ client: import("./messages.js").Client, container: HTMLElement,
 *           locate: (i: number) => [number, number] | null }} options
 */
export function createHoverTexts(doc, { client, container, locate }) {
  const cache = createTextCache(async (indices) => {
    const { content } = await client.request(MSG_TEXTS, {}, indices);
    return /** @type {any} */ (content);
  });
  const hover = createHover({ cache, tooltip: createTooltip(doc, container), locate });
  return { ...hover, clear: () => cache.clear() };
}
