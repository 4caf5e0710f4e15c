"""Cluster review: walk the suggested clusters one by one, label, split, skip or mark each reviewed.

Pure logic (no widgets): :meth:`corral.Labeler.review` builds a :class:`ReviewSession`, whose
widget (``session.show()``) only calls its methods. Every label goes through the Labeler (history,
undo, journal); the session's progress is journaled as state ``"review"`` (and its clusters, once
and after each split, as ``"review_clusters"``), so ``labeler.review()`` on a resumed Labeler goes
on where it stopped.

>>> import numpy as np
>>> from corral import Labeler, HashingEmbedder
>>> texts = ["rain today", "rain again", "more rain", "play jazz", "jazz please", "some jazz"]
>>> lab = Labeler(texts, embedder=HashingEmbedder(), coords=np.zeros((6, 2)))
>>> session = lab.review(clusters=[0, 0, 0, 1, 1, -1])
>>> session.current.id, session.current.size
(0, 3)
>>> _ = session.label_cluster("weather")      # labels its 3 points, marks it reviewed, moves on
>>> session.current.id, str(session.progress)
(1, '1 / 2 clusters reviewed · 50% labeled')
>>> lab.labels.tolist()[:3]
['weather', 'weather', 'weather']
"""

from __future__ import annotations

from dataclasses import dataclass, field
import numpy as np
import pandas as pd

from corral.review.order import coverage_order, default_order
from corral.review.table import NOISE, ClusterTable

STATE = "review"
CLUSTERS_STATE = "review_clusters"
UNLABELED = "(unlabeled)"


@dataclass(frozen=True)
class ClusterInfo:
    """What an ``order`` callable (and the widget) sees of one cluster."""

    id: int
    name: str
    keywords: list[str]
    members: np.ndarray = field(repr=False)
    label_counts: dict[str, int]  # labels among the members, unlabeled ones under "(unlabeled)"
    suggested: str | None = None  # the label the suggestion model gives most of its unlabeled members
    agree_share: float = float("nan")  # share of all its members whose suggestion is ``suggested``

    @property
    def size(self) -> int:
        return int(self.members.size)

    @property
    def unlabeled(self) -> int:
        return int(self.label_counts.get(UNLABELED, 0))

    @property
    def labeled_share(self) -> float:
        return 1.0 - self.unlabeled / self.size if self.size else 1.0


@dataclass(frozen=True)
class Progress:
    """How far a review went: clusters reviewed and skipped, points labeled (all, and of the
    current cluster)."""

    reviewed: int
    skipped: int
    total: int
    labeled_points: int
    points: int
    cluster_labeled_share: float | None

    @property
    def labeled_share(self) -> float:
        return self.labeled_points / self.points if self.points else 0.0

    def __str__(self) -> str:
        return f"{self.reviewed} / {self.total} clusters reviewed · {self.labeled_share:.0%} labeled"


class ReviewSession:
    """One walk through the clusters of a :class:`~corral.Labeler`. Build it with
    :meth:`corral.Labeler.review`."""

    def __init__(self, labeler, table: ClusterTable, queue: list[int], *, space: str = "map",
                 reviewed=(), skipped=(), position: int = 0, origin: str | None = None, seed: int = 0) -> None:
        self.labeler = labeler
        self.table = table
        self.queue = list(queue)
        self.space = space
        self.reviewed: set[int] = set(reviewed)
        self.skipped: set[int] = set(skipped)
        self.position = int(position)
        self.origin = origin if origin is not None else table.digest()  # the clustering it started from
        self._seed = seed
        self._samples = 0
        self._suggested_of = (None, None)  # (fit, its suggested label per point): read once per fit

    # -- building -----------------------------------------------------------------------------
    @classmethod
    def start(cls, labeler, order=None, *, clusters=None, space: str = "map", include_noise: bool = False,
              restart: bool = False) -> "ReviewSession":
        """Resume the journaled review when there is one (and ``clusters`` is not a different
        clustering), else start a new one; ``order`` re-sorts the clusters not reviewed yet."""
        saved, saved_table = labeler.session.state.get(STATE), labeler.session.state.get(CLUSTERS_STATE)
        table = None if clusters is None else ClusterTable.from_clusters(clusters, len(labeler))
        if saved and saved_table and not restart:
            stored = ClusterTable.from_json(saved_table)
            if table is None or table.digest() == saved.get("origin"):
                session = cls(labeler, stored, saved["queue"], space=saved.get("space", space),
                              reviewed=saved["reviewed"], skipped=saved["skipped"], position=saved["position"],
                              origin=saved.get("origin"))
                if order is not None:
                    session.reorder(order)
                return session
        if table is None:
            table = ClusterTable.from_clusters(labeler.clusters(space=space), len(labeler))
        session = cls(labeler, table, table.ids(include_noise=include_noise), space=space)
        session.reorder(default_order if order is None else order, save=False)
        with labeler.session.issued_by("review" if restart else labeler.session.via):
            session._save_clusters()  # a restart is a person's choice: never taken for a re-run
            session._save()
        return session

    def reorder(self, order, *, save: bool = True) -> None:
        """Sort the clusters not reviewed yet by ``order``: a callable ``ClusterInfo -> sort key``
        or a list of cluster ids (only those are then left to review, in that order)."""
        done = [c for c in self.queue if c in self.reviewed]
        rest = [c for c in self.queue if c not in self.reviewed]
        if isinstance(order, str):
            order = self._named_order(order, rest)
        if callable(order):
            rest.sort(key=lambda cid: order(self.info(cid)))
        elif isinstance(order, (list, tuple, np.ndarray, pd.Index)):
            wanted = [int(c) for c in order]
            unknown = sorted(set(wanted) - set(self.table.ids(include_noise=True)))
            if unknown:
                raise KeyError(f"no cluster has the id(s) {unknown}; ids: {self.table.ids()}")
            if len(set(wanted)) != len(wanted):
                raise ValueError("order lists a cluster id more than once")
            rest = [c for c in wanted if c not in self.reviewed]
        else:
            raise TypeError(f"order must be a callable (cluster info -> sort key) or a list of cluster ids, "
                            f"got {type(order).__name__}")
        self.queue = done + rest
        self.position = len(done) if rest else max(len(self.queue) - 1, 0)
        if save:
            self._save()

    # -- reading ------------------------------------------------------------------------------
    def info(self, cid: int) -> ClusterInfo:
        members = self.table.members(cid)
        session = self.labeler.session
        codes = session.codes[members]
        per_code = np.bincount(codes[codes >= 0], minlength=len(session.categories))
        order = np.argsort(-per_code, kind="stable")  # most frequent label first
        counts = {session.categories[c]: int(per_code[c]) for c in order if per_code[c]}
        if (codes < 0).any():
            counts[UNLABELED] = int((codes < 0).sum())
        suggested, agree = self._suggestion(members, codes)
        return ClusterInfo(id=int(cid), name=self.table.name(cid), keywords=list(self.table.keywords.get(cid, [])),
                           members=members, label_counts=counts, suggested=suggested, agree_share=agree)

    def _suggestion(self, members, codes):
        """The suggestion model's label for a cluster (its unlabeled members' most common
        suggestion, all members' when none is unlabeled) and the share of members it gives it. Uses
        the newest fit without waiting for a refit of the latest labels (the first fit aside)."""
        session = self.labeler.session
        if np.unique(session.codes[session.codes >= 0]).size < 2 or not members.size:
            return None, float("nan")
        service = self.labeler._learner()
        fit = service.latest() or service.get()
        if self._suggested_of[0] is not fit:  # one frame per fit, not one per cluster
            self._suggested_of = (fit, fit.frame()["suggested"].to_numpy(dtype=object))
        suggested = self._suggested_of[1][members]
        pool = suggested[codes < 0] if (codes < 0).any() else suggested
        pool = pool[pd.notna(pool)]
        if not pool.size:
            return None, float("nan")
        names, counts = np.unique(pool.astype(str), return_counts=True)
        best = str(names[counts.argmax()])
        return best, float((suggested == best).mean())

    def _named_order(self, name: str, rest: list[int]) -> list[int]:
        if name == "default":
            return sorted(rest, key=lambda cid: default_order(self.info(cid)))
        if name != "coverage":
            raise TypeError(f"unknown review order {name!r}: 'default', 'coverage', a callable or a list of ids")
        coords = np.asarray(self.labeler.coords, dtype=np.float64)
        clusters = [c for c in rest if c != NOISE]
        if not clusters:
            return rest
        first = min(clusters, key=lambda cid: default_order(self.info(cid)))
        centroids = {c: coords[self.table.members(c)].mean(axis=0) for c in clusters}
        return coverage_order(centroids, first) + [c for c in rest if c == NOISE]

    @property
    def done(self) -> bool:
        """Whether every cluster in the queue is reviewed."""
        return all(c in self.reviewed for c in self.queue)

    @property
    def current(self) -> ClusterInfo | None:
        """The cluster under review (None once the queue is empty)."""
        return self.info(self.queue[self.position]) if self.queue else None

    @property
    def progress(self) -> Progress:
        codes = self.labeler.session.codes
        current = self.current
        return Progress(reviewed=sum(c in self.reviewed for c in self.queue),
                        skipped=sum(c in self.skipped and c not in self.reviewed for c in self.queue),
                        total=len(self.queue), labeled_points=int((codes >= 0).sum()), points=int(codes.size),
                        cluster_labeled_share=None if current is None else current.labeled_share)

    def sample(self, n: int = 8, *, resample: bool = False) -> list[str]:
        """Up to ``n`` texts of the current cluster (the same ones until ``resample=True``)."""
        current = self.current
        if current is None:
            return []
        self._samples += bool(resample)
        rng = np.random.default_rng([self._seed, current.id + 1, self._samples])
        picked = np.sort(rng.choice(current.members, size=min(n, current.size), replace=False))
        return [self.labeler.texts[i] for i in picked]

    # -- actions ------------------------------------------------------------------------------
    def label_cluster(self, label: str, *, advance: bool = True, source: str = "cluster"):
        """Label every point of the current cluster (one undoable operation), mark it reviewed
        and (with ``advance``) move to the next cluster to review. Returns the history entry."""
        current = self._need_current()
        op = self.labeler.assign(current.members, label, source=source)
        self.reviewed.add(current.id)
        self.skipped.discard(current.id)
        if advance:
            self._advance()
        self._save(label=op.label)
        return op

    def relabels(self, label: str, points=None) -> int:
        """How many of ``points`` (default: the current cluster's) already carry a label other
        than ``label``: what labeling them would overwrite."""
        points = self._need_current().members if points is None else np.asarray(points, dtype=np.int64)
        codes = self.labeler.session.codes[points]
        names = self.labeler.session.categories
        keep = names.index(label) if label in names else -2
        return int(((codes >= 0) & (codes != keep)).sum())

    def accept_suggestion(self, *, advance: bool = True):
        """Label the current cluster with its suggested label (:attr:`ClusterInfo.suggested`), like
        :meth:`label_cluster` but recorded with source "suggestion". Returns the history entry."""
        current = self._need_current()
        if current.suggested is None:
            raise ValueError(f"cluster {current.name!r} has no suggestion yet: the model needs at least two "
                             "labels in use")
        return self.label_cluster(current.suggested, advance=advance, source="suggestion")

    def label_selection(self, label: str):
        """Label the points of the map selection that belong to the current cluster (a lasso
        inside it); the cluster stays current. Returns the history entry."""
        current = self._need_current()
        inside = np.intersect1d(self.labeler.selection, current.members)
        if not inside.size:
            raise ValueError(f"the map selection holds none of cluster {current.name!r}'s points: "
                             "lasso some of them first")
        op = self.labeler.assign(inside, label, source="lasso")
        self._save(label=op.label)
        return op

    def split(self, *, min_cluster_size: int | None = None) -> list[int]:
        """Cluster the current cluster's points again; its sub-clusters take its place in the
        queue (the first becomes current). Returns their ids."""
        from corral.review.split import split_points

        current = self._need_current()
        if current.size < 4:
            raise ValueError(f"cluster {current.name!r} has {current.size} points: too few to split")
        X = self.labeler.coords if self.space == "map" else self.labeler.embeddings
        texts = [self.labeler.texts[i] for i in current.members]
        sub, names, keywords = split_points(np.asarray(X)[current.members], texts,
                                            min_cluster_size=min_cluster_size, parent=current.name)
        new_ids = self.table.replace(current.id, sub, names=names, keywords=keywords)
        self.queue[self.position:self.position + 1] = new_ids
        self.skipped.discard(current.id)
        self._save_clusters()
        self._save()
        return new_ids

    def skip(self):
        """Leave the current cluster for later (it comes back once the others are reviewed)."""
        current = self._need_current()
        self.skipped.add(current.id)
        self._advance()
        self._save()
        return self.current

    def mark_reviewed(self):
        """Mark the current cluster reviewed as it is and move to the next one to review."""
        current = self._need_current()
        self.reviewed.add(current.id)
        self.skipped.discard(current.id)
        self._advance()
        self._save()
        return self.current

    def next(self):
        """Move to the next cluster in the queue (reviewed or not)."""
        return self._go(self.position + 1)

    def previous(self):
        """Move to the previous cluster in the queue."""
        return self._go(self.position - 1)

    def go_to(self, cid: int):
        """Move to cluster ``cid``."""
        if cid not in self.queue:
            raise KeyError(f"cluster {cid} is not in this review's queue")
        return self._go(self.queue.index(cid))

    def outlines(self) -> list[dict]:
        """``[{id, name, polygon, center}]``: the convex hull of each cluster on the map."""
        from corral.review.table import cluster_outlines

        return cluster_outlines(np.asarray(self.labeler.coords), self.table)

    # -- display ------------------------------------------------------------------------------
    def show(self, **kwargs):
        """The review widget (progress, the cluster's texts and make-up, actions, the map), made by
        the Labeler's UI layer (this module stays free of widgets)."""
        return self.labeler.review_widget(self, **kwargs)

    def _repr_mimebundle_(self, **kwargs):
        return self.show()._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        current = self.current
        where = "done" if self.done else f"at {current.name!r}" if current else "empty"
        return f"<corral.review.session.ReviewSession: {self.progress}, {where}>"

    # -- internals ----------------------------------------------------------------------------
    def _need_current(self) -> ClusterInfo:
        current = self.current
        if current is None:
            raise RuntimeError("there is no cluster to review")
        return current

    def _go(self, position: int):
        if self.queue:
            self.position = min(max(position, 0), len(self.queue) - 1)
            self._save()
        return self.current

    def _advance(self) -> None:
        """Current = the next cluster neither reviewed nor skipped (after the current one, then
        from the start), else the first skipped one; stays put when everything is reviewed."""
        n = len(self.queue)
        ring = [(self.position + k) % n for k in range(1, n + 1)]
        for wanted in (lambda c: c not in self.reviewed and c not in self.skipped,
                       lambda c: c not in self.reviewed):
            found = next((p for p in ring if wanted(self.queue[p])), None)
            if found is not None:
                self.position = found
                return

    def _save(self, label: str | None = None) -> None:
        state = {"version": 1, "origin": self.origin, "space": self.space,
                 "queue": [int(c) for c in self.queue], "position": self.position,
                 "reviewed": sorted(int(c) for c in self.reviewed),
                 "skipped": sorted(int(c) for c in self.skipped)}
        self.labeler.session.set_state(STATE, state, label=label, count=len(state["reviewed"]))

    def _save_clusters(self) -> None:
        self.labeler.session.set_state(CLUSTERS_STATE, self.table.to_json(), count=len(self.table.ids()))


__all__ = ["ClusterInfo", "NOISE", "Progress", "ReviewSession", "default_order"]
