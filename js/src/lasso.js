// @ts-check
/**
 * Lasso geometry (pure): the area a drawn path encloses, which tells a lasso from a click.
 *
 * regl-scatterplot ends a lasso on mouse-up and then also handles the click that follows; when
 * the lasso closes where it started, that click lands next to the press point and replaces the
 * lasso's selection with the point under it. A path that encloses an area is a lasso, whatever
 * its end point: interactions.js swallows that click. The path in progress is drawn by
 * createLassoOverlay (SVG over the canvas), not by regl-scatterplot (see scatter.js).
 */

import { signedArea2 } from "./regions.js";

/** @typedef {import("./regions.js").Point} Point */

/** Smallest enclosed area (CSS px²) that makes a drawn path a lasso rather than a click. */
export const MIN_LASSO_AREA_PX = 25;

/**
 * Area enclosed by a closed path (shoelace formula; the last vertex joins the first).
 * Self-crossing paths count each lobe with its own sign, so a figure eight can come out small.
 * @param {ArrayLike<number>} flat x0 y0 x1 y1 ...
 * @returns {number} the absolute area, in the path's units squared
 */
export function polygonArea(flat) {
  /** @type {Point[]} */
  const poly = [];
  for (let i = 0; i + 1 < flat.length; i += 2) poly.push([flat[i], flat[i + 1]]);
  return poly.length < 3 ? 0 : Math.abs(signedArea2(poly)) / 2;
}

/**
 * Whether a drawn path (CSS px) is a lasso: it encloses at least `minArea`.
 * @param {ArrayLike<number>} flat x0 y0 x1 y1 ...
 * @param {number} [minArea]
 */
export function isLasso(flat, minArea = MIN_LASSO_AREA_PX) {
  return polygonArea(flat) >= minArea;
}

/**
 * Collects the path of a lasso as the mouse draws it.
 * @returns {{ start: () => void, add: (x: number, y: number) => void, active: boolean,
 *             path: number[], end: () => number[] }}
 */
export function createPathRecorder() {
  /** @type {number[]} */
  let path = [];
  let active = false;
  return {
    start() {
      path = [];
      active = true;
    },
    add(x, y) {
      if (active) path.push(x, y);
    },
    get active() {
      return active;
    },
    get path() {
      return path;
    },
    end() {
      active = false;
      const done = path;
      path = [];
      return done;
    },
  };
}

const SVG_NS = "http://www.w3.org/2000/svg";

/**
 * The lasso path in progress, drawn as an SVG line over the WebGL canvas: each mouse move
 * rewrites one `points` attribute (cost grows with the path, never with the points), while
 * scatter.js skips the WebGL frames until the mouse-up.
 * @param {HTMLElement} wrap the canvas area (the canvas sits at its top-left)
 * @returns {{ show: (flat: number[], shape: "freeform" | "rectangle") => void, hide: () => void,
 *             remove: () => void }}
 */
export function createLassoOverlay(wrap) {
  const doc = wrap.ownerDocument;
  const svg = doc.createElementNS(SVG_NS, "svg");
  svg.setAttribute("class", "corral-lasso-path");
  svg.setAttribute("aria-hidden", "true");
  const line = doc.createElementNS(SVG_NS, "polygon");
  svg.append(line);
  svg.style.display = "none";
  wrap.append(svg);
  return {
    show(flat, shape) {
      let pts = flat;
      if (shape === "rectangle" && flat.length >= 4) {
        const [x0, y0] = flat;
        const [x1, y1] = flat.slice(-2);
        pts = [x0, y0, x1, y0, x1, y1, x0, y1];
      }
      let s = "";
      for (let i = 0; i + 1 < pts.length; i += 2) s += `${pts[i]},${pts[i + 1]} `;
      line.setAttribute("points", s);
      svg.style.display = "";
    },
    hide() {
      svg.style.display = "none";
      line.setAttribute("points", "");
    },
    remove() {
      svg.remove();
    },
  };
}
