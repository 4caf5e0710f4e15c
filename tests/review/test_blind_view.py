"""The incremental blind view equals the annotator's own labels recomputed from the whole history
(:func:`corral.review.tasks.own_labels`) after every operation: assigns, clears, assign_many,
undo/redo (a journal's single stack and a shared store's own-only undo), renames and merges by
others (undone too), decisions; and it does not re-read the history per operation."""

import numpy as np
import pytest

from corral.labels import relabel
from corral.labels.session import LabelSession
from corral.labels.shared import SharedSession
from corral.labels.store.target import open_store
from corral.review.blind import BlindView
from corral.review.tasks import own_labels

N = 120


def _session(kind, tmp_path):
    if kind == "plain":
        return [LabelSession(N)] * 2  # one session, the annotators take turns
    path = str(tmp_path / "blind.db")
    return [SharedSession.open(open_store(path), N, {"n": N, "fingerprint": "f"}, poll=None) for _ in range(2)]


@pytest.mark.parametrize("kind", ["plain", "store"])
@pytest.mark.parametrize("seed", range(3))
def test_incremental_blind_view_equals_the_history(kind, seed, tmp_path):
    rng = np.random.default_rng(seed)
    sessions = _session(kind, tmp_path)
    watched = sessions[0]
    views = {who: BlindView(watched) for who in ("ana", "ben")}
    for step in range(120):
        k = int(rng.integers(2))
        s = sessions[k]
        s.sync()
        s.annotator = ["ana", "ben"][k]
        roll = rng.random()
        idx = np.sort(rng.choice(N, size=int(rng.integers(1, 40)), replace=False))
        if roll < 0.35:
            s.assign(idx, f"l{rng.integers(4)}")
        elif roll < 0.45:
            s.clear(idx)
        elif roll < 0.55:
            s.assign_many(idx, [f"l{x}" for x in rng.integers(4, size=idx.size)])
        elif roll < 0.6 and s.categories:
            names = sorted(set(s.categories))
            relabel.rename_label(s, str(rng.choice(names)), f"r{step}") if rng.random() < 0.5 else \
                relabel.merge_labels(s, names[:2], names[-1]) if len(names) > 2 else None
        elif roll < 0.65:
            s.assign(idx[:1], f"l{rng.integers(4)}", adjudicated=True)
        elif roll < 0.85:
            s.undo()
        else:
            s.redo()
        watched.sync()
        for who, view in views.items():
            watched.annotator = who
            assert view.labels().tolist() == own_labels(watched.records, N, who).tolist(), (step, who)
    for s in sessions if kind == "store" else []:
        s.close()


def test_an_operation_costs_its_points_not_the_history(monkeypatch):
    s = LabelSession(N)
    s.annotator = "ana"
    view = BlindView(s)
    for i in range(200):
        s.assign([i % N], f"l{i % 3}")
    view.labels()
    calls = []
    import corral.review.blind as blind

    monkeypatch.setattr(blind, "encode_indices", lambda idx, _real=blind.encode_indices: calls.append(len(idx)) or _real(idx))
    s.assign([5, 6], "new")
    assert view.labels()[[5, 6]].tolist() == ["new", "new"]
    assert calls == [2]  # one change encoded: the new one
