import assert from "node:assert/strict";
import { test } from "node:test";
import * as S from "../src/scales.js";

const close = (a, b, eps = 1e-5) => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

test("bounds ignore non-finite points", () => {
  const b = S.bounds([0, 0, 10, 5, NaN, 100, -2, Infinity, 4, -3]);
  assert.deepEqual(b, { xmin: 0, xmax: 10, ymin: -3, ymax: 5, finite: 3 });
  assert.equal(S.bounds([]).finite, 0);
});

test("fit centres the data and keeps its aspect ratio inside [-1, 1]", () => {
  const xy = [0, 0, 10, 5, 4, -3];
  const f = S.fit(S.bounds(xy), 0.05);
  const { x, y } = S.toNormalized(xy, f);
  const xs = Array.from(x);
  const ys = Array.from(y);
  close(Math.min(...xs), -0.95);
  close(Math.max(...xs), 0.95);
  close(Math.min(...ys) + Math.max(...ys), 0); // centred
  assert.ok(Math.max(...ys.map(Math.abs)) < 0.95);
  // uniform scale: data distances are preserved up to one factor
  const d01 = Math.hypot(x[1] - x[0], y[1] - y[0]) / Math.hypot(10, 5);
  const d02 = Math.hypot(x[2] - x[0], y[2] - y[0]) / Math.hypot(4, -3);
  close(d01, d02);
});

test("inverse undoes forward", () => {
  const f = S.fit(S.bounds([-100, 3, 250, 7.5]));
  for (const p of [[-100, 3], [250, 7.5], [12.25, -40]]) {
    const back = S.inverse(S.forward(/** @type {[number, number]} */ (p), f), f);
    close(back[0], p[0], 1e-9);
    close(back[1], p[1], 1e-9);
  }
  const { x, y } = S.toNormalized([-100, 3, 250, 7.5], f);
  const back = S.inverse([x[1], y[1]], f);
  close(back[0], 250, 1e-3);
  close(back[1], 7.5, 1e-4);
});

test("degenerate data (one point, all equal, none) stays finite", () => {
  for (const xy of [[3, 4], [1, 1, 1, 1], []]) {
    const f = S.fit(S.bounds(xy));
    assert.ok(Number.isFinite(f.scale) && f.scale > 0);
    const { x, y } = S.toNormalized(xy, f);
    x.forEach((v) => close(v, 0));
    y.forEach((v) => close(v, 0));
  }
  const { x } = S.toNormalized([NaN, 1, 2, 2], S.fit(S.bounds([2, 2, 4, 4])));
  assert.equal(x[0], 0); // non-finite points go to the origin
});

test("fitDistance fills the canvas along the limiting axis", () => {
  const pad = 0.05;
  // Wide data on a wide canvas: x limits. Visible x half-width = d * A must equal 1.
  const wide = S.bounds([0, 0, 20, 4]);
  const fw = S.fit(wide, pad);
  const d = S.fitDistance(wide, fw, 800, 400, pad);
  close(d * 2, 1);
  // Tall data on the same canvas: y limits, visible half-height d must equal 1.
  const tall = S.bounds([0, 0, 4, 20]);
  const ft = S.fit(tall, pad);
  close(S.fitDistance(tall, ft, 800, 400, pad), 1);
  assert.equal(S.fitDistance(wide, fw, 0, 400), 1);
});

test("screenToNormalized inverts regl-scatterplot's camera (pan, zoom, aspect)", () => {
  const width = 640;
  const height = 400;
  // A 2-D camera view: zoom s, translation (tx, ty); column-major 4x4.
  const s = 2.5;
  const view = [s, 0, 0, 0, 0, s, 0, 0, 0, 0, 1, 0, 0.3, -0.2, 0, 1];
  const toScreen = ([x, y]) => {
    const cx = (s * x + view[12]) / (width / height);
    const cy = s * y + view[13];
    return [(width * (cx + 1)) / 2, height * (0.5 - cy / 2)];
  };
  for (const p of [[0, 0], [0.1, -0.3], [-0.25, 0.2]]) {
    const back = S.screenToNormalized(/** @type {[number, number]} */ (toScreen(p)), view, width, height);
    close(back[0], p[0]);
    close(back[1], p[1]);
  }
});

test("pointsInRect: corners in any order, edges included", () => {
  const xy = [0, 0, 1, 1, 2, 2, 1, 3, NaN, 1];
  assert.deepEqual(S.pointsInRect(xy, [2, 2], [1, 0]), [1, 2]);
  assert.deepEqual(S.pointsInRect(xy, [-1, -1], [5, 5]), [0, 1, 2, 3]);
  assert.deepEqual(S.pointsInRect([], [0, 0], [1, 1]), []);
});
