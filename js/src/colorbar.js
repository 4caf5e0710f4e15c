// @ts-check
/**
 * The colour bar shown when the map is coloured by values (`Labeler.show(color_by=...)`): the
 * values' name, the ramp from its lowest to its highest value, and the number of points without
 * a value (drawn in the unlabeled grey). The name comes from users: textContent only.
 */

import { h } from "./layout.js";
import { formatCount } from "./legend.js";

/**
 * A number short enough for a legend (4 significant digits, no trailing zeros).
 * @param {number} v
 */
export function formatValue(v) {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/**
 * @param {Document} doc
 */
export function createColorBar(doc) {
  const el = h(doc, "div", "corral-colorbar");
  el.hidden = true;
  const title = h(doc, "span", "corral-colorbar-title");
  const low = h(doc, "span", "corral-colorbar-min");
  const bar = h(doc, "span", "corral-colorbar-ramp");
  const high = h(doc, "span", "corral-colorbar-max");
  const missingSwatch = h(doc, "span", "corral-swatch");
  const missing = h(doc, "span", "corral-colorbar-missing");
  el.append(title, low, bar, high, missingSwatch, missing);
  el.setAttribute("role", "img");

  return {
    el,
    /**
     * @param {{ label: string, min: number, max: number, missing: number, gradient: string,
     *           missingColor: string }} s
     */
    show({ label, min, max, missing: nMissing, gradient, missingColor }) {
      title.textContent = label;
      low.textContent = formatValue(min);
      high.textContent = formatValue(max);
      bar.style.background = gradient;
      missingSwatch.style.backgroundColor = missingColor;
      missingSwatch.hidden = missing.hidden = nMissing === 0;
      missing.textContent = `no value: ${formatCount(nMissing)}`;
      el.setAttribute("aria-label", `${label}: colour from ${formatValue(min)} to ${formatValue(max)}`);
      el.dataset.min = String(min);
      el.dataset.max = String(max);
      el.hidden = false;
    },
    hide() {
      el.hidden = true;
    },
  };
}
