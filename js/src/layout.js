// @ts-check
/**
 * The widget's DOM: label bar row, toolbar (search, lasso / rectangle, reset), the
 * canvas area with the side panel, the legend and the status line. Built with createElement /
 * textContent only; styled by styles.js, coloured per theme through CSS variables.
 */

import { CSS } from "./styles.js";
import { PALETTES } from "./theme.js";

/** @typedef {import("./theme.js").Palette} Palette */

/**
 * @param {Document} doc
 * @param {string} tag
 * @param {string} [className]
 * @param {string} [text]
 */
export function h(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The idle text of the status line, per selection tool. */
export const HINTS = {
  freeform: "Shift + drag (or press and hold, then drag) to lasso",
  rectangle: "Shift + drag (or press and hold, then drag) for a rectangle",
};
export const HINT_TAIL =
  " \u00b7 Cmd/Meta adds, Alt removes \u00b7 drag pans, scroll zooms \u00b7 1\u20139 label, 0 unlabel, Ctrl+Z undo";

/**
 * @typedef {object} Layout
 * @property {HTMLElement} root the widget's root (focusable)
 * @property {HTMLElement} top the row above the tools (the label bar goes here)
 * @property {HTMLElement} toolbar search (prepended by the caller), lasso / rectangle, reset
 * @property {HTMLElement} body the map and, beside it (or under it when narrow), the panel
 * @property {HTMLElement} wrap the canvas area (its height is the `height` trait)
 * @property {HTMLCanvasElement} canvas
 * @property {HTMLElement} empty the "No points" overlay
 * @property {HTMLElement} legend
 * @property {HTMLElement} selected the "N selected" text (shown in the side panel's head)
 * @property {HTMLButtonElement} resetButton
 * @property {Record<"freeform" | "rectangle", HTMLButtonElement>} toolButtons
 */

/**
 * Build the widget's DOM (not yet attached).
 * @param {Document} doc
 * @param {number} height canvas height in CSS px
 * @returns {Layout}
 */
export function buildLayout(doc, height) {
  const root = h(doc, "div", "corral-map");
  root.tabIndex = 0;

  const top = h(doc, "div", "corral-top");

  const selected = h(doc, "span", "corral-selected", "");
  const tools = h(doc, "div", "corral-segmented");
  tools.setAttribute("role", "group");
  tools.setAttribute("aria-label", "Selection tool (Shift + drag)");
  /** @param {string} text @param {string} title */
  const toolButton = (text, title) => {
    const b = /** @type {HTMLButtonElement} */ (h(doc, "button", "corral-button corral-tool", text));
    b.type = "button";
    b.title = title;
    tools.append(b);
    return b;
  };
  const toolButtons = {
    freeform: toolButton("Lasso", "Shift + drag draws a free-form lasso"),
    rectangle: toolButton("Rectangle", "Shift + drag draws a rectangle"),
  };
  toolButtons.freeform.dataset.tool = "freeform";
  toolButtons.rectangle.dataset.tool = "rectangle";
  const resetButton = /** @type {HTMLButtonElement} */ (h(doc, "button", "corral-button corral-reset", "Reset view"));
  resetButton.type = "button";
  resetButton.title = "Fit all points in the view";
  const toolbar = h(doc, "div", "corral-toolbar");
  const spacer = h(doc, "span", "corral-spacer");
  toolbar.append(spacer, tools, resetButton);

  const wrap = h(doc, "div", "corral-canvas-wrap");
  wrap.style.height = `${height}px`;
  const canvas = /** @type {HTMLCanvasElement} */ (h(doc, "canvas"));
  const empty = h(doc, "div", "corral-empty", "No points");
  empty.hidden = true;
  wrap.append(canvas, empty);
  const body = h(doc, "div", "corral-body");
  body.append(wrap);

  const legend = h(doc, "div", "corral-legend");
  legend.setAttribute("role", "list");
  legend.setAttribute("aria-label", "Labels");

  root.append(h(doc, "style", undefined, CSS), top, toolbar, body, legend);
  return { root, top, toolbar, body, wrap, canvas, empty, legend, selected, resetButton, toolButtons };
}

/**
 * Colour the DOM parts for a theme (the canvas is coloured by scatter.js).
 * @param {HTMLElement} root
 * @param {Palette} pal
 */
export function applyPalette(root, pal) {
  root.classList.toggle("corral-dark", pal === PALETTES.dark);
  root.style.setProperty("--corral-bg", pal.background);
  root.style.setProperty("--corral-fg", pal.foreground);
  root.style.setProperty("--corral-muted", pal.muted);
  root.style.setProperty("--corral-border", pal.border);
  root.style.setProperty("--corral-button", pal.button);
  root.style.setProperty("--corral-accent", pal.lasso);
}
