import assert from "node:assert/strict";
import { test } from "node:test";
import { queueKeyAction } from "../src/queuekeys.js";

const key = (k, extra = {}) => queueKeyAction({ key: k, ...extra });

test("digits label, a accepts, s skips, z and Ctrl+Z undo", () => {
  assert.deepEqual(key("1"), { action: "label", index: 0 });
  assert.deepEqual(key("9"), { action: "label", index: 8 });
  assert.deepEqual(key("a"), { action: "accept" });
  assert.deepEqual(key("A", { shiftKey: true }), null);
  assert.deepEqual(key("s"), { action: "skip" });
  assert.deepEqual(key("z"), { action: "undo" });
  assert.deepEqual(key("z", { ctrlKey: true }), { action: "undo" });
  assert.equal(key("0"), null);
  assert.equal(key("Escape"), null);
  assert.equal(key("a", { ctrlKey: true }), null);
  assert.equal(key("Enter", { shiftKey: true }), null);
});

test("text fields keep their keys", () => {
  const input = { tagName: "INPUT", type: "text" };
  assert.equal(key("a", { target: input }), null);
  assert.equal(key("1", { target: input }), null);
  assert.deepEqual(key("a", { target: { tagName: "INPUT", type: "checkbox" } }), { action: "accept" });
});
