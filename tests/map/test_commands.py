"""Messages from the browser, handled in Python (the JS side sends exactly these)."""

import time

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


def _suggested(lab):
    """Label a few of each kind, ask for the suggestions as the map does; (reply, codes, confidence)."""
    send(lab, {"kind": "assign", "label": "rain"}, list(range(10)))
    send(lab, {"kind": "assign", "label": "<b>music</b>"}, list(range(30, 40)))
    reply, buffers = send(lab, {"kind": "suggest", "request": "r1"})
    assert reply["kind"] == "suggest" and reply["request"] == "r1" and reply["count"] == len(lab)
    assert len(buffers) == 2 and all(isinstance(b, bytes) for b in buffers)
    conf = np.frombuffer(buffers[0], dtype="<f4")
    codes = np.frombuffer(buffers[1], dtype="<i4")
    assert conf.shape == codes.shape == (len(lab),)
    return reply, codes, conf


def test_suggest_sends_codes_and_confidences_as_binary_with_names_as_text(lab):
    reply, codes, conf = _suggested(lab)
    assert "<b>music</b>" in reply["labels"]  # the name as given, never markup-processed
    names = np.array(reply["labels"], dtype=object)[codes]
    frame = lab.suggest()
    assert names.tolist() == frame["suggested"].tolist()
    np.testing.assert_allclose(conf, frame["confidence"].to_numpy(), rtol=1e-6)
    assert names[20] == "rain" and names[60] == "<b>music</b>"
    assert lab.labels.iloc[40:].isna().all()  # suggestions are never labels


def test_accept_labels_the_selection_as_one_undoable_operation(lab):
    reply, codes, conf = _suggested(lab)
    before = len(lab.history)
    sel = list(range(15, 25)) + [0]  # 0 is labeled already: left as it is
    out, _ = send(lab, {"kind": "accept", "request": "r2", "token": reply["token"], "min_confidence": 0.5}, sel)
    assert out["kind"] == "status" and out["request"] == "r2" and out["accepted"] == 10, out
    assert out["message"].startswith("Accepted 10 suggestions")
    assert lab.labels.iloc[15:25].tolist() == ["rain"] * 10 and lab.labels.iloc[25:30].isna().all()
    assert len(lab.history) == before + 1 and lab.history.iloc[-1]["source"] == "suggestion"
    send(lab, {"kind": "undo"})
    assert lab.labels.iloc[10:30].isna().all() and lab.labels.iloc[:10].tolist() == ["rain"] * 10


def test_accept_everything_shown_when_nothing_is_selected(lab):
    reply, codes, conf = _suggested(lab)
    out, _ = send(lab, {"kind": "accept", "request": "r", "token": reply["token"], "min_confidence": 0.0}, [])
    assert out["accepted"] == len(lab) - 20 and lab.labels.notna().all()


def test_stale_or_unknown_suggestions_are_refused_and_nothing_is_accepted(lab):
    reply, codes, conf = _suggested(lab)
    lab._learner().delay = 60  # the background refit stays pending for this test
    send(lab, {"kind": "assign", "label": "weather"}, list(range(10)))  # the model now says "weather"
    labels = lab.labels.copy()
    accept = {"kind": "accept", "request": "r3", "token": reply["token"], "min_confidence": 0.5}
    started = time.perf_counter()
    out, _ = send(lab, accept, list(range(10, 30)))  # no fit of these labels yet: refused, no waiting
    assert out["kind"] == "error" and "still refitting" in out["message"] and "nothing was accepted" in out["message"]
    again, _ = send(lab, {"kind": "suggest", "request": "r"})
    assert again["current"] is False and again["token"] == reply["token"]  # the older fit, not waited for
    assert time.perf_counter() - started < 5
    lab.suggest()  # the fit of the current labels exists now: the frame seen is compared with it
    out, _ = send(lab, accept, list(range(10, 30)))
    assert out["kind"] == "error" and out["request"] == "r3"
    assert "changed since you saw them" in out["message"] and "nothing was accepted" in out["message"]
    fresh, _ = send(lab, {"kind": "suggest", "request": "r"})
    assert fresh["current"] is True and fresh["token"] != reply["token"]
    out, _ = send(lab, {"kind": "accept", "request": "r4", "token": "nope", "min_confidence": 0.5}, [12])
    assert out["kind"] == "error" and "show the suggestions again" in out["message"]
    out, _ = send(lab, {"kind": "accept", "request": "r5", "token": fresh["token"], "min_confidence": "high"}, [12])
    assert out["kind"] == "error" and "min_confidence" in out["message"]
    assert lab.labels.equals(labels)
    out, _ = send(lab, {"kind": "accept", "request": "r6", "token": fresh["token"], "min_confidence": 0.5}, [12])
    assert out["accepted"] == 1 and lab.labels.iloc[12] == "weather"
