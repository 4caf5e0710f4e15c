import assert from "node:assert/strict";
import { test } from "node:test";
import {
  BASE, addRegion, addVertex, centroid, closeDraft, colorFor, contains, drawKey, labelColors, moveVertex,
  outlinesFromWire, regionAt, regionsFromWire, regionsToWire, removeRegion,
} from "../src/regions.js";
import { normalizedToScreen, screenToNormalized } from "../src/scales.js";

const SQUARE = [[0, 0], [2, 0], [2, 2], [0, 2]];

test("colorFor: the palette's base colours, then the same generated colours as corral.core.palette", () => {
  assert.equal(colorFor(0), BASE[0]);
  assert.equal(colorFor(19), "#8ac926");
  // corral.palette.color_for(20..29), computed by Python (corral.core.palette)
  const python = ["#28bd41", "#db5768", "#578edb", "#b5db57", "#db57db", "#57dbb4", "#db8e57", "#6757db", "#42bd28",
    "#bd286d"];
  assert.deepEqual(python.map((_, k) => colorFor(20 + k)), python);
});

test("labelColors: categories keep theirs, other region labels take the next colours in order", () => {
  const got = labelColors(["new", "b", "other", "new"], ["a", "b"], ["#111111", "#222222"]);
  assert.deepEqual([...got], [["new", colorFor(2)], ["b", "#222222"], ["other", colorFor(3)]]);
});

test("wire: malformed regions and outlines are dropped, names kept as given", () => {
  const wire = [
    { label: "rain", polygon: SQUARE },
    { label: "", polygon: SQUARE },
    { label: "x", polygon: [[0, 0], [1, 1]] },
    { label: "y", polygon: [[0, 0], [1, NaN], [1, 1]] },
    null,
  ];
  assert.deepEqual(regionsFromWire(wire), [{ label: "rain", polygon: SQUARE }]);
  assert.deepEqual(regionsFromWire("nope"), []);
  assert.deepEqual(outlinesFromWire([{ name: "<img src=x onerror=alert(1)>", polygon: SQUARE }])[0].name,
    "<img src=x onerror=alert(1)>");
  const regions = regionsFromWire(wire);
  assert.deepEqual(regionsToWire(regions), [{ label: "rain", polygon: SQUARE }]);
  assert.notEqual(regionsToWire(regions)[0].polygon[0], regions[0].polygon[0]); // a copy
});

test("contains / regionAt: even-odd rule, the topmost region wins", () => {
  assert.ok(contains(SQUARE, [1, 1]));
  assert.ok(!contains(SQUARE, [3, 1]));
  const bowtie = [[0, 0], [2, 2], [2, 0], [0, 2]]; // self-intersecting
  assert.ok(contains(bowtie, [0.3, 1]) && !contains(bowtie, [1, 1.7]));
  const regions = [{ label: "a", polygon: SQUARE }, { label: "b", polygon: [[1, 1], [3, 1], [3, 3], [1, 3]] }];
  assert.equal(regionAt(regions, [1.5, 1.5]), 1);
  assert.equal(regionAt(regions, [0.5, 0.5]), 0);
  assert.equal(regionAt(regions, [5, 5]), -1);
});

test("drawing: a repeated click adds no vertex; closing needs 3 distinct, non-collinear points", () => {
  let draft = [];
  for (const p of [[0, 0], [2, 0], [2, 0.01], [2, 2]]) draft = addVertex(draft, p, 0.1);
  assert.deepEqual(draft, [[0, 0], [2, 0], [2, 2]]);
  draft = addVertex(draft, [2, 2], 0.1); // the double-click's second click
  assert.equal(draft.length, 3);
  assert.deepEqual(closeDraft(draft, 0.1), [[0, 0], [2, 0], [2, 2]]);
  assert.deepEqual(closeDraft([[0, 0], [2, 0], [2, 2], [0, 2], [0.05, 0]], 0.1), SQUARE); // ended on the start
  assert.equal(closeDraft([[0, 0], [2, 0]], 0.1), null);
  assert.equal(closeDraft([[0, 0], [1, 1], [2, 2]], 0.1), null); // on one line
  assert.equal(closeDraft([[0, 0], [0.01, 0], [0, 0.01]], 0.1), null); // one click, really
});

test("editing: move a vertex, remove a region, add one; the old list is left as it was", () => {
  const regions = [{ label: "a", polygon: SQUARE }];
  const moved = moveVertex(regions, 0, 2, [3, 3]);
  assert.deepEqual(moved[0].polygon[2], [3, 3]);
  assert.deepEqual(regions[0].polygon[2], [2, 2]);
  assert.deepEqual(removeRegion(addRegion(regions, "b", SQUARE), 0).map((r) => r.label), ["b"]);
  assert.equal(regions.length, 1);
});

test("centroid: the area centroid, the vertex mean when there is no area", () => {
  assert.deepEqual(centroid(SQUARE), [1, 1]);
  const [cx, cy] = centroid([[0, 0], [4, 0], [0, 4]]);
  assert.ok(Math.abs(cx - 4 / 3) < 1e-12 && Math.abs(cy - 4 / 3) < 1e-12);
  assert.deepEqual(centroid([[0, 0], [1, 1], [2, 2]]), [1, 1]);
});

test("drawKey: d toggles; Enter, Escape, Delete and digits only in draw mode; modifiers are not ours", () => {
  assert.deepEqual(drawKey({ key: "d" }, false), { type: "toggle" });
  assert.deepEqual(drawKey({ key: "D", code: "KeyD" }, true), { type: "toggle" });
  assert.equal(drawKey({ key: "d", ctrlKey: true }, true), null);
  assert.equal(drawKey({ key: "Enter" }, false), null);
  assert.deepEqual(drawKey({ key: "Enter" }, true), { type: "close" });
  assert.deepEqual(drawKey({ key: "Escape" }, true), { type: "cancel" });
  assert.deepEqual(drawKey({ key: "Backspace" }, true), { type: "delete" });
  assert.deepEqual(drawKey({ key: "3" }, true), { type: "pick", index: 2 });
  assert.equal(drawKey({ key: "0" }, true), null);
  assert.equal(drawKey({ key: "z", metaKey: true }, true), null);
});

test("normalizedToScreen inverts screenToNormalized under pan, zoom and a data aspect ratio", () => {
  const view = new Float64Array(16);
  view[0] = 2.5; view[5] = 2.5; view[10] = 1; view[15] = 1; view[12] = 0.3; view[13] = -0.2;
  for (const [w, h, aspect] of [[640, 520, 1], [300, 700, 1.7]]) {
    for (const p of [[0, 0], [0.4, -0.9], [-1, 1]]) {
      const s = normalizedToScreen(p, view, w, h, aspect);
      const back = screenToNormalized(s, view, w, h, aspect);
      assert.ok(Math.abs(back[0] - p[0]) < 1e-9 && Math.abs(back[1] - p[1]) < 1e-9, `${p} -> ${s} -> ${back}`);
    }
  }
  // The identity camera puts the origin at the canvas centre and y up.
  const id = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  assert.deepEqual(normalizedToScreen([0, 0], id, 400, 200), [200, 100]);
  assert.deepEqual(normalizedToScreen([0, 1], id, 400, 200), [200, 0]);
});

test("affineOf: the SVG matrix of a pan/zoom map sends data where the map does", async () => {
  const { affineOf } = await import("../src/overlay.js");
  const toScreen = (/** @type {[number, number]} */ [x, y]) => [120 + 44.4 * x, 527 - 44.4 * y];
  const [a, b, c, d, e, f] = affineOf(toScreen);
  for (const p of [[0, 0], [10, 0], [5, 9], [-2.5, 3.25]]) {
    const want = toScreen(p);
    const got = [a * p[0] + c * p[1] + e, b * p[0] + d * p[1] + f];
    assert.ok(Math.hypot(got[0] - want[0], got[1] - want[1]) < 1e-9, `${p}: ${got} vs ${want}`);
  }
});

test("createEdits: undo gives the state before, redo the state after; a new edit drops redo", async () => {
  const { createEdits } = await import("../src/edits.js");
  const e = createEdits();
  e.record("A", "first");
  e.record("B", "second"); // now showing C
  assert.deepEqual(e.step("undo", "C"), { before: "B", what: "second" });
  assert.deepEqual(e.step("redo", "B"), { before: "C", what: "second" });
  assert.deepEqual(e.step("undo", "C"), { before: "B", what: "second" });
  assert.deepEqual(e.step("undo", "B"), { before: "A", what: "first" });
  assert.equal(e.step("undo", "A"), null);
  e.record("A", "other");
  assert.equal(e.step("redo", "X"), null);
});
