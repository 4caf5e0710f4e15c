"""Index blobs: every form decodes to exactly what was encoded, is compact, and damage is reported."""

import numpy as np
import pytest

from corral.labels.store.codec import CodecError, decode_array, decode_indices, encode_array, encode_indices


@pytest.mark.parametrize("seed", range(5))
def test_any_index_set_round_trips(seed):
    rng = np.random.default_rng(seed)
    n = 200_000
    cases = [
        np.sort(rng.choice(n, size=k, replace=False)) for k in (1, 10, 5_000, 100_000, n)
    ] + [np.arange(10, 90_000), rng.permutation(1000), np.array([7, 7, 3]), np.empty(0, dtype=np.int64)]
    for idx in cases:
        out = decode_indices(encode_indices(idx))
        assert out.dtype == np.int64 and out.tolist() == np.asarray(idx).tolist()


def test_bulk_operations_are_compact():
    n = 1_000_000
    rng = np.random.default_rng(0)
    half = np.sort(rng.choice(n, size=n // 2, replace=False))
    assert len(encode_indices(half)) < n // 8 + 1_000  # a bitset: 1 bit per point at most
    assert len(encode_indices(np.arange(0, n // 2))) < 100  # one range
    few = np.sort(rng.choice(n, size=50, replace=False))
    assert len(encode_indices(few)) < 50 * 4 + 20  # deltas


def test_damaged_blobs_are_reported():
    blob = encode_indices(np.arange(0, 1000, 3))
    for bad in (b"", b"Z" + blob[1:], blob[:1] + b"\x00" * 8, blob[: len(blob) // 2]):
        with pytest.raises(CodecError):
            decode_indices(bad)
    with pytest.raises(CodecError):
        decode_array(encode_array(np.arange(5), "<i4"), "<i4", size=6)


@pytest.mark.parametrize("seed", range(4))
def test_per_point_arrays_round_trip_in_both_forms(seed):
    rng = np.random.default_rng(seed)
    writers = np.minimum(rng.geometric(0.5, 300_001), 40) + 1000  # mostly the last few operations
    cases = {
        "N": [rng.integers(-1, 8, 100_001), writers, np.full(7, -1), np.array([2**40, -5, 2**40])],
        "U": [rng.integers(0, 1000, 50_000), rng.integers(-2**40, 2**40, 1000)],
    }
    for form, arrays in cases.items():
        for values in arrays:
            blob = encode_array(values, "<i8")
            assert blob[:1] == form.encode()
            assert decode_array(blob, "<i8", values.size).tolist() == values.tolist()
    assert len(encode_array(rng.integers(-1, 8, 500_000), "<i4")) < 250_100  # 4 bits a point


def test_damaged_nibble_blobs_are_reported():
    values = np.where(np.arange(10_000) % 100 == 0, 77, np.arange(10_000) % 15)  # 16 values: 77 escaped
    blob = encode_array(values)
    assert blob[:1] == b"N" and decode_array(blob, "<i8").tolist() == values.tolist()
    for bad in (blob[:-3], blob[:40], blob[:1] + b"\xff" * 4 + blob[5:]):
        with pytest.raises(CodecError):
            decode_array(bad, "<i8")
