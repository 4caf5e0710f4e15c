"""What the Labeler does with a message from a map widget (see the MSG_* kinds in ``_protocol``).

Pure logic: a message and its buffers in, a reply and its buffers out. The widget bridge
(``_views``) only moves messages; this module decides, through the Labeler's public methods, so
commands from the browser get the same checks, history and journal as calls from Python.
"""

from __future__ import annotations

import numpy as np

from corral.labels.persist import resumed_notice
from corral.map import protocol as P
from corral.map import suggest_wire
from corral.map.region_wire import regions_from_wire


def _indices(labeler, buffers) -> np.ndarray:
    if not buffers:
        return np.empty(0, dtype=np.int64)
    idx = P.decode_indices(buffers[0])
    if idx.size and idx[-1] >= len(labeler):
        raise IndexError(f"unknown point indices: there are {len(labeler)} points")
    return idx


def _texts(labeler, idx: np.ndarray) -> tuple[list[str], list[int]]:
    texts, truncated = [], []
    for i in idx[: P.MAX_TEXTS].tolist():
        t = labeler.texts[i]
        if len(t) > P.MAX_CHARS:
            t = t[: P.MAX_CHARS]
            truncated.append(i)
        texts.append(t)
    return texts, truncated


def shown(labeler) -> tuple[np.ndarray, list[str]]:
    """The codes and label names the map shows: everyone's, or (``blind``) the annotator's own."""
    view = getattr(labeler, "_blind_view", None)
    return view.current() if view is not None else (labeler.session.codes, list(labeler.session.categories))


def status(labeler) -> dict:
    session = labeler.session
    return {"kind": P.MSG_STATUS, "undo": session.can_undo, "redo": session.can_redo,
            "history": len(session.history), "preview": not labeler.projection_ready,
            "resumed": resumed_notice(session)}


def said(verb: str, op) -> str:
    """What an undo or redo did, in words ("Undid: 195 points → music").

    >>> from corral.labels.session import LabelSession
    >>> s = LabelSession(3)
    >>> _ = s.assign([0, 1], "music"); _ = s.clear([1])
    >>> said("Undid", s.undo()), said("Undid", s.undo()), said("Redid", s.redo()), said("Undid", None)
    ('Undid: removed the label of 1 point', 'Undid: 2 points → “music”', 'Redid: 2 points → “music”', 'Nothing to undo')
    """
    if op is None:
        return f"Nothing to {'undo' if verb == 'Undid' else 'redo'}"
    points = f"{op.count:,} point{'' if op.count == 1 else 's'}"
    if op.label is None:
        return f"{verb}: removed the label of {points}"
    return f"{verb}: {points} → “{op.label}”"


def handle(labeler, content: dict, buffers: list) -> tuple[dict | None, list[bytes]]:
    """Carry out one message; return the reply (or None) and its buffers.

    Errors come back as an ``error`` reply naming the problem, never as an exception in the kernel.
    """
    kind = content.get("kind") if isinstance(content, dict) else None
    request = content.get("request") if isinstance(content, dict) else None
    try:
        return _dispatch(labeler, kind, content, buffers)
    except (ValueError, TypeError, IndexError, KeyError, RuntimeError) as e:
        return {"kind": P.MSG_ERROR, "request": request, "message": f"{kind}: {e}"}, []


def _dispatch(labeler, kind, content, buffers):
    if kind in P.TRANSPORT:
        return None, []  # the widget's own (array_wire)
    if kind == P.MSG_ACCEPT:
        with labeler.session.issued_by("map"):
            message, accepted = suggest_wire.accept(labeler, content, _indices(labeler, buffers))
        return {**status(labeler), "request": content.get("request"), "accepted": accepted, "message": message}, []
    if kind == P.MSG_SUGGEST:
        return suggest_wire.suggest(labeler, content)
    if kind in (P.MSG_ASSIGN, P.MSG_CLEAR, P.MSG_UNDO, P.MSG_REDO, P.MSG_REGIONS):
        with labeler.session.issued_by("map"):  # a person's act: never taken for a re-run cell
            return _change(labeler, kind, content, buffers)
    if kind == P.MSG_TEXTS:
        idx = _indices(labeler, buffers)[: P.MAX_TEXTS]
        texts, truncated = _texts(labeler, idx)
        return {"kind": kind, "request": content.get("request"), "indices": idx.tolist(), "texts": texts,
                "truncated": truncated}, []
    if kind == P.MSG_SAMPLE:
        return _sample(labeler, content, _indices(labeler, buffers)), []
    if kind == P.MSG_SEARCH:
        return _search(labeler, content)
    raise ValueError(f"unknown message kind {kind!r}")


def _change(labeler, kind, content, buffers):
    if kind == P.MSG_ASSIGN:
        labeler.assign(_indices(labeler, buffers), content.get("label"), source=_source(content))
    elif kind == P.MSG_CLEAR:
        labeler.clear(_indices(labeler, buffers), source=_source(content))
    elif kind in (P.MSG_UNDO, P.MSG_REDO):  # the reply (to this view only) says what was undone
        message = said("Undid", labeler.undo()) if kind == P.MSG_UNDO else said("Redid", labeler.redo())
        return {**status(labeler), "message": message}, []
    else:
        labeler.regions = regions_from_wire(content.get("regions"))  # journaled; views get the trait
        return {**status(labeler), "request": content.get("request")}, []  # after the trait: the echo is in
    return status(labeler), []


def _source(content) -> str:
    """How the browser made the selection: "search" when it says so, else "lasso"."""
    return "search" if content.get("source") == "search" else "lasso"


def _sample(labeler, content, idx):
    size = max(1, min(int(content.get("size", 20)), P.MAX_TEXTS))
    rng = np.random.default_rng(int(content.get("seed", 0)))
    chosen = np.sort(rng.choice(idx, size=size, replace=False)) if idx.size > size else idx
    texts, truncated = _texts(labeler, chosen)
    codes, names = shown(labeler)
    codes = codes[idx]
    counts = np.bincount(codes + 1, minlength=len(names) + 1)  # slot 0 = unlabeled
    makeup = [[None if c == 0 else names[c - 1], int(n)] for c, n in enumerate(counts) if n]
    makeup.sort(key=lambda pair: -pair[1])
    return {"kind": P.MSG_SAMPLE, "request": content.get("request"), "indices": chosen.tolist(), "texts": texts,
            "truncated": truncated, "total": int(idx.size), "makeup": makeup}


def _search(labeler, content):
    mode, query = content.get("mode", "keyword"), content.get("query", "")
    reply = {"kind": P.MSG_SEARCH, "request": content.get("request"), "mode": mode, "query": query}
    if mode in ("keyword", "regex"):
        idx = labeler.search(query, regex=mode == "regex")
        return {**reply, "count": int(idx.size)}, [P.encode_indices(idx)]
    if mode == "semantic":
        scores = labeler.similarity(query).to_numpy(dtype=np.float32)
        return {**reply, "count": int(scores.size)}, [scores.astype("<f4").tobytes()]
    raise ValueError(f"unknown search mode {mode!r} (keyword, regex or semantic)")
