// @ts-check
/**
 * The label bar: a button per label (colour swatch, name, key hint 1-9), a text field + "Add"
 * for a new label, "Remove label", Undo and Redo. It only shows and reports clicks; index.js
 * decides what they do. Label names come from users: textContent only.
 */

import { keepKeys } from "./keys.js";
import { h } from "./layout.js";
import { safeColor } from "./theme.js";

export const KEYED_LABELS = 9;
const MOD = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform ?? "") ? "Cmd" : "Ctrl";

/**
 * @typedef {object} LabelBarHandlers
 * @property {(name: string) => void} onApply apply an existing label to the selection
 * @property {(name: string) => void} onAdd create (or reuse) a label from the text field and apply it
 * @property {() => void} onClear remove the selection's labels
 * @property {() => void} onUndo
 * @property {() => void} onRedo
 * @property {() => void} [onFocusLost] a rebuild removed the focused button
 */

/**
 * @param {Document} doc
 * @param {string} tag
 * @param {string} text
 * @param {string} title
 */
function button(doc, tag, text, title) {
  const b = /** @type {HTMLButtonElement} */ (h(doc, "button", `corral-button ${tag}`, text));
  b.type = "button";
  b.title = title;
  return b;
}

/**
 * @param {Document} doc
 * @param {LabelBarHandlers} handlers
 */
export function createLabelBar(doc, handlers) {
  const el = h(doc, "div", "corral-labelbar");
  el.setAttribute("role", "toolbar");
  el.setAttribute("aria-label", "Labels");

  const buttons = h(doc, "div", "corral-label-buttons");
  const none = h(doc, "span", "corral-muted", "No labels yet: type one and press Enter");
  buttons.append(none);

  const field = /** @type {HTMLInputElement} */ (h(doc, "input", "corral-input corral-new-label"));
  field.type = "text";
  field.placeholder = "New label";
  field.maxLength = 200;
  field.setAttribute("aria-label", "New label name");
  field.spellcheck = false;
  keepKeys(field);
  const add = button(doc, "corral-add", "Add", "Create this label and apply it to the selection (Enter)");
  const addGroup = h(doc, "div", "corral-add-group");
  addGroup.append(field, add);

  const remove = button(doc, "corral-remove", "Remove label", "Remove the label of the selected points (0, Delete)");
  const undo = button(doc, "corral-undo", "Undo", `Undo the last label change (${MOD}+Z)`);
  const redo = button(doc, "corral-redo", "Redo", `Redo (${MOD}+Shift+Z or Ctrl+Y)`);
  const history = h(doc, "div", "corral-history");
  history.append(undo, redo);

  el.append(buttons, addGroup, remove, history);

  const submit = () => handlers.onAdd(field.value);
  field.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      submit();
    }
  });
  add.addEventListener("click", submit);
  remove.addEventListener("click", () => handlers.onClear());
  undo.addEventListener("click", () => handlers.onUndo());
  redo.addEventListener("click", () => handlers.onRedo());
  buttons.addEventListener("click", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const b = /** @type {HTMLElement | null} */ (target.closest?.(".corral-label-button"));
    if (b && b.dataset.name !== undefined) handlers.onApply(b.dataset.name);
  });

  let shown = "";

  return {
    el,
    field,

    /**
     * Show these labels (rebuilt only when names or colours changed, so focus stays put).
     * @param {string[]} categories
     * @param {string[]} colors
     * @param {string} fallbackColor
     */
    update(categories, colors, fallbackColor) {
      const key = JSON.stringify([categories, colors]);
      if (key === shown) return;
      shown = key;
      const hadFocus = buttons.contains(doc.activeElement);
      const children = categories.map((name, i) => {
        const b = button(doc, "corral-label-button", "", "");
        b.dataset.name = String(name);
        b.dataset.code = String(i);
        const swatch = h(doc, "span", "corral-swatch");
        swatch.style.backgroundColor = safeColor(colors[i], fallbackColor);
        const text = h(doc, "span", "corral-label", String(name));
        b.append(swatch, text);
        if (i < KEYED_LABELS) {
          b.append(h(doc, "kbd", "corral-key", String(i + 1)));
          b.title = `Apply "${name}" to the selection (key ${i + 1})`;
        } else {
          b.title = `Apply "${name}" to the selection`;
        }
        return b;
      });
      buttons.replaceChildren(...(children.length ? children : [none]));
      if (hadFocus) handlers.onFocusLost?.();
    },

    /** @param {Record<string, unknown>} s a `status` message from Python: {undo, redo, history} */
    setStatus(s) {
      const can = { undo: Boolean(s.undo), redo: Boolean(s.redo) };
      // A disabled button drops focus (to <body>, where keys go to JupyterLab): hand it back.
      const active = doc.activeElement;
      if ((active === undo && !can.undo) || (active === redo && !can.redo)) handlers.onFocusLost?.();
      undo.disabled = !can.undo;
      redo.disabled = !can.redo;
    },

  };
}

/** @typedef {ReturnType<typeof createLabelBar>} LabelBar */
