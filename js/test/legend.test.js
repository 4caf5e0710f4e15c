import assert from "node:assert/strict";
import { test } from "node:test";
import { countCodes, formatCount, legendRows, renderLegend } from "../src/legend.js";

test("countCodes counts per code; -1 and out-of-range are unlabeled", () => {
  const { counts, unlabeled } = countCodes(new Int32Array([0, 1, 1, -1, 2, 7, -5, 1]), 3);
  assert.deepEqual(Array.from(counts), [1, 3, 1]);
  assert.equal(unlabeled, 3);
  assert.deepEqual(Array.from(countCodes([], 0).counts), []);
});

test("legendRows lists labels in code order then unlabeled", () => {
  const rows = legendRows({
    categories: ["a", "b"],
    colors: ["#ff0000"],
    codes: [1, 1, -1, 0, 1],
    unlabeledColor: "#999999",
  });
  assert.deepEqual(
    rows.map((r) => [r.code, r.name, r.color, r.count]),
    [
      [0, "a", "#ff0000", 1],
      [1, "b", "#999999", 3], // missing colour falls back
      [-1, "unlabeled", "#999999", 1],
    ],
  );
});

test("formatCount groups thousands", () => {
  assert.equal(formatCount(1234567), "1,234,567");
  assert.equal(formatCount(0), "0");
});

/** A tiny DOM stand-in that refuses innerHTML. */
class FakeElement {
  constructor(tag) {
    this.tagName = tag;
    this.children = [];
    this.attributes = {};
    this.style = {};
    this.textContent = "";
    this.className = "";
    this.title = "";
  }
  set innerHTML(_) {
    throw new Error("innerHTML must not be used");
  }
  setAttribute(k, v) {
    this.attributes[k] = String(v);
  }
  append(...kids) {
    this.children.push(...kids);
  }
  replaceChildren(...kids) {
    this.children = kids;
  }
}
const fakeDoc = { createElement: (tag) => new FakeElement(tag) };

test("renderLegend builds rows with textContent, names kept literal", () => {
  const evil = "<img src=x onerror=window.__xss=1>";
  const container = new FakeElement("div");
  container.replaceChildren(new FakeElement("p")); // stale content is replaced
  const rows = legendRows({
    categories: [evil, "ok"],
    colors: ["#112233", "#445566"],
    codes: [0, 0, 1, -1],
    unlabeledColor: "#aaaaaa",
  });
  renderLegend(/** @type {any} */ (container), rows, /** @type {any} */ (fakeDoc));
  assert.equal(container.children.length, 3);
  const [first, , last] = container.children;
  assert.equal(first.attributes["data-code"], "0");
  assert.equal(first.attributes["data-count"], "2");
  const [swatch, label, count] = first.children;
  assert.equal(swatch.style.backgroundColor, "#112233");
  assert.equal(label.textContent, evil);
  assert.equal(count.textContent, "2");
  assert.equal(last.attributes["data-code"], "-1");
  assert.match(last.className, /corral-unlabeled/);
  assert.equal(last.children[1].textContent, "unlabeled");
});
