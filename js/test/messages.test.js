import assert from "node:assert/strict";
import { test } from "node:test";
import { ReplyError, createClient } from "../src/messages.js";
import { decodeIndices } from "../src/protocol.js";

function fakeModel() {
  const handlers = new Map();
  return {
    sent: [],
    send(content, callbacks, buffers) {
      this.sent.push({ content, callbacks, buffers });
    },
    on(event, cb) {
      handlers.set(event, [...(handlers.get(event) ?? []), cb]);
    },
    off(event, cb) {
      handlers.set(event, (handlers.get(event) ?? []).filter((h) => h !== cb));
    },
    emit(content, buffers = []) {
      for (const h of handlers.get("msg:custom") ?? []) h(content, buffers);
    },
    count: () => (handlers.get("msg:custom") ?? []).length,
  };
}

test("requests carry an id and indices as buffers[0]; the matching reply resolves", async () => {
  const model = fakeModel();
  const client = createClient(model, { tag: "v1" });
  const pending = client.request("texts", {}, [5, 2, 2]);
  const { content, callbacks, buffers } = model.sent[0];
  assert.deepEqual(content, { kind: "texts", request: "v1-1" });
  assert.equal(callbacks, undefined);
  assert.deepEqual(Array.from(decodeIndices(buffers[0])), [2, 5]); // a point set: sorted, unique
  assert.equal(client.pending, 1);
  model.emit({ kind: "texts", request: "other-1", texts: ["not ours"] });
  model.emit({ kind: "texts", request: "v1-1", texts: ["a", "b"] }, ["buf"]);
  const reply = await pending;
  assert.deepEqual(reply.content.texts, ["a", "b"]);
  assert.deepEqual(reply.buffers, ["buf"]);
  assert.equal(client.pending, 0);
});

test("errors: ours reject and are reported, other views' are ignored; status is a broadcast", async () => {
  const model = fakeModel();
  const errors = [];
  const statuses = [];
  const client = createClient(model, {
    tag: "v2",
    onError: (m) => errors.push(m),
    onStatus: (s) => statuses.push(s),
  });
  const pending = client.request("search", { query: "(", mode: "regex" });
  client.send("assign", { label: "x" }, [1]);
  model.emit({ kind: "error", request: "v9-1", message: "someone else's" });
  model.emit({ kind: "error", request: "v2-2", message: "assign: bad label" });
  model.emit({ kind: "error", request: "v2-1", message: "search: not a valid regular expression" });
  await assert.rejects(pending, (err) => err instanceof ReplyError && /regular expression/.test(err.message));
  assert.deepEqual(errors, ["assign: bad label", "search: not a valid regular expression"]);
  model.emit({ kind: "status", undo: true, redo: false, history: 1 });
  assert.deepEqual(statuses, [{ kind: "status", undo: true, redo: false, history: 1 }]);
  assert.equal(model.sent[1].content.request, "v2-2");
  assert.equal(model.sent[1].buffers.length, 1);
});

test("a status reply carrying a request id answers that request (and is still a broadcast)", async () => {
  const model = fakeModel();
  const statuses = [];
  const client = createClient(model, { tag: "v3", onStatus: (s) => statuses.push(s) });
  const answered = client.request("regions", { regions: [] });
  assert.equal(client.pending, 1);
  model.emit({ kind: "status", undo: true, redo: false, history: 2, request: "v3-1" });
  const { content } = await answered;
  assert.equal(content.history, 2);
  assert.equal(client.pending, 0);
  assert.equal(statuses.length, 1);
});

test("a request without a reply times out; dispose stops listening", async () => {
  const model = fakeModel();
  const client = createClient(model, { tag: "t", timeoutMs: 10 });
  await assert.rejects(client.request("sample", { size: 10 }, []), /no reply/);
  assert.equal(client.pending, 0);
  assert.equal(model.count(), 1);
  client.dispose();
  assert.equal(model.count(), 0);
  assert.equal(client.send("undo"), null);
  await assert.rejects(client.request("texts"), /closed/);
});
