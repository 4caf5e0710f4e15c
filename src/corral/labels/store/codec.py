"""Compact binary encodings of point indices and per-point arrays for the label store.

A bulk operation on 500k of 1M points would be ~3.4 MB as JSON; here the encoder picks the
smallest of three forms for sorted unique indices (and keeps any other order exactly):

- ``R`` ranges: (start, length) pairs, for lasso/region selections that are runs;
- ``B``/``b`` bitset: one bit per point up to the largest index (zlib'ed only when that pays:
  a random half of the points does not compress), for dense selections;
- ``D`` deltas: uint32 gaps, zlib'ed, for sparse selections (``A`` keeps unsorted input as int32).

Every blob starts with its form's letter; :func:`decode_indices` refuses anything else.

>>> import numpy as np
>>> idx = np.arange(1000, 501000)
>>> blob = encode_indices(idx)
>>> blob[:1], len(blob) < 64, decode_indices(blob).tolist() == idx.tolist()
(b'R', True, True)
>>> every_other = np.arange(0, 1_000_000, 2)
>>> encode_indices(every_other)[:1], len(encode_indices(every_other)) < 2_000
(b'B', True)
>>> half = np.sort(np.random.default_rng(0).choice(1_000_000, 500_000, replace=False))
>>> encode_indices(half)[:1], len(encode_indices(half))
(b'b', 125005)
>>> decode_indices(encode_indices(np.array([5, 3, 9]))).tolist()
[5, 3, 9]
"""

from __future__ import annotations

import zlib

import numpy as np


class CodecError(ValueError):
    """A blob that is not a valid encoding (damaged data)."""


def encode_indices(indices) -> bytes:
    """The smallest encoding of ``indices`` (positions >= 0) that decodes to the same array."""
    idx = np.asarray(indices, dtype=np.int64).ravel()
    if idx.size == 0:
        return b"D"
    if idx.min() < 0 or idx.max() >= 2**31:
        raise ValueError("indices must be between 0 and 2**31 - 1")
    gaps = np.diff(idx)
    if gaps.size and gaps.min() <= 0:  # not sorted unique: keep the order exactly
        return b"A" + zlib.compress(idx.astype("<i4").tobytes(), 1)
    runs = int(np.count_nonzero(gaps != 1)) + 1
    span = int(idx[-1]) + 1
    sizes = {b"R": runs * 8, b"B": span // 8 + 1, b"D": idx.size * 4}
    form = min(sizes, key=sizes.get)
    if form == b"R":
        breaks = np.flatnonzero(gaps != 1)
        starts = np.concatenate([idx[:1], idx[breaks + 1]])
        ends = np.concatenate([idx[breaks], idx[-1:]])
        pairs = np.stack([starts, ends - starts + 1], axis=1).astype("<i4")
        return b"R" + zlib.compress(pairs.tobytes(), 1)
    if form == b"B":
        bits = np.zeros(span, dtype=bool)
        bits[idx] = True
        packed = np.packbits(bits).tobytes()
        probe = packed[: 1 << 14]  # compress only what a sample shows compresses (random bits do not)
        squeezed = zlib.compress(packed, 1) if len(zlib.compress(probe, 1)) < 0.8 * len(probe) else None
        if squeezed is not None and len(squeezed) < len(packed) * 0.8:
            return b"B" + np.uint32(span).astype("<u4").tobytes() + squeezed
        return b"b" + np.uint32(span).astype("<u4").tobytes() + packed
    deltas = np.concatenate([idx[:1], gaps]).astype("<u4")
    return b"D" + zlib.compress(deltas.tobytes(), 1)


def decode_indices(blob: bytes) -> np.ndarray:
    """The int64 positions a blob from :func:`encode_indices` holds."""
    blob = bytes(blob)
    if not blob:
        raise CodecError("empty index blob")
    form, body = blob[:1], blob[1:]
    try:
        if form == b"D":
            if not body:
                return np.empty(0, dtype=np.int64)
            return np.cumsum(np.frombuffer(zlib.decompress(body), dtype="<u4").astype(np.int64))
        if form == b"A":
            return np.frombuffer(zlib.decompress(body), dtype="<i4").astype(np.int64)
        if form == b"R":
            pairs = np.frombuffer(zlib.decompress(body), dtype="<i4").reshape(-1, 2).astype(np.int64)
            lengths = pairs[:, 1]
            if (lengths <= 0).any():
                raise CodecError("a range of no points")
            offsets = np.repeat(pairs[:, 0] - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
            return np.arange(int(lengths.sum()), dtype=np.int64) + offsets
        if form in (b"B", b"b"):
            span = int(np.frombuffer(body[:4], dtype="<u4")[0])
            packed = zlib.decompress(body[4:]) if form == b"B" else body[4:]
            if len(packed) != (span + 7) // 8:
                raise CodecError(f"a bitset of {len(packed)} bytes for {span} points")
            bits = np.unpackbits(np.frombuffer(packed, dtype=np.uint8), count=span)
            return np.flatnonzero(bits).astype(np.int64)
    except (zlib.error, ValueError, IndexError) as e:
        raise CodecError(f"damaged index blob ({form!r}): {e}") from None
    raise CodecError(f"unknown index encoding {form!r}")


def _small(values: np.ndarray) -> tuple[bytes, np.ndarray]:
    """The narrowest unsigned dtype char and array that hold ``values`` (all >= 0)."""
    top = int(values.max()) if values.size else 0
    for char, dtype in ((b"1", np.uint8), (b"2", np.uint16), (b"4", np.uint32)):
        if top <= np.iinfo(dtype).max:
            return char, values.astype(dtype)
    return b"8", values.astype(np.uint64)


def _u4(value: int) -> bytes:
    return np.uint32(value).astype("<u4").tobytes()


def _distinct(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values, most frequent first, and each value's index into them."""
    lo, hi = int(v.min()), int(v.max())
    if hi - lo < 15:  # a few label codes: each value's offset is its index
        return np.arange(lo, hi + 1, dtype=np.int64), (v - lo).astype(np.uint8)
    if hi - lo < max(4 * v.size, 1 << 16):  # counting: O(n + range), no sort
        shifted = v - lo
        counts = np.bincount(shifted, minlength=hi - lo + 1)
        present = np.flatnonzero(counts)
        order = present[np.argsort(-counts[present], kind="stable")]
        rank = np.empty(hi - lo + 1, dtype=np.int32)
        rank[order] = np.arange(order.size, dtype=np.int32)
        return order + lo, np.take(rank, shifted)
    uniq, inverse, counts = np.unique(v, return_inverse=True, return_counts=True)
    order = np.argsort(-counts, kind="stable")
    rank = np.empty(order.size, dtype=np.int64)
    rank[order] = np.arange(order.size)
    return uniq[order], rank[inverse.ravel()]


def encode_array(values: np.ndarray, dtype: str = "<i8") -> bytes:
    """Integers (codes, sequence numbers) compactly: the distinct values once (most frequent
    first), then each value as an index into them. When nearly all values are among the 15 most
    frequent (label codes; the writers of a text, mostly the last few operations) the indices are
    4 bits each, unsqueezed (``N``, about 0.5 ms for 500k values; a rare other value is an escape
    listed after); otherwise they are zlib'ed in the narrowest width (``U``). (``dtype`` is kept
    for symmetry with :func:`decode_array`.)

    >>> v = np.array([7, -1, 7, 10**12, -1])
    >>> decode_array(encode_array(v), "<i8", 5).tolist()
    [7, -1, 7, 1000000000000, -1]
    >>> many = np.arange(100_000) % 40  # 40 distinct values: 25 of every 40 are escapes
    >>> encode_array(many)[:1], decode_array(encode_array(many), "<i8").tolist() == many.tolist()
    (b'U', True)
    >>> few = np.where(np.arange(100_000) % 1000 == 0, 99, np.arange(100_000) % 3)
    >>> encode_array(few)[:1], decode_array(encode_array(few), "<i8").tolist() == few.tolist()
    (b'N', True)
    """
    v = np.ascontiguousarray(values).ravel()
    v = v if v.dtype in (np.int32, np.int64) else v.astype(np.int64)
    if v.size == 0:
        return b"E"
    uniq, inverse = _distinct(v)
    head = zlib.compress(uniq.astype("<i8").tobytes(), 1)
    escapes = inverse >= 15
    n_escapes = int(np.count_nonzero(escapes)) if uniq.size > 15 else 0
    if n_escapes * 32 <= v.size:
        nib = (np.minimum(inverse, 15) if n_escapes else inverse).astype(np.uint8, copy=False)
        if nib.size % 2:
            nib = np.append(nib, np.uint8(0))
        packed = (nib[0::2] | (nib[1::2] << 4)).tobytes()
        rest = zlib.compress(inverse[escapes].astype("<u4").tobytes(), 1) if n_escapes else b""
        return b"N" + _u4(len(head)) + head + _u4(v.size) + _u4(len(packed)) + packed + rest
    char, small = _small(inverse)
    return b"U" + char + _u4(len(head)) + head + zlib.compress(small.tobytes(), 1)


def decode_array(blob: bytes, dtype: str, size: int | None = None) -> np.ndarray:
    """Inverse of :func:`encode_array` (as ``dtype``); ``size`` checks the length."""
    blob = bytes(blob)
    try:
        if blob == b"E":
            out = np.empty(0, dtype=np.int64)
        elif blob[:1] == b"N":
            out = _decode_nibbles(blob)
        elif blob[:1] == b"U":
            width = {b"1": "<u1", b"2": "<u2", b"4": "<u4", b"8": "<u8"}[blob[1:2]]
            length = int(np.frombuffer(blob[2:6], dtype="<u4")[0])
            uniq = np.frombuffer(zlib.decompress(blob[6:6 + length]), dtype="<i8")
            inverse = np.frombuffer(zlib.decompress(blob[6 + length:]), dtype=width)
            if inverse.size and int(inverse.max()) >= uniq.size:
                raise ValueError("an index past the distinct values")
            out = uniq[inverse]
        else:
            raise ValueError(f"unknown array encoding {blob[:1]!r}")
    except (zlib.error, ValueError, KeyError, IndexError) as e:
        raise CodecError(f"damaged array blob: {e}") from None
    if size is not None and out.size != size:
        raise CodecError(f"array blob holds {out.size} values, expected {size}")
    return out.astype(np.dtype(dtype).newbyteorder("="))


def _decode_nibbles(blob: bytes) -> np.ndarray:
    """The values of an ``N`` blob (see :func:`encode_array`)."""
    length = int(np.frombuffer(blob[1:5], dtype="<u4")[0])
    uniq = np.frombuffer(zlib.decompress(blob[5:5 + length]), dtype="<i8")
    at = 5 + length
    size, plen = (int(x) for x in np.frombuffer(blob[at:at + 8], dtype="<u4"))
    packed = np.frombuffer(blob[at + 8:at + 8 + plen], dtype=np.uint8)
    if packed.size != plen or plen != (size + 1) // 2:
        raise ValueError(f"{plen} bytes of 4-bit indices for {size} values")
    nib = np.empty(2 * plen, dtype=np.uint8)
    nib[0::2], nib[1::2] = packed & 15, packed >> 4
    inverse = nib[:size]
    escapes = np.flatnonzero(inverse == 15) if uniq.size > 15 else np.empty(0, dtype=np.int64)
    rest = blob[at + 8 + plen:]
    if escapes.size or rest:
        inverse = inverse.astype(np.int64)
        extra = np.frombuffer(zlib.decompress(rest), dtype="<u4") if rest else np.empty(0, dtype="<u4")
        if extra.size != escapes.size:
            raise ValueError(f"{extra.size} escaped values for {escapes.size} escapes")
        inverse[escapes] = extra
    if inverse.size and int(inverse.max()) >= uniq.size:
        raise ValueError("an index past the distinct values")
    return uniq[inverse]
