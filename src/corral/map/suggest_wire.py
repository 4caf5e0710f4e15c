"""Suggestions on the wire: the frame sent to a map (MSG_SUGGEST) and accepting it (MSG_ACCEPT).

Each frame sent gets a ``token`` (a digest of what it says); the Labeler keeps the last few
frames by token, so an accept names exactly the suggestions the person saw. When the current
suggestions differ from them, :func:`corral.learn.accept.accept` refuses (StaleSuggestions) and
the browser gets an error reply saying so; nothing else is accepted.

>>> import numpy as np, pandas as pd
>>> frame = pd.DataFrame({"suggested": ["b", None, "a"], "confidence": [0.9, np.nan, 0.6]})
>>> labels, codes, conf = encode_frame(frame, ["a", "b"])
>>> labels, codes.tolist(), np.round(conf.astype(float), 2).tolist()
(['a', 'b'], [1, -1, 0], [0.9, nan, 0.6])
>>> token_of(frame) == token_of(frame.copy()), len(token_of(frame))
(True, 16)
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from corral.map import protocol as P

KEEP = 4  # frames kept per Labeler (a few views, or one refreshed while a person decides)


def encode_frame(frame: pd.DataFrame, categories) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(label names, int32 code per point into them or -1, float32 confidence per point)."""
    labels = [str(c) for c in categories]
    extra = sorted({str(s) for s in frame["suggested"].dropna()} - set(labels))
    labels += extra  # a suggested label that is no category (yet): still sent, by name
    lookup = {name: i for i, name in enumerate(labels)}
    codes = np.array([-1 if s is None or (isinstance(s, float) and np.isnan(s)) else lookup[str(s)]
                      for s in frame["suggested"].to_numpy(dtype=object)], dtype=P.CODES_DTYPE)
    conf = frame["confidence"].to_numpy(dtype=float).astype(P.COORDS_DTYPE)
    conf[codes < 0] = np.nan
    return labels, codes, conf


def token_of(frame: pd.DataFrame) -> str:
    """A short digest of the frame's suggestions and confidences."""
    h = hashlib.sha1()
    h.update("\x1f".join("" if s is None or s != s else str(s) for s in frame["suggested"]).encode())
    h.update(np.ascontiguousarray(frame["confidence"].to_numpy(dtype=float)).tobytes())
    return h.hexdigest()[:16]


def _sent(labeler) -> dict:
    return labeler.__dict__.setdefault("_sent_suggestions", {})


def _current(labeler):
    """(the suggestion service, the newest fit or None, whether that fit is of the labels as they are)."""
    service = labeler._learner()  # noqa: SLF001 - the Labeler's one suggestion service, never a second one
    newest = service.latest()
    return service, newest, newest is not None and newest.key == service.key()


def suggest(labeler, content) -> tuple[dict, list[bytes]]:
    """The reply to MSG_SUGGEST: the newest suggestions, remembered under their token. Never waits
    for a background refit (the kernel stays free); only the very first fit is made here.
    ``current`` says whether they are of the labels as they are now (if not, ask again later)."""
    service, fit, current = _current(labeler)
    if fit is None:
        fit, current = service.get(), True
    frame = fit.frame(labeler.index)
    token = token_of(frame)
    sent = _sent(labeler)
    sent.pop(token, None)
    sent[token] = (frame, fit.key)
    while len(sent) > KEEP:
        sent.pop(next(iter(sent)))
    labels, codes, conf = encode_frame(frame, labeler.session.categories)
    reply = {"kind": P.MSG_SUGGEST, "request": content.get("request"), "token": token, "labels": labels,
             "count": int(len(frame)), "current": bool(current), "model": fit.model_name}
    return reply, [conf.astype("<f4").tobytes(), codes.astype("<i4").tobytes()]


def accept(labeler, content, idx: np.ndarray) -> tuple[str, int]:
    """Carry out MSG_ACCEPT; returns (what happened in words, number of texts labeled)."""
    token = content.get("token")
    found = _sent(labeler).get(token) if isinstance(token, str) else None
    if found is None:
        raise ValueError("these suggestions are no longer known here (the kernel restarted or they are "
                         "old): show the suggestions again, then accept")
    seen, key = found
    _service, _fit, current = _current(labeler)
    if key != _service.key() and not current:  # checking them would wait for the refit: not in the kernel
        raise ValueError("the labels changed since these suggestions and the model is still refitting: "
                         "nothing was accepted; accept again once the suggestions are refreshed")
    threshold = content.get("min_confidence", 0.9)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise ValueError(f"min_confidence must be a number in [0, 1], got {threshold!r}")
    where = idx if idx.size else None
    op = labeler.accept_suggestions(where=where, min_confidence=float(threshold), suggestions=seen)
    if op is None:
        return f"Nothing to accept: no unlabeled point there has a suggestion of {threshold:.0%} or more", 0
    return f"Accepted {op.count:,} suggestion{'' if op.count == 1 else 's'} (confidence \u2265 {threshold:.0%})", op.count
