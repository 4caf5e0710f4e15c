// @ts-check
/**
 * The WebGL map: a thin layer over regl-scatterplot that knows about label codes.
 *
 * Points carry one categorical value each (see encoding.js). All calls that
 * touch the GPU state go through one promise chain, because regl-scatterplot rejects a draw()
 * while another is in flight.
 */

import createScatterplot from "regl-scatterplot";
import { encodings } from "./encoding.js";
import { bounds, fit, fitDistance, toNormalized } from "./scales.js";

/** @typedef {import("./theme.js").Palette} Palette */
/** @typedef {import("./scales.js").Bounds} Bounds */
/** @typedef {import("./scales.js").Fit} Fit */

const TRANSITION_MAX_POINTS = 250_000;

/**
 * @param {{ canvas: HTMLCanvasElement, width: number, height: number, palette: Palette,
 *           onSelect: (points: number[]) => void, onDeselect: () => void }} options
 */
export function createMap({ canvas, width, height, palette, onSelect, onDeselect }) {
  const scatterplot = createScatterplot({
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
    colorBy: "valueA",
    sizeBy: "valueA",
    opacityBy: "valueA",
  });

  /** @type {Bounds} */
  let box = bounds([]);
  /** @type {Fit} */
  let frame = fit(box);
  /** @type {{ x: Float32Array, y: Float32Array } | null} */
  let xy = null;
  let n = 0;
  let size = { width, height };
  let destroyed = false;
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

  const subscriptions = [
    scatterplot.subscribe("select", (/** @type {{ points: number[] }} */ e) => onSelect(e.points)),
    scatterplot.subscribe("deselect", () => onDeselect()),
  ];

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
     */
    setPoints(coords, z, selection) {
      return enqueue(async () => {
        const prevN = n;
        box = bounds(coords);
        frame = fit(box);
        xy = toNormalized(coords, frame);
        n = xy.x.length;
        const first = prevN === 0;
        if (first || n !== prevN) {
          scatterplot.set({ cameraTarget: [0, 0], cameraDistance: fittedDistance(), cameraRotation: 0 });
        }
        const transition = !first && n === prevN && n > 0 && n <= TRANSITION_MAX_POINTS;
        await scatterplot.draw(
          { x: xy.x, y: xy.y, z },
          { zDataType: "categorical", transition, transitionDuration: 400, ...selectOption(selection) },
        );
        dropStaleSelection(selection);
      });
    },

    /**
     * New categorical values for the same positions (labels changed): no re-index, no view
     * change, the selection shown stays as it is.
     * @param {Float32Array} z
     */
    setValues(z) {
      return enqueue(async () => {
        if (!xy || z.length !== n) return;
        const selection = [...scatterplot.get("selectedPoints")];
        await scatterplot.draw(
          { x: xy.x, y: xy.y, z },
          {
            zDataType: "categorical",
            spatialIndex: scatterplot.get("spatialIndex"),
            preventFilterReset: true,
            ...selectOption(selection),
          },
        );
      });
    },

    /**
     * Colours, sizes and opacities per categorical value.
     * @param {string[]} colors
     * @param {number} k number of labels
     * @param {number} count number of points (sets the point size)
     * @param {Palette} pal
     */
    setEncodings(colors, k, count, pal) {
      return enqueue(() => {
        scatterplot.set({
          ...encodings(colors, k, count, pal),
          backgroundColor: pal.background,
          pointColorHover: pal.hover,
          lassoColor: pal.lasso,
        });
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

    /** Fit all points into the canvas. @param {boolean} [transition] */
    resetView(transition = true) {
      return enqueue(() =>
        scatterplot.zoomToLocation([0, 0], fittedDistance(), { transition, transitionDuration: 300 }),
      );
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
      subscriptions.forEach((s) => scatterplot.unsubscribe(s));
      scatterplot.destroy();
    },
  };
}
