import assert from "node:assert/strict";
import { test } from "node:test";
import { createStatusLine, resumedLine } from "../src/statusline.js";

/** The few DOM parts the status line uses. */
function fakeDoc() {
  return {
    createElement: () => ({
      className: "", textContent: "", title: "", dataset: {}, attrs: {},
      setAttribute(k, v) { this.attrs[k] = v; },
      addEventListener() {}, removeEventListener() {},
    }),
  };
}

test("resumedLine: Python's notice without its prefix, capitalised; nothing for null", () => {
  assert.equal(resumedLine("corral: resumed 12 operations from quickstart.journal"),
    "Resumed 12 operations from quickstart.journal");
  assert.equal(resumedLine(null), "");
  assert.equal(resumedLine(undefined), "");
  assert.equal(resumedLine("  "), "");
  assert.equal(resumedLine(42), "");
});

test("the resume notice is the idle line until the first labeling action, then the hint for good", () => {
  const line = createStatusLine(/** @type {any} */ (fakeDoc()), "Shift + drag to lasso");
  assert.equal(line.el.textContent, "Shift + drag to lasso");
  line.setResumed("corral: resumed 3 operations from /tmp/<b>x</b>.journal");
  assert.equal(line.el.textContent, "Resumed 3 operations from /tmp/<b>x</b>.journal");
  assert.equal(line.el.dataset.kind, "resumed");
  assert.equal(line.el.title, "Resumed 3 operations from /tmp/<b>x</b>.journal");
  line.setNote("preview \u00b7 map computing (2 s)");
  assert.equal(line.el.textContent, "preview \u00b7 map computing (2 s) \u00b7 Resumed 3 operations from /tmp/<b>x</b>.journal");
  line.setNote("");
  line.setHint("Draw mode");
  assert.equal(line.el.textContent, "Resumed 3 operations from /tmp/<b>x</b>.journal"); // the hint waits
  line.endResumed();
  assert.equal(line.el.textContent, "Draw mode");
  assert.equal(line.el.title, "");
  line.setResumed("corral: resumed 3 operations from /tmp/x.journal"); // a later status: stays over
  assert.equal(line.el.textContent, "Draw mode");
  assert.equal(line.resumed(), "");
  line.dispose();
});
