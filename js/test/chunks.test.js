// The transport side of the wire contract: frames reassembled, arrays pulled and patched
// (the Python side: tests/map/test_array_wire.py; both in a browser: tests/browser/test_chunks.py).
import assert from "node:assert/strict";
import test from "node:test";

import { arraysFor } from "../src/arrays.js";
import { createReassembler, transportFor } from "../src/chunks.js";
import * as P from "../src/protocol.js";

/** Frames as Python's protocol.frames cuts them (one slice of one buffer each). */
function frames(content, buffers, limit) {
  const out = [];
  const cuts = [];
  buffers.forEach((b, i) => { for (let o = 0; o < b.length; o += limit) cuts.push([i, o]); });
  cuts.forEach(([b, o], part) => {
    const head = { kind: P.MSG_CHUNK, id: "x-1", part, parts: cuts.length, buffer: b, offset: o };
    if (part === 0) Object.assign(head, { content, sizes: buffers.map((x) => x.length) });
    const padded = new Uint8Array(buffers[b].subarray(o, o + limit).length + 3); // a view at an odd offset
    padded.set(buffers[b].subarray(o, o + limit), 3);
    out.push([head, [new DataView(padded.buffer, 3)]]);
  });
  return out;
}

test("frames are put back together into the message Python sent", () => {
  const r = createReassembler();
  const a = Uint8Array.from({ length: 10 }, (_, i) => i);
  const b = Uint8Array.from([9, 8, 7]);
  const got = frames({ kind: "search", request: "t-1" }, [a, b], 4).map(([c, bufs]) => r.feed(c, bufs));
  assert.deepEqual(got.slice(0, -1), [null, null, null]);
  const whole = got.at(-1);
  assert.deepEqual(whole.content, { kind: "search", request: "t-1" });
  assert.deepEqual(whole.buffers.map((v) => Array.from(new Uint8Array(v.buffer))), [Array.from(a), Array.from(b)]);
  assert.equal(r.partial, 0);
  const plain = r.feed({ kind: "status" }, []);
  assert.deepEqual(plain, { content: { kind: "status" }, buffers: [] });
  // A view that came in the middle of a framed message drops the rest of it.
  const late = frames({ kind: "x" }, [a], 4).slice(1);
  assert.deepEqual(late.map(([c, bufs]) => r.feed(c, bufs)), [null, null]);
  const bad = frames({ kind: "x" }, [a], 4);
  bad[1][0].offset = 9;
  r.feed(...bad[0]);
  assert.throws(() => r.feed(...bad[1]), /outside its buffer/);
});

/** A model standing in for the widget manager's, answering pulls like Python's ArraySync. */
function fakeModel(n) {
  const handlers = new Set();
  const sent = [];
  const coords = new Float32Array(2 * n).map((_, i) => i);
  const codes = new Int32Array(n).fill(-1);
  const model = {
    sent,
    handlers,
    versions: { coords: 1, codes: 1, values: 1 },
    send(content) {
      sent.push(content);
      if (content.kind !== P.MSG_PULL) return;
      const head = { kind: P.MSG_ARRAYS, request: content.request, count: n, versions: { ...model.versions },
        names: P.ARRAYS };
      const bufs = [new Uint8Array(coords.buffer.slice(0)), new Uint8Array(codes.buffer.slice(0)), new Uint8Array(0)];
      queueMicrotask(() => model.deliver(frames(head, bufs, 1000)));
    },
    deliver(list) { for (const [c, b] of list) for (const h of [...handlers]) h(c, b); },
    on(event, cb) { if (event === "msg:custom") handlers.add(cb); },
    off(event, cb) { handlers.delete(cb); },
  };
  return model;
}

test("a model's views share one store: pulled once, patched in place, pulled again after a gap", async () => {
  const model = fakeModel(1000); // 8 kB of coordinates: 12 frames of 1000 bytes
  const t1 = transportFor(model);
  const t2 = transportFor(model);
  assert.equal(t1, t2);
  const store = arraysFor(t1);
  assert.equal(arraysFor(t2), store);
  await store.ready;
  assert.equal(model.sent.filter((m) => m.kind === P.MSG_PULL).length, 1);
  assert.equal(store.coords.length, 2000);
  assert.equal(store.coords[1999], 1999);
  assert.equal(store.codes.length, 1000);
  const seen = [];
  store.onChange((names) => seen.push(names));
  const patch = (base, version, idx, vals) => model.deliver([[{ kind: P.MSG_PATCH, name: "codes", base, version },
    [new DataView(Uint32Array.from(idx).buffer), new DataView(Int32Array.from(vals).buffer)]]]);
  patch(1, 2, [3, 999], [0, 1]);
  assert.deepEqual([store.codes[3], store.codes[999], store.codes[4]], [0, 1, -1]);
  assert.deepEqual(seen, [["codes"]]);
  patch(1, 2, [4], [5]); // the same again: old news
  assert.equal(store.codes[4], -1);
  patch(5, 6, [4], [5]); // 3..5 missed: pull everything again
  assert.equal(store.codes[4], -1);
  assert.equal(model.sent.filter((m) => m.kind === P.MSG_PULL).length, 2);
  t1.release();
  assert.equal(model.handlers.size, 1); // still one user
  t2.release();
  assert.equal(model.handlers.size, 0);
});
