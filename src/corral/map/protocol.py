"""The wire contract between Python and the browser: trait names, dtypes, message kinds.

This module is the single Python-side description of what crosses to the widget; its JS twin is
``js/src/protocol.js``. Both sides are tested against the same names (``tests/test_protocol.py``
reads the JS file and compares).

Arrays cross as raw little-endian bytes (binary buffers, never JSON lists):

>>> import numpy as np
>>> encode_coords(np.array([[0.0, 1.0], [2.0, 3.0]])).hex()
'000000000000803f0000004000004040'
>>> decode_indices(encode_indices([3, 1, 2])).tolist()
[1, 2, 3]
"""

from __future__ import annotations

import numpy as np

#: Trait names of the map widget (Python <-> JS).
TRAIT_COORDS = "coords"  # bytes: float32 little-endian, x0 y0 x1 y1 ... (n * 2 values)
TRAIT_CODES = "codes"  # bytes: int32 little-endian label code per point, -1 = unlabeled
TRAIT_CATEGORIES = "categories"  # list[str]: label name of each code
TRAIT_COLORS = "colors"  # list[str]: "#rrggbb" colour of each code
TRAIT_SELECTION = "selection"  # bytes: uint32 little-endian sorted point indices (both ways)
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

TRAITS = (TRAIT_COORDS, TRAIT_CODES, TRAIT_CATEGORIES, TRAIT_COLORS, TRAIT_SELECTION, TRAIT_COUNT,
          TRAIT_STATUS, TRAIT_VALUES, TRAIT_VALUES_LABEL, TRAIT_REGIONS, TRAIT_OUTLINES, TRAIT_GUIDELINES)

COORDS_DTYPE = np.dtype("<f4")
CODES_DTYPE = np.dtype("<i4")
INDICES_DTYPE = np.dtype("<u4")
UNLABELED = -1


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
    """Point indices -> sorted, unique uint32 bytes."""
    return _sorted_unique(np.asarray(indices, dtype=np.int64)).astype(INDICES_DTYPE).tobytes()


def decode_indices(data: bytes | memoryview | None) -> np.ndarray:
    """Inverse of :func:`encode_indices` (int64, sorted, unique)."""
    if not data:
        return np.empty(0, dtype=np.int64)
    return _sorted_unique(np.frombuffer(bytes(data), dtype=INDICES_DTYPE).astype(np.int64))


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

MESSAGES = (MSG_ASSIGN, MSG_CLEAR, MSG_UNDO, MSG_REDO, MSG_TEXTS, MSG_SAMPLE, MSG_SEARCH, MSG_ERROR, MSG_STATUS,
            MSG_REGIONS, MSG_SUGGEST, MSG_ACCEPT)
MAX_TEXTS = 200  # most texts sent in one reply
MAX_CHARS = 2000  # longest text sent whole; longer ones are cut (and flagged) for display
