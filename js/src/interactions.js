// @ts-check
/**
 * The map's DOM event wiring: the Lasso | Rectangle toggle, mouse bookkeeping (focus, hover,
 * keeping Shift-clicks from the notebook), Reset view, following the canvas area's size, and the
 * keys (keys.js) with their guard against JupyterLab's shortcuts.
 */

import { HINTS, HINT_TAIL } from "./layout.js";
import { guardShortcuts, keyAction } from "./keys.js";
import { createLassoOverlay, createPathRecorder, isLasso } from "./lasso.js";
import { createRectangleTool } from "./rectangle.js";

/** @typedef {import("./scatter.js").LassoType} LassoType */

/** @param {LassoType} tool */
export const hintFor = (tool) => HINTS[tool] + HINT_TAIL;

/**
 * @typedef {object} InteractionContext
 * @property {import("./layout.js").Layout} layout
 * @property {ReturnType<typeof import("./scatter.js").createMap>} map
 * @property {{ out: () => void }} hover
 * @property {ReturnType<typeof import("./actions.js").createActions>} actions
 * @property {import("./statusline.js").StatusLine} status
 * @property {{ pointerDown: boolean, userMovedView: boolean }} ui shared with index.js
 * @property {() => Float32Array} coords interleaved data coordinates of the points
 * @property {() => void} refocus give the widget root the focus
 * @property {(err: unknown) => void} report
 */

/**
 * @param {InteractionContext} ctx
 * @returns {() => void} remove every listener
 */
export function bindInteractions({ layout, map, hover, actions, status, ui, coords, refocus, report }) {
  const { root, wrap, resetButton, toolButtons } = layout;
  const win = root.ownerDocument.defaultView ?? window;
  /** @type {Array<() => void>} */
  const undo = [];
  /**
   * @param {EventTarget} target @param {string} type @param {(event: any) => void} fn
   * @param {AddEventListenerOptions | boolean} [options]
   */
  const listen = (target, type, fn, options) => {
    target.addEventListener(type, fn, options);
    undo.push(() => target.removeEventListener(type, fn, options));
  };

  // Size: follow the canvas area's size. The fitted view (never zoomed or panned, or reset since;
  // a lasso or a click does not count) is fitted again, so a narrower widget cuts no points off;
  // a view the user zoomed or panned to is kept.
  const resizeObserver = new ResizeObserver(() => {
    const w = wrap.clientWidth;
    const ht = wrap.clientHeight;
    if (!(w > 0 && ht > 0)) return;
    const fitted = !ui.userMovedView || map.isDefaultView();
    if (map.resize(w, ht) && fitted) map.resetView(false).catch(report);
  });
  resizeObserver.observe(wrap);
  undo.push(() => resizeObserver.disconnect());

  /** @type {LassoType} */
  let current = "freeform";
  /** @param {LassoType} tool */
  const setTool = (tool) => {
    current = tool;
    map.setLassoType(tool); // the native one serves press-and-hold; Shift + drag: rectangle.js
    for (const [name, b] of Object.entries(toolButtons)) b.setAttribute("aria-pressed", String(name === tool));
    root.dataset.tool = tool;
    status.setHint(hintFor(tool));
  };
  setTool("freeform");
  for (const b of Object.values(toolButtons)) {
    listen(b, "click", () => {
      const tool = b.dataset.tool;
      if (tool === "freeform" || tool === "rectangle") setTool(tool);
    });
  }

  const stopRectangle = createRectangleTool({
    wrap,
    active: () => current === "rectangle",
    coords,
    screenToData: (p) => map.screenToData(p),
    select: (points, options) => map.selectWith(points, options).catch(report),
    onStart: () => {
      ui.pointerDown = true;
      hover.out();
      refocus();
    },
  });
  undo.push(stopRectangle);

  // A lasso that encloses an area stays a lasso even when it closes where it started: the click
  // regl-scatterplot would take from that release (selecting the point under it) is swallowed.
  // Its events are synchronous (scatter.js), so lassoEnd runs before that click is dispatched.
  const path = createPathRecorder();
  const overlay = createLassoOverlay(wrap);
  undo.push(() => overlay.remove());
  let swallowClick = false;
  const lassoEvents = [
    map.scatterplot.subscribe("lassoStart", () => path.start()),
    map.scatterplot.subscribe("lassoEnd", () => {
      overlay.hide();
      swallowClick = isLasso(path.end());
      if (swallowClick) setTimeout(() => (swallowClick = false), 0);
    }),
  ];
  undo.push(() => lassoEvents.forEach((s) => map.scatterplot.unsubscribe(s)));
  listen(win, "mousemove", (/** @type {MouseEvent} */ event) => {
    if (!path.active) return;
    const r = wrap.getBoundingClientRect();
    path.add(event.clientX - r.left - wrap.clientLeft, event.clientY - r.top - wrap.clientTop);
    overlay.show(path.path, current);
  }, true);
  listen(win, "mouseup", () => overlay.hide()); // a lasso that ends without lassoEnd
  listen(wrap, "click", (/** @type {MouseEvent} */ event) => {
    if (!swallowClick) return;
    swallowClick = false;
    event.stopPropagation();
  }, true);

  listen(wrap, "mousedown", (/** @type {MouseEvent} */ event) => {
    ui.userMovedView = true;
    ui.pointerDown = true;
    hover.out();
    refocus();
    if (event.shiftKey) {
      event.preventDefault(); // no text selection while lassoing
      event.stopPropagation(); // no notebook cell range-selection on shift-click
    }
  });
  listen(win, "mouseup", () => {
    ui.pointerDown = false;
  });
  listen(
    wrap,
    "wheel",
    () => {
      ui.userMovedView = true;
      hover.out();
    },
    { passive: true },
  );
  listen(resetButton, "click", () => {
    ui.userMovedView = false;
    map.resetView(true).catch(report);
  });

  const hasSelection = () => map.selected().length > 0;
  const guard = guardShortcuts(
    root,
    (event) => {
      const action = keyAction(event);
      return action !== null && (action.type !== "escape" || hasSelection());
    },
    win,
  );
  undo.push(() => guard.dispose());
  listen(root, "keydown", (/** @type {KeyboardEvent} */ event) => {
    guard.lift();
    const action = keyAction(event);
    if (!action || (action.type === "escape" && !hasSelection())) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.repeat && action.type !== "undo" && action.type !== "redo") return;
    if (action.type === "escape") map.deselect().catch(report);
    else if (action.type === "label") actions.applyNth(action.index);
    else if (action.type === "clear") actions.clear();
    else if (action.type === "undo") actions.undo();
    else actions.redo();
  });

  return () => undo.forEach((fn) => fn());
}
