"""The Python side of the wire contract: what the widget carries, and how views stay in sync."""

import re
import time
from pathlib import Path

import numpy as np
from ipywidgets.widgets.widget import _remove_buffers

from corral import HashingEmbedder, Labeler, UMAPProjector
from corral import _protocol as P

ROOT = Path(__file__).resolve().parent.parent


def make(blobs):
    coords, _ = blobs
    return Labeler([f"t{i}" for i in range(90)], coords=coords), coords


def test_state_crosses_as_binary_buffers(blobs):
    lab, coords = make(blobs)
    lab.assign([0, 1], "a")
    w = lab.show()
    state, paths, buffers = _remove_buffers(w.get_state())
    assert {p[0] for p in paths} >= {P.TRAIT_COORDS, P.TRAIT_CODES}
    np.testing.assert_array_equal(P.decode_coords(w.coords), coords)
    assert P.decode_codes(w.codes)[:3].tolist() == [0, 0, -1]
    assert w.categories == ["a"] and len(w.colors) == 1 and w.count == 90
    assert len(w.coords) == 90 * 2 * 4 and len(w.codes) == 90 * 4


def test_labels_reach_every_view_and_redisplay_is_current(blobs):
    lab, _ = make(blobs)
    w1, w2 = lab.show(), lab.show()
    lab.assign([5], "b")
    lab.assign([6], "c")
    for w in (w1, w2):
        assert w.categories == ["b", "c"] and P.decode_codes(w.codes)[5:7].tolist() == [0, 1]
    lab.undo()
    assert P.decode_codes(w1.codes)[6] == -1
    w3 = lab.show()
    assert P.decode_codes(w3.codes)[5:7].tolist() == [0, -1]


def test_undo_redo_status_is_in_the_state_of_a_new_view(blobs):
    lab, _ = make(blobs)
    assert lab.show().status == {"undo": False, "redo": False, "history": 0}
    lab.assign([1], "a")
    lab.assign([2], "b")
    lab.undo()
    w = lab.show()
    assert w.status == {"undo": True, "redo": True, "history": len(lab._session.history)} and w.status["history"]
    assert P.TRAIT_STATUS in w.get_state()
    lab.redo()  # open views follow
    assert (w.status["undo"], w.status["redo"]) == (True, False)


def test_selection_made_in_a_view_reaches_python_and_the_other_views(blobs):
    lab, _ = make(blobs)
    w1, w2 = lab.show(), lab.show()
    w1.set_state({"selection": memoryview(P.encode_indices([4, 2, 9]))})  # as the browser sends it
    assert lab.selection.tolist() == [2, 4, 9]
    assert P.decode_indices(w2.selection).tolist() == [2, 4, 9]
    lab.selection = [1]
    assert P.decode_indices(w1.selection).tolist() == [1] == P.decode_indices(w2.selection).tolist()
    w1.set_state({"selection": memoryview(P.encode_indices([500]))})  # stale: out of range, ignored
    assert lab.selection.tolist() == [1]


def test_map_switches_from_first_view_to_umap(texts):
    lab = Labeler(texts, embedder=HashingEmbedder(dim=8), projector=UMAPProjector(random_state=0, n_epochs=30))
    w = lab.show()
    final = lab.coords
    deadline = time.time() + 30
    while P.decode_coords(w.coords).tolist() != final.tolist() and time.time() < deadline:
        time.sleep(0.05)
    np.testing.assert_array_equal(P.decode_coords(w.coords), final)


def test_repr_mimebundle_is_a_widget_view(blobs):
    lab, _ = make(blobs)
    data, _metadata = lab._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in data


def test_js_protocol_matches_python():
    js = (ROOT / "js" / "src" / "protocol.js").read_text()
    names = [name for name in dir(P) if name.startswith("TRAIT_")]
    assert len(names) >= 9
    for name in names:
        match = re.search(rf"{name}\s*=\s*[\"']([a-z_]+)[\"']", js)
        assert match, f"{name} missing from protocol.js"
        assert match.group(1) == getattr(P, name)
    assert re.search(r"UNLABELED\s*=\s*-1", js)
