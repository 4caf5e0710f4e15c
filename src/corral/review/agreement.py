"""Agreement between annotators: each annotator's last label per point, read from the session's
records (assign/clear, with undo/redo reversing them exactly as the session does), then Cohen's
kappa per pair, Fleiss' kappa overall and agreement per label on the points they share.

>>> records = [{"op": "assign", "indices": [0, 1, 2], "label": "x", "annotator": "ana"},
...            {"op": "assign", "indices": [0, 1], "label": "x", "annotator": "ben"},
...            {"op": "assign", "indices": [2], "label": "y", "annotator": "ben"},
...            {"op": "assign", "indices": [1], "label": "y", "annotator": "ben"},
...            {"op": "undo", "annotator": "ben"}]
>>> annotator_labels(records, 4).values.tolist()
[['x', 'x'], ['x', 'x'], ['x', 'y'], [None, None]]
>>> round(fleiss_kappa([[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
...               [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]), 3)
0.21
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from corral.labels.changes import effective_changes


def annotator_labels(records, n: int) -> pd.DataFrame:
    """An n x annotators frame (columns in order of first appearance) of each annotator's last
    label per point (None: never labeled it, or their last act there was a clear; someone whose
    every change was undone has no column). Operations
    without an annotator count for no one, but undo/redo still reverse them in order. A rename or
    merge (:mod:`corral.labels.relabel`) renames the label in every annotator's column."""
    current: dict[str, np.ndarray] = {}
    for change in effective_changes(records):
        if change.relabel:  # a rename/merge renames everyone's labels; it is nobody's vote
            for column in current.values():
                column[pd.Series(column).isin(change.relabel).to_numpy()] = change.label
        elif change.annotator is not None and not change.adjudicated:  # a decision is nobody's vote
            current.setdefault(change.annotator, np.full(n, None, dtype=object))[change.indices] = change.point_labels()
    return pd.DataFrame({who: column for who, column in current.items()}, index=pd.RangeIndex(n), dtype=object)


def fleiss_kappa(counts) -> float:
    """Fleiss' kappa from an items x categories matrix of how many raters chose each category
    (every item rated by the same number of raters, at least two). NaN when chance agreement is 1.

    kappa = (P - Pe) / (1 - Pe), P the mean per-item share of agreeing rater pairs, Pe the sum of
    squared category shares (Fleiss 1971).
    """
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 2 or counts.shape[0] == 0:
        raise ValueError(f"counts must be a non-empty items x categories matrix, got shape {counts.shape}")
    raters = counts.sum(axis=1)
    if not np.all(raters == raters[0]) or raters[0] < 2:
        raise ValueError("every item needs the same number of raters, at least two")
    m = raters[0]
    per_item = ((counts * (counts - 1)).sum(axis=1)) / (m * (m - 1))
    shares = counts.sum(axis=0) / counts.sum()
    chance = float((shares**2).sum())
    if chance >= 1.0:
        return float("nan")
    return float((per_item.mean() - chance) / (1.0 - chance))


@dataclass(frozen=True, eq=False)  # holds arrays: compared by identity
class Agreement:
    """``labels``: each annotator's last label per point; ``pairs``: per pair of annotators the
    points both labeled, their raw agreement and Cohen's kappa; ``fleiss_kappa`` and ``n_common``:
    over the points every annotator labeled; ``per_label``: per label, positive specific agreement
    (2 x both chose it / (2 x both + only one did), pooled over pairs) and one-vs-rest Fleiss' kappa."""

    labels: pd.DataFrame
    pairs: pd.DataFrame
    fleiss_kappa: float
    n_common: int
    per_label: pd.DataFrame


def agreement(labels: pd.DataFrame) -> Agreement:
    """Agreement of the annotators in ``labels`` (columns; None = did not label).

    Kappa is NaN where it is undefined (no shared points, or every rating the same label).
    """
    names = list(labels.columns)
    if len(names) < 2:
        raise ValueError(f"agreement needs at least two annotators with labels, found {names}: "
                         "set labeler.annotator = 'name' before each person labels")
    from sklearn.metrics import cohen_kappa_score

    values = labels.to_numpy(dtype=object)
    rated = pd.notna(labels).to_numpy()
    rows, both_counts, one_counts = [], {}, {}
    for a, b in combinations(range(len(names)), 2):
        shared = rated[:, a] & rated[:, b]
        x, y = values[shared, a].astype(str), values[shared, b].astype(str)
        defined = shared.sum() > 0 and np.unique(np.concatenate([x, y])).size > 1
        kappa = float(cohen_kappa_score(x, y)) if defined else float("nan")
        rows.append({"annotator_a": names[a], "annotator_b": names[b], "shared": int(shared.sum()),
                     "agreement": float((x == y).mean()) if shared.any() else float("nan"), "cohen_kappa": kappa})
        for label in np.unique(np.concatenate([x, y])):
            both_counts[label] = both_counts.get(label, 0) + int(((x == label) & (y == label)).sum())
            one_counts[label] = one_counts.get(label, 0) + int(((x == label) != (y == label)).sum())
    pairs = pd.DataFrame(rows, columns=["annotator_a", "annotator_b", "shared", "agreement", "cohen_kappa"])
    common = rated.all(axis=1)
    table = values[common].astype(str)
    categories = sorted(set(both_counts) | set(one_counts))
    counts = np.stack([(table == c).sum(axis=1) for c in categories], axis=1) if categories else np.empty((0, 0))
    overall = fleiss_kappa(counts) if common.any() else float("nan")
    per_label = []
    for j, label in enumerate(categories):
        both, one = both_counts[label], one_counts[label]
        ovr = (fleiss_kappa(np.column_stack([counts[:, j], len(names) - counts[:, j]]))
               if common.any() else float("nan"))
        per_label.append({"label": label, "positive_agreement": 2 * both / (2 * both + one) if both + one else
                          float("nan"), "fleiss_kappa": ovr})
    per_label = pd.DataFrame(per_label, columns=["label", "positive_agreement", "fleiss_kappa"]).set_index("label")
    return Agreement(labels, pairs, overall, int(common.sum()), per_label)
