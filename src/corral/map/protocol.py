"""The wire contract between Python and the browser: trait names, dtypes, message kinds.

This module is the single Python-side description of what crosses to the widget; its JS twin is
``js/src/protocol.js``. Both sides are tested against the same names (``tests/test_protocol.py``
reads the JS file and compares).

Arrays cross as raw little-endian bytes (binary buffers, never JSON lists). No message is larger
than :data:`MESSAGE_BUDGET` whatever the number of points (VS Code and Colab limit a message):

* the per-point arrays (coordinates, label codes, colour-by values) are not in the widget's state:
  each view asks for them (:data:`MSG_PULL`) and gets :data:`MSG_ARRAYS` (and label changes as a
  :data:`MSG_PATCH` of the codes that changed), and any message whose buffers are above
  :data:`CHUNK_BYTES` travels as :data:`MSG_CHUNK` frames of at most that size (:func:`frames`),
  reassembled in the browser before anything sees it (suggestion and similarity replies too);
* a set of points (the selection, what to label) crosses as a point set (:func:`encode_indices`):
  sorted uint32 indices or a bitset, whichever is smaller, so at most n / 8 bytes (1.25 MB at 10M).

>>> import numpy as np
>>> encode_coords(np.array([[0.0, 1.0], [2.0, 3.0]])).hex()
'000000000000803f0000004000004040'
>>> decode_indices(encode_indices([3, 1, 2])).tolist(), len(encode_indices([3, 1, 2]))  # tag + 1 byte of bits
([1, 2, 3], 5)
>>> len(encode_indices(np.arange(0, 1_000_000, 2)))  # half of a million points: a bitset
125004
"""

from __future__ import annotations

import itertools

import numpy as np

#: Trait names of the map widget (Python <-> JS).
# The arrays (coords, codes, values) are traits in Python but not synced: they reach the browser
# through MSG_PULL / MSG_ARRAYS / MSG_PATCH (see ARRAYS), never in the state message.
TRAIT_COORDS = "coords"  # bytes: float32 little-endian, x0 y0 x1 y1 ... (n * 2 values)
TRAIT_CODES = "codes"  # bytes: int32 little-endian label code per point, -1 = unlabeled
TRAIT_CATEGORIES = "categories"  # list[str]: label name of each code
TRAIT_COLORS = "colors"  # list[str]: "#rrggbb" colour of each code
TRAIT_SELECTION = "selection"  # bytes: a point set (encode_indices), both ways
TRAIT_COUNT = "count"  # int: number of points, so JS can check buffer sizes
TRAIT_STATUS = "status"  # dict {undo: bool, redo: bool, history: int, preview: bool, resumed: str | null}:
#                         from the first display (preview: the map shows the quick first view while the
#                         full projection runs; resumed: "corral: resumed N operations from <path>" or null)
TRAIT_VALUES = "values"  # bytes: float32 little-endian value per point to colour by (empty: labels)
TRAIT_VALUES_LABEL = "values_label"  # str: what the values are (the colour bar's title)
# Small (a few polygons of a few dozen vertices), so plain JSON rather than binary buffers:
TRAIT_REGIONS = "regions"  # list[{label, polygon: [[x, y], ...]}]: drawn regions, map coordinates
TRAIT_OUTLINES = "outlines"  # list[{name, polygon}]: read-only dashed outlines (e.g. cluster hints)
TRAIT_GUIDELINES = "guidelines"  # {label: {definition, include, exclude, examples: [str]}}: label
#                                  guidelines, shown as plain text in the label bar's tooltips

TRAITS = (TRAIT_CATEGORIES, TRAIT_COLORS, TRAIT_SELECTION, TRAIT_COUNT, TRAIT_STATUS, TRAIT_VALUES_LABEL,
          TRAIT_REGIONS, TRAIT_OUTLINES, TRAIT_GUIDELINES)  # synced: the state message
ARRAYS = (TRAIT_COORDS, TRAIT_CODES, TRAIT_VALUES)  # per point: pulled, in MSG_ARRAYS buffers in this order

COORDS_DTYPE = np.dtype("<f4")
CODES_DTYPE = np.dtype("<i4")
INDICES_DTYPE = np.dtype("<u4")
UNLABELED = -1
POINTS_INDICES = 0  # point set: u32 tag, then sorted unique uint32 indices
POINTS_BITSET = 1  # point set: u32 tag, then bit i (byte i // 8, bit i % 8, LSB first) set for point i
MESSAGE_BUDGET = 8 * 1024 * 1024  # most bytes in one message: conservative for VS Code and Colab
CHUNK_BYTES = 4 * 1024 * 1024  # most buffer bytes in one frame (half the budget: room for base64 hosts)


def encode_coords(coords: np.ndarray) -> bytes:
    """n x 2 coordinates -> interleaved float32 bytes."""
    arr = np.ascontiguousarray(np.asarray(coords, dtype=COORDS_DTYPE).reshape(-1, 2))
    return arr.tobytes()


def decode_coords(data: bytes | memoryview) -> np.ndarray:
    """Inverse of :func:`encode_coords` (a read-only n x 2 view)."""
    return np.frombuffer(bytes(data), dtype=COORDS_DTYPE).reshape(-1, 2)


def encode_codes(codes: np.ndarray) -> bytes:
    """Label code per point (-1 unlabeled) -> int32 bytes."""
    return np.ascontiguousarray(np.asarray(codes, dtype=CODES_DTYPE)).tobytes()


def decode_codes(data: bytes | memoryview) -> np.ndarray:
    """Inverse of :func:`encode_codes`."""
    return np.frombuffer(bytes(data), dtype=CODES_DTYPE)


def encode_values(values: np.ndarray) -> bytes:
    """One float per point (NaN: no value) -> float32 bytes."""
    return np.ascontiguousarray(np.asarray(values, dtype=COORDS_DTYPE).ravel()).tobytes()


def encode_indices(indices) -> bytes:
    """Point indices -> a point set: sorted unique uint32 indices or a bitset, whichever is smaller
    (empty bytes: no point)."""
    idx = _sorted_unique(np.asarray(indices, dtype=np.int64))
    if not idx.size:
        return b""
    if idx[0] < 0 or idx[-1] >= 2**32:
        raise ValueError(f"point indices must be in [0, 2**32), got {idx[0]}..{idx[-1]}")
    size = int(idx[-1]) + 1
    if idx.size * 4 <= (size + 7) // 8:
        return np.array([POINTS_INDICES], "<u4").tobytes() + idx.astype(INDICES_DTYPE).tobytes()
    bits = np.zeros(size, dtype=bool)
    bits[idx] = True
    return np.array([POINTS_BITSET], "<u4").tobytes() + np.packbits(bits, bitorder="little").tobytes()


def decode_indices(data: bytes | memoryview | None) -> np.ndarray:
    """Inverse of :func:`encode_indices` (int64, sorted, unique). Numpy throughout: ~10 ms for a
    bitset of 5M selected points."""
    if data is None or not len(data):
        return np.empty(0, dtype=np.int64)
    raw = np.frombuffer(data, dtype=np.uint8)
    tag = int(raw[:4].view("<u4")[0]) if raw.size >= 4 else -1
    if tag == POINTS_INDICES and raw.size % 4 == 0:
        return _sorted_unique(raw[4:].view(INDICES_DTYPE).astype(np.int64))
    if tag == POINTS_BITSET:
        return np.flatnonzero(np.unpackbits(raw[4:], bitorder="little")).astype(np.int64)
    raise ValueError(f"a point set of {raw.size} bytes with tag {tag} is malformed (tag 0: uint32 indices, "
                     "1: a bitset)")


def _sorted_unique(arr: np.ndarray) -> np.ndarray:
    """np.unique, skipped when the input is already strictly increasing (as selections are)."""
    arr = arr.ravel()
    if arr.size < 2 or bool(np.all(arr[1:] > arr[:-1])):
        return arr
    return np.unique(arr)


# -- custom messages ------------------------------------------------------------------------------
# Browser -> Python: {"kind": ..., ...} with point indices, when any, as buffers[0] (uint32 bytes).
# Python -> browser: a reply of the same kind, echoing "request" so the browser can match it.
MSG_ASSIGN = "assign"  # {label}; buffers[0] = indices -> label them (through the Labeler)
MSG_CLEAR = "clear"  # buffers[0] = indices -> remove their labels
MSG_UNDO = "undo"
MSG_REDO = "redo"
MSG_TEXTS = "texts"  # {request}; buffers[0] = indices -> reply {request, indices, texts, truncated}
MSG_SAMPLE = "sample"  # {request, size, seed}; buffers[0] = indices -> reply {request, indices, texts,
#                        truncated, total, makeup: [[label or null, count], ...]}
MSG_SEARCH = "search"  # {request, query, mode: keyword|regex|semantic} -> reply {request, mode, count};
#                        buffers[0] = uint32 matching indices (keyword, regex) or float32 score per point
MSG_ERROR = "error"  # Python -> browser: {request, message}
MSG_STATUS = "status"  # Python -> browser: {undo, redo, history, preview, resumed} as TRAIT_STATUS; the
#                        reply to undo/redo adds {message: "Undid: 195 points -> <label>"} (that view only)
MSG_REGIONS = "regions"  # {request, regions: [{label, polygon}, ...]}: the full new list of drawn
#                          regions -> labeler.regions (journaled); every view gets the regions trait
MSG_SUGGEST = "suggest"  # {request} -> reply {request, token, labels: [name, ...], count, current: bool (of the
#                          labels as they are; false: an older fit while the model refits), model}; buffers[0] = float32
#                          confidence per point (NaN: none), buffers[1] = int32 suggested code per point
#                          (index into the reply's labels, -1: none). token names this frame for MSG_ACCEPT
MSG_ACCEPT = "accept"  # {request, token, min_confidence}; buffers[0] = indices (empty: all) -> accepts the
#                        suggestions of the frame `token` (refused with an error when they changed since, or
#                        when the labels changed and the model is still refitting: the kernel never waits);
#                        reply = status + {request, accepted, message}

# Transport (every view, every kind): the per-point arrays, and large messages cut into frames.
MSG_PULL = "pull"  # {request} -> MSG_ARRAYS with every array (a view asks once it renders)
MSG_ARRAYS = "arrays"  # {request (null: a broadcast), versions: {name: int}, names: [...]}; buffers = those
#                        arrays, whole. A view keeps an array whose version is newer than the one it holds
MSG_PATCH = "patch"  # {name: "codes", base, version}; buffers = uint32 indices, int32 their new codes: apply
#                      to version `base` only (else pull again)
MSG_CHUNK = "chunk"  # {id, part, parts, buffer, offset} + on part 0 {content, sizes}: frame `part` of a message
#                      (content with buffers of `sizes` bytes); its one buffer is bytes [offset, ...) of buffer
#                      number `buffer`. Frames of one message arrive in order, one after the other
TRANSPORT = (MSG_PULL, MSG_ARRAYS, MSG_PATCH, MSG_CHUNK)

MESSAGES = (MSG_ASSIGN, MSG_CLEAR, MSG_UNDO, MSG_REDO, MSG_TEXTS, MSG_SAMPLE, MSG_SEARCH, MSG_ERROR, MSG_STATUS,
            MSG_REGIONS, MSG_SUGGEST, MSG_ACCEPT) + TRANSPORT
MAX_TEXTS = 200  # most texts sent in one reply
MAX_CHARS = 2000  # longest text sent whole; longer ones are cut (and flagged) for display


def frames(content: dict, buffers, limit: int = CHUNK_BYTES) -> list[tuple[dict, list]]:
    """One message as it is sent: itself when its buffers fit in ``limit`` bytes, else
    :data:`MSG_CHUNK` frames, each with one slice (a memoryview, no copy) of ``limit`` bytes at most.

    >>> [(c["part"], c["buffer"], c["offset"], len(b[0])) for c, b in frames({"kind": "x"}, [b"abcde", b"fg"], 3)]
    [(0, 0, 0, 3), (1, 0, 3, 2), (2, 1, 0, 2)]
    """
    views = [memoryview(b).cast("B") for b in buffers]
    if sum(v.nbytes for v in views) <= limit:
        return [(content, list(buffers))]
    cuts = [(b, o) for b, v in enumerate(views) for o in range(0, v.nbytes, limit)]
    ident = f"{id(content):x}-{next(_FRAME_IDS)}"
    out = []
    for part, (b, o) in enumerate(cuts):
        head = {"kind": MSG_CHUNK, "id": ident, "part": part, "parts": len(cuts), "buffer": b, "offset": o}
        if part == 0:
            head.update(content=content, sizes=[v.nbytes for v in views])
        out.append((head, [views[b][o:o + limit]]))
    return out


_FRAME_IDS = itertools.count()


