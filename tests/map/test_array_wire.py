"""The per-point arrays on the wire, Python side: point sets, frames, pulls and code patches
(the JS side of the same contract: js/test/chunks.test.js; in a browser: tests/browser/test_chunks.py)."""

import time

import numpy as np
import pytest

import corral
from corral.map import protocol as P
from corral.map.array_wire import codes_patch


def test_point_sets_round_trip_and_stay_small():
    rng = np.random.default_rng(0)
    for idx in ([], [0], [7, 3, 3], [1, 5, 7, 8, 9, 10, 11, 12, 13], rng.choice(10_000_000, 5_000_000, replace=False), np.arange(2**20)):
        data = P.encode_indices(idx)
        np.testing.assert_array_equal(P.decode_indices(data), np.unique(np.asarray(idx, dtype=np.int64)))
        n = int(np.max(idx)) + 1 if len(idx) else 0
        assert len(data) <= min(4 + 4 * len(idx), 4 + (n + 7) // 8)
    assert len(P.encode_indices(rng.choice(10_000_000, 5_000_000, replace=False))) <= 1_250_004
    np.testing.assert_array_equal(P.decode_indices(memoryview(P.encode_indices([5, 9]))), [5, 9])


def test_bad_point_sets_are_named():
    for bad in (b"\x01\x00", b"\x07\x00\x00\x00\x01", b"\x00\x00\x00\x00\x01\x02"):
        with pytest.raises(ValueError, match="point set"):
            P.decode_indices(bad)
    with pytest.raises(ValueError, match=r"\[0, 2\*\*32\)"):
        P.encode_indices([-1, 2])


def test_a_5m_point_selection_costs_the_kernel_little():
    idx = np.sort(np.random.default_rng(1).choice(10_000_000, 5_000_000, replace=False))
    data = P.encode_indices(idx)
    t0 = time.perf_counter()
    got = P.decode_indices(memoryview(data))
    took = time.perf_counter() - t0
    assert got.size == idx.size and took < 1.0, took  # ~30 ms here: numpy only, no Python loop


def test_frames_cut_large_messages_and_keep_small_ones_whole():
    content = {"kind": "x", "request": "r-1"}
    assert P.frames(content, [b"ab", b"c"], limit=8) == [(content, [b"ab", b"c"])]
    a, b = bytes(range(256)) * 40, bytes(7)
    out = P.frames(content, [a, b], limit=1000)
    heads = [h for h, _ in out]
    assert [h["part"] for h in heads] == list(range(len(out))) and {h["parts"] for h in heads} == {len(out)}
    assert heads[0]["content"] == content and heads[0]["sizes"] == [len(a), len(b)]
    assert all(h["kind"] == P.MSG_CHUNK and len({x["id"] for x in heads}) == 1 for h in heads)
    assert max(len(bufs[0]) for _, bufs in out) <= 1000
    rebuilt = [bytearray(n) for n in heads[0]["sizes"]]
    for h, (buf,) in out:
        rebuilt[h["buffer"]][h["offset"]:h["offset"] + len(buf)] = buf
    assert [bytes(r) for r in rebuilt] == [a, b]


def test_codes_patch_sends_only_what_changed():
    old = np.full(10, -1, dtype="<i4")
    new = old.copy()
    new[[2, 5]] = [0, 1]
    idx, codes = codes_patch(old.tobytes(), new.tobytes())
    assert idx.tolist() == [2, 5] and codes.tolist() == [0, 1] and idx.dtype == P.INDICES_DTYPE
    assert codes_patch(old.tobytes(), np.zeros(10, "<i4").tobytes()) is None  # all changed: send all
    assert codes_patch(old.tobytes(), old[:5].tobytes()) is None  # another length


def _capture(widget):
    sent = []
    widget.send = lambda content, buffers=None: sent.append((content, [bytes(b) for b in buffers or []]))
    return sent


def test_a_view_pulls_every_array_and_label_changes_come_as_patches():
    n = 600_000  # 7.2 MB of arrays: coordinates in two frames, codes in one
    rng = np.random.default_rng(0)
    coords = rng.normal(size=(n, 2))
    lab = corral.Labeler([f"t{i}" for i in range(n)], coords=coords, embedder=corral.HashingEmbedder())
    widget = lab.show()
    sent = _capture(widget)
    widget._handle_custom_msg({"kind": P.MSG_PULL, "request": "v-1"}, [])
    assert [h["kind"] for h, _ in sent] == [P.MSG_CHUNK] * 3
    head = sent[0][0]["content"]
    assert head["kind"] == P.MSG_ARRAYS and head["request"] == "v-1" and head["names"] == list(P.ARRAYS)
    assert head["count"] == n and sorted(head["versions"]) == sorted(P.ARRAYS)
    assert all(len(b[0]) <= P.CHUNK_BYTES for _, b in sent)
    whole = b"".join(b[0] for _, b in sent)
    assert whole == widget.coords + widget.codes
    np.testing.assert_array_equal(P.decode_coords(widget.coords), coords.astype(np.float32))
    sent.clear()
    lab.assign([3, 10, 400_000], "a")  # a patch of three codes, not 2.4 MB of them
    patches = [(h, b) for h, b in sent if h["kind"] == P.MSG_PATCH]
    assert len(patches) == 1
    h, (idx, codes) = patches[0]
    assert h["name"] == P.TRAIT_CODES and h["version"] == h["base"] + 1 == head["versions"]["codes"] + 1
    assert np.frombuffer(idx, "<u4").tolist() == [3, 10, 400_000] and np.frombuffer(codes, "<i4").tolist() == [0] * 3
    sent.clear()
    lab.undo()
    assert [h["kind"] for h, _ in sent if h["kind"] in P.TRANSPORT] == [P.MSG_PATCH]


def test_replies_above_the_chunk_size_go_in_frames(monkeypatch):
    lab = corral.Labeler([f"word{i % 7} {i}" for i in range(3000)], coords=np.random.default_rng(0).normal(size=(3000, 2)),
                         embedder=corral.HashingEmbedder())
    widget = lab.show()
    sent = _capture(widget)
    monkeypatch.setattr(P, "CHUNK_BYTES", 1000)  # a 12 kB similarity reply: 13 frames
    widget._handle_custom_msg({"kind": P.MSG_SEARCH, "request": "v-2", "query": "word3", "mode": "semantic"}, [])
    assert len(sent) == 12 and all(h["kind"] == P.MSG_CHUNK for h, _ in sent)
    assert sent[0][0]["content"]["kind"] == P.MSG_SEARCH and sent[0][0]["sizes"] == [12_000]
