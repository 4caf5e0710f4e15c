"""Undo on a store that keeps only the writers the points had (their codes derived from those
writers, :mod:`corral.labels.writers`) gives exactly what a store that also keeps the old codes
(as version 1 did) gives: random assigns, clears, assign_many, merges, undo/redo by two
annotators in two sessions, over initial labels; and after reopening."""

import numpy as np
import pytest

from corral.labels import relabel
from corral.labels.shared import SharedSession
from corral.labels.store.target import open_store

N = 150
INITIAL = np.array([["a", "b", None][i % 3] for i in range(N)], dtype=object)


def _world(path, keep_codes, monkeypatch):
    sessions = [SharedSession.open(open_store(path), N, {"n": N, "fingerprint": "f"}, initial=INITIAL, poll=None,
                                   snapshot_every=9) for _ in range(2)]
    if keep_codes:  # the version 1 rows: old codes stored too
        for s in sessions:
            real = s._complete

            def complete(record, real=real, s=s):
                out = real(record)
                if out is not None and "old_writers" in out:
                    out["old_codes"] = s.codes[out["indices"]]
                return out
            monkeypatch.setattr(s, "_complete", complete)
    return sessions


@pytest.mark.parametrize("seed", range(3))
def test_derived_old_codes_equal_stored_ones(seed, tmp_path, monkeypatch):
    worlds = {keep: _world(str(tmp_path / f"{keep}.db"), keep, monkeypatch) for keep in (True, False)}
    rng = np.random.default_rng(seed)
    for step in range(90):
        k, roll = int(rng.integers(2)), rng.random()
        idx = np.sort(rng.choice(N, size=int(rng.integers(1, 60)), replace=False))
        labels = [f"l{x}" for x in rng.integers(5, size=idx.size)]
        for keep, sessions in worlds.items():
            s = sessions[k]
            s.annotator = ["ana", "ben"][k]
            if roll < 0.3:
                s.assign(idx, labels[0])
            elif roll < 0.4:
                s.clear(idx)
            elif roll < 0.55:
                s.assign_many(idx, labels)
            elif roll < 0.6 and len(s.categories) > 2:
                relabel.merge_labels(s, sorted(s.categories)[:2], "merged")
            elif roll < 0.85:
                s.undo()
            else:
                s.redo()
            sessions[1 - k].sync()
        stored, derived = worlds[True][0], worlds[False][0]
        assert derived.labels().tolist() == stored.labels().tolist(), step
        assert derived.writers.tolist() == stored.writers.tolist(), step
    for keep, sessions in worlds.items():
        for s in sessions:
            s.close()
    for keep in (True, False):  # reopened (snapshot + the operations after it): the same again
        again = SharedSession.open(open_store(str(tmp_path / f"{keep}.db")), N, {"n": N, "fingerprint": "f"}, poll=None)
        assert again.labels().tolist() == stored.labels().tolist()
        again.close()
