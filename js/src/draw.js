// @ts-check
/**
 * Draw mode: regions drawn on the map, per label, that become `labeler.regions` in Python.
 *
 * The "Draw regions" button or `d` (map focused) turns it on and off. While on: click adds a
 * vertex, double-click or Enter closes the polygon, Escape cancels it; the polygon belongs to the
 * label chosen in the label bar (click a label, press 1-9, or type a new name and press Enter).
 * Click a region to choose it: drag its vertices to reshape it, Delete / Backspace or its ×
 * removes it. Ctrl/Cmd+Z undoes the last vertex of the polygon being drawn, else the last region
 * edit of this view (Ctrl/Cmd+Shift+Z, Ctrl+Y redo); while drawing it never undoes labels. Drag still pans and the wheel zooms; the lasso and click-selection are off, and
 * nothing here labels points.
 *
 * Every change sends the full new list to Python (MSG_REGIONS), which sets `labeler.regions`
 * (checked, journaled), sends the `regions` trait back to every view, then replies. While a
 * change of ours is unanswered the trait is not shown (an earlier change's echo would hide a
 * later one); the reply to the newest change, or an error, shows what Python holds again.
 * Read-only outlines (the `outlines` trait) are shown dashed with their name, always.
 */

import { hintFor } from "./interactions.js";
import { guardShortcuts, isTextField, keyAction } from "./keys.js";
import { h } from "./layout.js";
import { createEdits } from "./edits.js";
import { OVERLAY_CSS, createOverlay } from "./overlay.js";
import { MSG_REGIONS } from "./protocol.js";
import {
  addRegion, addVertex, closeDraft, drawKey, labelColors, moveVertex, outlinesFromWire, regionAt, regionsFromWire,
  regionsToWire, removeRegion,
} from "./regions.js";
import { safeColor } from "./theme.js";

/** @typedef {import("./regions.js").Point} Point */
/** @typedef {import("./regions.js").Region} Region */

/** Clicks this close (CSS px) are one vertex; a press that moves farther is a pan, not a click. */
export const CLICK_TOLERANCE_PX = 4;
export const DRAW_HINT =
  "Draw: click to add vertices, double-click or Enter to close, Esc cancels \u00b7 click a region, drag its " +
  "vertices, Delete removes it \u00b7 Ctrl+Z undoes region edits \u00b7 pick the label above (1\u20139) \u00b7 d leaves";

/**
 * @typedef {object} DrawContext
 * @property {import("./layout.js").Layout} layout
 * @property {ReturnType<typeof import("./scatter.js").createMap>} map
 * @property {import("./messages.js").Client} client
 * @property {import("./statusline.js").StatusLine} status
 * @property {import("./labelbar.js").LabelBar} labelbar
 * @property {() => string[]} categories
 * @property {() => string[]} colors
 * @property {() => unknown} regions the `regions` trait
 * @property {() => unknown} outlines the `outlines` trait
 * @property {() => void} refocus
 */

/** @param {DrawContext} ctx */
export function createDrawing(ctx) {
  const { layout, map, client, status, labelbar, categories, colors, regions, outlines, refocus } = ctx;
  const { root, wrap } = layout;
  const doc = root.ownerDocument;
  const win = doc.defaultView ?? window;

  const overlay = createOverlay(doc);
  wrap.append(overlay.el);
  root.append(h(doc, "style", undefined, OVERLAY_CSS));

  const button = /** @type {HTMLButtonElement} */ (h(doc, "button", "corral-button corral-draw", "Draw regions"));
  button.type = "button";
  button.title = "Draw regions per label on the map (d)";
  button.setAttribute("aria-pressed", "false");
  const chip = h(doc, "span", "corral-draw-label");
  chip.hidden = true;
  layout.resetButton.before(button, chip);

  let on = false;
  /** @type {string | null} */
  let label = null;
  /** @type {Region[]} */
  let shown = regionsFromWire(regions());
  let shownOutlines = outlinesFromWire(outlines());
  /** @type {Point[]} */
  let draft = [];
  /** @type {Point | null} */
  let cursor = null;
  let selected = -1;
  /** @type {{ r: number, v: number, moved: boolean } | null} */
  let drag = null;
  /** @type {Point | null} */
  let down = null;
  /** @type {Region[]} the regions when a vertex drag began */
  let dragFrom = [];
  let swallowClick = false;
  /** The newest change sent and not yet answered (its reply follows its trait echo). */
  let unanswered = /** @type {Promise<unknown> | null} */ (null);

  /** @param {MouseEvent} event @returns {Point} CSS px relative to the canvas */
  const local = (event) => {
    const r = wrap.getBoundingClientRect();
    return [event.clientX - r.left - wrap.clientLeft, event.clientY - r.top - wrap.clientTop];
  };
  /** Data units per CLICK_TOLERANCE_PX at the current zoom. */
  const tolerance = () => {
    const a = map.screenToData([0, 0]);
    const b = map.screenToData([CLICK_TOLERANCE_PX, 0]);
    return Math.hypot(b[0] - a[0], b[1] - a[1]);
  };
  const colorMap = () => labelColors([...shown.map((r) => r.label), ...(label ? [label] : [])], categories(), colors());

  const render = () => {
    const palette = colorMap();
    overlay.render({
      regions: shown,
      colors: palette,
      outlines: shownOutlines,
      selected,
      draft,
      cursor: draft.length ? cursor : null,
      toScreen: (p) => map.dataToScreen(p),
      draftColor: (label && palette.get(label)) || "",
      width: wrap.clientWidth,
      height: wrap.clientHeight,
    });
    chip.hidden = !on;
    const swatch = h(doc, "span", "corral-swatch");
    swatch.style.backgroundColor = safeColor(label ? palette.get(label) : "", "transparent");
    chip.replaceChildren(
      h(doc, "span", "corral-muted", "Region label:"),
      ...(label ? [swatch, h(doc, "span", "corral-label", label)] : [h(doc, "span", "corral-muted", "pick one")]),
    );
    labelbar.el.querySelectorAll(".corral-label-button").forEach((b) => {
      b.classList.toggle("corral-draw-active", on && /** @type {HTMLElement} */ (b).dataset.name === label);
    });
  };

  /** Show what Python holds (the `regions` trait). */
  const showTrait = () => {
    shown = regionsFromWire(regions());
    if (selected >= shown.length) selected = -1;
    if (drag && drag.r >= shown.length) drag = null;
    render();
  };

  /** @type {ReturnType<typeof createEdits<Region[]>>} this view's region edits, for Ctrl+Z in draw mode */
  const edits = createEdits();

  /**
   * Show `next` now and ask Python to make it the regions; `what` (e.g. "region added to “x”")
   * makes it an edit Ctrl+Z can undo.
   * @param {Region[]} next @param {string} [what]
   */
  const commit = (next, what) => {
    if (what) edits.record(shown, what);
    shown = next;
    render();
    const sent = client.request(MSG_REGIONS, { regions: regionsToWire(next) });
    unanswered = sent;
    /** Answered or refused: when nothing newer was sent, Python's list is the one to show. */
    const settle = () => {
      if (unanswered !== sent) return;
      unanswered = null;
      showTrait();
    };
    sent.then(settle, settle); // an error is shown to the user by the client's onError
  };

  const cancelDraft = () => {
    draft = [];
    cursor = null;
  };

  const close = () => {
    if (!draft.length) return;
    const polygon = closeDraft(draft, tolerance());
    cancelDraft();
    if (!polygon || !label) {
      status.info("A region needs at least 3 points, not all on one line");
      render();
      return;
    }
    selected = -1;
    commit(addRegion(shown, label, polygon), `region added to \u201c${label}\u201d`);
    status.info(`Region added to \u201c${label}\u201d`);
  };

  const removeSelected = () => {
    if (selected < 0 || selected >= shown.length) {
      status.info("Click a region first to remove it");
      return;
    }
    const name = shown[selected].label;
    const next = removeRegion(shown, selected);
    selected = -1;
    commit(next, `region of \u201c${name}\u201d removed`);
    status.info(`Removed a region of \u201c${name}\u201d`);
  };

  /** @param {boolean} value */
  const setOn = (value) => {
    on = value;
    cancelDraft();
    selected = -1;
    drag = null;
    if (on && label === null) label = categories()[0] ?? null;
    button.setAttribute("aria-pressed", String(on));
    root.classList.toggle("corral-drawing", on);
    root.dataset.draw = on ? "1" : "0";
    map.setLassoOnLongPress(!on).catch(() => undefined);
    status.setHint(on ? DRAW_HINT : hintFor(root.dataset.tool === "rectangle" ? "rectangle" : "freeform"));
    if (on && label === null) status.info("Type a label name above and press Enter to draw regions for it");
    render();
  };

  /** The label bar chose `name`: in draw mode it is the region label (and nothing is labeled). */
  const pick = (/** @type {string} */ name) => {
    if (!on) return false;
    label = name;
    render();
    status.info(`Drawing regions for \u201c${name}\u201d`);
    return true;
  };

  // -- mouse ----------------------------------------------------------------------------------
  /** @param {Event} event */
  const inMap = (event) => wrap.contains(/** @type {Node} */ (event.target));
  /** @param {Event} event */
  const closestIn = (event, /** @type {string} */ selector) =>
    /** @type {Element | null} */ (/** @type {Element} */ (event.target).closest?.(selector) ?? null);

  const onMouseDown = (/** @type {MouseEvent} */ event) => {
    if (!on || !inMap(event) || event.button !== 0) return;
    const handle = closestIn(event, "[data-vertex]");
    const ours = handle || closestIn(event, ".corral-region-remove") || event.shiftKey; // not a pan, no lasso
    down = local(event);
    if (!ours) return;
    event.preventDefault();
    event.stopPropagation();
    refocus();
    if (handle && selected >= 0) {
      drag = { r: selected, v: Number(handle.getAttribute("data-vertex")), moved: false };
      dragFrom = shown;
    }
  };

  const onMouseMove = (/** @type {MouseEvent} */ event) => {
    if (drag) {
      shown = moveVertex(shown, drag.r, drag.v, map.screenToData(local(event)));
      drag.moved = true;
      render();
    } else if (on && draft.length) {
      cursor = local(event);
      render();
    }
  };

  const onMouseUp = () => {
    if (!drag) return;
    const { moved, r: dragR } = drag;
    drag = null;
    swallowClick = true; // the click that ends a vertex drag adds nothing
    setTimeout(() => (swallowClick = false), 0);
    if (moved) {
      edits.record(dragFrom, `region of \u201c${shown[dragR]?.label ?? ""}\u201d reshaped`);
      commit(shown);
    }
  };

  const onClick = (/** @type {MouseEvent} */ event) => {
    if (!on || !inMap(event)) return;
    event.stopPropagation(); // no point selection by click while drawing
    const p = local(event);
    const moved = down ? Math.hypot(p[0] - down[0], p[1] - down[1]) > CLICK_TOLERANCE_PX : false;
    down = null;
    if (swallowClick || moved || event.shiftKey) return;
    if (closestIn(event, ".corral-region-remove")) return removeSelected();
    const at = map.screenToData(p);
    if (draft.length) {
      draft = addVertex(draft, at, tolerance());
      render();
      return;
    }
    const hit = regionAt(shown, at);
    if (hit >= 0) {
      selected = hit;
      render();
      status.info(`Region of \u201c${shown[hit].label}\u201d: drag its vertices, Delete or \u00d7 removes it`);
      return;
    }
    selected = -1;
    if (!label) {
      render();
      status.info("Type a label name above and press Enter to draw regions for it");
      return;
    }
    draft = [at];
    cursor = p;
    render();
  };

  const onDblClick = (/** @type {MouseEvent} */ event) => {
    if (!on || !inMap(event)) return;
    event.preventDefault();
    event.stopPropagation(); // regl-scatterplot would clear the selection
    close();
  };

  // -- keys -----------------------------------------------------------------------------------
  /** Ctrl+Z in draw mode: the last vertex, else the last region edit; never a labeling operation. */
  /** @param {"undo" | "redo"} kind */
  const undoRedo = (kind) => {
    if (kind === "undo" && draft.length) {
      draft = draft.slice(0, -1);
      render();
      status.info(draft.length ? "Undid: the last vertex" : "Undid: the polygon's first vertex");
      return;
    }
    const step = edits.step(kind, shown);
    if (!step) {
      status.info(`Nothing to ${kind} in draw mode: Ctrl+Z undoes region edits here (press d to leave draw mode, ` +
        "then Ctrl+Z undoes labels)");
      return;
    }
    selected = -1;
    commit(step.before);
    status.info(`${kind === "undo" ? "Undid" : "Redid"}: ${step.what}`);
  };

  const keyOf = (/** @type {KeyboardEvent} */ event) => {
    if (isTextField(event.target)) return null;
    if (on) {
      const k = keyAction(event);
      if (k?.type === "undo" || k?.type === "redo") return k;
    }
    const action = drawKey(event, on);
    // Enter on a focused button presses it (the label bar's, Undo, ...): not ours to close with.
    if (action?.type === "close" && /** @type {Element} */ (event.target)?.tagName === "BUTTON") return null;
    return action;
  };
  const guard = guardShortcuts(root, (event) => keyOf(event) !== null, win);
  const onKeyDown = (/** @type {KeyboardEvent} */ event) => {
    const action = keyOf(event);
    if (!action) return;
    event.preventDefault();
    event.stopImmediatePropagation(); // before the map's own keys (digits, Delete, Escape label points)
    guard.lift();
    if (action.type === "undo" || action.type === "redo") return undoRedo(action.type);
    if (event.repeat) return;
    if (action.type === "toggle") setOn(!on);
    else if (action.type === "close") close();
    else if (action.type === "delete") removeSelected();
    else if (action.type === "pick") {
      const names = labelbar.keyed();
      if (action.index < names.length) pick(names[action.index]);
      else status.info(`No label ${action.index + 1}: type a new label name above`);
    } else if (draft.length) {
      cancelDraft();
      render();
    } else if (selected >= 0) {
      selected = -1;
      render();
    } else setOn(false);
  };

  /** @type {Array<[EventTarget, string, (event: any) => void, boolean]>} */
  const listeners = [
    [root, "mousedown", onMouseDown, true],
    [root, "click", onClick, true],
    [root, "dblclick", onDblClick, true],
    [root, "keydown", onKeyDown, true],
    [win, "mousemove", onMouseMove, true],
    [win, "mouseup", onMouseUp, true],
    [button, "click", () => (setOn(!on), refocus()), false],
  ];
  listeners.forEach(([t, type, fn, capture]) => t.addEventListener(type, fn, capture));
  const viewEvent = map.scatterplot.subscribe("view", () => overlay.follow()); // pan / zoom: nothing rebuilt
  const resize = new ResizeObserver(() => render());
  resize.observe(wrap);

  return {
    pick,
    render,
    /** The `regions` trait changed (Python holds a new list): shown unless a change of ours is unanswered. */
    regionsChanged() {
      if (!unanswered) showTrait();
    },
    outlinesChanged() {
      shownOutlines = outlinesFromWire(outlines());
      render();
    },
    /** For tests: what is shown. */
    state: () => ({ on, label, regions: regionsToWire(shown), draft: draft.map((p) => [...p]), selected }),
    dispose() {
      listeners.forEach(([t, type, fn, capture]) => t.removeEventListener(type, fn, capture));
      map.scatterplot.unsubscribe(viewEvent);
      resize.disconnect();
      guard.dispose();
      overlay.el.remove();
      button.remove();
      chip.remove();
    },
  };
}
