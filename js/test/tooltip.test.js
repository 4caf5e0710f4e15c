import assert from "node:assert/strict";
import { test } from "node:test";
import { createHover, createTextCache } from "../src/tooltip.js";

test("the text cache fetches once per point, shares in-flight fetches and stays bounded", async () => {
  const calls = [];
  const cache = createTextCache(async (indices) => {
    calls.push(indices);
    return { indices, texts: indices.map((i) => `text ${i}`), truncated: indices.filter((i) => i === 7) };
  }, 2);
  const [a, b] = await Promise.all([cache.get(3), cache.get(3)]);
  assert.deepEqual(a, { text: "text 3", truncated: false });
  assert.equal(a, b);
  assert.deepEqual(calls, [[3]]);
  assert.deepEqual(await cache.get(7), { text: "text 7", truncated: true });
  await cache.get(3);
  assert.equal(calls.length, 2); // 3 still cached
  await cache.get(9); // evicts the oldest (7: 3 was used since)
  assert.equal(cache.size, 2);
  assert.equal(cache.peek(7), undefined);
  assert.ok(cache.peek(3));
});

test("hover shows only the latest point, after the pause, and hides on out", async () => {
  const shown = [];
  const tooltip = { show: (entry, at, i) => shown.push([i, entry.text, at]), hide: () => shown.push("hide") };
  const cache = createTextCache(async (indices) => ({ indices, texts: indices.map((i) => `t${i}`), truncated: [] }));
  const hover = createHover({ cache, tooltip: /** @type {any} */ (tooltip), locate: (i) => [i, i], delayMs: 5 });
  hover.over(1);
  hover.over(2); // moved on before the pause ended: 1 is never fetched or shown
  await new Promise((r) => setTimeout(r, 30));
  assert.deepEqual(shown, [[2, "t2", [2, 2]]]);
  assert.equal(cache.peek(1), undefined);
  hover.out();
  hover.over(2); // cached: at once
  assert.deepEqual(shown.slice(1), ["hide", [2, "t2", [2, 2]]]);
  hover.dispose();
});
