import assert from "node:assert/strict";
import { test } from "node:test";
import { RAMPS, interpolate, normalize, rampCss, rampFor, topK } from "../src/colorscale.js";
import * as C from "../src/colorscale.js";

test("ramps run from the first anchor to the last, in RAMP_STEPS hex colours", () => {
  for (const theme of ["light", "dark"]) {
    const ramp = rampFor(theme);
    assert.equal(ramp.length, 64);
    assert.equal(ramp[0], RAMPS[theme][0]);
    assert.equal(ramp.at(-1), RAMPS[theme].at(-1));
    ramp.forEach((c) => assert.match(c, /^#[0-9a-f]{6}$/));
  }
  assert.deepEqual(interpolate(["#000000", "#ffffff"], 3), ["#000000", "#808080", "#ffffff"]);
  assert.match(rampCss("dark"), /^linear-gradient\(to right, #/);
});

test("normalize rescales to [0, 1]; constant and non-finite scores stay sane", () => {
  const { values, min, max } = normalize([0.5, -0.5, 0, NaN]);
  assert.deepEqual(Array.from(values), [1, 0, 0.5, 0]);
  assert.equal(min, -0.5);
  assert.equal(max, 0.5);
  assert.deepEqual(Array.from(normalize([0.3, 0.3]).values), [1, 1]);
});

test("topK: the k best, best first, ties by index; k clamped", () => {
  const scores = Float32Array.from([0.1, 0.9, 0.5, 0.9, -1, NaN, 0.7]);
  assert.deepEqual(topK(scores, 3), [1, 3, 6]);
  assert.deepEqual(topK(scores, 0), []);
  assert.deepEqual(topK(scores, 100), [1, 3, 6, 2, 0, 4]); // NaN never selected
  const big = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
  const want = Array.from(big.keys()).sort((a, b) => big[b] - big[a] || a - b).slice(0, 50);
  assert.deepEqual(topK(big, 50), want);
});

test("valueBins: finite values onto the ramp's steps, missing ones to bin 0", () => {
  const { bins, min, max, missing } = C.valueBins([2, NaN, 4, 3, Infinity], 5);
  assert.deepEqual(Array.from(bins), [1, 0, 5, 3, 0]);
  assert.equal(min, 2);
  assert.equal(max, 4);
  assert.equal(missing, 2);
  assert.deepEqual(Array.from(C.valueBins([7, 7]).bins), [C.RAMP_STEPS, C.RAMP_STEPS]);
  assert.equal(C.valueBins([]).bins.length, 0);
});
