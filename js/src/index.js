// @ts-check
/**
 * corral's map widget (anywidget front end): a WebGL scatter of the points coloured by label,
 * a legend with counts, lasso selection synced to the `selection` trait, pan/zoom, reset view.
 *
 * Interactions: drag pans, wheel zooms, Shift + drag lassos (or press and hold ~0.6 s, then
 * drag), click selects one point, double-click on empty space or Escape (map focused) clears.
 *
 * For tests: once the first frame is drawn, `data-corral-ready="1"` is set on `el` and the
 * widget root, and `el.__corral` holds { scatterplot, toScreen(i), firstFrameMs, ... }.
 */

import { applyPalette, buildLayout } from "./layout.js";
import { formatCount, legendRows, renderLegend } from "./legend.js";
import * as P from "./protocol.js";
import { categoryValues } from "./encoding.js";
import { createMap } from "./scatter.js";
import { PALETTES, detectTheme, watchTheme } from "./theme.js";

/**
 * The part of the widget model we use (Backbone-style, as anywidget passes it).
 * @typedef {object} Model
 * @property {(name: string) => any} get
 * @property {(name: string, value: any) => void} set
 * @property {() => void} save_changes
 * @property {(event: string, cb: (...args: any[]) => void) => void} on
 * @property {(event?: string | null, cb?: ((...args: any[]) => void) | null) => void} off
 */

const DEFAULT_HEIGHT = 520;
const FALLBACK_WIDTH = 640;

/** @param {Model} model */
function heightOf(model) {
  const v = Number(model.get(P.TRAIT_HEIGHT));
  return v > 0 ? v : DEFAULT_HEIGHT;
}

/**
 * @param {{ model: Model, el: HTMLElement & { __corral?: object } }} ctx
 * @returns {() => void} cleanup
 */
function render({ model, el }) {
  const started = performance.now();
  const doc = el.ownerDocument;
  let palette = PALETTES[detectTheme()];

  const { root, wrap, canvas, empty, legend, selected: selectedLabel, resetButton } = buildLayout(
    doc,
    heightOf(model),
  );
  el.append(root);
  applyPalette(root, palette);
  let destroyed = false;

  /** @param {unknown} err */
  const report = (err) => {
    if (!destroyed) console.error("corral map:", err);
  };

  // State mirrored from the model.
  let coords = P.decodeCoords(model.get(P.TRAIT_COORDS));
  let codes = P.decodeCodes(model.get(P.TRAIT_CODES));
  let n = Math.floor(coords.length / 2);
  /** @type {Float32Array} */
  let z = new Float32Array(0);
  let userMovedView = false;

  const categories = () => /** @type {string[]} */ (model.get(P.TRAIT_CATEGORIES) ?? []);
  const colors = () => /** @type {string[]} */ (model.get(P.TRAIT_COLORS) ?? []);
  const modelSelection = () => P.normalizeIndices(P.decodeIndices(model.get(P.TRAIT_SELECTION)), n);

  /** @param {number} count */
  const showSelected = (count) => {
    selectedLabel.textContent = count ? `${formatCount(count)} selected` : "";
  };

  /** @param {ArrayLike<number>} points */
  const sendSelection = (points) => {
    const sorted = P.normalizeIndices(points, n);
    showSelected(sorted.length);
    if (P.sameIndices(sorted, modelSelection())) return;
    model.set(P.TRAIT_SELECTION, P.encodeIndices(sorted));
    model.save_changes();
  };

  const width0 = wrap.clientWidth || el.clientWidth || FALLBACK_WIDTH;
  const map = createMap({
    canvas,
    width: width0,
    height: heightOf(model),
    palette,
    onSelect: (points) => sendSelection(points),
    onDeselect: () => sendSelection([]),
  });
  // Constructor options do not reach the camera: setting the map again turns rotation off.
  map.scatterplot.set({ actionKeyMap: { lasso: "shift", merge: "meta", remove: "alt" } });

  const updateLegend = () => {
    const rows = legendRows({
      categories: categories(),
      colors: colors(),
      codes: codes.length > n ? codes.subarray(0, n) : codes,
      unlabeledColor: palette.unlabeled,
    });
    // Points past the end of a lagging codes buffer are unlabeled too.
    if (codes.length < n) rows[rows.length - 1].count += n - codes.length;
    renderLegend(legend, rows, doc);
    empty.hidden = n > 0;
  };

  // Trait changes are coalesced: Python often sets codes, categories and colors together.
  const dirty = { coords: true, labels: true, selection: true };
  let flushQueued = false;

  /** @type {Promise<unknown> | null} the latest redraw of the points */
  let pointsDrawn = null;

  const flush = () => {
    flushQueued = false;
    if (destroyed) return;
    const k = categories().length;
    if (dirty.coords) {
      coords = P.decodeCoords(model.get(P.TRAIT_COORDS));
      n = Math.floor(coords.length / 2);
    }
    if (dirty.coords || dirty.labels) {
      codes = P.decodeCodes(model.get(P.TRAIT_CODES));
      const nextZ = categoryValues(codes, n, k);
      map.setEncodings(colors(), k, n, palette).catch(report);
      if (dirty.coords) {
        pointsDrawn = map.setPoints(coords, nextZ, Array.from(modelSelection()));
        pointsDrawn.catch(report);
      } else if (!P.sameIndices(nextZ, z)) {
        map.setValues(nextZ).catch(report);
      }
      z = nextZ;
      updateLegend();
    }
    if (dirty.selection || dirty.coords) {
      // A points redraw carries the selection already; otherwise only apply a real difference.
      const wanted = modelSelection();
      const shown = P.normalizeIndices(map.selected(), n);
      if (!dirty.coords && !P.sameIndices(wanted, shown)) map.select(wanted).catch(report);
      showSelected(wanted.length);
    }
    dirty.coords = dirty.labels = dirty.selection = false;
  };

  /** @param {"coords" | "labels" | "selection"} what */
  const schedule = (what) => {
    dirty[what] = true;
    if (!flushQueued) {
      flushQueued = true;
      queueMicrotask(flush);
    }
  };

  const onCoords = () => schedule("coords");
  const onLabels = () => schedule("labels");
  const onSelection = () => schedule("selection");
  const onHeight = () => {
    wrap.style.height = `${heightOf(model)}px`;
  };
  /** @type {Array<[string, () => void]>} */
  const listeners = [
    [`change:${P.TRAIT_COORDS}`, onCoords],
    [`change:${P.TRAIT_CODES}`, onLabels],
    [`change:${P.TRAIT_CATEGORIES}`, onLabels],
    [`change:${P.TRAIT_COLORS}`, onLabels],
    [`change:${P.TRAIT_SELECTION}`, onSelection],
    [`change:${P.TRAIT_HEIGHT}`, onHeight],
  ];
  listeners.forEach(([event, cb]) => model.on(event, cb));

  const hook = {
    scatterplot: map.scatterplot,
    /** @param {number} i @returns {[number, number] | null} CSS px relative to the canvas */
    toScreen: (i) => map.toScreen(i),
    canvas,
    /** @type {number | null} ms from render() to the first frame */
    firstFrameMs: /** @type {number | null} */ (null),
    /** @type {Promise<unknown>} resolves once the first frame is drawn */
    ready: Promise.resolve(),
  };
  el.__corral = hook;

  // First frame: flush now (camera fitted, points drawn), ready once regl-scatterplot has drawn.
  flush();
  const firstDraw = Promise.resolve(pointsDrawn).then(() => {
    if (destroyed) return;
    hook.firstFrameMs = performance.now() - started;
    el.setAttribute("data-corral-ready", "1");
    root.setAttribute("data-corral-ready", "1");
  });
  firstDraw.catch(report);
  hook.ready = firstDraw;

  // Size: follow the element's width (and the height trait); refit while the user has not moved.
  const resizeObserver = new ResizeObserver(() => {
    const w = wrap.clientWidth;
    const ht = wrap.clientHeight;
    if (!(w > 0 && ht > 0)) return;
    if (map.resize(w, ht) && !userMovedView) map.resetView(false).catch(report);
  });
  resizeObserver.observe(wrap);

  // DOM events: interaction bookkeeping, keep JupyterLab out of our gestures, reset, Escape.
  const onMouseDown = (/** @type {MouseEvent} */ event) => {
    userMovedView = true;
    root.focus({ preventScroll: true });
    if (event.shiftKey) {
      event.preventDefault(); // no text selection while lassoing
      event.stopPropagation(); // no notebook cell range-selection on shift-click
    }
  };
  const onWheel = () => {
    userMovedView = true;
  };
  const onReset = () => {
    userMovedView = false;
    map.resetView(true).catch(report);
  };
  const onKeyDown = (/** @type {KeyboardEvent} */ event) => {
    if (event.key === "Escape" && map.selected().length) {
      event.stopPropagation();
      map.deselect().catch(report);
    }
  };
  wrap.addEventListener("mousedown", onMouseDown);
  wrap.addEventListener("wheel", onWheel, { passive: true });
  resetButton.addEventListener("click", onReset);
  root.addEventListener("keydown", onKeyDown);

  const stopTheme = watchTheme((name) => {
    palette = PALETTES[name];
    applyPalette(root, palette);
    map.setEncodings(colors(), categories().length, n, palette).catch(report);
    updateLegend();
  });

  return () => {
    destroyed = true;
    listeners.forEach(([event, cb]) => model.off(event, cb));
    resizeObserver.disconnect();
    stopTheme();
    wrap.removeEventListener("mousedown", onMouseDown);
    wrap.removeEventListener("wheel", onWheel);
    resetButton.removeEventListener("click", onReset);
    root.removeEventListener("keydown", onKeyDown);
    map.destroy();
    root.remove();
    el.removeAttribute("data-corral-ready");
    if (el.__corral === hook) delete el.__corral;
  };
}

export default { render };
