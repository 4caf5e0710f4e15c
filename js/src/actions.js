// @ts-check
/**
 * What the label bar's buttons and the keys do: label operations sent to Python (MSG_ASSIGN,
 * MSG_CLEAR, MSG_UNDO, MSG_REDO). Python labels through the Labeler (checks, history, journal)
 * and answers with new `codes` / `categories` / `colors` traits and a `status` message; nothing
 * is changed here optimistically, so what the map shows is always what Python holds.
 */

import { createLabelBar } from "./labelbar.js";
import { formatCount } from "./legend.js";
import { MSG_ASSIGN, MSG_CLEAR, MSG_REDO, MSG_UNDO } from "./protocol.js";

export const NOTHING_SELECTED = "Nothing selected: select points first (Shift + drag)";

/** @param {number} n */
const points = (n) => `${formatCount(n)} point${n === 1 ? "" : "s"}`;

/**
 * @param {{ client: import("./messages.js").Client, status: import("./statusline.js").StatusLine,
 *           labelbar: import("./labelbar.js").LabelBar, selection: () => Uint32Array,
 *           categories: () => string[] }} ctx
 */
export function createActions({ client, status, labelbar, selection, categories }) {
  /** @param {string} kind @param {Record<string, unknown>} [fields] @param {ArrayLike<number>} [indices] */
  const send = (kind, fields, indices) => {
    status.endResumed(); // every label operation (assign, clear, undo, redo) ends the resume notice
    return client.send(kind, fields, indices);
  };

  /** @returns {Uint32Array | null} the selection, or null (and a word in the status line) */
  const selectedOrSay = () => {
    const sel = selection();
    if (sel.length) return sel;
    status.info(NOTHING_SELECTED);
    return null;
  };

  /** @param {string} name */
  const apply = (name) => {
    const sel = selectedOrSay();
    if (!sel) return false;
    send(MSG_ASSIGN, { label: name }, sel);
    status.info(`Labeled ${points(sel.length)} \u201c${name}\u201d`);
    return true;
  };

  return {
    apply,

    /** The text field's label: created by Python on first use. @param {string} raw */
    add(raw) {
      const name = raw.trim();
      if (!name) {
        status.info("Type a label name first");
        labelbar.field.focus();
        return;
      }
      if (apply(name)) labelbar.field.value = "";
    },

    /** @param {number} index the label's position (key 1 = 0) */
    applyNth(index) {
      const names = labelbar.keyed(); // the first nine chips, as the key badges show
      if (index < names.length) apply(names[index]);
      else status.info(`No label ${index + 1}: ${names.length ? `keys 1\u2013${names.length} are the labels shown` : "no labels yet"}`);
    },

    clear() {
      const sel = selectedOrSay();
      if (!sel) return;
      send(MSG_CLEAR, {}, sel);
      status.info(`Removed the labels of ${points(sel.length)}`);
    },

    /**
     * Undo and redo always go to Python, which does nothing when there is nothing to undo: the
     * buttons' state comes from the last `status`, which may not yet reflect an operation still
     * on its way, so it is no reason to refuse a key press.
     */
    undo() {
      send(MSG_UNDO);
    },

    redo() {
      send(MSG_REDO);
    },
  };
}

/**
 * The label bar wired to its actions. `pick(name)` may take a label first (draw mode chooses the
 * label of its regions with it): when it returns true nothing is labeled.
 * @param {Document} doc
 * @param {{ client: import("./messages.js").Client, status: import("./statusline.js").StatusLine,
 *           selection: () => Uint32Array, categories: () => string[], refocus: () => void,
 *           pick?: (name: string) => boolean }} ctx
 */
export function createLabeling(doc, { client, status, selection, categories, refocus, pick }) {
  const labelbar = createLabelBar(doc, {
    onApply: (name) => pick?.(name) || actions.apply(name),
    onAdd: (raw) => {
      const name = raw.trim();
      if (name && pick?.(name)) labelbar.field.value = "";
      else actions.add(raw);
    },
    onClear: () => actions.clear(),
    onUndo: () => actions.undo(),
    onRedo: () => actions.redo(),
    onFocusLost: refocus,
  });
  const actions = createActions({ client, status, labelbar, selection, categories });
  return {
    labelbar,
    actions,
    /**
     * A `status` from Python: {undo, redo, history, preview, resumed} (resumed: the resume notice,
     * the idle line until the first labeling action here); the reply to an undo or redo also
     * says what it did ({message}), which replaces the last labeling message.
     * @param {Record<string, unknown>} s
     */
    onStatus: (s) => {
      labelbar.setStatus(s);
      if ("resumed" in s) status.setResumed(s.resumed);
      if (typeof s.message === "string" && s.message) status.info(s.message);
    },
    /** An error reply for this view. @param {string} message */
    onError: (message) => status.error(message),
  };
}
