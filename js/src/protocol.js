// @ts-check
/**
 * The wire contract between Python and the browser: the JS twin of `src/corral/map/protocol.py`.
 *
 * No message is above MESSAGE_BUDGET whatever the number of points: the per-point arrays
 * (coords, codes, values: ARRAYS) are not in the widget's state but pulled (MSG_PULL ->
 * MSG_ARRAYS, then MSG_PATCH for label changes; see arrays.js), messages whose buffers are above
 * CHUNK_BYTES come as MSG_CHUNK frames (reassembled by chunks.js before anything else sees them),
 * and point sets (the selection, what to label) are sorted uint32 indices or a bitset, whichever
 * is smaller (encodeIndices): at most n / 8 bytes.
 *
 * Arrays cross as raw little-endian bytes. A bytes trait set in Python arrives here as a
 * DataView (possibly a view into a larger message buffer, so `byteOffset` may be non-zero and
 * even unaligned); bytes sent from here go out as a DataView over a buffer of their own.
 * `tests/test_widget_state.py` checks that the names below match the Python ones.
 */

/** Trait names of the map widget (Python <-> JS). */
// coords, codes and values are Python traits, not synced: they come through MSG_ARRAYS / MSG_PATCH.
export const TRAIT_COORDS = "coords"; // bytes: float32 LE, x0 y0 x1 y1 ... (n * 2 values)
export const TRAIT_CODES = "codes"; // bytes: int32 LE label code per point, -1 = unlabeled
export const TRAIT_CATEGORIES = "categories"; // list[str]: label name of each code
export const TRAIT_COLORS = "colors"; // list[str]: "#rrggbb" colour of each code
export const TRAIT_SELECTION = "selection"; // bytes: a point set (encodeIndices), both ways
export const TRAIT_COUNT = "count"; // int: number of points
export const TRAIT_HEIGHT = "height"; // int: canvas height in CSS pixels (map widget only)
export const TRAIT_STATUS = "status"; // {undo, redo, history, preview, resumed}: right from the first display
export const TRAIT_VALUES = "values"; // bytes: float32 LE value per point to colour by (empty: labels)
export const TRAIT_VALUES_LABEL = "values_label"; // str: what the values are (colour bar title)
// Small, so plain JSON: [{label, polygon: [[x, y], ...]}] drawn regions in data coordinates, and
// [{name, polygon}] read-only outlines. Regions change only through MSG_REGIONS (Python decides).
export const TRAIT_REGIONS = "regions";
export const TRAIT_OUTLINES = "outlines";
// {label: {definition, include, exclude, examples: [str]}}: label guidelines, shown as plain text
// (the title attribute) in the label bar's tooltips; see guidelineText in picker.js.
export const TRAIT_GUIDELINES = "guidelines";

/** Synced traits: the state message. */
export const TRAITS = [
  TRAIT_CATEGORIES,
  TRAIT_COLORS,
  TRAIT_SELECTION,
  TRAIT_COUNT,
  TRAIT_STATUS,
  TRAIT_VALUES_LABEL,
  TRAIT_REGIONS,
  TRAIT_OUTLINES,
  TRAIT_GUIDELINES,
];
/** Per-point arrays, in MSG_ARRAYS buffers in this order. */
export const ARRAYS = [TRAIT_COORDS, TRAIT_CODES, TRAIT_VALUES];

/** Label code of a point that has no label. */
export const UNLABELED = -1;
export const POINTS_INDICES = 0; // point set: u32 tag, then sorted unique uint32 indices
export const POINTS_BITSET = 1; // point set: u32 tag, then bit i (byte i >> 3, bit i & 7) set for point i
export const MESSAGE_BUDGET = 8 * 1024 * 1024; // most bytes in one message (VS Code, Colab)
export const CHUNK_BYTES = 4 * 1024 * 1024; // most buffer bytes in one frame

// Custom messages (model.send / "msg:custom"): {kind, ...}, point indices as buffers[0] (uint32).
// Python replies with the same kind, echoing `request` (see messages.js for the client).
export const MSG_ASSIGN = "assign"; // {label}; buffers[0] = indices
export const MSG_CLEAR = "clear"; // buffers[0] = indices
export const MSG_UNDO = "undo";
export const MSG_REDO = "redo";
export const MSG_TEXTS = "texts"; // {request}; buffers[0] = indices
export const MSG_SAMPLE = "sample"; // {request, size, seed}; buffers[0] = indices
export const MSG_SEARCH = "search"; // {request, query, mode: keyword|regex|semantic}
export const MSG_ERROR = "error"; // Python -> browser: {request, message}
export const MSG_STATUS = "status"; // Python -> browser: {undo, redo, history, preview, resumed}; undo/redo replies add {message}
export const MSG_REGIONS = "regions"; // {request, regions: [{label, polygon}]}: the full new list
// {request} -> reply {request, token, labels, count, current, model} (current false: an older fit while
// the model refits, ask again later); buffers[0] = float32 confidence per point (NaN: none),
// buffers[1] = int32 suggested code per point (index into the reply's labels, -1: none)
export const MSG_SUGGEST = "suggest";
// {request, token, min_confidence}; buffers[0] = indices (empty: all) -> status + {accepted, message}, or
// an error when the suggestions of `token` are not the current ones (Python decides)
export const MSG_ACCEPT = "accept";
// Transport: the arrays, and large messages cut into frames (see the Python twin for the fields).
export const MSG_PULL = "pull"; // {request} -> MSG_ARRAYS with every array
export const MSG_ARRAYS = "arrays"; // {request | null, count, versions: {name: v}, names}; buffers = those arrays
export const MSG_PATCH = "patch"; // {name, base, version}; buffers = uint32 indices, int32 their new codes
export const MSG_CHUNK = "chunk"; // {id, part, parts, buffer, offset} (+ {content, sizes} on part 0)
export const TRANSPORT = [MSG_PULL, MSG_ARRAYS, MSG_PATCH, MSG_CHUNK];
export const MESSAGES = [
  MSG_ASSIGN,
  MSG_CLEAR,
  MSG_UNDO,
  MSG_REDO,
  MSG_TEXTS,
  MSG_SAMPLE,
  MSG_SEARCH,
  MSG_ERROR,
  MSG_STATUS,
  MSG_REGIONS,
  MSG_SUGGEST,
  MSG_ACCEPT,
  ...TRANSPORT,
];
export const MAX_TEXTS = 200; // most texts in one reply
export const MAX_CHARS = 2000; // longest text sent whole

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * @typedef {DataView | ArrayBuffer | ArrayBufferView | null | undefined} Bytes
 *   What a bytes trait can hold on this side (DataView from the widget manager; the others are
 *   accepted so callers and tests need not care).
 */

/**
 * The raw bytes of `data` as [buffer, byteOffset, byteLength] (empty for null/undefined).
 * @param {Bytes} data
 * @returns {[ArrayBuffer, number, number]}
 */
function span(data) {
  if (data == null) return [new ArrayBuffer(0), 0, 0];
  if (data instanceof ArrayBuffer) return [data, 0, data.byteLength];
  if (ArrayBuffer.isView(data)) {
    return [/** @type {ArrayBuffer} */ (data.buffer), data.byteOffset, data.byteLength];
  }
  throw new TypeError(`expected bytes (DataView/ArrayBuffer), got ${typeof data}`);
}

/**
 * @template {Float32ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor} C
 * @param {Bytes} data
 * @param {C} Ctor
 * @param {(dv: DataView, offset: number) => number} read little-endian reader (slow path)
 * @returns {InstanceType<C>}
 */
function decode(data, Ctor, read) {
  const [buffer, offset, length] = span(data);
  const n = Math.floor(length / 4); // a trailing partial element is ignored
  if (LITTLE_ENDIAN_HOST && offset % 4 === 0) {
    return /** @type {InstanceType<C>} */ (new Ctor(buffer, offset, n));
  }
  // Unaligned view or big-endian host: copy element by element.
  const out = /** @type {InstanceType<C>} */ (new Ctor(n));
  const dv = new DataView(buffer, offset, length);
  for (let i = 0; i < n; i++) out[i] = read(dv, i * 4);
  return out;
}

/**
 * Interleaved float32 coordinates (x0 y0 x1 y1 ...). Zero-copy when aligned.
 * @param {Bytes} data
 * @returns {Float32Array}
 */
export function decodeCoords(data) {
  return decode(data, Float32Array, (dv, o) => dv.getFloat32(o, true));
}

/**
 * Label code per point (int32, -1 unlabeled). Zero-copy when aligned.
 * @param {Bytes} data
 * @returns {Int32Array}
 */
export function decodeCodes(data) {
  return decode(data, Int32Array, (dv, o) => dv.getInt32(o, true));
}

/**
 * One float32 per point (e.g. the similarity scores of a meaning search). Zero-copy when aligned.
 * @param {Bytes} data
 * @returns {Float32Array}
 */
export function decodeScores(data) {
  return decode(data, Float32Array, (dv, o) => dv.getFloat32(o, true));
}

/**
 * Raw uint32 LE values (e.g. the indices of a MSG_PATCH). Zero-copy when aligned.
 * @param {Bytes} data
 * @returns {Uint32Array}
 */
export function decodeU32(data) {
  return decode(data, Uint32Array, (dv, o) => dv.getUint32(o, true));
}

/**
 * A point set (encodeIndices) -> sorted unique indices.
 * @param {Bytes} data
 * @returns {Uint32Array}
 */
export function decodeIndices(data) {
  const [buffer, offset, length] = span(data);
  if (!length) return new Uint32Array(0);
  if (length < 4) throw new Error(`a point set of ${length} bytes is malformed`);
  const tag = new DataView(buffer, offset, 4).getUint32(0, true);
  if (tag === POINTS_INDICES) return normalizeIndices(decodeU32(new DataView(buffer, offset + 4, length - 4)));
  if (tag !== POINTS_BITSET) throw new Error(`unknown point set encoding ${tag}`);
  const bits = new Uint8Array(buffer, offset + 4, length - 4);
  let count = 0;
  for (let b = 0; b < bits.length; b++) count += POPCOUNT[bits[b]];
  const out = new Uint32Array(count);
  for (let b = 0, w = 0; b < bits.length; b++) {
    for (let v = bits[b]; v; v &= v - 1) out[w++] = b * 8 + (31 - Math.clz32(v & -v)); // lowest set bit first
  }
  return out;
}

/** Whether `a` is strictly increasing and below `limit`. @param {Uint32Array} a @param {number} limit */
function increasing(a, limit) {
  for (let i = 1; i < a.length; i++) if (a[i] <= a[i - 1]) return false;
  return !a.length || a[a.length - 1] < limit;
}

/** Set bits of each byte value. */
const POPCOUNT = Uint8Array.from({ length: 256 }, (_, v) => {
  let c = 0;
  for (let x = v; x; x &= x - 1) c++;
  return c;
});

/** Above this many indices (and a known limit), sort by marking rather than by comparing. */
const MARK_ABOVE = 4096;

/**
 * Sorted, unique, in-range indices, as a fresh Uint32Array. O(n + k) for large selections (a
 * lasso over millions of points: no sort of millions of numbers).
 * @param {ArrayLike<number> | Iterable<number>} indices
 * @param {number} [limit] drop indices >= limit (and anything negative / non-integer)
 * @returns {Uint32Array}
 */
export function normalizeIndices(indices, limit = 2 ** 32) {
  const src = /** @type {ArrayLike<number>} */ (ArrayBuffer.isView(indices) || Array.isArray(indices)
    ? indices : Array.from(/** @type {Iterable<number>} */ (indices)));
  if (src instanceof Uint32Array && increasing(src, limit)) return src.slice(); // e.g. decoded or normalized already
  if (src.length > MARK_ABOVE && limit <= 2 ** 28) {
    const marks = new Uint8Array(limit);
    let count = 0;
    for (let r = 0; r < src.length; r++) {
      const i = src[r];
      if (i >= 0 && i < limit && Number.isInteger(i) && !marks[i]) {
        marks[i] = 1;
        count++;
      }
    }
    const out = new Uint32Array(count);
    for (let i = 0, w = 0; w < count; i++) if (marks[i]) out[w++] = i;
    return out;
  }
  const kept = Array.prototype.filter.call(src, (/** @type {number} */ i) => Number.isInteger(i) && i >= 0 && i < limit);
  const out = Uint32Array.from(kept).sort();
  let w = 0;
  for (let r = 0; r < out.length; r++) {
    if (r === 0 || out[r] !== out[r - 1]) out[w++] = out[r];
  }
  return out.slice(0, w);
}

/**
 * Point indices -> a point set, the DataView to `model.set` for a bytes trait or to send as a
 * message buffer: sorted uint32 indices or a bitset, whichever is smaller (empty: no point), over
 * a buffer of its own. At most n / 8 + 4 bytes (1.25 MB for 10M points).
 * @param {ArrayLike<number> | Iterable<number>} indices
 * @param {number} [limit] drop indices >= limit
 * @returns {DataView}
 */
export function encodeIndices(indices, limit) {
  const u32 = normalizeIndices(indices, limit);
  if (!u32.length) return new DataView(new ArrayBuffer(0));
  const size = u32[u32.length - 1] + 1;
  const bitBytes = Math.ceil(size / 8);
  if (u32.length * 4 <= bitBytes) {
    const dv = new DataView(new ArrayBuffer(4 + u32.length * 4));
    dv.setUint32(0, POINTS_INDICES, true);
    if (LITTLE_ENDIAN_HOST) new Uint32Array(dv.buffer, 4).set(u32);
    else u32.forEach((v, i) => dv.setUint32(4 + i * 4, v, true));
    return dv;
  }
  const buffer = new ArrayBuffer(4 + bitBytes);
  new DataView(buffer).setUint32(0, POINTS_BITSET, true);
  const bits = new Uint8Array(buffer, 4);
  for (let r = 0; r < u32.length; r++) bits[u32[r] >>> 3] |= 1 << (u32[r] & 7);
  return new DataView(buffer);
}

/**
 * Whether two index arrays hold the same values in the same order.
 * @param {ArrayLike<number>} a
 * @param {ArrayLike<number>} b
 */
export function sameIndices(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
