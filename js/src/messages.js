// @ts-check
/**
 * Request / reply over the widget's custom messages (see the MSG_* kinds in protocol.js).
 *
 * Every message sent carries a `request` id ("<client tag>-<n>"); Python echoes it in its reply
 * (and in an `error` reply), so a reply finds the call that asked for it even when several are
 * in flight or two views share one model. `status` messages carry no id: they are broadcasts
 * (Python sends one to every view after each label change) and go to `onStatus`.
 *
 * Point indices travel as buffers[0]: a point set (protocol.encodeIndices: indices or a bitset, at
 * most n / 8 bytes). `model` is the model's transport (chunks.js): replies come whole.
 */

import { MSG_ERROR, MSG_STATUS, encodeIndices } from "./protocol.js";

/** @typedef {{ kind: string, request?: string | null, [key: string]: any }} Message */
/** @typedef {{ content: Message, buffers: DataView[] }} Reply */

/**
 * The part of the widget model used here (anywidget / ipywidgets).
 * @typedef {object} MessageModel
 * @property {(content: any, callbacks?: any, buffers?: (ArrayBuffer | ArrayBufferView)[]) => void} send
 * @property {(event: string, cb: (...args: any[]) => void) => void} on
 * @property {(event?: string | null, cb?: ((...args: any[]) => void) | null) => void} off
 */

export const REQUEST_TIMEOUT_MS = 60_000;

/** An error reply (already shown to the user by the client's onError). */
export class ReplyError extends Error {
  /** @param {string} message @param {Message} [content] */
  constructor(message, content) {
    super(message);
    this.name = "ReplyError";
    this.content = content;
  }
}

/**
 * @param {MessageModel} model
 * @param {{ onStatus?: (status: Message) => void, onError?: (message: string, content: Message) => void,
 *           tag?: string, timeoutMs?: number }} [options]
 */
export function createClient(model, options = {}) {
  const { onStatus, onError } = options;
  const tag = options.tag ?? Math.random().toString(36).slice(2, 8);
  const timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
  let seq = 0;
  let disposed = false;
  /** @type {Map<string, { resolve: (r: Reply) => void, reject: (e: Error) => void, timer: any }>} */
  const pending = new Map();

  /**
   * @param {string} kind
   * @param {Record<string, unknown>} [fields]
   * @param {ArrayLike<number> | null} [indices]
   * @returns {string} the request id
   */
  const post = (kind, fields = {}, indices = null) => {
    const request = `${tag}-${++seq}`;
    const buffers = indices ? [encodeIndices(indices)] : [];
    model.send({ ...fields, kind, request }, undefined, buffers);
    return request;
  };

  /** @param {unknown} request */
  const ours = (request) => typeof request === "string" && request.startsWith(`${tag}-`);

  /**
   * @param {Message} content
   * @param {DataView[]} [buffers]
   */
  const onCustom = (content, buffers) => {
    if (disposed || !content || typeof content !== "object") return;
    if (content.kind === MSG_STATUS) onStatus?.(content); // and it may answer a request too
    const request = content.request;
    if (content.kind === MSG_ERROR) {
      if (request != null && !ours(request)) return; // another view's error
      const message = String(content.message ?? "unknown error");
      onError?.(message, content);
      const waiting = typeof request === "string" ? pending.get(request) : undefined;
      if (waiting) {
        pending.delete(/** @type {string} */ (request));
        clearTimeout(waiting.timer);
        waiting.reject(new ReplyError(message, content));
      }
      return;
    }
    if (typeof request !== "string") return;
    const waiting = pending.get(request);
    if (!waiting) return; // not ours, or given up on
    pending.delete(request);
    clearTimeout(waiting.timer);
    waiting.resolve({ content, buffers: Array.isArray(buffers) ? buffers : [] });
  };
  model.on("msg:custom", onCustom);

  return {
    /**
     * Fire and forget (label operations: their effect comes back as trait changes + status).
     * Errors still reach onError.
     * @param {string} kind
     * @param {Record<string, unknown>} [fields]
     * @param {ArrayLike<number> | null} [indices]
     */
    send(kind, fields, indices) {
      if (disposed) return null;
      return post(kind, fields, indices);
    },

    /**
     * Send and wait for the reply with the same request id.
     * @param {string} kind
     * @param {Record<string, unknown>} [fields]
     * @param {ArrayLike<number> | null} [indices]
     * @returns {Promise<Reply>}
     */
    request(kind, fields, indices) {
      if (disposed) return Promise.reject(new Error("the widget is closed"));
      return new Promise((resolve, reject) => {
        const id = post(kind, fields, indices);
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${kind}: no reply from Python after ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
      });
    },

    /** Number of requests waiting for a reply. */
    get pending() {
      return pending.size;
    },

    dispose() {
      disposed = true;
      model.off("msg:custom", onCustom);
      for (const { timer } of pending.values()) clearTimeout(timer);
      pending.clear(); // their promises never settle: nobody is left to care
    },
  };
}

/** @typedef {ReturnType<typeof createClient>} Client */
