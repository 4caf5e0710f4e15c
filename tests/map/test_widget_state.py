"""The Python side of the wire contract: what the widget carries, and how views stay in sync."""

import re
import time
from pathlib import Path

import numpy as np
import pytest
from ipywidgets.widgets.widget import _remove_buffers

from corral import HashingEmbedder, Labeler, UMAPProjector
from corral.map import protocol as P

ROOT = Path(__file__).resolve().parents[2]


def make(blobs):
    coords, _ = blobs
    return Labeler([f"t{i}" for i in range(90)], coords=coords), coords


def test_state_carries_no_array_and_the_selection_as_a_point_set(blobs):
    lab, coords = make(blobs)
    lab.assign([0, 1], "a")
    lab.selection = [4, 2]
    w = lab.show()
    state, paths, buffers = _remove_buffers(w.get_state())
    assert {p[0] for p in paths} == {P.TRAIT_SELECTION} and not set(P.ARRAYS) & set(state)
    assert P.decode_indices(w.selection).tolist() == [2, 4]
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
    assert lab.show().status == {"undo": False, "redo": False, "history": 0, "preview": False, "resumed": None}
    lab.assign([1], "a")
    lab.assign([2], "b")
    lab.undo()
    w = lab.show()
    assert w.status == {"undo": True, "redo": True, "history": len(lab.session.history), "preview": False, "resumed": None}
    assert w.status["history"]
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


def test_js_messages_and_palette_match_python():
    js = (ROOT / "js" / "src" / "protocol.js").read_text()
    names = [name for name in dir(P) if name.startswith("MSG_")]
    assert P.MSG_REGIONS in P.MESSAGES and len(names) == len(P.MESSAGES)
    for name in names:
        match = re.search(rf"{name}\s*=\s*[\"']([a-z_]+)[\"']", js)
        assert match, f"{name} missing from protocol.js"
        assert match.group(1) == getattr(P, name)
    # Regions whose label is no category yet take the next colours, computed the same in JS.
    from corral.core.palette import BASE

    regions_js = (ROOT / "js" / "src" / "regions.js").read_text()
    base_js = re.search(r"BASE\s*=\s*\[([^\]]*)\]", regions_js).group(1)
    assert re.findall(r"#[0-9a-f]{6}", base_js) == BASE


SQUARE = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]]


def test_regions_reach_every_view_and_a_new_one(blobs):
    lab, _ = make(blobs)
    w1 = lab.show()
    assert w1.regions == []
    lab.regions = {"rain": [SQUARE, SQUARE[:3]], "jazz": [SQUARE]}
    wire = [{"label": "rain", "polygon": SQUARE}, {"label": "rain", "polygon": SQUARE[:3]},
            {"label": "jazz", "polygon": SQUARE}]
    assert w1.regions == wire and lab.show().regions == wire
    assert w1.status["history"] == len(lab.session.history) == 1


def test_a_regions_state_op_does_not_resend_label_codes(blobs):
    lab, _ = make(blobs)
    lab.assign([0], "a")
    w = lab.show()
    sent = []
    w._send = lambda msg, buffers=None: sent.append(msg)  # what ipywidgets would put on the wire
    lab.regions = {"a": [SQUARE]}
    updated = {k for m in sent if m.get("method") == "update" for k in m["state"]}
    assert P.TRAIT_REGIONS in updated and P.TRAIT_CODES not in updated and P.TRAIT_CATEGORIES not in updated


def test_regions_drawn_in_a_view_go_through_the_labeler(blobs):
    lab, _ = make(blobs)
    w1, w2 = lab.show(), lab.show()
    replies = []
    w1.send = lambda content, buffers=None: replies.append(content)
    drawn = [{"label": "new one", "polygon": SQUARE}, {"label": "rain", "polygon": [[5, 5], [6, 5], [5, 6]]}]
    w1._handle_custom_msg({"kind": P.MSG_REGIONS, "request": "r-1", "regions": drawn}, [])
    assert list(lab.regions) == ["new one", "rain"]
    np.testing.assert_array_equal(lab.regions["new one"][0], SQUARE)
    assert w2.regions == w1.regions == [{"label": d["label"], "polygon": np.asarray(d["polygon"], float).tolist()}
                                        for d in drawn]
    assert lab.history.kind.tolist()[-1] == "regions" and lab.labels.isna().all()  # drawing labels nothing
    w1._handle_custom_msg({"kind": P.MSG_REGIONS, "request": "r-2", "regions": [{"label": "x", "polygon": SQUARE[:2]}]},
                          [])
    assert replies[-1]["kind"] == P.MSG_ERROR and "at least 3 vertices" in replies[-1]["message"]
    assert list(lab.regions) == ["new one", "rain"]  # a bad drawing changes nothing
    w1._handle_custom_msg({"kind": P.MSG_REGIONS, "request": "r-3", "regions": []}, [])
    assert lab.regions == {} and w2.regions == []
    # The reply answers the request (draw.js shows the trait again once its newest change is answered).
    assert replies[-1]["kind"] == P.MSG_STATUS and replies[-1]["request"] == "r-3"


def test_outlines_are_checked_and_shown_read_only(blobs):
    lab, _ = make(blobs)
    w = lab.show(outlines=[{"name": "<b>cluster</b>", "polygon": np.array(SQUARE)}])
    assert w.outlines == [{"name": "<b>cluster</b>", "polygon": SQUARE}]
    w.outlines = [{"name": 3, "polygon": SQUARE[:3]}]
    assert w.outlines[0]["name"] == "3"
    with pytest.raises(ValueError, match="outline 0 .* at least 3 vertices"):
        lab.show(outlines=[{"name": "a", "polygon": SQUARE[:2]}])
    with pytest.raises(ValueError, match="'name' and 'polygon'"):
        w.outlines = [{"polygon": SQUARE}]


@pytest.mark.parametrize(("regions", "message"), [
    ("rain", "regions must be a list"),
    ([{"label": "rain"}], "region 0 must be an object with 'label' and 'polygon'"),
    ([{"label": " ", "polygon": SQUARE}], "non-empty string"),
    ([{"label": "rain", "polygon": [[0, 0], [1, "x"], [0, 1]]}], "polygon"),
])
def test_a_bad_regions_message_is_an_error_reply_and_changes_nothing(blobs, regions, message):
    from corral.map.commands import handle

    lab, _ = make(blobs)
    lab.regions = {"kept": [SQUARE]}
    reply, buffers = handle(lab, {"kind": P.MSG_REGIONS, "request": "r-9", "regions": regions}, [])
    assert reply["kind"] == P.MSG_ERROR and reply["request"] == "r-9" and message in reply["message"]
    assert buffers == [] and list(lab.regions) == ["kept"] and len(lab.history) == 1


def test_guidelines_reach_the_widget_as_plain_data_with_their_colours(blobs):
    lab, _ = make(blobs)
    lab.assign([0, 1], "<b>spam</b>")
    w = lab.show()
    assert w.guidelines == {}
    hostile = "<img src=x onerror=alert(1)>'; DROP TABLE corral_ops; --"
    lab.guidelines = {"<b>spam</b>": {"definition": hostile, "color": "#123456", "examples": ["WIN A PRIZE"]},
                      "ham": "Mail you wanted"}
    assert w.guidelines == {"<b>spam</b>": {"definition": hostile, "include": "", "exclude": "",
                                            "examples": ["WIN A PRIZE"]},
                            "ham": {"definition": "Mail you wanted", "include": "", "exclude": "", "examples": []}}
    assert w.colors == ["#123456"]  # the guideline's colour wins over the palette
    lab.rename_label("<b>spam</b>", "junk")  # the guideline moves with the label
    assert w.categories[P.decode_codes(w.codes)[0]] == "junk" and "junk" in w.guidelines
    assert "<b>spam</b>" not in w.guidelines and lab.show().guidelines == w.guidelines
    assert P.TRAIT_GUIDELINES in w.get_state()
