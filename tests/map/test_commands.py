"""Messages from the browser, handled in Python (the JS side sends exactly these)."""

import numpy as np
import pytest

from corral import HashingEmbedder, Labeler
from corral.map import protocol as P
from corral.map.commands import handle


@pytest.fixture
def lab(blobs):
    coords, _ = blobs
    texts = [f"rain today {i}" if i < 30 else f"play music {i}" for i in range(90)]
    texts[5] = "<script>window.__xss=1</script>" + "x" * 3000
    return Labeler(texts, coords=coords, embedder=HashingEmbedder(dim=32))


def send(lab, content, indices=None):
    buffers = [memoryview(P.encode_indices(indices))] if indices is not None else []
    return handle(lab, content, buffers)


def test_assign_clear_undo_redo_go_through_the_labeler(lab):
    reply, _ = send(lab, {"kind": "assign", "label": "rain"}, [0, 1, 2])
    assert reply == {"kind": "status", "undo": True, "redo": False, "history": 1, "preview": False, "resumed": None}
    assert lab.labels.iloc[:3].tolist() == ["rain"] * 3
    send(lab, {"kind": "clear"}, [1])
    reply, _ = send(lab, {"kind": "undo"})
    assert reply["message"] == "Undid: removed the label of 1 point"
    reply, _ = send(lab, {"kind": "undo"})
    assert lab.labels.isna().all() and reply["redo"] and not reply["undo"]
    assert reply["message"] == "Undid: 3 points \u2192 \u201crain\u201d"
    assert send(lab, {"kind": "undo"})[0]["message"] == "Nothing to undo"
    reply, _ = send(lab, {"kind": "redo"})
    assert reply["message"] == "Redid: 3 points \u2192 \u201crain\u201d"
    assert lab.history["kind"].tolist() == ["assign", "clear", "undo", "undo", "redo"]
    assert send(lab, {"kind": "redo"})[0]["message"] == "Redid: removed the label of 1 point"
    assert send(lab, {"kind": "redo"})[0]["message"] == "Nothing to redo"


def test_status_says_preview_until_the_full_map_is_ready():
    import threading

    from corral.data.projectors import PCALayout

    gate = threading.Event()

    class Slow:  # a projector whose full map waits for the test
        def first_view(self, X):
            return PCALayout().fit_transform(X)

        def fit_transform(self, X):
            gate.wait(10)
            return PCALayout().fit_transform(X) + 1

    lab = Labeler([f"text {i}" for i in range(20)], embedder=HashingEmbedder(dim=16), projector=Slow())
    w = lab.show()
    assert w.status["preview"] is True and send(lab, {"kind": "undo"})[0]["preview"] is True
    gate.set()
    lab.coords  # waits for the full map
    for _ in range(100):
        if not w.status["preview"]:
            break
        threading.Event().wait(0.02)
    assert w.status["preview"] is False


def test_texts_on_demand_are_plain_strings_and_cut_when_huge(lab):
    reply, _ = send(lab, {"kind": "texts", "request": 7}, [5, 31])
    assert reply["request"] == 7 and reply["indices"] == [5, 31]
    assert reply["texts"][0].startswith("<script>") and len(reply["texts"][0]) == P.MAX_CHARS
    assert reply["truncated"] == [5] and reply["texts"][1] == "play music 31"


def test_sample_with_label_makeup(lab):
    lab.assign(range(10), "rain")
    reply, _ = send(lab, {"kind": "sample", "request": 1, "size": 5, "seed": 3}, list(range(40)))
    assert reply["total"] == 40 and len(reply["texts"]) == 5
    assert reply["makeup"] == [[None, 30], ["rain", 10]]
    again, _ = send(lab, {"kind": "sample", "request": 2, "size": 5, "seed": 3}, list(range(40)))
    other, _ = send(lab, {"kind": "sample", "request": 3, "size": 5, "seed": 4}, list(range(40)))
    assert again["indices"] == reply["indices"] != other["indices"]


def test_keyword_regex_and_semantic_search(lab):
    reply, buffers = send(lab, {"kind": "search", "request": 1, "query": "RAIN", "mode": "keyword"})
    assert reply["count"] == 29 and P.decode_indices(buffers[0]).tolist() == [i for i in range(30) if i != 5]
    reply, buffers = send(lab, {"kind": "search", "query": r"music 8\d$", "mode": "regex"})
    assert P.decode_indices(buffers[0]).tolist() == list(range(80, 90))
    reply, buffers = send(lab, {"kind": "search", "query": "play some music", "mode": "semantic"})
    scores = np.frombuffer(buffers[0], dtype="<f4")
    assert scores.shape == (90,) and scores[40:].mean() > scores[:30].mean()


@pytest.mark.parametrize("content, words", [
    ({"kind": "search", "query": "([", "mode": "regex"}, "not a valid regular expression"),
    ({"kind": "search", "query": "", "mode": "keyword"}, "empty"),
    ({"kind": "search", "query": "x", "mode": "telepathy"}, "unknown search mode"),
    ({"kind": "assign", "label": ""}, "non-empty string"),
    ({"kind": "explode"}, "unknown message kind"),
])
def test_bad_messages_get_an_error_reply(lab, content, words):
    reply, _ = send(lab, {**content, "request": 9}, [0])
    assert reply["kind"] == "error" and reply["request"] == 9 and words in reply["message"]
    assert lab.history.empty


def test_out_of_range_indices_are_refused(lab):
    reply, _ = send(lab, {"kind": "assign", "label": "a"}, [1000])
    assert reply["kind"] == "error" and "unknown point indices" in reply["message"]


def test_python_search_api(lab):
    assert lab.search("today 1").tolist() == [1] + list(range(10, 20))
    sims = lab.similarity("rain today")
    assert sims.index.equals(lab.labels.index) and sims.iloc[:30].mean() > sims.iloc[30:].mean()
