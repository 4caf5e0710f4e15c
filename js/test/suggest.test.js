import assert from "node:assert/strict";
import { test } from "node:test";
import {
  GREY_W, LABELED_W, OPACITY_STEPS, mixColor, suggestionEncodings, suggestionValues,
} from "../src/suggest.js";
import { PALETTES } from "../src/theme.js";

const frame = {
  token: "t",
  labels: ["b", "a", "new"], // the reply's own order: matched to the categories by name
  codes: new Int32Array([1, 0, 0, -1, 1, 2]),
  confidence: new Float32Array([0.99, 0.95, 0.5, NaN, 0.91, 0.99]),
};

test("suggestionValues: labels keep their colour, confident suggestions get their label's, the rest grey", () => {
  const codes = new Int32Array([1, -1, -1, -1, -1, -1]); // point 0 is labeled "b"
  const { z, w, shown } = suggestionValues(codes, frame, 0.9, 6, ["a", "b"]);
  // k = 2: labels 1..2, suggestions of category c at 3 + c
  assert.deepEqual(Array.from(z), [2, 3 + 1, 0, 0, 3 + 0, 0]);
  assert.equal(shown, 2); // point 2 below the threshold, 3 none, 5 a label that is no category
  assert.equal(w[0], LABELED_W);
  assert.equal(w[2], Math.fround(GREY_W));
  assert.ok(w[1] > w[4] && w[1] < LABELED_W, "fainter the less confident, never as opaque as a label");
});

test("suggestionValues: the threshold decides what shows; short buffers count as none", () => {
  const codes = new Int32Array(8).fill(-1);
  assert.equal(suggestionValues(codes, frame, 0.0, 8, ["a", "b"]).shown, 4);
  assert.equal(suggestionValues(codes, frame, 1.0, 8, ["a", "b"]).shown, 0);
  assert.deepEqual(Array.from(suggestionValues(codes, frame, 0.0, 8, ["a", "b"]).z.slice(6)), [0, 0]);
});

test("suggestionEncodings: suggestions lighter and smaller than the labels they suggest", () => {
  const pal = PALETTES.light;
  const e = suggestionEncodings(["#ff0000", "#0000ff"], 2, 100, pal);
  assert.equal(e.pointColor.length, 5);
  assert.deepEqual(e.pointColor.slice(0, 3), [pal.unlabeled, "#ff0000", "#0000ff"]);
  assert.equal(e.pointColor[3], mixColor("#ff0000", pal.background, 0.45));
  assert.notEqual(e.pointColor[3], "#ff0000");
  assert.ok(e.pointSize[3] < e.pointSize[1] && e.pointSize[4] < e.pointSize[2]);
  assert.equal(e.opacityBy, "valueB");
  assert.equal(OPACITY_STEPS.at(-1), 1);
});

test("mixColor blends towards the second colour", () => {
  assert.equal(mixColor("#000000", "#ffffff", 0.5), "#808080");
  assert.equal(mixColor("#ff0000", "#ffffff", 0), "#ff0000");
  assert.equal(mixColor("#f00", "#fff", 1), "#ffffff");
});
