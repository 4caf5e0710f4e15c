// @ts-check
/**
 * Keyboard shortcuts of the map, and keeping them away from JupyterLab.
 *
 * While the map (or a button of the widget) has focus:
 *   1-9               apply the first nine labels to the selection
 *   0, Backspace, Del remove the label of the selection
 *   Ctrl/Cmd+Z        undo;  Ctrl/Cmd+Shift+Z or Ctrl+Y  redo
 *   Escape            clear the selection (only when there is one)
 *   a                 accept the suggestions shown (only while shown; see suggest.js)
 *   d                 draw regions on / off (in draw mode Enter, Escape, Delete and 1-9 are
 *                     draw.js's: close, cancel, remove a region, choose its label)
 * Text fields of the widget keep every key to themselves.
 *
 * JupyterLab's notebook binds bare digits in command mode (1-6 turn the cell into a heading,
 * "0 0" restarts the kernel), and Lumino resolves shortcuts from a document-level keydown
 * listener: in the bubbling phase since JupyterLab 4.1 (`bubblingKeydown: true`), in the
 * capturing phase before. So a key we own is (1) stopped at the widget's root (bubbling mode,
 * classic Notebook, VS Code) and (2) marked for Lumino: its `CommandRegistry` skips any keydown
 * whose target or an ancestor carries `data-lm-suppress-shortcuts`. The attribute is set from a
 * window capture listener (which runs before document capture listeners) only for the keys we
 * own and lifted right after, so Shift+Enter, Ctrl+S and the like still reach JupyterLab while
 * the map has focus.
 */

export const SUPPRESS_ATTR = "data-lm-suppress-shortcuts";

/**
 * @typedef {{ type: "label", index: number } | { type: "clear" } | { type: "undo" } |
 *           { type: "redo" } | { type: "escape" }} KeyAction
 */

/**
 * Whether keys typed at `target` belong to a text field.
 * @param {EventTarget | null} target
 */
export function isTextField(target) {
  const el = /** @type {any} */ (target);
  if (!el || typeof el.tagName !== "string") return false;
  const tag = el.tagName.toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = String(el.type || "text").toLowerCase();
    return !["button", "checkbox", "radio", "submit", "reset", "range", "color"].includes(type);
  }
  return el.isContentEditable === true;
}

/**
 * The digit of a key press: `key` when it is one (any layout that types digits, numpad too),
 * else the physical digit row without Shift (AZERTY's unshifted row types "&é\"'...").
 * @param {{ key?: string, code?: string, shiftKey?: boolean }} e
 * @returns {number | null}
 */
function digitOf(e) {
  if (e.key && /^[0-9]$/.test(e.key)) return Number(e.key);
  if (e.shiftKey) return null;
  const m = /^(?:Digit|Numpad)([0-9])$/.exec(e.code ?? "");
  return m ? Number(m[1]) : null;
}

/**
 * What a key press means to the map, or null when it is not ours.
 * @param {{ key?: string, code?: string, ctrlKey?: boolean, metaKey?: boolean, altKey?: boolean,
 *           shiftKey?: boolean, target?: EventTarget | null }} e
 * @returns {KeyAction | null}
 */
export function keyAction(e) {
  if (isTextField(e.target ?? null)) return null;
  const key = e.key ?? "";
  if ((e.ctrlKey || e.metaKey) && !e.altKey) {
    const k = key.toLowerCase();
    if (k === "z" || e.code === "KeyZ") return e.shiftKey ? { type: "redo" } : { type: "undo" };
    if ((k === "y" || e.code === "KeyY") && e.ctrlKey && !e.metaKey && !e.shiftKey) return { type: "redo" };
    return null;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const digit = digitOf(e);
  if (digit !== null) return digit === 0 ? { type: "clear" } : { type: "label", index: digit - 1 };
  if (key === "Backspace" || key === "Delete") return { type: "clear" };
  if (key === "Escape") return { type: "escape" };
  return null;
}

/**
 * Mark the keys `owns(event)` claims with `data-lm-suppress-shortcuts` on `root` for the time of
 * their dispatch (see the module comment). Returns { lift, dispose }: call `lift()` once the key
 * has been handled (a timer lifts it anyway).
 * @param {HTMLElement} root
 * @param {(event: KeyboardEvent) => boolean} owns
 * @param {Window} [win]
 */
export function guardShortcuts(root, owns, win = globalThis.window) {
  /** @type {any} */
  let timer = 0;
  const lift = () => {
    if (timer) clearTimeout(timer);
    timer = 0;
    root.removeAttribute(SUPPRESS_ATTR);
  };
  const onKeyDown = (/** @type {KeyboardEvent} */ event) => {
    const target = /** @type {Node | null} */ (event.target);
    if (!target || !root.contains(target) || !owns(event)) return;
    root.setAttribute(SUPPRESS_ATTR, "true");
    if (timer) clearTimeout(timer);
    timer = setTimeout(lift, 0);
  };
  win.addEventListener("keydown", onKeyDown, true);
  return {
    lift,
    dispose() {
      win.removeEventListener("keydown", onKeyDown, true);
      lift();
    },
  };
}

/**
 * A text field of the widget: every key stays in it (as ipywidgets' own text widgets do), and
 * Lumino is told to leave it alone.
 * @param {HTMLElement} field
 */
export function keepKeys(field) {
  field.setAttribute(SUPPRESS_ATTR, "true");
  field.addEventListener("keydown", (event) => event.stopPropagation());
}
