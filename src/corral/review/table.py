"""The clusters a review session walks: an assignment per point plus names and keywords, which
splits rewrite, kept as JSON in the journal so a resumed session sees exactly the same clusters.

>>> table = ClusterTable.from_assignment([0, 0, 1, 1, -1], names={0: "rain", 1: "jazz"})
>>> table.ids(), table.members(1).tolist(), table.name(0)
([0, 1], [2, 3], 'rain')
>>> ClusterTable.from_json(table.to_json()).members(0).tolist()
[0, 1]
>>> table.replace(0, [0, 1], names=["drizzle", "storm"])
[2, 3]
>>> table.assignment.tolist(), table.name(3)
([2, 3, 1, 1, -1], 'storm')
"""

from __future__ import annotations

import base64
import hashlib
import zlib

import numpy as np

from corral.review.clusters import NOISE, NOISE_NAME, convex_hull, group_members


class ClusterTable:
    """Cluster id per point (``-1``: in no cluster), each cluster's name and keywords."""

    def __init__(self, assignment: np.ndarray, names: dict[int, str], keywords: dict[int, list[str]]) -> None:
        self.assignment = assignment
        self.names = names
        self.keywords = keywords
        self._groups: dict[int, np.ndarray] | None = None  # members per id, rebuilt after a split

    @classmethod
    def from_assignment(cls, assignment, names=None, keywords=None) -> "ClusterTable":
        a = np.asarray(assignment)
        if a.ndim != 1 or not np.issubdtype(a.dtype, np.integer):
            raise TypeError(f"a cluster assignment must be one integer per point, got {a.dtype} {a.shape}")
        if a.size and a.min() < NOISE:
            raise ValueError(f"cluster ids must be >= 0 (or -1 for no cluster), got {int(a.min())}")
        return cls(a.astype(np.int64), {int(k): str(v) for k, v in (names or {}).items()},
                   {int(k): [str(w) for w in v] for k, v in (keywords or {}).items()})

    @classmethod
    def from_clusters(cls, clusters, n: int) -> "ClusterTable":
        """From :class:`corral.review.clusters.Clusters` (or anything with ``assignment``) or an array."""
        assignment = getattr(clusters, "assignment", clusters)
        table = cls.from_assignment(assignment, getattr(clusters, "names", None), getattr(clusters, "keywords", None))
        if table.assignment.shape != (n,):
            raise ValueError(f"the clusters cover {table.assignment.size} points, the Labeler has {n}")
        if not table.ids():
            raise ValueError("there are no clusters to review (every point is noise)")
        return table

    # -- reading ------------------------------------------------------------------------------
    def ids(self, *, include_noise: bool = False) -> list[int]:
        groups = self._members_by_id()
        ids = sorted(c for c in groups if c != NOISE)
        return ids + [NOISE] if include_noise and NOISE in groups else ids

    def members(self, cid: int) -> np.ndarray:
        return self._members_by_id().get(int(cid), np.empty(0, dtype=np.intp))

    def _members_by_id(self) -> dict[int, np.ndarray]:
        if self._groups is None:
            self._groups = group_members(self.assignment)
        return self._groups

    def name(self, cid: int) -> str:
        return NOISE_NAME if cid == NOISE else self.names.get(cid) or f"cluster {cid}"

    def digest(self) -> str:
        return hashlib.sha1(self.assignment.astype("<i8").tobytes()).hexdigest()[:16]

    # -- splitting ----------------------------------------------------------------------------
    def replace(self, cid: int, sub_assignment, names=None, keywords=None) -> list[int]:
        """Give cluster ``cid``'s members (in order) the sub-cluster of ``sub_assignment``
        (0..k-1); each sub-cluster gets a new id. Returns the new ids in sub-cluster order."""
        members = self.members(cid)
        sub = np.asarray(sub_assignment, dtype=np.int64)
        if sub.shape != members.shape or sub.min() < 0:
            raise ValueError("a split must give every member of the cluster a sub-cluster")
        parts = np.unique(sub)
        start = max(int(self.assignment.max()), 0) + 1
        new_ids = [start + i for i in range(len(parts))]
        self.assignment[members] = np.asarray(new_ids)[np.searchsorted(parts, sub)]
        self._groups = None
        for k, new in enumerate(new_ids):
            self.names[new] = names[k] if names is not None else f"{self.name(cid)} / {k + 1}"
            self.keywords[new] = list(keywords[k]) if keywords is not None else []
        return new_ids

    # -- JSON (the journal) -------------------------------------------------------------------
    def to_json(self) -> dict:
        packed = zlib.compress(self.assignment.astype("<i4").tobytes(), 6)
        return {"assignment": base64.b64encode(packed).decode("ascii"),
                "names": {str(k): v for k, v in self.names.items()},
                "keywords": {str(k): v for k, v in self.keywords.items()}}

    @classmethod
    def from_json(cls, value: dict) -> "ClusterTable":
        codes = np.frombuffer(zlib.decompress(base64.b64decode(value["assignment"])), dtype="<i4")
        return cls.from_assignment(codes.astype(np.int64), {int(k): v for k, v in value["names"].items()},
                                   {int(k): v for k, v in value["keywords"].items()})


def cluster_outlines(coords: np.ndarray, table) -> list[dict]:
    """``[{id, name, polygon (k x 2), center}]``: each cluster's convex hull
    (:func:`corral.review.clusters.convex_hull`; clusters of fewer than 3 points, or on one line, have none)."""
    out = []
    for cid in table.ids():
        pts = coords[table.members(cid)]
        polygon = convex_hull(pts)
        if len(polygon) < 3:
            continue
        out.append({"id": cid, "name": table.name(cid), "polygon": polygon, "center": np.median(pts, axis=0)})
    return out
