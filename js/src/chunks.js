// @ts-check
/**
 * Large messages from Python come as MSG_CHUNK frames (protocol.js; the Python side is
 * `protocol.frames`): this puts them back together, so everything above it sees whole messages.
 *
 * One transport per model (views of one model share it, and the arrays it holds): it listens to
 * the model's "msg:custom", passes whole messages on as they are, reassembles framed ones, and
 * gives its listeners (content, buffers) as the model would have.
 */

import { MSG_CHUNK } from "./protocol.js";

/** @typedef {import("./messages.js").MessageModel} MessageModel */
/** @typedef {(content: any, buffers: DataView[]) => void} Listener */

/**
 * Frames in, whole messages out.
 * @returns {{ feed: (content: any, buffers: any[]) => { content: any, buffers: DataView[] } | null,
 *             readonly partial: number }}
 */
export function createReassembler() {
  /** @type {Map<string, { content: any, out: Uint8Array[], left: number }>} */
  const open = new Map();
  return {
    feed(content, buffers) {
      if (!content || content.kind !== MSG_CHUNK) return { content, buffers: buffers ?? [] };
      const { id, part, parts } = content;
      if (part === 0) {
        const sizes = /** @type {number[]} */ (content.sizes ?? []);
        open.set(id, { content: content.content, out: sizes.map((n) => new Uint8Array(n)), left: parts });
      }
      const msg = open.get(id);
      if (!msg) return null; // its first frame was missed (the view came later): nothing to build
      const slice = buffers?.[0];
      if (slice) {
        const bytes = ArrayBuffer.isView(slice)
          ? new Uint8Array(slice.buffer, slice.byteOffset, slice.byteLength)
          : new Uint8Array(/** @type {ArrayBuffer} */ (slice));
        const target = msg.out[content.buffer];
        if (!target || content.offset + bytes.length > target.length) {
          open.delete(id);
          throw new Error(`chunk ${id} ${part}/${parts}: a slice outside its buffer`);
        }
        target.set(bytes, content.offset);
      }
      msg.left -= 1;
      if (msg.left > 0) return null;
      open.delete(id);
      return { content: msg.content, buffers: msg.out.map((b) => new DataView(b.buffer)) };
    },
    get partial() {
      return open.size;
    },
  };
}

/** @type {WeakMap<object, ReturnType<typeof makeTransport>>} */
const TRANSPORTS = new WeakMap();

/** @param {MessageModel} model */
function makeTransport(model) {
  const reassembler = createReassembler();
  /** @type {Set<Listener>} */
  const listeners = new Set();
  let users = 0;
  /** @param {any} content @param {any[]} buffers */
  const onCustom = (content, buffers) => {
    let whole;
    try {
      whole = reassembler.feed(content, Array.isArray(buffers) ? buffers : []);
    } catch (err) {
      console.error("corral map:", err);
      return;
    }
    if (whole) for (const cb of [...listeners]) cb(whole.content, whole.buffers);
  };
  const transport = {
    /** @type {Record<string, any>} what views of this model share (e.g. the arrays) */
    shared: {},
    /** @param {any} content @param {any} [callbacks] @param {any[]} [buffers] */
    send: (content, callbacks, buffers) => model.send(content, callbacks, buffers),
    /** @param {string} event @param {Listener} cb */
    on(event, cb) {
      if (event === "msg:custom") listeners.add(cb);
    },
    /** @param {string} [event] @param {Listener} [cb] */
    off(event, cb) {
      if (event === "msg:custom" && cb) listeners.delete(cb);
    },
    /** One user fewer; the last one unhooks it from the model. */
    release() {
      users -= 1;
      if (users > 0) return;
      model.off("msg:custom", onCustom);
      TRANSPORTS.delete(model);
      for (const value of Object.values(transport.shared)) value?.dispose?.();
      transport.shared = {};
    },
    /** @internal */
    acquire() {
      if (users++ === 0) model.on("msg:custom", onCustom);
      return transport;
    },
  };
  return transport;
}

/**
 * The model's transport (made on first use), counted as used until `release()`.
 * @param {MessageModel} model
 */
export function transportFor(model) {
  let t = TRANSPORTS.get(model);
  if (!t) {
    t = makeTransport(model);
    TRANSPORTS.set(model, t);
  }
  return t.acquire();
}

/** @typedef {ReturnType<typeof transportFor>} Transport */
