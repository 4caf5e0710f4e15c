"""Consensus of independent annotators: a label per text by majority vote, ties flagged, optionally
weighted by each annotator's reliability.

``labels`` is the table :func:`corral.review.agreement.annotator_labels` gives (texts x annotators,
None where an annotator did not label the text).

- **Majority** (default): the label with the most votes; ``tie`` when two or more labels share the
  top count (``label`` is then None: a tie is for a person to decide, see ``adjudicate``).
- **Weighted** (``weighted=True``): a simple CROWDLAB-style weighting, *without* a model's
  predictions (cleanlab's CROWDLAB also mixes in a classifier; corral does not): each annotator's
  reliability is how often their label matches the majority of the *other* annotators, over the
  texts where those others have a clear (untied) majority; an annotator with no such texts gets
  the mean reliability of the others (1.0 when nobody has any). Votes then count by
  reliability; ``agreement`` is the winner's share of the weight.

>>> import pandas as pd
>>> table = pd.DataFrame({"ana": ["x", "x", "y", None], "ben": ["x", "y", "y", None],
...                       "cy": ["x", None, "z", None]})
>>> consensus(table)[["label", "votes", "agreement", "tie"]].values.tolist()
[['x', 3, 1.0, False], [None, 2, 0.5, True], ['y', 3, 0.6666666666666666, False], [None, 0, nan, False]]
>>> t = pd.DataFrame({"ana": ["x", "y", "x", "y", "x"], "ben": ["x", "y", "x", "y", None],
...                   "cy": ["y", "x", "x", None, "y"]})
>>> reliability(t).round(2).to_dict()
{'ana': 0.67, 'ben': 1.0, 'cy': 0.25}
>>> bool(consensus(t)["tie"].iloc[4]), consensus(t, weighted=True)["label"].iloc[4]
(True, 'x')
"""

from __future__ import annotations

import numpy as np
import pandas as pd

COLUMNS = ["label", "votes", "agreement", "tie", "n_labels"]


def _tally(row, weights) -> dict:
    out: dict = {}
    for who, value in row.items():
        if value is not None and not (isinstance(value, float) and np.isnan(value)):
            out[value] = out.get(value, 0.0) + weights[who]
    return out


def _winner(tally: dict):
    """(label or None, top weight, tie)."""
    if not tally:
        return None, 0.0, False
    top = max(tally.values())
    best = [k for k, v in tally.items() if np.isclose(v, top)]
    return (best[0] if len(best) == 1 else None), top, len(best) > 1


def reliability(labels: pd.DataFrame) -> pd.Series:
    """Per annotator: the share of their labels that match the other annotators' clear majority."""
    ones = {who: 1.0 for who in labels.columns}
    hits = {who: 0 for who in labels.columns}
    seen = {who: 0 for who in labels.columns}
    for _, row in labels.iterrows():
        for who in labels.columns:
            mine = row[who]
            if mine is None or (isinstance(mine, float) and np.isnan(mine)):
                continue
            label, _, tie = _winner(_tally(row.drop(who), ones))
            if label is not None and not tie:
                seen[who] += 1
                hits[who] += int(label == mine)
    known = {who: hits[who] / seen[who] for who in labels.columns if seen[who]}
    fallback = float(np.mean(list(known.values()))) if known else 1.0
    return pd.Series({who: known.get(who, fallback) for who in labels.columns}, name="reliability", dtype=float)


def consensus(labels: pd.DataFrame, *, weighted: bool = False) -> pd.DataFrame:
    """Per text (on ``labels``' index): ``label`` (None on a tie or with no votes), ``votes`` (how
    many annotators labeled it), ``agreement`` (the winner's share of the votes, or of the weight
    when ``weighted``), ``tie`` and ``n_labels`` (distinct labels given). With ``weighted`` the
    reliabilities used are in ``result.attrs["reliability"]``."""
    weights = reliability(labels) if weighted else pd.Series(1.0, index=labels.columns)
    rows = []
    for _, row in labels.iterrows():
        tally = _tally(row, weights)
        label, top, tie = _winner(tally)
        total = sum(tally.values())
        rows.append((label, sum(1 for v in row if v is not None and not (isinstance(v, float) and np.isnan(v))),
                     top / total if total else float("nan"), tie, len(tally)))
    frame = pd.DataFrame(rows, columns=COLUMNS, index=labels.index)
    frame["label"] = frame["label"].astype(object).where(frame["label"].notna(), None)
    frame["votes"] = frame["votes"].astype("int64")
    frame["n_labels"] = frame["n_labels"].astype("int64")
    frame["tie"] = frame["tie"].astype(bool)
    if weighted:
        frame.attrs["reliability"] = weights.to_dict()
    return frame


def disagreements(labels: pd.DataFrame) -> np.ndarray:
    """Positions of the texts at least two annotators labeled differently (for adjudication):
    vectorised over the table, no consensus computed.

    >>> t = pd.DataFrame({"ana": ["x", "x", None, "y"], "ben": ["x", "y", "y", None], "cy": [None, "x", None, "z"]})
    >>> disagreements(t).tolist()
    [1, 3]
    """
    if labels.shape[1] < 2:
        return np.empty(0, dtype=np.int64)
    codes = pd.factorize(labels.to_numpy(dtype=object).ravel())[0].reshape(labels.shape)  # None: -1
    given = codes >= 0
    lowest = np.where(given, codes, np.iinfo(codes.dtype).max).min(axis=1)
    return np.flatnonzero(lowest < codes.max(axis=1))  # two different labels given (none given: max -1)
