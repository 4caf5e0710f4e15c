"""Suggested clusters: density clusters (scikit-learn's HDBSCAN) named by their distinctive words.

Names come from class-based TF-IDF: the texts of each cluster are pooled into one document, word
counts are weighted by ``log(1 + mean words per cluster / word frequency over all clusters)``, and
the highest-weighted words of a cluster (English stop words removed) are its keywords.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = np.vstack([rng.normal(0, .1, (30, 2)), rng.normal(5, .1, (30, 2))])
>>> texts = ["play some jazz music"] * 30 + ["weather forecast for rain"] * 30
>>> found = suggest_clusters(X, texts, min_cluster_size=10)
>>> found.ids, found.sizes
([0, 1], {0: 30, 1: 30})
>>> sorted(found.keywords[1][:2]), found.names[0].count(" · ")
(['forecast', 'rain'], 2)
>>> found.members(1)[:3]
array([30, 31, 32])
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

N_KEYWORDS = 8
N_NAME_WORDS = 3
NOISE = -1


@dataclass(frozen=True, eq=False)  # holds arrays: compared by identity
class Clusters:
    """Cluster per point (``assignment``, -1 = noise), with each cluster's keywords, name and size."""

    assignment: np.ndarray
    ids: list[int]
    keywords: dict[int, list[str]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    sizes: dict[int, int] = field(default_factory=dict)

    def members(self, cid: int) -> np.ndarray:
        """Positions of the points in cluster ``cid`` (``-1``: the noise points)."""
        if cid != NOISE and cid not in self.sizes:
            raise KeyError(f"no cluster {cid!r} (ids: {self.ids[:20]})")
        return np.flatnonzero(self.assignment == cid)

    def hull(self, cid: int, coords) -> np.ndarray:
        """The convex hull (k x 2 vertices, counter-clockwise) of cluster ``cid`` in ``coords``
        (n x 2). Fewer than three distinct points or collinear ones give those points as they are."""
        coords = np.asarray(coords, dtype=np.float64)
        if coords.ndim != 2 or coords.shape != (self.assignment.size, 2):
            raise ValueError(f"coords must be {self.assignment.size} x 2, got shape {coords.shape}")
        points = np.unique(coords[self.members(cid)], axis=0)
        if len(points) < 3:
            return points
        from scipy.spatial import ConvexHull, QhullError

        try:
            return points[ConvexHull(points).vertices]
        except QhullError:  # all on one line: its two ends
            order = np.lexsort(points.T[::-1])
            return points[order[[0, -1]]]

    def to_frame(self) -> pd.DataFrame:
        """One row per cluster (index ``cluster``): name, size, keywords; largest first."""
        rows = [{"cluster": c, "name": self.names.get(c, ""), "size": self.sizes[c],
                 "keywords": ", ".join(self.keywords.get(c, []))} for c in self.ids]
        frame = pd.DataFrame(rows, columns=["cluster", "name", "size", "keywords"]).set_index("cluster")
        return frame.sort_values("size", ascending=False, kind="stable")


def default_min_cluster_size(n: int) -> int:
    """The minimum cluster size used when none is given: 1% of the points, within [5, 100].

    >>> default_min_cluster_size(200), default_min_cluster_size(3000), default_min_cluster_size(10**6)
    (5, 30, 100)
    """
    return int(min(100, max(5, round(n * 0.01))))


def suggest_clusters(X, texts, *, min_cluster_size: int | None = None, random_state: int = 0) -> Clusters:
    """Density clusters of the rows of ``X`` (map coordinates or embeddings), named from ``texts``.

    ``min_cluster_size`` defaults to :func:`default_min_cluster_size`. HDBSCAN itself is
    deterministic; ``random_state`` is kept for callers that pass it and for future subsampling.
    """
    from sklearn.cluster import HDBSCAN

    X = np.asarray(X, dtype=np.float64)
    texts = list(texts)
    if X.ndim != 2 or X.shape[0] != len(texts):
        raise ValueError(f"X must have one row per text ({len(texts)}), got shape {X.shape}")
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or infinite values")
    n = X.shape[0]
    size = default_min_cluster_size(n) if min_cluster_size is None else int(min_cluster_size)
    if size < 2:
        raise ValueError(f"min_cluster_size must be at least 2, got {min_cluster_size}")
    if n < size:
        return Clusters(np.full(n, NOISE, dtype=np.int64), [])
    assignment = HDBSCAN(min_cluster_size=size, copy=True).fit_predict(X).astype(np.int64)
    ids = sorted(int(c) for c in np.unique(assignment) if c != NOISE)
    sizes = {c: int((assignment == c).sum()) for c in ids}
    keywords = class_keywords(texts, assignment, ids)
    names = {c: " · ".join(words[:N_NAME_WORDS]) if words else f"cluster {c}" for c, words in keywords.items()}
    return Clusters(assignment, ids, keywords, names, sizes)


def class_keywords(texts, assignment, ids, top: int = N_KEYWORDS) -> dict[int, list[str]]:
    """Top ``top`` words per cluster by class-based TF-IDF (English stop words removed).

    >>> class_keywords(["red apple", "green apple", "fast car", "red car"], np.array([0, 0, 1, 1]), [0, 1], 2)
    {0: ['apple', 'green'], 1: ['car', 'fast']}
    """
    from sklearn.feature_extraction.text import CountVectorizer

    if not ids:
        return {}
    assignment = np.asarray(assignment)
    docs = [" ".join(texts[i] for i in np.flatnonzero(assignment == c)) for c in ids]
    vectorizer = CountVectorizer(stop_words="english")
    try:
        counts = vectorizer.fit_transform(docs).toarray().astype(np.float64)
    except ValueError:  # only stop words or no words at all
        return {c: [] for c in ids}
    words = vectorizer.get_feature_names_out()
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
    mean_words = counts.sum() / len(ids)
    idf = np.log1p(mean_words / np.maximum(counts.sum(axis=0), 1.0))
    weights = tf * idf
    out = {}
    for row, c in enumerate(ids):
        order = np.lexsort((words, -weights[row]))  # highest weight first, ties alphabetical
        out[c] = [str(words[j]) for j in order[:top] if counts[row, j] > 0]
    return out
