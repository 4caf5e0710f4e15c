// @ts-check
/**
 * The WebGL map: a thin layer over regl-scatterplot that knows about label codes.
 *
 * Points carry one categorical value each (see encoding.js). All calls that
 * touch the GPU state go through one promise chain, because regl-scatterplot rejects a draw()
 * while another is in flight.
 */

import createScatterplot from "regl-scatterplot";
import {
  bounds, fit, fitDistance, forward, inverse, normalizedToScreen, screenToNormalized, toNormalized,
} from "./scales.js";

/** @typedef {import("./theme.js").Palette} Palette */
/** @typedef {import("./scales.js").Bounds} Bounds */
/** @typedef {import("./scales.js").Fit} Fit */

const TRANSITION_MAX_POINTS = 250_000;

/** @typedef {"categorical" | "continuous"} DataType */
/** @typedef {"freeform" | "rectangle"} LassoType */

/**
 * @param {{ canvas: HTMLCanvasElement, width: number, height: number, palette: Palette,
 *           onSelect: (points: number[]) => void, onDeselect: () => void,
 *           onHover?: (i: number) => void, onUnhover?: (i: number) => void }} options
 */
export function createMap({ canvas, width, height, palette, onSelect, onDeselect, onHover, onUnhover }) {
  const scatterplot = createScatterplot(/** @type {any} */ ({
    canvas,
    width,
    height,
    // Lasso: Shift + drag, or press and hold (~0.6 s) then drag. Plain drag pans, wheel zooms.
    // No rotation (a rotated embedding only confuses), Cmd/Meta adds to and Alt removes from
    // the selection at the end of a lasso.
    actionKeyMap: { lasso: "shift", merge: "meta", remove: "alt" },
    lassoOnLongPress: true,
    lassoLongPressTime: 600,
    lassoMinDelay: 8,
    lassoMinDist: 3,
    lassoColor: palette.lasso,
    // Escape is global in regl-scatterplot (window keyup); in a notebook it leaves edit mode,
    // so it must not clear the map's selection. index.js handles Escape on the focused map.
    deselectOnEscape: false,
    deselectOnDblClick: true,
    backgroundColor: palette.background,
    pointColorHover: palette.hover,
    opacityInactiveScale: 0.45,
    pointOutlineWidth: 2,
    pointSizeSelected: 1,
    spatialIndexUseWorker: false,
    // Publish events as they happen: a lasso's `select` reaches Python from the mouse-up itself,
    // not from a timer that waits behind the next frame (hundreds of ms at a million points).
    syncEvents: true,
    colorBy: "valueA",
    sizeBy: "valueA",
    opacityBy: "valueA",
  })); // actionKeyMap and lassoType are settable but missing from the typings

  /** @type {Bounds} */
  let box = bounds([]);
  /** @type {Fit} */
  let frame = fit(box);
  /** @type {{ x: Float32Array, y: Float32Array } | null} */
  let xy = null;
  let n = 0;
  /** @type {Float32Array | null} valueB per point (search highlight or similarity), if any */
  let w = null;
  /** @type {DataType} */
  let wType = "categorical";
  let size = { width, height };
  let destroyed = false;
  /** The encodings last given to set() (JSON), to skip a set() that would change nothing. */
  let encodingsKey = "";
  /** @type {Promise<unknown>} */
  let chain = Promise.resolve();

  /**
   * Run `job` after every earlier job (a failed job does not block later ones).
   * @template T
   * @param {() => Promise<T> | T} job
   * @returns {Promise<T | undefined>}
   */
  const enqueue = (job) => {
    const next = chain.then(() => (destroyed ? undefined : job()));
    chain = next.catch(() => undefined);
    return next;
  };

  // The camera (dom-2d-camera, inside regl-scatterplot) pans, on each frame while the button is
  // down, by how far the mouse went since the last frame. A press that comes in the same frame as
  // the move that led to it (a quick move and click, or any click while frames are slow) would
  // pan the map by that whole move, and a click meant for a point or a region vertex lands
  // elsewhere. Before the camera sees the press (a capture listener on its own element runs
  // first), let it take in where the mouse is now.
  const syncCameraToMouse = () => {
    const camera = /** @type {any} */ (scatterplot.get(/** @type {any} */ ("camera")));
    // tick() returns whether the view changed; pan([0, 0]) passes that on to the next frame
    // (its redraw and `view` event) without moving anything.
    if (camera?.tick?.()) camera.pan([0, 0]);
  };
  canvas.addEventListener("mousedown", syncCameraToMouse, true);

  // A lasso in progress must cost nothing that grows with the points. regl-scatterplot redraws
  // every point on each mouse move while the button is down, only to draw its lasso line in
  // WebGL (4.8 s for a 22-move lasso at 100k points, 9.5 s at 1M, in software WebGL). While a
  // lasso is drawn, its frames are skipped: the canvas keeps the last frame and interactions.js
  // draws the path on an overlay. The mouse-up selects (lassoEnd) and the next frame draws.
  // Its frame loop calls `renderer.render(...)` through the renderer object, so this wrapper
  // sees every frame; tests/browser/test_lasso_cost.py counts the GPU draws to hold it to that.
  let lassoing = false;
  const renderer = /** @type {any} */ (scatterplot.get(/** @type {any} */ ("renderer")));
  const renderFrame = renderer.render;
  renderer.render = (/** @type {unknown[]} */ ...args) => (lassoing ? undefined : renderFrame(...args));
  const lassoDone = () => {
    if (!lassoing) return;
    lassoing = false;
    scatterplot.redraw(); // whatever was asked for meanwhile (a recolour) shows now
  };
  const win = canvas.ownerDocument.defaultView ?? window;
  win.addEventListener("mouseup", lassoDone); // after regl-scatterplot's own (registered first)
  // Shift + press starts a lasso (no pan): from the press on, not only from its first vertex, or
  // the press and the first moves would each still draw every point once.
  const lassoPress = (/** @type {MouseEvent} */ event) => {
    if (event.shiftKey && event.button === 0) lassoing = true;
  };
  canvas.addEventListener("mousedown", lassoPress, true);

  const subscriptions = [
    scatterplot.subscribe("select", (/** @type {{ points: number[] }} */ e) => onSelect(e.points)),
    scatterplot.subscribe("deselect", () => onDeselect()),
    scatterplot.subscribe("pointOver", (/** @type {number} */ i) => onHover?.(i)),
    scatterplot.subscribe("pointOut", (/** @type {number} */ i) => onUnhover?.(i)),
    scatterplot.subscribe("lassoStart", () => (lassoing = true)),
    scatterplot.subscribe("lassoEnd", lassoDone),
  ];

  /**
   * The points as regl-scatterplot keeps them: one [x, y, z, w] row per point. It turns columns
   * into such rows on every draw (a million small arrays each time); keeping ours means a
   * recolour only rewrites the values of the rows, and regl-scatterplot holds this same array.
   * @type {number[][]}
   */
  let rows = [];

  /** New rows for new positions. @param {Float32Array} z */
  const buildRows = (z) => {
    if (!xy) throw new Error("no points");
    if (w && w.length !== n) w = null;
    rows = new Array(n);
    for (let i = 0; i < n; i++) rows[i] = [xy.x[i], xy.y[i], z[i], w ? w[i] : 0];
    return rows;
  };

  /** Same positions, new values: rewrite z and w in place. @param {Float32Array} z */
  const updateRows = (z) => {
    if (rows.length !== n) return buildRows(z);
    if (w && w.length !== n) w = null;
    for (let i = 0; i < n; i++) {
      const r = rows[i];
      r[2] = z[i];
      r[3] = w ? w[i] : 0;
    }
    return rows;
  };
  const wOption = () => (w ? { wDataType: wType } : {});

  const fittedDistance = () => fitDistance(box, frame, size.width, size.height);

  /** @param {number[]} selection */
  const selectOption = (selection) => (selection.length ? { select: selection } : {});

  /** After a draw without a selection, drop any stale one (silently). @param {number[]} selection */
  const dropStaleSelection = (selection) => {
    if (!selection.length && scatterplot.get("selectedPoints").length) {
      scatterplot.deselect({ preventEvent: true });
    }
  };

  return {
    scatterplot,

    /**
     * New coordinates (and values): re-fit, redraw. Keeps the current view when the number of
     * points is unchanged (animating the points to their new place); otherwise fits the view.
     * @param {Float32Array} coords interleaved x y
     * @param {Float32Array} z categorical value per point
     * @param {number[]} selection point indices to keep selected
     * @param {Float32Array | null} [values] valueB per point (null: none)
     * @param {DataType} [type] of valueB
     */
    setPoints(coords, z, selection, values = null, type = "categorical") {
      return enqueue(async () => {
        const prevN = n;
        box = bounds(coords);
        frame = fit(box);
        xy = toNormalized(coords, frame);
        n = xy.x.length;
        w = values;
        wType = type;
        const first = prevN === 0;
        if (first || n !== prevN) {
          scatterplot.set({ cameraTarget: [0, 0], cameraDistance: fittedDistance(), cameraRotation: 0 });
        }
        const transition = !first && n === prevN && n > 0 && n <= TRANSITION_MAX_POINTS;
        await scatterplot.draw(
          buildRows(z),
          {
            zDataType: "categorical",
            ...wOption(),
            transition,
            transitionDuration: 400,
            ...selectOption(selection),
          },
        );
        dropStaleSelection(selection);
      });
    },

    /**
     * New values for the same positions (labels changed, a search highlight or similarity
     * came or went): no re-index, no view change, the selection shown stays as it is.
     * @param {Float32Array} z categorical value per point (code + 1)
     * @param {Float32Array | null} [values] valueB per point (null: zeros)
     * @param {DataType} [type] of valueB
     */
    setValues(z, values = null, type = "categorical") {
      return enqueue(async () => {
        if (!xy || z.length !== n) return;
        w = values && values.length === n ? values : null;
        wType = type;
        const selection = [...scatterplot.get("selectedPoints")];
        await scatterplot.draw(
          updateRows(z),
          {
            zDataType: "categorical",
            ...wOption(),
            spatialIndex: scatterplot.get("spatialIndex"),
            preventFilterReset: true,
            ...selectOption(selection),
          },
        );
      });
    },

    /**
     * Colours, sizes and opacities (see encoding.overlayEncodings) and the theme's colours.
     * @param {Record<string, unknown>} enc
     * @param {Palette} pal
     */
    setEncodings(enc, pal) {
      return enqueue(() => {
        const next = { ...enc, backgroundColor: pal.background, pointColorHover: pal.hover, lassoColor: pal.lasso };
        const key = JSON.stringify(next);
        if (key === encodingsKey) return undefined;
        encodingsKey = key;
        // set() redraws one animation frame later; waiting for it keeps a draw() queued after
        // this from being drawn twice (its own frame, then set's redraw: 2 x ~0.5 s at 1M).
        // Before the first points there is nothing to redraw twice: no wait, no frame lost.
        const applied = scatterplot.set(next);
        return n === 0 ? undefined : applied;
      });
    },

    /**
     * Highlight these points without publishing a select event (so no echo back to Python).
     * @param {ArrayLike<number>} indices
     */
    select(indices) {
      return enqueue(() => {
        if (!n) return;
        const list = Array.from(indices).filter((i) => i < n);
        if (list.length) scatterplot.select(list, { preventEvent: true });
        else scatterplot.deselect({ preventEvent: true });
      });
    },

    /**
     * What Shift + drag (or press and hold) draws. Modifiers work the same for both.
     * @param {LassoType} type
     */
    setLassoType(type) {
      scatterplot.set(/** @type {any} */ ({ lassoType: type })); // settable, missing from the typings
    },

    /**
     * Whether press and hold starts a lasso (off in draw mode). In the queue: set() redraws a
     * frame (~0.5 s at 1M points) and must not race a draw().
     * @param {boolean} on
     */
    setLassoOnLongPress(on) {
      return enqueue(() => {
        if (scatterplot.get(/** @type {any} */ ("lassoOnLongPress")) === on) return undefined;
        const applied = scatterplot.set(/** @type {any} */ ({ lassoOnLongPress: on }));
        return n === 0 ? undefined : applied; // as setEncodings: no points, no frame to wait for
      });
    },

    /**
     * Select as a lasso does (publishes `select`): replace, or add to (merge) or take from
     * (remove) the current selection.
     * @param {number[]} points
     * @param {{ merge?: boolean, remove?: boolean }} [options]
     */
    selectWith(points, { merge = false, remove = false } = {}) {
      return enqueue(() => {
        if (!n) return;
        if (!points.length && !merge && !remove) scatterplot.deselect();
        else scatterplot.select(points, { merge, remove });
      });
    },

    /** @returns {number[]} the currently selected point indices (unsorted, as regl keeps them) */
    selected() {
      return /** @type {number[]} */ (scatterplot.get("selectedPoints")) ?? [];
    },

    /** Clear the selection as if the user did it (publishes deselect). */
    deselect() {
      return enqueue(() => scatterplot.deselect());
    },

    /**
     * CSS pixel position of point i relative to the canvas' top-left, or null.
     * @param {number} i
     * @returns {[number, number] | null}
     */
    toScreen(i) {
      if (!scatterplot.get("isPointsDrawn") || i < 0 || i >= n) return null;
      return scatterplot.getScreenPosition(i) ?? null;
    },

    /**
     * A CSS pixel position on the canvas -> data coordinates (the inverse of the camera, then of
     * the fit), for selections computed in data space.
     * @param {[number, number]} p
     * @returns {[number, number]}
     */
    screenToData(p) {
      const view = /** @type {ArrayLike<number>} */ (scatterplot.get("cameraView"));
      const aspect = Number(scatterplot.get(/** @type {any} */ ("aspectRatio"))) || 1;
      return inverse(screenToNormalized(p, view, size.width, size.height, aspect), frame);
    },

    /**
     * Data coordinates -> a CSS pixel position on the canvas (the inverse of screenToData), for
     * drawing over the map (regions, outlines).
     * @param {[number, number]} p
     * @returns {[number, number]}
     */
    dataToScreen(p) {
      const view = /** @type {ArrayLike<number>} */ (scatterplot.get("cameraView"));
      const aspect = Number(scatterplot.get(/** @type {any} */ ("aspectRatio"))) || 1;
      return normalizedToScreen(forward(p, frame), view, size.width, size.height, aspect);
    },

    /** Fit all points into the canvas. @param {boolean} [transition] */
    resetView(transition = true) {
      // No points yet (the arrays are still coming): nothing to fit, and a zoom would wait for a frame.
      return enqueue(() =>
        n === 0 ? undefined : scatterplot.zoomToLocation([0, 0], fittedDistance(), { transition, transitionDuration: 300 }),
      );
    },

    /**
     * Whether the camera shows the fitted view (all points, as resetView leaves it): not zoomed
     * or panned since.
     */
    isDefaultView() {
      const target = /** @type {ArrayLike<number>} */ (scatterplot.get(/** @type {any} */ ("cameraTarget")));
      const distance = Number(scatterplot.get(/** @type {any} */ ("cameraDistance")));
      const fitted = fittedDistance();
      if (!target || !(distance > 0)) return true;
      return Math.abs(distance - fitted) <= 1e-3 * fitted && Math.hypot(target[0], target[1]) <= 1e-3 * fitted;
    },

    /**
     * @param {number} w @param {number} h
     * @returns {boolean} whether the size changed
     */
    resize(w, h) {
      if (!(w > 0 && h > 0) || (w === size.width && h === size.height)) return false;
      size = { width: w, height: h };
      scatterplot.set({ width: w, height: h });
      return true;
    },

    get count() {
      return n;
    },

    destroy() {
      if (destroyed) return;
      destroyed = true;
      canvas.removeEventListener("mousedown", syncCameraToMouse, true);
      win.removeEventListener("mouseup", lassoDone);
      canvas.removeEventListener("mousedown", lassoPress, true);
      subscriptions.forEach((s) => scatterplot.unsubscribe(s));
      scatterplot.destroy();
    },
  };
}
