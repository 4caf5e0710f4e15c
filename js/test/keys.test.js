import assert from "node:assert/strict";
import { test } from "node:test";
import { SUPPRESS_ATTR, guardShortcuts, isTextField, keyAction } from "../src/keys.js";

const key = (k, extra = {}) => keyAction({ key: k, ...extra });

test("digits label, 0 / Backspace / Delete clear, Escape is offered", () => {
  assert.deepEqual(key("1"), { type: "label", index: 0 });
  assert.deepEqual(key("9"), { type: "label", index: 8 });
  assert.deepEqual(key("0"), { type: "clear" });
  assert.deepEqual(key("Backspace"), { type: "clear" });
  assert.deepEqual(key("Delete"), { type: "clear" });
  assert.deepEqual(key("Escape"), { type: "escape" });
  assert.equal(key("a"), null);
  assert.equal(key("Enter", { shiftKey: true }), null);
  // numpad digits, and AZERTY's unshifted digit row (types "é" on Digit2)
  assert.deepEqual(key("3", { code: "Numpad3" }), { type: "label", index: 2 });
  assert.deepEqual(key("é", { code: "Digit2" }), { type: "label", index: 1 });
  // Shift+2 on a US layout types "@": not a digit
  assert.equal(key("@", { code: "Digit2", shiftKey: true }), null);
  // Ctrl/Cmd/Alt + digit are the browser's / system's
  assert.equal(key("1", { ctrlKey: true }), null);
  assert.equal(key("1", { metaKey: true }), null);
  assert.equal(key("1", { altKey: true }), null);
});

test("undo and redo", () => {
  assert.deepEqual(key("z", { ctrlKey: true }), { type: "undo" });
  assert.deepEqual(key("z", { metaKey: true }), { type: "undo" });
  assert.deepEqual(key("Z", { ctrlKey: true, shiftKey: true }), { type: "redo" });
  assert.deepEqual(key("z", { metaKey: true, shiftKey: true }), { type: "redo" });
  assert.deepEqual(key("y", { ctrlKey: true }), { type: "redo" });
  assert.deepEqual(key("я", { ctrlKey: true, code: "KeyZ" }), { type: "undo" }); // other layouts
  assert.equal(key("y", { metaKey: true }), null); // Cmd+Y is the browser's history on macOS
  assert.equal(key("z", { ctrlKey: true, altKey: true }), null);
  assert.equal(key("s", { ctrlKey: true }), null);
});

test("keys typed into text fields are never ours", () => {
  const input = { tagName: "INPUT", type: "text" };
  assert.ok(isTextField(input));
  assert.ok(isTextField({ tagName: "input", type: "number" }));
  assert.ok(isTextField({ tagName: "TEXTAREA" }));
  assert.ok(isTextField({ tagName: "SELECT" }));
  assert.ok(isTextField({ tagName: "DIV", isContentEditable: true }));
  assert.ok(!isTextField({ tagName: "BUTTON" }));
  assert.ok(!isTextField({ tagName: "INPUT", type: "checkbox" }));
  assert.ok(!isTextField(null));
  assert.equal(keyAction({ key: "1", target: input }), null);
  assert.equal(keyAction({ key: "z", ctrlKey: true, target: input }), null);
  assert.deepEqual(keyAction({ key: "1", target: { tagName: "BUTTON" } }), { type: "label", index: 0 });
});

test("the guard marks owned keys for Lumino during their dispatch only", async () => {
  const attrs = new Map();
  const inside = { id: "inside" };
  const root = {
    contains: (n) => n === inside,
    setAttribute: (k, v) => attrs.set(k, v),
    removeAttribute: (k) => attrs.delete(k),
  };
  const listeners = [];
  const win = {
    addEventListener: (type, fn, capture) => listeners.push({ type, fn, capture }),
    removeEventListener: (type, fn) => listeners.splice(listeners.findIndex((l) => l.fn === fn), 1),
  };
  const guard = guardShortcuts(/** @type {any} */ (root), (e) => keyAction(e) !== null, /** @type {any} */ (win));
  assert.equal(listeners.length, 1);
  assert.equal(listeners[0].capture, true); // before Lumino's document listener
  const fire = (event) => listeners[0].fn(event);

  fire({ key: "a", target: inside });
  assert.ok(!attrs.has(SUPPRESS_ATTR)); // not ours: JupyterLab keeps it
  fire({ key: "2", target: { id: "elsewhere" } });
  assert.ok(!attrs.has(SUPPRESS_ATTR)); // not in the widget
  fire({ key: "2", target: inside });
  assert.equal(attrs.get(SUPPRESS_ATTR), "true");
  guard.lift();
  assert.ok(!attrs.has(SUPPRESS_ATTR));
  fire({ key: "z", ctrlKey: true, target: inside });
  assert.ok(attrs.has(SUPPRESS_ATTR));
  await new Promise((r) => setTimeout(r, 5)); // lifted by its timer if nobody handled it
  assert.ok(!attrs.has(SUPPRESS_ATTR));
  guard.dispose();
  assert.equal(listeners.length, 0);
});
