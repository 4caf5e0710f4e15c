// @ts-check
/**
 * Rectangle selection: Shift + drag draws a rectangle from the press point to the release
 * point; the points inside it, computed in data space (scales.js), become the selection through
 * regl-scatterplot's `select` (so the same `select` event and `selection` trait path as the
 * lasso), with the lasso's modifiers: Cmd/Meta adds, Alt removes.
 *
 * regl-scatterplot 1.16 has a native `lassoType: "rectangle"`, but it anchors the rectangle at
 * the first (throttled) mouse move after the press and drops the moves of the last few ms
 * before the release, so a quick drag selects a different rectangle than the one pressed and
 * released. The native one is kept for press-and-hold (the mouse rests before the drag); Shift +
 * drag is handled here, exactly.
 */

import { h } from "./layout.js";
import { pointsInRect } from "./scales.js";

const MIN_DRAG_PX = 3;

/**
 * @typedef {object} RectangleOptions
 * @property {HTMLElement} wrap the canvas area (the canvas sits at its top-left)
 * @property {() => boolean} active whether the rectangle tool is chosen
 * @property {() => Float32Array} coords interleaved data coordinates
 * @property {(p: [number, number]) => [number, number]} screenToData
 * @property {(points: number[], options: { merge: boolean, remove: boolean }) => void} select
 * @property {() => void} [onStart] a drag began (focus, hide the tooltip, ...)
 */

/**
 * @param {RectangleOptions} o
 * @returns {() => void} remove the listeners
 */
export function createRectangleTool(o) {
  const { wrap } = o;
  const doc = wrap.ownerDocument;
  const win = doc.defaultView ?? window;
  const box = h(doc, "div", "corral-rect");
  box.hidden = true;
  wrap.append(box);

  /** @type {[number, number] | null} */
  let start = null;
  let dragged = false;
  let swallowClick = false;

  /** @param {MouseEvent} event @returns {[number, number]} */
  const local = (event) => {
    const r = wrap.getBoundingClientRect();
    const x = Math.min(Math.max(event.clientX - r.left - wrap.clientLeft, 0), wrap.clientWidth);
    const y = Math.min(Math.max(event.clientY - r.top - wrap.clientTop, 0), wrap.clientHeight);
    return [x, y];
  };

  /** @param {[number, number]} p @param {[number, number]} q */
  const draw = (p, q) => {
    box.style.left = `${Math.min(p[0], q[0])}px`;
    box.style.top = `${Math.min(p[1], q[1])}px`;
    box.style.width = `${Math.abs(q[0] - p[0])}px`;
    box.style.height = `${Math.abs(q[1] - p[1])}px`;
  };

  const onMouseDown = (/** @type {MouseEvent} */ event) => {
    if (!o.active() || !event.shiftKey || event.button !== 0) return;
    // Ours: neither regl-scatterplot (pan, lasso) nor the notebook sees this press.
    event.preventDefault();
    event.stopPropagation();
    o.onStart?.();
    start = local(event);
    dragged = false;
    win.addEventListener("mousemove", onMouseMove, true);
    win.addEventListener("mouseup", onMouseUp, true);
  };

  const onMouseMove = (/** @type {MouseEvent} */ event) => {
    if (!start) return;
    const p = local(event);
    if (!dragged && Math.hypot(p[0] - start[0], p[1] - start[1]) < MIN_DRAG_PX) return;
    dragged = true;
    box.hidden = false;
    draw(start, p);
  };

  const onMouseUp = (/** @type {MouseEvent} */ event) => {
    win.removeEventListener("mousemove", onMouseMove, true);
    win.removeEventListener("mouseup", onMouseUp, true);
    const from = start;
    start = null;
    box.hidden = true;
    if (!from) return;
    const to = local(event);
    dragged = dragged || Math.hypot(to[0] - from[0], to[1] - from[1]) >= MIN_DRAG_PX;
    swallowClick = true; // the click that follows is part of this gesture
    setTimeout(() => {
      swallowClick = false;
    }, 0);
    if (!dragged) return;
    const points = pointsInRect(o.coords(), o.screenToData(from), o.screenToData(to));
    o.select(points, { merge: event.metaKey, remove: event.altKey && !event.metaKey });
  };

  const onClick = (/** @type {MouseEvent} */ event) => {
    if (!swallowClick) return;
    swallowClick = false;
    event.stopPropagation();
  };

  wrap.addEventListener("mousedown", onMouseDown, true);
  wrap.addEventListener("click", onClick, true);
  return () => {
    wrap.removeEventListener("mousedown", onMouseDown, true);
    wrap.removeEventListener("click", onClick, true);
    win.removeEventListener("mousemove", onMouseMove, true);
    win.removeEventListener("mouseup", onMouseUp, true);
    box.remove();
  };
}
