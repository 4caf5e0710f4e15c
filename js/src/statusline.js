// @ts-check
/**
 * The status line under the map: a short hint when idle, replaced for a while by a message
 * ("Nothing selected", an error reply from Python). Non-blocking: it never takes focus and
 * never stops the user; errors stay a little longer and can be dismissed by a click.
 */

import { h } from "./layout.js";

export const INFO_MS = 4000;
export const ERROR_MS = 12000;

/**
 * The idle words for Python's resume notice (status.resumed: "corral: resumed 12 operations from
 * quickstart.journal; ..."): without the "corral: " prefix, capitalised; "" when there is none.
 * @param {unknown} notice
 */
export function resumedLine(notice) {
  if (typeof notice !== "string") return "";
  const text = notice.trim().replace(/^corral:\s*/, "");
  return text ? text[0].toUpperCase() + text.slice(1) : "";
}

/**
 * @param {Document} doc
 * @param {string} hint the idle text
 */
export function createStatusLine(doc, hint) {
  const el = h(doc, "div", "corral-status");
  el.setAttribute("role", "status");
  el.setAttribute("aria-live", "polite");
  let idle = hint;
  let note = "";
  /** the resume notice, shown instead of the hint until the first labeling action in this view */
  let resumed = "";
  let resumedOver = false;
  /** @type {any} */
  let timer = 0;

  const showIdle = () => {
    timer = 0;
    const words = resumed || idle;
    el.dataset.kind = note ? "note" : resumed ? "resumed" : "hint";
    el.textContent = note ? `${note} \u00b7 ${words}` : words;
    el.title = resumed; // the whole notice when a long path is cut by the ellipsis
  };

  /** @param {"info" | "error"} kind @param {string} text @param {number} ms */
  const show = (kind, text, ms) => {
    if (timer) clearTimeout(timer);
    el.dataset.kind = kind;
    el.textContent = text;
    el.title = kind === "error" ? "Click to dismiss" : "";
    timer = setTimeout(showIdle, ms);
  };

  const onClick = () => {
    if (el.dataset.kind === "error") {
      clearTimeout(timer);
      showIdle();
    }
  };
  el.addEventListener("click", onClick);
  showIdle();

  return {
    el,
    /** @param {string} text */
    info: (text) => show("info", text, INFO_MS),
    /** @param {string} text */
    error: (text) => show("error", text, ERROR_MS),
    /** The idle text (e.g. the hint for the current selection tool). @param {string} text */
    setHint(text) {
      idle = text;
      if (!timer) showIdle();
    },
    /** A word shown before the hint while it holds ("preview · map computing (12 s)"); "" ends it. @param {string} text */
    setNote(text) {
      if (text === note) return;
      note = text;
      if (!timer) showIdle();
    },
    /**
     * Python's resume notice (status.resumed, or null): the idle line until `endResumed()`.
     * @param {unknown} notice
     */
    setResumed(notice) {
      const text = resumedOver ? "" : resumedLine(notice);
      if (text === resumed) return;
      resumed = text;
      if (!timer) showIdle();
    },
    /** The first labeling action in this view: the resume notice gives way to the hint for good. */
    endResumed() {
      resumedOver = true;
      if (!resumed) return;
      resumed = "";
      if (!timer) showIdle();
    },
    /** The resume notice shown while idle ("" when none or over). */
    resumed: () => resumed,
    dispose() {
      if (timer) clearTimeout(timer);
      el.removeEventListener("click", onClick);
    },
  };
}

/** @typedef {ReturnType<typeof createStatusLine>} StatusLine */
