// @ts-check
/**
 * corral's map widget (anywidget front end): a WebGL scatter of the points coloured by label,
 * a label bar (apply / add / remove labels, undo, redo), lasso or rectangle selection synced to
 * the `selection` trait, hover texts, a side panel on the selection, search, a legend and a
 * status line. Python decides every label change (custom messages, see messages.js). The points
 * (coordinates, label codes, values) come through the model's array store (arrays.js), in frames
 * under the hosts' message size limits (chunks.js); the first frame is drawn once they are in.
 *
 * Interactions: drag pans, wheel zooms, Shift + drag lassos or draws a rectangle (or press and
 * hold ~0.6 s, then drag); Cmd/Meta adds to, Alt removes from the selection; click selects one
 * point, double-click on empty space or Escape clears. Keys: see keys.js.
 *
 * For tests: once the first frame is drawn, `data-corral-ready="1"` is set on `el` and the widget
 * root, and `el.__corral` holds { scatterplot, toScreen(i), firstFrameMs, overlay(), ... }.
 */

import { createLabeling } from "./actions.js";
import { arraysFor } from "./arrays.js";
import { transportFor } from "./chunks.js";
import { createColorBar } from "./colorbar.js";
import { createDrawing } from "./draw.js";
import { rampCss, rampFor, valueBins } from "./colorscale.js";
import { categoryValues, overlayEncodings } from "./encoding.js";
import { bindInteractions, hintFor } from "./interactions.js";
import { applyPalette, buildLayout } from "./layout.js";
import { formatCount, showLegend } from "./legend.js";
import { createClient } from "./messages.js";
import { createPanel } from "./panel.js";
import * as P from "./protocol.js";
import { createMap } from "./scatter.js";
import { createSearch } from "./search.js";
import { createStatusLine } from "./statusline.js";
import { createSuggestions, suggestionEncodings } from "./suggest.js";
import { PALETTES, detectTheme, safeColor, watchTheme } from "./theme.js";
import { createHoverTexts } from "./tooltip.js";

/**
 * The part of the widget model we use (Backbone-style, as anywidget passes it).
 * @typedef {import("./messages.js").MessageModel & {
 *   get: (name: string) => any, set: (name: string, value: any) => void, save_changes: () => void
 * }} Model
 */
/** @typedef {import("./encoding.js").Overlay} Overlay */

const DEFAULT_HEIGHT = 520;
const FALLBACK_WIDTH = 640;
const FALLBACK_COLOR = "#808080";

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
  let theme = detectTheme();
  let palette = PALETTES[theme];

  const L = buildLayout(doc, heightOf(model));
  const { root, wrap, canvas, empty, legend } = L;
  el.append(root);
  applyPalette(root, palette);
  let destroyed = false;

  /** @param {unknown} err */
  const report = (err) => {
    if (!destroyed) console.error("corral map:", err);
  };

  // State mirrored from the model (the arrays: from Python's frames, shared by the model's views).
  const transport = transportFor(model);
  const arrays = arraysFor(transport);
  let coords = arrays.coords;
  let codes = arrays.codes;
  let n = Math.floor(coords.length / 2);
  /** @type {Float32Array} */
  let z = new Float32Array(0);
  const ui = { pointerDown: false, userMovedView: false };
  /** @type {Overlay} */
  let overlay = "labels";
  /** @type {Float32Array | null} valueB of the overlay (1 = search match, or similarity 0..1) */
  let overlayValues = null;

  const categories = () => /** @type {string[]} */ (model.get(P.TRAIT_CATEGORIES) ?? []);
  const colors = () => /** @type {string[]} */ (model.get(P.TRAIT_COLORS) ?? []);
  /** @type {unknown} the selection trait value this view set last (from the map's own lasso or click) */
  let sentSelection = null;
  /** @type {[unknown, number, Uint32Array]} the selection trait decoded, for the value and n it is of */
  let selectionSeen = [null, -1, new Uint32Array(0)];
  const modelSelection = () => {
    const raw = model.get(P.TRAIT_SELECTION);
    if (raw !== selectionSeen[0] || n !== selectionSeen[1]) {
      const all = P.decodeIndices(raw);
      const cut = all.length && all[all.length - 1] >= n ? P.normalizeIndices(all, n) : all;
      selectionSeen = [raw, n, cut];
    }
    return selectionSeen[2];
  };

  // Messages, status line, label bar and what its buttons and keys do.
  const status = createStatusLine(doc, hintFor("freeform"));
  /** @type {ReturnType<typeof createDrawing> | null} draw mode (regions), made once the map exists */
  let drawing = null;
  const client = createClient(transport, {
    onStatus: (s) => labeling.onStatus(s),
    onError: (message) => labeling.onError(message),
  });
  const refocus = () => root.focus({ preventScroll: true });
  const pick = (/** @type {string} */ name) => drawing?.pick(name) ?? false; // in draw mode: the region label
  const labeling = createLabeling(doc, { client, status, selection: modelSelection, categories, refocus, pick });
  const { labelbar, actions } = labeling;
  L.top.append(labelbar.el);
  // Undo / Redo right from the first display (the trait), then kept current (trait and messages).
  // "preview · map computing (N s)" while Python's map is the quick first view (status.preview).
  /** @type {number | null} */
  let previewSince = null;
  /** @type {any} */
  let previewTimer = 0;
  const showPreview = () => {
    const secs = Math.round((performance.now() - /** @type {number} */ (previewSince)) / 1000);
    status.setNote(`preview \u00b7 map computing (${secs} s)`);
  };
  /** @param {boolean} on */
  const setPreview = (on) => {
    root.dataset.preview = on ? "1" : "0";
    if (on && previewSince === null) {
      previewSince = performance.now();
      showPreview();
      previewTimer = setInterval(showPreview, 1000);
    } else if (!on && previewSince !== null) {
      previewSince = null;
      clearInterval(previewTimer);
      status.setNote("");
      status.info("The full map is ready: points moved to their places");
    }
  };
  const onStatusTrait = () => {
    const s = model.get(P.TRAIT_STATUS);
    if (s && typeof s === "object") {
      labeling.onStatus(s);
      setPreview(Boolean(s.preview));
    }
  };
  onStatusTrait();

  /** @param {number} count */
  const showSelected = (count) => {
    L.selected.textContent = count ? `${formatCount(count)} selected` : "";
  };

  /** @param {ArrayLike<number>} points */
  const sendSelection = (points) => {
    const sorted = P.normalizeIndices(points, n);
    showSelected(sorted.length);
    if (P.sameIndices(sorted, modelSelection())) return;
    const data = P.encodeIndices(sorted, n);
    selectionSeen = [data, n, sorted]; // what it decodes to, known: not decoded again
    sentSelection = data;
    model.set(P.TRAIT_SELECTION, data);
    model.save_changes();
  };

  const hover = createHoverTexts(doc, { client, container: wrap, locate: (i) => map.toScreen(i) });

  const width0 = wrap.clientWidth || el.clientWidth || FALLBACK_WIDTH;
  const map = createMap({
    canvas,
    width: width0,
    height: heightOf(model),
    palette,
    onSelect: (points) => sendSelection(points),
    onDeselect: () => sendSelection([]),
    onHover: (i) => (ui.pointerDown ? undefined : hover.over(i)),
    onUnhover: () => hover.out(),
  });
  // Constructor options do not reach the camera: setting the map again turns rotation off.
  map.scatterplot.set(/** @type {any} */ ({ actionKeyMap: { lasso: "shift", merge: "meta", remove: "alt" } }));

  /** Make these points the selection, as a lasso does. @param {ArrayLike<number>} indices */
  const selectIndices = (indices) => {
    map.select(indices).catch(report);
    sendSelection(indices);
  };

  const colorOf = (/** @type {string | null} */ name) => {
    if (name === null) return palette.unlabeled;
    return safeColor(colors()[categories().indexOf(name)], FALLBACK_COLOR);
  };
  const panel = createPanel(doc, { client, selection: modelSelection, colorOf, count: L.selected });
  L.body.append(panel.el);

  /** @type {ReturnType<typeof createSuggestions> | null} "Show suggestions" (made below) */
  let suggestions = null;
  const encode = () =>
    map
      .setEncodings(
        suggestions?.active
          ? suggestionEncodings(colors(), categories().length, n, palette)
          : overlayEncodings(overlay, colors(), categories().length, n, palette, rampFor(theme)),
        palette,
      )
      .catch(report);
  const wType = () => (overlay === "similarity" ? "continuous" : "categorical");
  /**
   * What the points get: with suggestions shown, their values; else these label values and the overlay's.
   * @param {Float32Array} zz @returns {[Float32Array, Float32Array | null, "continuous" | "categorical"]}
   */
  const shown = (zz) => {
    const s = suggestions?.view(codes, n, categories());
    return s ? [s.z, s.w, "continuous"] : [zz, overlayValues, wType()];
  };
  const repaint = () => {
    encode();
    map.setValues(...shown(z)).catch(report);
  };

  // Colour by values (the `values` trait, Labeler.show(color_by=...)): the map's base colouring
  // when set, with a colour bar; a search overlay shows over it and "Clear" comes back to it.
  const colorbar = createColorBar(doc);
  legend.before(colorbar.el);
  /** @type {ReturnType<typeof valueBins> | null} */
  let valued = null;
  const readValues = () => {
    const raw = arrays.values;
    valued = raw.length && raw.length === n ? valueBins(raw) : null;
  };
  /** @type {{ query: string, min: number, max: number } | null} the meaning search shown */
  let similarity = null;
  const showColorBar = () => {
    // While points are coloured by similarity the label colours are not on the map: no legend.
    legend.hidden = overlay === "similarity";
    if (overlay === "similarity" && similarity) {
      return colorbar.show({
        label: `similarity to \u201c${similarity.query}\u201d`,
        min: similarity.min,
        max: similarity.max,
        missing: 0,
        gradient: rampCss(theme),
        missingColor: palette.unlabeled,
      });
    }
    if (!valued || overlay !== "values") return colorbar.hide();
    colorbar.show({
      label: String(model.get(P.TRAIT_VALUES_LABEL) || "values"),
      min: valued.min,
      max: valued.max,
      missing: valued.missing,
      gradient: rampCss(theme),
      missingColor: palette.unlabeled,
    });
  };
  /** @param {Overlay} kind @param {Float32Array | null} values */
  const pickOverlay = (kind, values) => {
    if (kind !== "labels" && kind !== "values" && values && values.length === n) return [kind, values];
    return valued ? ["values", valued.bins] : ["labels", null];
  };
  /**
   * @param {Overlay} kind @param {Float32Array | null} values
   * @param {{ query: string, min: number, max: number }} [range] of a similarity
   */
  const setOverlay = (kind, values, range) => {
    similarity = kind === "similarity" && range ? range : null;
    const [k, v] = pickOverlay(kind, values);
    overlay = /** @type {Overlay} */ (k);
    overlayValues = /** @type {Float32Array | null} */ (v);
    root.dataset.overlay = overlay;
    showColorBar();
    encode();
    map.setValues(...shown(z)).catch(report);
  };
  const search = createSearch(doc, {
    client,
    count: () => n,
    onOverlay: setOverlay,
    select: selectIndices,
    info: status.info,
    rampCss: () => rampCss(theme),
  });
  L.toolbar.prepend(search.el);
  root.append(status.el);

  let legendExpanded = false;
  /** @type {Float64Array} points per label code, as the legend counted them */
  let labelCounts = new Float64Array(0);
  const updateLegend = () => {
    const rows = showLegend(legend, {
      categories: categories(), colors: colors(), codes, n, unlabeledColor: palette.unlabeled, expanded: legendExpanded,
    }, doc);
    labelCounts = Float64Array.from(rows.filter((r) => r.code >= 0), (r) => r.count);
    empty.hidden = n > 0;
  };
  const onLegendClick = (/** @type {MouseEvent} */ event) => {
    if (!(/** @type {HTMLElement} */ (event.target).closest?.(".corral-legend-more"))) return;
    legendExpanded = !legendExpanded;
    updateLegend();
  };
  legend.addEventListener("click", onLegendClick);

  // Trait changes are coalesced: Python often sets codes, categories and colors together.
  const dirty = { coords: true, labels: true, selection: true, values: true };
  let flushQueued = false;

  /** @type {Promise<unknown> | null} the latest redraw of the points */
  let pointsDrawn = null;

  const flush = () => {
    flushQueued = false;
    if (destroyed || !arrays.loaded) return;
    // Python sends coords, codes and values one after the other: draw once they agree.
    const count = Math.floor(arrays.coords.length / 2);
    if (arrays.codes.length !== count || (arrays.values.length && arrays.values.length !== count)) return;
    const k = categories().length;
    if (dirty.coords) {
      const before = n;
      coords = arrays.coords;
      n = Math.floor(coords.length / 2);
      if (n !== before) {
        hover.clear();
        hover.out();
        if (overlayValues) search.reset();
      }
    }
    // What the points show may change with the values (or with a new number of points).
    let overlayChanged = false;
    if (dirty.coords || dirty.values) {
      readValues();
      if (dirty.values || overlay === "values" || (overlayValues && overlayValues.length !== n)) {
        const [kind, values] = pickOverlay(overlay, overlayValues);
        overlay = /** @type {Overlay} */ (kind);
        overlayValues = /** @type {Float32Array | null} */ (values);
        root.dataset.overlay = overlay;
        showColorBar();
        overlayChanged = true;
        if (!dirty.coords && !dirty.labels) {
          encode();
          map.setValues(...shown(z)).catch(report);
        }
      }
    }
    if (dirty.coords || dirty.labels) {
      codes = arrays.codes;
      const nextZ = categoryValues(codes, n, k);
      // Labels changed while coloured by similarity: back to label colours, so they show.
      if (overlay === "similarity" && !dirty.coords && nextZ.length === z.length && !P.sameIndices(nextZ, z)) {
        search.reset();
        const [kind, values] = pickOverlay("labels", null);
        overlay = /** @type {Overlay} */ (kind);
        overlayValues = /** @type {Float32Array | null} */ (values);
        similarity = null;
        root.dataset.overlay = overlay;
        showColorBar();
        overlayChanged = true;
      }
      encode();
      if (dirty.coords) {
        const [sz, sw, st] = shown(nextZ);
        pointsDrawn = map.setPoints(coords, sz, Array.from(modelSelection()), sw, st);
        pointsDrawn.catch(report);
      } else if (overlayChanged || !P.sameIndices(nextZ, z)) {
        map.setValues(...shown(nextZ)).catch(report);
      }
      z = nextZ;
      if (dirty.labels) suggestions?.labelsChanged();
      updateLegend();
      labelbar.update(categories(), colors(), FALLBACK_COLOR, labelCounts, model.get(P.TRAIT_GUIDELINES) ?? {});
      drawing?.render();
      // New coordinates move the frame only when the queued redraw runs (and the camera, so no
      // `view` event, stays put when the point count does): draw the regions again after it.
      if (dirty.coords && pointsDrawn) pointsDrawn.then(() => destroyed || drawing?.render(), () => undefined);
    }
    if (dirty.selection || dirty.coords) {
      // A points redraw carries the selection already; otherwise only apply a real difference.
      const wanted = modelSelection();
      // The map shows a selection it made itself (sendSelection) already; others: only a real difference.
      const mine = wanted === selectionSeen[2] && selectionSeen[0] === sentSelection;
      if (!dirty.coords && !mine && !P.sameIndices(wanted, P.normalizeIndices(map.selected(), n))) {
        map.select(wanted).catch(report);
      }
      showSelected(wanted.length);
    }
    panel.refresh();
    dirty.coords = dirty.labels = dirty.selection = dirty.values = false;
  };

  /** @param {"coords" | "labels" | "selection" | "values"} what */
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
  const onValues = () => schedule("values");
  const onHeight = () => {
    wrap.style.height = `${heightOf(model)}px`;
    panel.el.style.maxHeight = `${heightOf(model) + 2}px`; // beside the map: no taller than it
  };
  onHeight();
  /** @type {Array<[string, () => void]>} */
  const listeners = [
    [`change:${P.TRAIT_CATEGORIES}`, onLabels],
    [`change:${P.TRAIT_COLORS}`, onLabels],
    [`change:${P.TRAIT_GUIDELINES}`, onLabels],
    [`change:${P.TRAIT_SELECTION}`, onSelection],
    [`change:${P.TRAIT_HEIGHT}`, onHeight],
    [`change:${P.TRAIT_STATUS}`, onStatusTrait],
    [`change:${P.TRAIT_VALUES_LABEL}`, () => showColorBar()],
    [`change:${P.TRAIT_REGIONS}`, () => drawing?.regionsChanged()],
    [`change:${P.TRAIT_OUTLINES}`, () => drawing?.outlinesChanged()],
  ];
  listeners.forEach(([event, cb]) => model.on(event, cb));
  /** @type {Record<string, () => void>} */
  const onArray = { [P.TRAIT_COORDS]: onCoords, [P.TRAIT_CODES]: onLabels, [P.TRAIT_VALUES]: onValues };
  const stopArrays = arrays.onChange((names) => names.forEach((name) => onArray[name]?.()));

  const hook = {
    scatterplot: map.scatterplot,
    /** @param {number} i @returns {[number, number] | null} CSS px relative to the canvas */
    toScreen: (i) => map.toScreen(i),
    canvas,
    /** @type {number | null} ms from render() to the first frame */
    firstFrameMs: /** @type {number | null} */ (null),
    /** @type {Promise<unknown>} resolves once the first frame is drawn */
    ready: Promise.resolve(),
    /** What the points show: "labels", "highlight" or "similarity", and its values. */
    overlay: () => ({ kind: overlay, values: overlayValues }),
    /** Requests waiting for a reply from Python. */
    pending: () => client.pending,
    /** Draw mode and the regions shown (see draw.js). */
    drawing: () => drawing?.state(),
    /** "Show suggestions": {on, token, threshold, shown} (see suggest.js). */
    suggestions: () => suggestions?.state(),
    /** @param {[number, number]} p data -> CSS px relative to the canvas */
    dataToScreen: (p) => map.dataToScreen(p),
    /** The arrays held: {loaded, versions, points}. */
    arrays: () => ({ loaded: arrays.loaded, versions: arrays.versions(), points: Math.floor(arrays.coords.length / 2) }),
  };
  el.__corral = hook;

  // First frame: once the arrays are in (at once for a second view of the model), flush (camera
  // fitted, points drawn); ready once regl-scatterplot has drawn.
  const firstDraw = arrays.ready.then(() => {
    if (destroyed) return undefined;
    flush();
    return pointsDrawn;
  }).then(() => {
    if (destroyed) return;
    hook.firstFrameMs = performance.now() - started;
    el.setAttribute("data-corral-ready", "1");
    root.setAttribute("data-corral-ready", "1");
  });
  firstDraw.catch(report);
  hook.ready = firstDraw;

  drawing = createDrawing({
    layout: L, map, client, status, labelbar, categories, colors, refocus,
    regions: () => model.get(P.TRAIT_REGIONS), outlines: () => model.get(P.TRAIT_OUTLINES),
  });

  suggestions = createSuggestions(doc, {
    client, status, root, before: L.resetButton, selection: modelSelection, refocus, onChange: repaint, report,
  });

  const unbind = bindInteractions({
    layout: L, map, hover, actions, status, ui, coords: () => coords, refocus, report,
  });

  const stopTheme = watchTheme((name) => {
    theme = name;
    palette = PALETTES[name];
    applyPalette(root, palette);
    encode();
    updateLegend();
    showColorBar();
  });

  return () => {
    destroyed = true;
    clearInterval(previewTimer);
    legend.removeEventListener("click", onLegendClick);
    listeners.forEach(([event, cb]) => model.off(event, cb));
    stopTheme();
    unbind();
    drawing?.dispose();
    suggestions?.dispose();
    client.dispose();
    stopArrays();
    transport.release();
    status.dispose();
    panel.dispose();
    hover.dispose();
    map.destroy();
    root.remove();
    el.removeAttribute("data-corral-ready");
    if (el.__corral === hook) delete el.__corral;
  };
}

export default { render };
