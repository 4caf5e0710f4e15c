// @ts-check
/**
 * The SVG layer over the map that shows drawn regions (filled translucently in their label's
 * colour, the label written at the centroid), read-only outlines (dashed, with their name), the
 * polygon being drawn, and the chosen region's vertex handles and remove (×) button. It only
 * draws what it is given; draw.js decides. Names are placed (placement.js) so that none covers
 * another (the larger shape's name first; a colliding one is moved near its anchor or hidden) and
 * each is whole inside the canvas, on a translucent background (a halo) over the points. Names and labels are text nodes
 * (textContent), never markup. The layer lets the mouse through except on handles and ×, and
 * only while draw mode is on (the `corral-drawing` class on the root).
 */

import { fitText, placeLabels } from "./placement.js";
import { centroid, signedArea2 } from "./regions.js";
import { safeColor } from "./theme.js";

const SVG = "http://www.w3.org/2000/svg";
const FALLBACK = "#808080";
export const HANDLE_RADIUS = 5;
const NAME_FONT = "12px system-ui, sans-serif";
const NAME_HEIGHT = 16; // px, the box of one name (12 px text and its halo)
const NAME_PAD = 4; // px either side of the text
const NAME_MARGIN = 2; // px kept from the canvas edge

export const OVERLAY_CSS = `
.corral-map .corral-overlay { position: absolute; left: 0; top: 0; z-index: 1; pointer-events: none; overflow: visible; }
.corral-map .corral-region { fill-opacity: 0.22; stroke-width: 1.5; vector-effect: non-scaling-stroke; }
.corral-map .corral-region-selected { fill-opacity: 0.32; stroke-width: 2.5; }
.corral-map .corral-outline { fill: none; stroke: var(--corral-fg); stroke-width: 1.5; stroke-dasharray: 6 4; opacity: 0.75;
  vector-effect: non-scaling-stroke; }
.corral-map .corral-overlay text { font: 12px system-ui, sans-serif; fill: var(--corral-fg); stroke: var(--corral-bg);
  stroke-width: 3px; paint-order: stroke; text-anchor: middle; dominant-baseline: middle; }
.corral-map .corral-name-bg { fill: var(--corral-bg); fill-opacity: 0.78; stroke: none; }
.corral-map .corral-draft { fill: none; stroke: var(--corral-accent); stroke-width: 1.5; stroke-dasharray: 4 3; }
.corral-map .corral-vertex, .corral-map .corral-draft-vertex { fill: var(--corral-bg); stroke: var(--corral-accent); stroke-width: 1.5; }
.corral-map.corral-drawing .corral-vertex { pointer-events: all; cursor: move; }
.corral-map .corral-region-remove { cursor: pointer; }
.corral-map.corral-drawing .corral-region-remove { pointer-events: all; }
.corral-map .corral-region-remove circle { fill: var(--corral-bg); stroke: var(--corral-border); }
.corral-map .corral-overlay .corral-region-remove text { stroke: none; font-size: 14px; }
.corral-map.corral-drawing .corral-canvas-wrap { cursor: crosshair; }
.corral-map.corral-drawing .corral-segmented { opacity: 0.45; } /* the lasso is off while drawing */
.corral-map .corral-draw[aria-pressed="true"] {
  background: var(--corral-accent); border-color: var(--corral-accent); color: #ffffff;
}
.corral-map .corral-draw-label { display: inline-flex; align-items: center; gap: 4px; }
.corral-map .corral-label-button.corral-draw-active { outline: 2px solid var(--corral-accent); outline-offset: 1px; }
`;

/** @typedef {import("./regions.js").Point} Point */
/** @typedef {import("./regions.js").Region} Region */
/** @typedef {import("./regions.js").Outline} Outline */
/**
 * What to show. Regions and outlines are in data coordinates: they sit in a group whose
 * transform is the camera's (pan and zoom are an affine map), so following the camera costs one
 * attribute, not a rebuild; strokes keep their width (non-scaling). Names, handles and the
 * polygon being drawn are placed in canvas pixels on every render.
 * @typedef {object} Scene
 * @property {Region[]} regions rebuilt only when this array, `colors` or `selected` change
 * @property {Map<string, string>} colors per region label
 * @property {Outline[]} outlines
 * @property {number} selected index of the chosen region, or -1
 * @property {Point[]} draft the polygon being drawn (data)
 * @property {Point | null} cursor where the next vertex would go (canvas px)
 * @property {string} draftColor
 * @property {(p: Point) => Point} toScreen data -> canvas px (affine)
 * @property {number} width
 * @property {number} height
 */

/** @param {Point[]} poly */
const pointsAttr = (poly) => poly.map((p) => `${p[0]},${p[1]}`).join(" ");

/**
 * The SVG transform of an affine data -> pixel map, from where it sends the origin and the unit
 * vectors.
 * @param {(p: Point) => Point} toScreen
 */
export function affineOf(toScreen) {
  const o = toScreen([0, 0]);
  const x = toScreen([1, 0]);
  const y = toScreen([0, 1]);
  return [x[0] - o[0], x[1] - o[1], y[0] - o[0], y[1] - o[1], o[0], o[1]];
}

/**
 * @param {Document} doc
 */
export function createOverlay(doc) {
  /** @param {string} tag @param {Record<string, string | number>} [attrs] */
  const make = (tag, attrs = {}) => {
    const node = doc.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  };
  const svg = make("svg", { class: "corral-overlay" });
  const shapesG = make("g", { class: "corral-shapes" });
  const outlinesG = make("g", { class: "corral-outlines" });
  const regionsG = make("g", { class: "corral-regions" });
  shapesG.append(outlinesG, regionsG);
  const namesG = make("g", { class: "corral-names" });
  const editG = make("g", { class: "corral-edit" });
  svg.append(shapesG, namesG, editG);

  /**
   * Each name: its group (background and text), text node, full name, where it belongs (data),
   * and its priority (the area of its shape; the chosen region first).
   * @typedef {{ g: Element, bg: Element, t: Element, text: string, anchor: Point, priority: number }} Name
   */
  /** @type {Name[]} */
  let names = [];
  /** @type {unknown[]} */
  let built = [];

  // Text widths, measured once per name with a canvas (no layout needed; same font as the CSS).
  const ctx2d = /** @type {CanvasRenderingContext2D | null} */ (doc.createElement("canvas").getContext?.("2d") ?? null);
  if (ctx2d) ctx2d.font = NAME_FONT;
  /** @type {Map<string, number>} */
  const widths = new Map();
  /** @param {string} s */
  const measure = (s) => {
    let w = widths.get(s);
    if (w === undefined) {
      w = ctx2d ? ctx2d.measureText(s).width : 7 * s.length;
      widths.set(s, w);
    }
    return w;
  };

  /** @param {Point[]} polygon @param {string} text @param {string} className @param {number} priority */
  const name = (polygon, text, className, priority) => {
    const g = make("g", { class: "corral-name" });
    const bg = make("rect", { class: "corral-name-bg", rx: 3 });
    const t = make("text", { class: className });
    t.textContent = text;
    t.setAttribute("data-name", text);
    g.append(bg, t);
    names.push({ g, bg, t, text, anchor: centroid(polygon), priority });
    return g;
  };

  /** @param {Scene} scene */
  const build = (scene) => {
    names = [];
    outlinesG.replaceChildren(
      ...scene.outlines.map((o, i) =>
        make("polygon", { class: "corral-outline", points: pointsAttr(o.polygon), "data-index": i }),
      ),
    );
    regionsG.replaceChildren(
      ...scene.regions.map((r, i) => {
        const color = safeColor(scene.colors.get(r.label), FALLBACK);
        const poly = make("polygon", {
          class: `corral-region${i === scene.selected ? " corral-region-selected" : ""}`,
          points: pointsAttr(r.polygon),
          fill: color,
          stroke: color,
          "data-index": i,
        });
        poly.setAttribute("data-label", r.label);
        return poly;
      }),
    );
    const area = (/** @type {Point[]} */ poly) => Math.abs(signedArea2(poly)) || 0;
    namesG.replaceChildren(
      ...scene.outlines.map((o) => name(o.polygon, o.name, "corral-outline-name", area(o.polygon))),
      ...scene.regions.map((r, i) =>
        name(r.polygon, r.label, "corral-region-label", i === scene.selected ? Infinity : area(r.polygon)),
      ),
    );
  };

  /** Names without overlap, whole inside the canvas (placement.js). @param {Scene} scene */
  const placeNames = (scene) => {
    const maxText = Math.max(0, scene.width - 2 * NAME_MARGIN - 2 * NAME_PAD);
    const texts = names.map((nm) => (nm.text ? fitText(nm.text, maxText, measure) : ""));
    const placed = placeLabels(
      names.map((nm, i) => ({
        anchor: scene.toScreen(nm.anchor),
        width: texts[i] ? measure(texts[i]) + 2 * NAME_PAD : 0,
        height: NAME_HEIGHT,
        priority: nm.priority,
      })),
      { width: scene.width, height: scene.height },
      { gap: 2, margin: NAME_MARGIN },
    );
    names.forEach((nm, i) => {
      const { shown, box } = placed[i];
      if (!shown) {
        nm.g.setAttribute("display", "none");
        nm.g.setAttribute("data-hidden", "1");
        return;
      }
      nm.g.removeAttribute("display");
      nm.g.removeAttribute("data-hidden");
      if (nm.t.textContent !== texts[i]) nm.t.textContent = texts[i];
      nm.bg.setAttribute("x", box.x.toFixed(1));
      nm.bg.setAttribute("y", box.y.toFixed(1));
      nm.bg.setAttribute("width", box.width.toFixed(1));
      nm.bg.setAttribute("height", box.height.toFixed(1));
      nm.t.setAttribute("x", (box.x + box.width / 2).toFixed(1));
      nm.t.setAttribute("y", (box.y + box.height / 2).toFixed(1));
    });
  };

  /** @type {Scene | null} the scene last rendered */
  let last = null;

  /** Put everything placed in canvas pixels where the camera now shows it. @param {Scene} scene */
  const place = (scene) => {
    shapesG.setAttribute("transform", `matrix(${affineOf(scene.toScreen).join(" ")})`);
    placeNames(scene);
    /** @type {Element[]} */
    const edit = [];
    const chosen = scene.regions[scene.selected];
    if (chosen) {
      const px = chosen.polygon.map(scene.toScreen);
      px.forEach((p, k) =>
        edit.push(make("circle", { class: "corral-vertex", cx: p[0], cy: p[1], r: HANDLE_RADIUS, "data-vertex": k })),
      );
      const right = Math.max(...px.map((p) => p[0]));
      const top = Math.min(...px.map((p) => p[1]));
      const remove = make("g", { class: "corral-region-remove", transform: `translate(${right + 12},${top - 12})` });
      const title = make("title");
      title.textContent = "Remove this region (Delete)";
      const cross = make("text", { x: 0, y: 1 });
      cross.textContent = "\u00d7";
      remove.append(title, make("circle", { r: 9 }), cross);
      edit.push(remove);
    }
    if (scene.draft.length) {
      const px = scene.draft.map(scene.toScreen);
      const path = scene.cursor ? [...px, scene.cursor] : px;
      const stroke = safeColor(scene.draftColor, "");
      edit.push(make("polyline", { class: "corral-draft", points: pointsAttr(path), ...(stroke ? { stroke } : {}) }));
      px.forEach((p) => edit.push(make("circle", { class: "corral-draft-vertex", cx: p[0], cy: p[1], r: 3.5 })));
    }
    editG.replaceChildren(...edit);
  };

  return {
    el: svg,

    /** @param {Scene} scene */
    render(scene) {
      svg.setAttribute("width", String(scene.width));
      svg.setAttribute("height", String(scene.height));
      const key = [scene.regions, scene.outlines, scene.selected, JSON.stringify([...scene.colors])];
      if (key.some((k, i) => k !== built[i])) {
        build(scene);
        built = key;
      }
      last = scene;
      place(scene);
    },

    /**
     * The camera moved: only what is placed in pixels follows it (nothing is rebuilt), and
     * nothing at all happens when there is nothing to show.
     */
    follow() {
      if (!last || (!last.regions.length && !last.outlines.length && !last.draft.length)) return;
      place(last);
    },
  };
}
