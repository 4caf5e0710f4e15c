"""Rename and merge labels as ordinary, undoable operations.

A rename (or merge) is one *assign* of the new name to every text whose label is one of the old
names, with ``relabel: [old names]`` in its record: so it is journaled (or written to the store)
before it returns, undone and redone like any assign (on a shared store, by the person who did it,
and last writer wins per text), and read by :func:`corral.review.agreement.annotator_labels` as a
rename of *every* annotator's labels (not as the renamer labeling those texts). A guideline of an
old name moves to the new one (merge: the target's own guideline wins); that is a new version of
the guidelines, which an undo of the rename does not take back. On a shared store the texts are
chosen inside the store's write lock (:class:`~corral.labels.shared.SharedSession`), so a text
someone else gave an old name just before is renamed too.

>>> from corral.labels.session import LabelSession
>>> s = LabelSession(4, ["cat", "kitty", None, "dog"])
>>> merge_labels(s, ["cat", "kitty"], "feline").count, s.labels().tolist()
(2, ['feline', 'feline', None, 'dog'])
>>> _ = s.undo(); s.labels().tolist()
['cat', 'kitty', None, 'dog']
>>> rename_label(s, "dog", "canine").label, s.counts()
('canine', {'cat': 1, 'kitty': 1, 'canine': 1})
"""

from __future__ import annotations

import numpy as np

from corral.core.validate import check_label
from corral.labels import guidelines as G


def _codes_of(session, names) -> list[int]:
    return [session.categories.index(n) for n in names if n in session.categories]


def merge_labels(session, sources, into: str):
    """Give ``into`` to every text labeled with one of ``sources``; the operation (None when no
    text has them and only the guidelines changed)."""
    into = check_label(into)
    session.sync()  # a shared store: the others' latest labels and guidelines
    if isinstance(sources, str):
        raise TypeError("merge_labels takes a list of label names to merge, e.g. ['cat', 'kitty']")
    sources = [check_label(x) for x in sources]
    rules = G.read_guidelines(session)
    unknown = [x for x in sources if x not in session.categories and x not in rules]
    if unknown or not sources:
        raise ValueError(f"no label named {unknown or sources!r}: the labels are {list(session.categories)}")
    sources = [x for x in dict.fromkeys(sources) if x != into]
    if not sources:
        raise ValueError(f"nothing to merge: every label given is already {into!r}")
    idx = np.flatnonzero(np.isin(session.codes, _codes_of(session, sources)))
    op = session.assign(idx, into, relabel=sources) if idx.size else None
    if any(x in rules for x in sources):
        moved = next(rules[x] for x in sources if x in rules)
        new = {k: v for k, v in rules.items() if k not in sources}
        new.setdefault(into, moved)
        G.set_guidelines(session, new)
    return op


def rename_label(session, old: str, new: str):
    """Rename label ``old`` to ``new`` (which must not be in use: merge into it instead)."""
    old, new = check_label(old), check_label(new)
    session.sync()
    if new in session.counts() or new in G.read_guidelines(session):
        raise ValueError(f"{new!r} is already a label: use merge_labels([{old!r}], {new!r}) to merge them")
    return merge_labels(session, [old], new)
