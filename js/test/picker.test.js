import assert from "node:assert/strict";
import { test } from "node:test";
import { collapseRows, legendRows } from "../src/legend.js";
import { CHIP_LIMIT, TOP_CHIPS, filterLabels, splitLabels } from "../src/picker.js";

test("splitLabels: few labels are all chips in code order; empty ones go to the list", () => {
  assert.deepEqual(splitLabels(3, [5, 0, 2]), { chips: [0, 2], rest: [1] });
  assert.deepEqual(splitLabels(0, []), { chips: [], rest: [] });
  const k = CHIP_LIMIT;
  const all = splitLabels(k, Array.from({ length: k }, () => 1));
  assert.equal(all.chips.length, k);
  assert.equal(all.rest.length, 0);
});

test("splitLabels: many labels -> the top ones by count as chips (code order), the rest by count", () => {
  const counts = Array.from({ length: 150 }, (_, i) => (i * 37) % 151); // distinct, 0 at code 0
  const { chips, rest } = splitLabels(150, counts);
  assert.equal(chips.length, TOP_CHIPS);
  assert.deepEqual(chips, [...chips].sort((a, b) => a - b));
  const least = Math.min(...chips.map((c) => counts[c]));
  assert.ok(rest.every((c) => counts[c] <= least), "every chip has at least the points of any listed label");
  assert.equal(chips.length + rest.length, 150);
  for (let i = 1; i < rest.length; i++) assert.ok(counts[rest[i - 1]] >= counts[rest[i]]);
  assert.equal(rest.at(-1), 0); // the empty label comes last
});

test("filterLabels: every word, case-insensitive, prefix matches first", () => {
  const names = ["card_arrival", "Card payment fee", "top_up", "declined card payment", "<img src=x>"];
  const codes = [0, 1, 2, 3, 4];
  assert.deepEqual(filterLabels(names, codes, ""), codes);
  assert.deepEqual(filterLabels(names, codes, "card"), [0, 1, 3]);
  assert.deepEqual(filterLabels(names, codes, "payment CARD"), [1, 3]);
  assert.deepEqual(filterLabels(names, codes, "declined"), [3]);
  assert.deepEqual(filterLabels(names, codes, "<img"), [4]);
  assert.deepEqual(filterLabels(names, [3, 1], "card"), [1, 3]); // "Card payment fee" starts with it
  assert.deepEqual(filterLabels(names, codes, "nothing"), []);
});

test("collapseRows: the top labels with points, unlabeled always, empty labels never", () => {
  const categories = Array.from({ length: 40 }, (_, i) => `l${i}`);
  const codes = [];
  for (let c = 1; c < 40; c++) for (let j = 0; j < c; j++) codes.push(c); // l0 has no points
  codes.push(-1, -1);
  const rows = legendRows({ categories, colors: [], codes, unlabeledColor: "#999" });
  const { rows: shown, hidden } = collapseRows(rows, { top: 12 });
  assert.equal(hidden, 39 - 12);
  assert.deepEqual(shown.map((r) => r.name), [...Array.from({ length: 12 }, (_, i) => `l${28 + i}`), "unlabeled"]);
  const all = collapseRows(rows, { top: 12, expanded: true });
  assert.equal(all.hidden, 0);
  assert.equal(all.rows.length, 40); // 39 with points + unlabeled
  assert.ok(!all.rows.some((r) => r.name === "l0"));
  // One more than the top is not worth a button.
  assert.equal(collapseRows(rows.slice(27), { top: 12 }).hidden, 0);
});

test("guidelineText: the guideline as plain text lines under the action", async () => {
  const { guidelineText } = await import("../src/picker.js");
  const action = 'Apply "spam" to the selection (key 1)';
  assert.equal(guidelineText(action, undefined), action);
  assert.equal(guidelineText(action, "not an object"), action);
  const text = guidelineText(action, {
    definition: "Unsolicited ads",
    include: "phishing",
    exclude: "newsletters",
    examples: ["WIN A PRIZE", "<img src=x onerror=alert(1)>", ""],
  });
  assert.deepEqual(text.split("\n"), [
    action,
    "",
    "Unsolicited ads",
    "Includes: phishing",
    "Excludes: newsletters",
    "Examples:",
    "  \u2022 WIN A PRIZE",
    "  \u2022 <img src=x onerror=alert(1)>", // kept verbatim: it is set as text, never parsed
  ]);
  assert.equal(guidelineText(action, { definition: "x".repeat(10), examples: ["y".repeat(300)] }).split("\n").at(-1).length, 205);
});
