"""Independent passes: which texts each annotator labels, and what a blind annotator sees
(:func:`own_labels`, from the history; :class:`corral.review.blind.BlindView` keeps it up to date).

:func:`distribute` is Argilla-style task distribution: a random ``overlap`` share of the texts
goes to *every* annotator (the calibration sample that agreement and consensus are measured on),
the rest is split evenly between them (each of those texts is labeled by one person). The plan is
kept as session state ``"tasks"`` (journaled / in the store), so every kernel on a shared store
sees the same one.

>>> plan = distribute(10, ["ana", "ben"], overlap=0.2, seed=0)
>>> len(plan["overlap"]), sorted(len(v) for v in plan["split"].values())
(2, [4, 4])
>>> sorted(tasks_of(plan, "ana").tolist() + tasks_of(plan, "ben").tolist()) == sorted(
...     list(range(10)) + plan["overlap"])
True
>>> own_labels([{"op": "assign", "indices": [0, 1], "label": "x", "annotator": "ana"},
...             {"op": "assign", "indices": [1, 2], "label": "y", "annotator": "ben"}], 3, "ana").tolist()
['x', 'x', None]
"""

from __future__ import annotations

import numpy as np

from corral.core.validate import check_label
from corral.review.agreement import annotator_labels

STATE_KEY = "tasks"


def distribute(n: int, annotators, overlap: float = 0.2, seed: int = 0) -> dict:
    """A task plan over ``n`` texts: ``{"annotators", "overlap": [positions everyone labels],
    "split": {annotator: [positions only they label]}, "overlap_share", "seed"}`` (JSON-able)."""
    names = [check_label(a) for a in (annotators or [])]
    if not names:
        raise ValueError("assign_tasks needs at least one annotator name")
    if len(set(names)) != len(names):
        raise ValueError(f"annotator names repeat: {names}")
    if not 0.0 <= float(overlap) <= 1.0:
        raise ValueError(f"overlap is a share of the texts in [0, 1], got {overlap!r}")
    order = np.random.default_rng(seed).permutation(int(n))
    k = int(round(float(overlap) * n))
    rest = order[k:]
    split = {name: np.sort(rest[i::len(names)]).tolist() for i, name in enumerate(names)}
    return {"annotators": names, "overlap": np.sort(order[:k]).tolist(), "split": split,
            "overlap_share": float(overlap), "seed": int(seed)}


def tasks_of(plan: dict | None, annotator: str | None) -> np.ndarray:
    """Sorted positions ``annotator`` is to label under ``plan`` (the overlap plus their share)."""
    if not plan:
        raise ValueError("no tasks assigned: call labeler.assign_tasks([...]) first")
    if annotator not in plan["split"]:
        raise ValueError(f"{annotator!r} has no tasks: the plan is for {plan['annotators']} "
                         "(set labeler.annotator, or annotator= when opening the Labeler)")
    return np.union1d(np.asarray(plan["overlap"], dtype=np.int64),
                      np.asarray(plan["split"][annotator], dtype=np.int64))


def own_labels(records, n: int, annotator: str | None) -> np.ndarray:
    """``annotator``'s own last label per point (None elsewhere): what a blind annotator sees."""
    table = annotator_labels(records, n)
    if annotator in table.columns:
        return table[annotator].to_numpy(dtype=object)
    return np.full(n, None, dtype=object)


def assign_tasks(session, annotators, overlap: float = 0.2, seed: int = 0) -> dict:
    """:func:`distribute` the session's points and store the plan as state (what
    ``Labeler.assign_tasks`` does). Returns the plan."""
    plan = distribute(session.n, annotators, overlap, seed)
    session.set_state(STATE_KEY, plan, count=len(plan["annotators"]))
    return plan
