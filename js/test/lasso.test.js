import assert from "node:assert/strict";
import { test } from "node:test";
import { MIN_LASSO_AREA_PX, createPathRecorder, isLasso, polygonArea } from "../src/lasso.js";

test("polygonArea: the shoelace area, whichever way round the path goes", () => {
  const square = [0, 0, 10, 0, 10, 10, 0, 10];
  assert.equal(polygonArea(square), 100);
  assert.equal(polygonArea([0, 10, 10, 10, 10, 0, 0, 0]), 100); // clockwise
  assert.equal(polygonArea([0, 0, 4, 0, 0, 3]), 6);
  // a path closed exactly where it started (the repeated vertex adds nothing)
  assert.equal(polygonArea([...square, 0, 0]), 100);
});

test("polygonArea: fewer than three vertices or a straight line enclose nothing", () => {
  assert.equal(polygonArea([]), 0);
  assert.equal(polygonArea([1, 1, 5, 5]), 0);
  assert.equal(polygonArea([0, 0, 5, 5, 10, 10, 5, 5]), 0);
});

test("isLasso: a closed loop is a lasso, a jitter around the press point is a click", () => {
  const ring = [];
  for (let k = 0; k <= 20; k++) ring.push(50 + 30 * Math.cos((2 * Math.PI * k) / 20), 50 + 30 * Math.sin((2 * Math.PI * k) / 20));
  assert.ok(isLasso(ring));
  assert.ok(!isLasso([10, 10, 11, 10, 11, 11, 10, 10]));
  assert.ok(isLasso([0, 0, 5, 0, 5, 5, 0, 5], MIN_LASSO_AREA_PX - 1) === true);
  assert.ok(!isLasso([0, 0, 4, 0, 4, 4, 0, 4]));
});

test("createPathRecorder: keeps moves only between start and end", () => {
  const r = createPathRecorder();
  r.add(1, 1);
  r.start();
  assert.ok(r.active);
  r.add(2, 3);
  r.add(4, 5);
  assert.deepEqual(r.end(), [2, 3, 4, 5]);
  assert.ok(!r.active);
  r.add(9, 9);
  r.start();
  assert.deepEqual(r.end(), []);
});
