import assert from "node:assert/strict";
import { test } from "node:test";
import { categoryValues, encodings, pointSizeFor } from "../src/encoding.js";
import { PALETTES } from "../src/theme.js";

test("categoryValues: code + 1, unlabeled and out-of-range -> 0, missing tail -> 0", () => {
  const z = categoryValues(new Int32Array([0, -1, 2, 3, 1]), 7, 3);
  assert.deepEqual(Array.from(z), [1, 0, 3, 0, 2, 0, 0]);
  assert.deepEqual(Array.from(categoryValues([0, 1, 1], 2, 2)), [1, 2]); // extra codes ignored
});

test("encodings: unlabeled first, grey, smaller and translucent", () => {
  const pal = PALETTES.light;
  const e = encodings(["#ff0000", "not-a-colour"], 2, 100, pal);
  assert.deepEqual(e.pointColor, [pal.unlabeled, "#ff0000", "#808080"]);
  assert.equal(e.pointSize.length, 3);
  assert.ok(e.pointSize[0] < e.pointSize[1]);
  assert.ok(e.opacity[0] < 1 && e.opacity[1] === 1);
  assert.equal(encodings([], 0, 10, pal).pointColor.length, 1);
});

test("point size shrinks as the map grows", () => {
  const sizes = [100, 10_000, 100_000, 1_000_000].map(pointSizeFor);
  for (let i = 1; i < sizes.length; i++) assert.ok(sizes[i] <= sizes[i - 1]);
  assert.ok(sizes.at(-1) >= 1);
});

test("overlay encodings: highlight dims by valueB, similarity colours by it", async () => {
  const { overlayEncodings, DIM_OPACITY } = await import("../src/encoding.js");
  const pal = PALETTES.light;
  const ramp = ["#000000", "#ffffff"];
  const labels = overlayEncodings("labels", ["#ff0000"], 1, 100, pal, ramp);
  assert.deepEqual([labels.colorBy, labels.sizeBy, labels.opacityBy], ["valueA", "valueA", "valueA"]);
  const hi = overlayEncodings("highlight", ["#ff0000"], 1, 100, pal, ramp);
  assert.deepEqual([hi.colorBy, hi.opacityBy, hi.sizeBy], ["valueA", "valueB", "valueB"]);
  assert.deepEqual(hi.opacity, [DIM_OPACITY, 1]);
  assert.ok(hi.pointSize[1] > hi.pointSize[0]);
  const sim = overlayEncodings("similarity", ["#ff0000"], 1, 100, pal, ramp);
  assert.equal(sim.colorBy, "valueB");
  assert.deepEqual(sim.pointColor, ramp);
});

test("overlay encodings: values colour by their bin, grey for no value, nothing else varies", async () => {
  const { overlayEncodings, pointSizeFor } = await import("../src/encoding.js");
  const pal = PALETTES.dark;
  const ramp = ["#000000", "#808080", "#ffffff"];
  const v = overlayEncodings("values", ["#ff0000", "#00ff00"], 2, 100, pal, ramp);
  assert.deepEqual([v.colorBy, v.sizeBy, v.opacityBy], ["valueB", null, null]);
  assert.deepEqual(v.pointColor, [pal.unlabeled, ...ramp]);
  assert.deepEqual(v.pointColorActive, [pal.ring, ...ramp]); // a selected grey point: the strong ring
  assert.equal(v.pointSize, pointSizeFor(100));
  assert.equal(v.opacity, 1);
});

test("a selected grey point gets the strong ring; labeled points keep their colour", async () => {
  const { encodings } = await import("../src/encoding.js");
  /** @param {string} hex */
  const lum = (hex) => [1, 3, 5].reduce((s, i) => s + parseInt(hex.slice(i, i + 2), 16), 0) / 3;
  for (const pal of Object.values(PALETTES)) {
    const e = encodings(["#ff0000", "#00ff00"], 2, 100, pal);
    assert.deepEqual(e.pointColorActive, [pal.ring, "#ff0000", "#00ff00"]);
    // The ring stands out from the grey it marks and from the halo (the background) around it.
    assert.ok(Math.abs(lum(pal.ring) - lum(pal.unlabeled)) > 100);
    assert.ok(Math.abs(lum(pal.ring) - lum(pal.background)) > 180);
  }
});
