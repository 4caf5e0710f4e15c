import assert from "node:assert/strict";
import { test } from "node:test";
import { formatValue } from "../src/colorbar.js";

test("formatValue: four significant digits, exponents only for the very large or small", () => {
  assert.equal(formatValue(0), "0");
  assert.equal(formatValue(0.123456), "0.1235");
  assert.equal(formatValue(-2.5), "-2.5");
  assert.equal(formatValue(12345), "12350");
  assert.equal(formatValue(123456), "1.23e+5");
  assert.equal(formatValue(0.0001234), "1.23e-4");
  assert.equal(formatValue(NaN), "NaN");
});
