import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import * as P from "../src/protocol.js";

/** A DataView over `bytes` placed at `offset` inside a larger buffer (as a widget manager may). */
function viewAt(bytes, offset) {
  const buf = new ArrayBuffer(offset + bytes.byteLength + 5);
  new Uint8Array(buf).set(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset);
  return new DataView(buf, offset, bytes.byteLength);
}

test("trait names match the Python contract", () => {
  assert.equal(P.TRAIT_COORDS, "coords");
  assert.equal(P.TRAIT_CODES, "codes");
  assert.equal(P.TRAIT_CATEGORIES, "categories");
  assert.equal(P.TRAIT_COLORS, "colors");
  assert.equal(P.TRAIT_SELECTION, "selection");
  assert.equal(P.TRAIT_COUNT, "count");
  assert.equal(P.UNLABELED, -1);
  assert.equal(P.TRAIT_STATUS, "status");
  assert.equal(P.TRAIT_VALUES, "values");
  assert.equal(P.TRAIT_VALUES_LABEL, "values_label");
  assert.equal(P.TRAIT_GUIDELINES, "guidelines");
  // TRAITS lists the same names, in the same order, as the Python module's TRAITS.
  const py = readFileSync(new URL("../../src/corral/map/protocol.py", import.meta.url), "utf8");
  const names = Object.fromEntries([...py.matchAll(/^(TRAIT_[A-Z_]+) = "([a-z_]+)"/gm)].map((m) => [m[1], m[2]]));
  const tuple = /^TRAITS = \(([^)]*)\)/m.exec(py);
  assert.ok(tuple, "TRAITS missing from _protocol.py");
  const pyTraits = tuple[1].split(",").map((s) => s.trim()).filter(Boolean).map((name) => names[name]);
  assert.ok(pyTraits.length >= 9 && pyTraits.every(Boolean));
  assert.deepEqual(P.TRAITS, pyTraits);
});

test("coords decode from aligned, offset and unaligned DataViews", () => {
  const xy = new Float32Array([0, 1, 2, 3, -1.5, 1e6]);
  for (const offset of [0, 8, 3]) {
    const got = P.decodeCoords(viewAt(xy, offset));
    assert.ok(got instanceof Float32Array);
    assert.deepEqual(Array.from(got), Array.from(xy), `offset ${offset}`);
  }
});

test("aligned decode is zero-copy, unaligned is a copy", () => {
  const dv = viewAt(new Int32Array([7, -1, 3]), 8);
  const codes = P.decodeCodes(dv);
  assert.equal(codes.buffer, dv.buffer);
  assert.equal(codes.byteOffset, 8);
  const odd = P.decodeCodes(viewAt(new Int32Array([7, -1, 3]), 5));
  assert.notEqual(odd.buffer, dv.buffer);
  assert.deepEqual(Array.from(odd), [7, -1, 3]);
});

test("codes keep -1 and large values", () => {
  const codes = new Int32Array([-1, 0, 1, 2 ** 31 - 1, -(2 ** 31)]);
  assert.deepEqual(Array.from(P.decodeCodes(viewAt(codes, 12))), Array.from(codes));
});

test("empty and missing bytes decode to empty arrays", () => {
  for (const v of [null, undefined, new DataView(new ArrayBuffer(0)), new ArrayBuffer(0)]) {
    assert.equal(P.decodeCoords(v).length, 0);
    assert.equal(P.decodeCodes(v).length, 0);
    assert.equal(P.decodeIndices(v).length, 0);
  }
  assert.throws(() => P.decodeCodes(/** @type {any} */ ("abc")), TypeError);
});

test("little-endian on the wire regardless of host", () => {
  const dv = new DataView(new ArrayBuffer(12));
  dv.setUint32(0, P.POINTS_INDICES, true);
  dv.setUint32(4, 0x01020304, true);
  dv.setUint32(8, 7, true);
  assert.deepEqual(Array.from(P.decodeIndices(dv)), [7, 0x01020304]);
  const enc = P.encodeIndices([0x01020304]);
  assert.deepEqual(Array.from(new Uint8Array(enc.buffer)), [0, 0, 0, 0, 4, 3, 2, 1]);
});

/** @param {DataView} dv */
const hex = (dv) => Buffer.from(dv.buffer, dv.byteOffset, dv.byteLength).toString("hex");

test("point sets are the bytes Python makes (indices or bitset, whichever is smaller)", () => {
  // The same values as Python's encode_indices (tests/map/test_array_wire.py, protocol.py doctests).
  assert.equal(hex(P.encodeIndices([3, 1, 2])), "010000000e");
  assert.equal(hex(P.encodeIndices([0x01020304])), "0000000004030201");
  assert.equal(hex(P.encodeIndices([900, 5])), "000000000500000084030000");
  assert.equal(hex(P.encodeIndices([0, 2, 4, 6, 8, 10, 12, 14, 16, 18])), "01000000555505");
  const bits = new DataView(Uint8Array.from(Buffer.from("01000000555505", "hex")).buffer);
  assert.deepEqual(Array.from(P.decodeIndices(bits)), [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
  assert.throws(() => P.decodeIndices(new DataView(Uint8Array.from([7, 0, 0, 0, 1]).buffer)), /point set/);
});

test("a 5M-point selection encodes in a bitset of n / 8 bytes, without sorting", () => {
  const n = 10_000_000;
  const picked = [];
  for (let i = n - 1; i >= 0; i -= 2) picked.push(i); // unsorted, as a lasso gives them
  const t0 = performance.now();
  const enc = P.encodeIndices(picked, n);
  const took = performance.now() - t0;
  assert.equal(enc.byteLength, 4 + n / 8);
  const back = P.decodeIndices(enc);
  assert.equal(back.length, n / 2);
  assert.equal(back[0], 1);
  assert.equal(back[back.length - 1], n - 1);
  assert.ok(took < 2000, `${took} ms`); // ~100 ms here
});

test("indices encode sorted, unique, as a DataView over its own buffer", () => {
  const dv = P.encodeIndices([5, 3, 3, 9, 0]);
  assert.ok(dv instanceof DataView);
  assert.equal(dv.byteOffset, 0);
  assert.equal(dv.byteLength, dv.buffer.byteLength);
  assert.deepEqual(Array.from(P.decodeIndices(dv)), [0, 3, 5, 9]);
  assert.equal(P.encodeIndices([]).byteLength, 0);
});

test("indices round-trip through an offset DataView", () => {
  const src = new Uint32Array([1, 2, 40000, 4294967295]);
  const enc = P.encodeIndices(src);
  const round = P.decodeIndices(viewAt(new Uint8Array(enc.buffer), 4));
  assert.deepEqual(Array.from(round), Array.from(src));
});

test("normalizeIndices drops out-of-range and invalid values", () => {
  assert.deepEqual(Array.from(P.normalizeIndices([4, -1, 2.5, 10, 2, 4], 10)), [2, 4]);
  assert.deepEqual(Array.from(P.normalizeIndices(new Uint32Array([3, 1, 2]))), [1, 2, 3]);
});

test("sameIndices", () => {
  assert.ok(P.sameIndices([1, 2], new Uint32Array([1, 2])));
  assert.ok(!P.sameIndices([1, 2], [1, 3]));
  assert.ok(!P.sameIndices([1], [1, 2]));
});

test("message kinds and limits match _protocol.py", async () => {
  const { readFile } = await import("node:fs/promises");
  const py = await readFile(new URL("../../src/corral/map/protocol.py", import.meta.url), "utf8");
  const pyConst = (name) => {
    const m = py.match(new RegExp(`^${name}\\s*=\\s*(?:"([^"]*)"|(\\d+))`, "m"));
    assert.ok(m, `${name} missing from _protocol.py`);
    return m[1] ?? Number(m[2]);
  };
  for (const name of ["TRAIT_COORDS", "TRAIT_CODES", "TRAIT_CATEGORIES", "TRAIT_COLORS", "TRAIT_SELECTION", "TRAIT_COUNT"]) {
    assert.equal(P[name], pyConst(name), name);
  }
  const kinds = Object.keys(P).filter((k) => k.startsWith("MSG_"));
  assert.equal(kinds.length, P.MESSAGES.length);
  for (const name of kinds) assert.equal(P[name], pyConst(name), name);
  assert.equal(P.MAX_TEXTS, pyConst("MAX_TEXTS"));
  assert.equal(P.MAX_CHARS, pyConst("MAX_CHARS"));
});
