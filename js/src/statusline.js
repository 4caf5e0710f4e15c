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
 * @param {Document} doc
 * @param {string} hint the idle text
 */
export function createStatusLine(doc, hint) {
  const el = h(doc, "div", "corral-status");
  el.setAttribute("role", "status");
  el.setAttribute("aria-live", "polite");
  let idle = hint;
  let note = "";
  /** @type {any} */
  let timer = 0;

  const showIdle = () => {
    timer = 0;
    el.dataset.kind = note ? "note" : "hint";
    el.textContent = note ? `${note} \u00b7 ${idle}` : idle;
    el.title = "";
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
    dispose() {
      if (timer) clearTimeout(timer);
      el.removeEventListener("click", onClick);
    },
  };
}

/** @typedef {ReturnType<typeof createStatusLine>} StatusLine */
