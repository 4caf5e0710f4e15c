// @ts-check
/**
 * The label bar: a chip per label (colour swatch, name, key hint 1-9), "+N more" when there are
 * many labels (a filterable list of the rest, with counts: see picker.js for which labels are
 * chips), a text field + "Add" for a new label, "Remove label", Undo and Redo. It stays one row
 * or two at 150 labels. It only shows and reports clicks; index.js decides what they do. Label
 * names come from users: textContent only.
 */

import { keepKeys } from "./keys.js";
import { h } from "./layout.js";
import { formatCount } from "./legend.js";
import { filterLabels, guidelineText, splitLabels } from "./picker.js";
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

  // "+N more": a list of every label that is not a chip, filtered as you type.
  const more = button(doc, "corral-more", "", "More labels: type to find one");
  more.hidden = true;
  more.setAttribute("aria-haspopup", "listbox");
  more.setAttribute("aria-expanded", "false");
  const popup = h(doc, "div", "corral-label-popup");
  popup.hidden = true;
  const filter = /** @type {HTMLInputElement} */ (h(doc, "input", "corral-input corral-label-filter"));
  filter.type = "search";
  filter.placeholder = "Find a label";
  filter.setAttribute("aria-label", "Find a label");
  filter.spellcheck = false;
  keepKeys(filter);
  const list = h(doc, "div", "corral-label-list");
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Labels");
  const found = h(doc, "div", "corral-muted corral-label-found");
  popup.append(filter, found, list);

  el.append(buttons, addGroup, remove, history, popup);

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
    if (target.closest?.(".corral-more")) return toggle();
    const b = /** @type {HTMLElement | null} */ (target.closest?.(".corral-label-button"));
    if (b && b.dataset.name !== undefined) handlers.onApply(b.dataset.name);
  });

  let shown = "";
  /** @type {{ categories: string[], colors: string[], fallback: string, counts: ArrayLike<number>,
   *           chips: number[], rest: number[] }} */
  let state = { categories: [], colors: [], fallback: "", counts: [], chips: [], rest: [] };

  /** @param {number} code */
  const swatchOf = (code) => {
    const swatch = h(doc, "span", "corral-swatch");
    swatch.style.backgroundColor = safeColor(state.colors[code], state.fallback);
    return swatch;
  };

  const renderList = () => {
    const hits = filterLabels(state.categories, state.rest, filter.value);
    found.textContent = filter.value.trim()
      ? `${hits.length} of ${state.rest.length} labels`
      : `${state.rest.length} more label${state.rest.length === 1 ? "" : "s"}, most points first`;
    list.replaceChildren(
      ...hits.map((code) => {
        const name = String(state.categories[code]);
        const b = button(doc, "corral-label-option", "", `Apply "${name}" to the selection`);
        b.setAttribute("role", "option");
        b.dataset.name = name;
        b.dataset.code = String(code);
        b.append(swatchOf(code), h(doc, "span", "corral-label", name),
          h(doc, "span", "corral-count", formatCount(Number(state.counts[code] ?? 0))));
        return b;
      }),
    );
  };

  /** @param {MouseEvent} event */
  const onOutside = (event) => {
    const t = /** @type {Node} */ (event.target);
    if (!popup.contains(t) && !more.contains(t)) close();
  };
  const open = () => {
    popup.hidden = false;
    more.setAttribute("aria-expanded", "true");
    renderList();
    filter.focus({ preventScroll: true });
    doc.addEventListener("mousedown", onOutside, true);
  };
  const close = (refocus = false) => {
    if (popup.hidden) return;
    popup.hidden = true;
    more.setAttribute("aria-expanded", "false");
    filter.value = "";
    doc.removeEventListener("mousedown", onOutside, true);
    if (refocus) handlers.onFocusLost?.();
  };
  const toggle = () => (popup.hidden ? open() : close(true));
  /** @param {string} name */
  const choose = (name) => {
    close(true);
    handlers.onApply(name);
  };
  filter.addEventListener("input", renderList);
  filter.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close(true);
    } else if (event.key === "Enter") {
      event.preventDefault();
      const first = /** @type {HTMLElement | null} */ (list.querySelector(".corral-label-option"));
      if (first?.dataset.name !== undefined) choose(first.dataset.name);
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      /** @type {HTMLElement | null} */ (list.querySelector(".corral-label-option"))?.focus();
    }
  });
  list.addEventListener("click", (event) => {
    const b = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (event.target).closest?.(".corral-label-option"));
    if (b && b.dataset.name !== undefined) choose(b.dataset.name);
  });
  list.addEventListener("keydown", (event) => {
    const at = /** @type {HTMLElement} */ (event.target);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      event.stopPropagation();
      const next = event.key === "ArrowDown" ? at.nextElementSibling : at.previousElementSibling;
      /** @type {HTMLElement | null} */ (next ?? (event.key === "ArrowUp" ? filter : null))?.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    }
  });

  return {
    el,
    field,

    /**
     * Show these labels (chips rebuilt only when names, colours or which labels are chips
     * changed, so focus stays put).
     * @param {string[]} categories
     * @param {string[]} colors
     * @param {string} fallbackColor
     * @param {ArrayLike<number>} [counts] points per label code (every label counts as used without)
     * @param {Record<string, unknown>} [guidelines] per label name, shown (as text) in the chip's tooltip
     */
    update(categories, colors, fallbackColor, counts, guidelines) {
      const used = counts ?? categories.map(() => 1);
      const { chips, rest } = splitLabels(categories.length, used);
      state = { categories, colors, fallback: fallbackColor, counts: used, chips, rest };
      if (!popup.hidden) renderList();
      const rules = guidelines ?? {};
      const key = JSON.stringify([categories, colors, chips, rules]);
      if (key === shown) return;
      shown = key;
      const hadFocus = buttons.contains(doc.activeElement);
      const children = chips.map((code, i) => {
        const name = String(categories[code]);
        const b = button(doc, "corral-label-button", "", "");
        b.dataset.name = name;
        b.dataset.code = String(code);
        b.append(swatchOf(code), h(doc, "span", "corral-label", name));
        if (i < KEYED_LABELS) {
          const kbd = h(doc, "kbd", "corral-key", String(i + 1));
          kbd.setAttribute("aria-label", `key ${i + 1}`);
          b.append(kbd);
          b.setAttribute("title", guidelineText(`Apply "${name}" to the selection (key ${i + 1})`, Object.hasOwn(rules, name) ? rules[name] : undefined));
        } else {
          b.setAttribute("title", guidelineText(`Apply "${name}" to the selection`, Object.hasOwn(rules, name) ? rules[name] : undefined));
        }
        return b;
      });
      more.hidden = rest.length === 0;
      more.textContent = `+${formatCount(rest.length)} more`;
      if (!rest.length) close();
      buttons.replaceChildren(...(categories.length ? children : [none]), more);
      if (hadFocus) handlers.onFocusLost?.();
    },

    /** The names keys 1-9 apply: the first nine chips, as shown. */
    keyed: () => state.chips.slice(0, KEYED_LABELS).map((c) => String(state.categories[c])),

    /** For tests and the widget: the "+N more" list is open. */

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
