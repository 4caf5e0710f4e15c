// @ts-check
/**
 * Keys of the queue widget (corral.map.queue_widget): a tiny anywidget placed inside the widget's
 * ipywidgets box (`.corral-queue`) that listens to key presses anywhere in that box:
 *   1-9     give the group the n-th label button's label (the ticked texts)
 *   a       accept the group's suggestion
 *   s       skip the group
 *   z, Ctrl/Cmd+Z   undo the last decision
 * Text fields keep every key; the keys we own are kept from JupyterLab (stopped at the window).
 * Each key is sent to Python as `{kind: "key", action, index}`; Python does the rest.
 */
import { isTextField, keyAction } from "./keys.js";

/**
 * What a key press means to the queue, or null when it is not ours.
 * @param {{ key?: string, code?: string, ctrlKey?: boolean, metaKey?: boolean, altKey?: boolean,
 *           shiftKey?: boolean, target?: EventTarget | null }} e
 * @returns {{ action: string, index?: number } | null}
 */
export function queueKeyAction(e) {
  if (isTextField(e.target ?? null)) return null;
  const map = keyAction(e);
  if (map && map.type === "label") return { action: "label", index: map.index };
  if (map && map.type === "undo") return { action: "undo" };
  if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return null;
  const k = (e.key ?? "").toLowerCase();
  if (k === "a") return { action: "accept" };
  if (k === "s") return { action: "skip" };
  if (k === "z") return { action: "undo" };
  return null;
}

/** @param {{ model: any, el: HTMLElement }} ctx */
function render({ model, el }) {
  el.classList.add("corral-queue-keys");
  el.tabIndex = 0;
  el.textContent = "keys: 1-9 label the ticked texts · a accept the suggestion · s skip · z undo";
  el.style.cssText = "font-size: 12px; opacity: 0.75; padding: 2px 4px; outline-offset: 2px;";
  // A window capture listener: it sees the key before JupyterLab's document listeners (capturing
  // or bubbling) and the target, and stops it there. The widget's box is looked up at each key:
  // ipywidgets attaches this view to it only after rendering it.
  const onKey = (/** @type {KeyboardEvent} */ event) => {
    const root = el.closest(".corral-queue") ?? el;
    const target = /** @type {Node | null} */ (event.target);
    if (!target || !root.contains(target)) return;
    const found = queueKeyAction(event);
    if (!found) return;
    event.preventDefault();
    event.stopPropagation();
    model.send({ kind: "key", ...found });
    el.focus({ preventScroll: true }); // the group's tick boxes are redrawn: keep the keys in the widget
  };
  window.addEventListener("keydown", onKey, true);
  return () => window.removeEventListener("keydown", onKey, true);
}

export default { render };
