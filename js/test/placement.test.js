import assert from "node:assert/strict";
import { test } from "node:test";

import { fitText, intersects, placeLabels } from "../src/placement.js";

/** A seeded generator (mulberry32), so a failure can be replayed. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const inside = (b, bounds) => b.x >= 0 && b.y >= 0 && b.x + b.width <= bounds.width && b.y + b.height <= bounds.height;

test("no two placed boxes intersect and all are inside the bounds, for crowded random scenes", () => {
  for (let seed = 1; seed <= 200; seed++) {
    const r = rng(seed);
    const bounds = { width: 200 + r() * 600, height: 150 + r() * 400 };
    const items = Array.from({ length: 1 + Math.floor(r() * 60) }, () => ({
      // Anchors crowded in one corner or spread, many right on the edges.
      anchor: [r() < 0.3 ? (r() < 0.5 ? 0 : bounds.width) : r() * bounds.width, r() * bounds.height],
      width: 10 + r() * 150,
      height: 12 + r() * 6,
      priority: r() * 100,
    }));
    const placed = placeLabels(items, bounds);
    assert.equal(placed.length, items.length);
    const shown = placed.filter((p) => p.shown).map((p) => p.box);
    assert.ok(shown.length >= 1, `seed ${seed}: something is placed`);
    for (const [i, a] of shown.entries()) {
      assert.ok(inside(a, bounds), `seed ${seed}: box ${JSON.stringify(a)} outside ${JSON.stringify(bounds)}`);
      for (const b of shown.slice(i + 1)) assert.ok(!intersects(a, b), `seed ${seed}: ${JSON.stringify([a, b])} overlap`);
    }
  }
});

test("the highest priority wins its anchor; a colliding one moves or hides", () => {
  const items = [
    { anchor: [100, 50], width: 60, height: 14, priority: 1 },
    { anchor: [102, 50], width: 60, height: 14, priority: 9 },
  ];
  const [low, high] = placeLabels(items, { width: 300, height: 200 });
  assert.ok(high.shown && low.shown);
  assert.deepEqual(high.box, { x: 72, y: 43, width: 60, height: 14 }); // centred on its anchor
  assert.ok(!intersects(low.box, high.box));
  assert.ok(Math.abs(low.box.y + 7 - 50) <= 2 * 16 + 1, "moved near its anchor, not far away");
});

test("names at the edge are clamped inside, not cut; anchors out of view are hidden", () => {
  const bounds = { width: 300, height: 200 };
  const placed = placeLabels(
    [
      { anchor: [3, 100], width: 120, height: 14, priority: 3 }, // "elete · service · account"
      { anchor: [299, 199], width: 80, height: 14, priority: 2 },
      { anchor: [-40, 100], width: 50, height: 14, priority: 1 },
      { anchor: [150, 100], width: 400, height: 14, priority: 0 }, // wider than the canvas
    ],
    bounds,
  );
  assert.deepEqual(placed[0].box, { x: 2, y: 93, width: 120, height: 14 });
  assert.deepEqual(placed[1].box, { x: 218, y: 184, width: 80, height: 14 });
  assert.deepEqual(placed.map((p) => p.shown), [true, true, false, false]);
});

test("many names on one spot: the shown ones never overlap, the rest are hidden", () => {
  const items = Array.from({ length: 40 }, (_, i) => ({ anchor: [150, 100], width: 70, height: 14, priority: i }));
  const placed = placeLabels(items, { width: 300, height: 200 });
  const shown = placed.filter((p) => p.shown);
  assert.ok(shown.length >= 5 && shown.length < 40);
  assert.ok(placed[39].shown, "the top priority is shown");
  for (const [i, a] of shown.entries()) for (const b of shown.slice(i + 1)) assert.ok(!intersects(a.box, b.box));
});

test("fitText shortens with an ellipsis to the width", () => {
  const measure = (s) => 7 * Array.from(s).length;
  assert.equal(fitText("short", 100, measure), "short");
  const cut = fitText("delete service account", 70, measure);
  assert.equal(cut, "delete se\u2026");
  assert.ok(measure(cut) <= 70);
  assert.equal(fitText("abc", 3, measure), "\u2026");
});
