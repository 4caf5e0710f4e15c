// @ts-check
/**
 * The per-point arrays of a map (coords, codes, values: protocol.ARRAYS), as Python last sent them.
 *
 * Not in the widget's state (it would be one message of 16 bytes a point): the store asks for them
 * (MSG_PULL) and takes every MSG_ARRAYS whose version is newer than the one it holds, and the
 * MSG_PATCH of the label codes that changed (applied in place: a recolour moves a few bytes, not
 * the whole map). A patch that does not follow the version held means something was missed: it
 * pulls again. One store per model (shared by its views, so a second view has the data at once).
 */

import {
  MSG_ARRAYS, MSG_PATCH, MSG_PULL, TRAIT_CODES, decodeCodes, decodeCoords, decodeScores, decodeU32,
} from "./protocol.js";

/** @typedef {import("./chunks.js").Transport} Transport */
/** @typedef {{ coords: Float32Array, codes: Int32Array, values: Float32Array }} Arrays */
/** @typedef {keyof Arrays} ArrayName */

/** @type {Record<ArrayName, (data: any) => any>} */
const DECODE = { coords: decodeCoords, codes: decodeCodes, values: decodeScores };

/**
 * @param {{ send: (content: any, callbacks?: any, buffers?: any[]) => void,
 *           on: (event: string, cb: (content: any, buffers: DataView[]) => void) => void,
 *           off: (event: string, cb: (content: any, buffers: DataView[]) => void) => void }} transport
 * @param {string} [tag] request ids are "arrays-<tag>-<n>"
 */
export function createArrays(transport, tag = Math.random().toString(36).slice(2, 8)) {
  /** @type {Arrays} */
  const data = { coords: new Float32Array(0), codes: new Int32Array(0), values: new Float32Array(0) };
  /** @type {Record<ArrayName, number>} */
  const versions = { coords: 0, codes: 0, values: 0 };
  /** @type {Set<(names: ArrayName[]) => void>} */
  const listeners = new Set();
  let seq = 0;
  /** @type {string | null} the pull waiting for its reply */
  let pulling = null;
  let loaded = false;
  let disposed = false;
  /** @type {() => void} */
  let markReady = () => undefined;
  /** @type {Promise<void>} */
  const ready = new Promise((resolve) => (markReady = resolve));

  const pull = () => {
    pulling = `arrays-${tag}-${++seq}`;
    transport.send({ kind: MSG_PULL, request: pulling }, undefined, []);
  };
  /** @param {ArrayName[]} names */
  const emit = (names) => {
    if (loaded && names.length) for (const cb of [...listeners]) cb(names);
  };

  /** @param {any} content @param {DataView[]} buffers */
  const onMessage = (content, buffers) => {
    if (disposed || !content) return;
    if (content.kind === MSG_ARRAYS) {
      /** @type {ArrayName[]} */
      const changed = [];
      (content.names ?? []).forEach((/** @type {ArrayName} */ name, /** @type {number} */ i) => {
        const version = Number(content.versions?.[name]);
        if (!(name in DECODE) || !(version > versions[name])) return; // one we hold already
        data[name] = DECODE[name](buffers[i]);
        versions[name] = version;
        changed.push(name);
      });
      if (content.request != null && content.request === pulling) {
        pulling = null;
        if (!loaded) {
          loaded = true;
          markReady();
          return; // the first flush reads them
        }
      }
      emit(changed);
    } else if (content.kind === MSG_PATCH && content.name === TRAIT_CODES) {
      if (content.version <= versions.codes) return; // old news
      if (content.base !== versions.codes) {
        if (loaded && pulling === null) pull(); // missed one: ask for all again
        return;
      }
      const indices = decodeU32(buffers[0]);
      const codes = decodeCodes(buffers[1]);
      const target = data.codes;
      for (let k = 0; k < indices.length; k++) if (indices[k] < target.length) target[indices[k]] = codes[k];
      versions.codes = content.version;
      emit([TRAIT_CODES]);
    }
  };
  transport.on("msg:custom", onMessage);
  pull();

  return {
    /** Resolves once the first pull is answered. */
    ready,
    get loaded() {
      return loaded;
    },
    get coords() {
      return data.coords;
    },
    get codes() {
      return data.codes;
    },
    get values() {
      return data.values;
    },
    /** Versions held (for tests). */
    versions: () => ({ ...versions }),
    /** @param {(names: ArrayName[]) => void} cb called after a change (once loaded) @returns {() => void} */
    onChange(cb) {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    dispose() {
      disposed = true;
      listeners.clear();
      transport.off("msg:custom", onMessage);
    },
  };
}

/** @typedef {ReturnType<typeof createArrays>} ArrayStore */

/**
 * The model's store (one per transport, made on first use; disposed with the transport).
 * @param {Transport} transport
 * @returns {ArrayStore}
 */
export function arraysFor(transport) {
  transport.shared.arrays ??= createArrays(transport);
  return transport.shared.arrays;
}
