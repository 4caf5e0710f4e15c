// @ts-check
/**
 * The widget's DOM: toolbar (interaction hint, selected count, reset button), the canvas area
 * and the legend. Built with createElement/textContent only; styled by styles.js, coloured per
 * theme through CSS variables.
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

export const HINT =
  " + drag (or press and hold, then drag) to lasso \u00b7 drag to pan \u00b7 scroll to zoom \u00b7 double-click to clear";

/**
 * @typedef {object} Layout
 * @property {HTMLElement} root the widget's root (focusable)
 * @property {HTMLElement} wrap the canvas area (its height is the `height` trait)
 * @property {HTMLCanvasElement} canvas
 * @property {HTMLElement} empty the "No points" overlay
 * @property {HTMLElement} legend
 * @property {HTMLElement} selected the "N selected" text
 * @property {HTMLButtonElement} resetButton
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

  const hint = h(doc, "span", "corral-hint");
  hint.append(h(doc, "kbd", undefined, "Shift"), HINT);
  const selected = h(doc, "span", "corral-selected", "");
  const resetButton = /** @type {HTMLButtonElement} */ (h(doc, "button", "corral-button", "Reset view"));
  resetButton.type = "button";
  resetButton.title = "Fit all points in the view";
  const toolbar = h(doc, "div", "corral-toolbar");
  toolbar.append(hint, selected, resetButton);

  const wrap = h(doc, "div", "corral-canvas-wrap");
  wrap.style.height = `${height}px`;
  const canvas = /** @type {HTMLCanvasElement} */ (h(doc, "canvas"));
  const empty = h(doc, "div", "corral-empty", "No points");
  empty.hidden = true;
  wrap.append(canvas, empty);

  const legend = h(doc, "div", "corral-legend");
  legend.setAttribute("role", "list");
  legend.setAttribute("aria-label", "Labels");

  root.append(h(doc, "style", undefined, CSS), toolbar, wrap, legend);
  return { root, wrap, canvas, empty, legend, selected, resetButton };
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
}
