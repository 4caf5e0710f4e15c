"""Walk a labeling queue one small group at a time: label a selection of it, accept its suggestion, skip, undo.

Pure logic (no widgets): :meth:`corral.Labeler.queue_session` builds a :class:`QueueSession`;
its widget (``session.show()``) only calls its methods. Each item is a group of alike texts from
:meth:`corral.Labeler.queue` (``"explore"`` by default, see :mod:`corral.learn.groups`). Every
decision goes through the Labeler (history, undo, journal, source "queue" or "suggestion"); the
walk (texts offered and not labeled, the current group, the decisions) is journaled as state
``"queue"``, so ``labeler.queue_session()`` on a resumed Labeler goes on where it stopped.

>>> import numpy as np
>>> from corral import Labeler, HashingEmbedder
>>> texts = ["rain today", "rain again", "more rain", "play jazz", "jazz please", "some jazz"]
>>> lab = Labeler(texts, embedder=HashingEmbedder(), coords=np.zeros((6, 2)))
>>> walk = lab.queue_session(group=3)
>>> item = walk.current
>>> sorted(item.texts) == sorted(texts[i] for i in item.positions), len(item.positions) <= 3
(True, True)
>>> _ = walk.label("first", item.positions[:2])   # the texts that belong; the others are passed over
>>> walk.decisions, int(lab.labels.notna().sum())
(1, 2)
>>> _ = walk.undo()                                # the label and the group come back
>>> walk.decisions, int(lab.labels.notna().sum()), walk.current.positions.tolist() == item.positions.tolist()
(0, 0, True)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from corral.learn.queues import rank

STATE = "queue"
LABEL_KINDS = ("assign", "assign_many", "clear", "undo", "redo")


@dataclass(frozen=True)
class QueueItem:
    """One group offered for one decision."""

    positions: np.ndarray = field(repr=False)
    texts: list[str]
    suggested: str | None  # the model's most common label in the group, None before a model
    confidence: np.ndarray = field(repr=False)  # the model's confidence per text (NaN before a model)
    agree: np.ndarray = field(default=None, repr=False)  # per text: whether the model gives it ``suggested``


class QueueSession:
    """One walk through :meth:`corral.Labeler.queue`. Build it with :meth:`corral.Labeler.queue_session`."""

    def __init__(self, labeler, strategy: str = "explore", group: int = 10, *, model=None, seen=(), current=None,
                 past=()) -> None:
        self.labeler = labeler
        self.strategy, self.group, self.model = strategy, int(group), model
        self.seen: set[int] = {int(i) for i in seen}  # offered and left unlabeled: not offered again
        self._current = None if current is None else [int(i) for i in current]
        self.past: list[dict] = [dict(p) for p in past]  # per decision: its group, what it passed over, its op
        self._frame = None

    @classmethod
    def start(cls, labeler, strategy: str = "explore", group: int = 10, *, model=None,
              restart: bool = False) -> "QueueSession":
        """Resume the journaled walk when there is one of the same strategy and group size (and not
        ``restart``), else start a new one."""
        saved = labeler.session.state.get(STATE)
        if saved and not restart and saved.get("strategy") == strategy and saved.get("group") == group:
            return cls(labeler, strategy, group, model=model, seen=saved["seen"], current=saved["current"],
                       past=saved["past"])
        session = cls(labeler, strategy, group, model=model)
        with labeler.session.issued_by("queue" if restart else labeler.session.via):
            session._save()  # a restart is a person's choice: never taken for a re-run of the history
        return session

    # -- reading ------------------------------------------------------------------------------
    @property
    def decisions(self) -> int:
        return len(self.past)

    @property
    def current(self) -> QueueItem | None:
        """The group to decide on (None when every text is labeled or was offered)."""
        codes = self.labeler.session.codes
        if self._current is not None and not (codes[self._current] < 0).any():
            self._current = None  # labeled elsewhere meanwhile (the map, code): offer the next group
        if self._current is None:
            self._current = self._next()
            if self._current is not None:
                self._save()
        if self._current is None:
            return None
        positions = np.array([i for i in self._current if codes[i] < 0], dtype=np.int64)
        fit = self._fit()
        self._frame = None if fit is None else fit.frame()
        texts = [self.labeler.texts[i] for i in positions]
        if self._frame is None:
            return QueueItem(positions, texts, None, np.full(positions.size, np.nan), np.zeros(positions.size, bool))
        suggested = self._frame["suggested"].to_numpy(dtype=object)[positions]
        given = suggested[pd.notna(suggested)].astype(str)
        if not given.size:
            return QueueItem(positions, texts, None, np.full(positions.size, np.nan), np.zeros(positions.size, bool))
        names, counts = np.unique(given, return_counts=True)
        best = str(names[counts.argmax()])
        return QueueItem(positions=positions, texts=texts, suggested=best,
                         confidence=self._frame["confidence"].to_numpy()[positions], agree=suggested == best)

    @property
    def progress(self) -> str:
        codes = self.labeler.session.codes
        return f"{self.decisions:,} decisions · {(codes >= 0).mean() if codes.size else 0:.0%} labeled"

    # -- actions ------------------------------------------------------------------------------
    def label(self, label: str, positions=None):
        """Give ``label`` to ``positions`` of the current group (default: all of it; others are an
        error) as one undoable operation; the rest of the group is passed over. Returns the operation."""
        item = self._need_current()
        chosen = item.positions if positions is None else np.asarray(positions, dtype=np.int64).reshape(-1)
        stray = np.setdiff1d(chosen, item.positions)
        if stray.size:
            raise ValueError(f"positions {stray[:10].tolist()} are not in the current group {item.positions.tolist()}")
        if not chosen.size:
            raise ValueError("no text chosen: tick the texts that belong, or skip the group")
        if not isinstance(label, str) or not label.strip():
            raise ValueError(f"the label must be a non-empty string, got {label!r}")
        op = self.labeler.assign(chosen, label.strip(), source="queue")
        return self._decided(item, chosen, op)

    def accept_suggestion(self):
        """Label the texts of the current group the model gives its suggestion (:attr:`QueueItem.agree`)
        with it (source "suggestion"), exactly as shown (StaleSuggestions if the model changed since);
        the others are passed over. Returns the operation."""
        shown = self._frame  # what the last look at :attr:`current` showed (a refit may have landed since)
        item = self._need_current()
        if item.suggested is None:
            raise ValueError("this group has no suggestion yet: the model needs at least two labels in use")
        chosen = item.positions[item.agree]
        op = self.labeler.accept_suggestions(chosen, min_confidence=0.0, model=self.model,
                                             suggestions=self._frame if shown is None else shown)
        return self._decided(item, chosen, op)

    def skip(self):
        """Label nothing of the current group; it is not offered again. Returns the next group."""
        self._decided(self._need_current(), np.empty(0, dtype=np.int64), None)
        return self.current

    def undo(self):
        """Take the last decision back (its labels too) and offer its group again. Returns it."""
        if not self.past:
            raise RuntimeError("no decision of this queue to undo")
        last = self.past.pop()
        if last["op"] is not None:
            ops = [o for o in self.labeler.session.history if o.kind in LABEL_KINDS]
            if not ops or ops[-1].seq != last["op"]:
                self.past.append(last)
                raise RuntimeError("other label changes came after this queue's last decision: undo those first")
            self.labeler.undo()
        self.seen.difference_update(last["passed"])
        self._current = list(last["group"])
        self._save()
        return self.current

    # -- display ------------------------------------------------------------------------------
    def show(self, **kwargs):
        """The queue widget (made by the Labeler's UI layer; this module stays free of widgets)."""
        return self.labeler.review_widget(self, **kwargs)

    def _repr_mimebundle_(self, **kwargs):
        return self.show()._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"<corral.review.queue_session.QueueSession {self.strategy!r}, group={self.group}: {self.progress}>"

    # -- internals ----------------------------------------------------------------------------
    def _next(self):
        lab, fit = self.labeler, self._fit()
        frame = None if fit is None else fit.frame()
        table = rank(self.strategy, frame, lab.session.labels(), lab.texts, 1, embeddings=lab.embeddings,
                     group=self.group, seen=sorted(self.seen))
        return table["group"].iloc[0] if len(table) else None

    def _fit(self):
        """The newest suggestion fit without waiting for a refit of the latest labels (as the review
        does; the first fit aside, and none for "diversity", which needs no model)."""
        service = self.labeler._learner()  # noqa: SLF001 - the Labeler's one suggestion service
        if self.model is not None:
            return service.get(self.model)
        return service.latest() or (None if self.strategy == "diversity" else service.get())

    def _need_current(self) -> QueueItem:
        item = self.current
        if item is None:
            raise RuntimeError("the queue is empty: every text is labeled or was offered")
        return item

    def _decided(self, item: QueueItem, chosen, op):
        passed = sorted(set(item.positions.tolist()) - set(np.asarray(chosen).tolist()))
        self.seen.update(passed)
        self.past.append({"group": list(self._current), "passed": passed, "op": None if op is None else op.seq})
        self._current = None
        self._save(label=None if op is None else op.label)
        return op

    def _save(self, label: str | None = None) -> None:
        state = {"version": 1, "strategy": self.strategy, "group": self.group, "seen": sorted(self.seen),
                 "current": self._current, "past": self.past}
        self.labeler.session.set_state(STATE, state, label=label, count=len(self.past))


__all__ = ["QueueItem", "QueueSession"]
