"""Suggested clusters: density clusters (scikit-learn's HDBSCAN) named by their distinctive words.

Names come from class-based TF-IDF: the texts of each cluster are pooled into one document, word
counts are weighted by ``log(1 + mean words per cluster / word frequency over all clusters)``, and
the highest-weighted words of a cluster are its keywords. Left out: scikit-learn's English stop
words, the auxiliary verbs it lacks and the pieces contractions break into (``doesn't`` ->
"doesn", ``I'll`` -> "ll"; see :data:`STOP_WORDS`). Words sharing a stem count as one
(:func:`stem`: a plural or "-ing" ending), shown as their most frequent form. Above
:data:`SAMPLE_SIZE` points, HDBSCAN runs on a fixed sample and the rest join their nearest sample
point's cluster (:func:`assign_to_sample`), so a million points take seconds, not hours.

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
from functools import cached_property

import numpy as np
import pandas as pd

from corral.core.sampling import fixed_sample

#: Auxiliaries and contraction fragments that scikit-learn's English list lacks.
CONTRACTION_WORDS = frozenset("""
    does doesn doesnt did didn didnt do don dont hasn hasnt haven havent hadn hadnt isn isnt aren arent
    wasn wasnt weren werent won wont wouldn wouldnt couldn couldnt shouldn shouldnt mustn mightn needn
    shan ain can cant ll ve re im ive id youre youve youll theyre weve thats whats lets let
""".split())
N_KEYWORDS = 8
N_NAME_WORDS = 3
NOISE = -1
NOISE_NAME = "(no cluster)"
#: Above this many points :func:`suggest_clusters` clusters a sample and assigns the rest.
SAMPLE_SIZE = 50_000


def cluster_name(keywords, fallback: str) -> str:
    """A cluster's name: its first :data:`N_NAME_WORDS` keywords, or ``fallback`` when it has none.

    >>> cluster_name(["rain", "cloud", "storm", "wind"], "cluster 0"), cluster_name([], "cluster 1")
    ('rain · cloud · storm', 'cluster 1')
    """
    return " · ".join(keywords[:N_NAME_WORDS]) if keywords else fallback


def group_members(assignment) -> dict[int, np.ndarray]:
    """Positions of the points per cluster id (noise included), from one stable sort.

    >>> {c: m.tolist() for c, m in group_members(np.array([1, -1, 0, 1])).items()}
    {-1: [1], 0: [2], 1: [0, 3]}
    """
    assignment = np.asarray(assignment)
    order = np.argsort(assignment, kind="stable")
    found, starts = np.unique(assignment[order], return_index=True)
    return {int(c): part for c, part in zip(found, np.split(order, starts[1:]))}


def convex_hull(points) -> np.ndarray:
    """The convex hull (k x 2 vertices, counter-clockwise) of ``points`` (n x 2). Fewer than three
    distinct points give those points as they are, collinear ones the two ends of their line.

    >>> convex_hull([[0, 0], [1, 0], [0, 1], [0.2, 0.2]]).tolist()
    [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
    >>> convex_hull([[0, 0], [1, 1], [2, 2]]).tolist()
    [[0.0, 0.0], [2.0, 2.0]]
    """
    points = np.unique(np.asarray(points, dtype=np.float64).reshape(-1, 2), axis=0)
    if len(points) < 3:
        return points
    from scipy.spatial import ConvexHull, QhullError

    try:
        return points[ConvexHull(points).vertices]
    except QhullError:  # all on one line: its two ends
        order = np.lexsort(points.T[::-1])
        return points[order[[0, -1]]]


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
        return self._groups.get(cid, np.empty(0, dtype=np.intp))

    @cached_property
    def _groups(self) -> dict[int, np.ndarray]:
        return group_members(self.assignment)

    def hull(self, cid: int, coords) -> np.ndarray:
        """The convex hull (k x 2 vertices, counter-clockwise) of cluster ``cid`` in ``coords``
        (n x 2). Fewer than three distinct points or collinear ones give those points as they are."""
        coords = np.asarray(coords, dtype=np.float64)
        if coords.ndim != 2 or coords.shape != (self.assignment.size, 2):
            raise ValueError(f"coords must be {self.assignment.size} x 2, got shape {coords.shape}")
        return convex_hull(coords[self.members(cid)])

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


def suggest_clusters(X, texts, *, min_cluster_size: int | None = None,
                     sample_size: int = SAMPLE_SIZE) -> Clusters:
    """Density clusters of the rows of ``X`` (map coordinates or embeddings), named from ``texts``.

    ``min_cluster_size`` defaults to :func:`default_min_cluster_size` (HDBSCAN is deterministic).
    Above ``sample_size`` rows, HDBSCAN runs on a fixed random sample of that many rows (its
    minimum cluster size scaled down with it, at least 5) and every other row takes the cluster of
    the nearest sample row (:func:`assign_to_sample`; noise stays noise); names come from the
    sample's texts. HDBSCAN's cost grows faster than linearly (a million points would not finish),
    this grows linearly past the sample.
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
    if sample_size < 100:
        raise ValueError(f"sample_size must be at least 100, got {sample_size}")
    if n > sample_size:
        sample = fixed_sample(n, sample_size)
        scaled = max(5, round(size * sample_size / n)) if min_cluster_size is not None else default_min_cluster_size(sample_size)
        fitted = HDBSCAN(min_cluster_size=scaled, copy=True).fit_predict(X[sample]).astype(np.int64)
        assignment = assign_to_sample(X, sample, fitted)
        texts_for_names, named = [texts[i] for i in sample], fitted
    else:
        assignment = HDBSCAN(min_cluster_size=size, copy=True).fit_predict(X).astype(np.int64)
        texts_for_names, named = texts, assignment
    per_cluster = np.bincount(assignment + 1)[1:]  # shifted by one: noise (-1) counts at 0
    ids = [int(c) for c in np.flatnonzero(per_cluster)]
    sizes = {c: int(per_cluster[c]) for c in ids}
    keywords = class_keywords(texts_for_names, named, ids)
    names = {c: cluster_name(words, f"cluster {c}") for c, words in keywords.items()}
    return Clusters(assignment, ids, keywords, names, sizes)


def assign_to_sample(X, sample, fitted, *, chunk: int = 100_000) -> np.ndarray:
    """Cluster per row of ``X``: the sample rows (positions ``sample``) keep ``fitted``, every other
    row takes the cluster (or noise) of its nearest sample row; a k-d tree in up to 16 dimensions,
    in chunks of ``chunk`` rows above that (brute force, Euclidean).

    >>> X = np.array([[0.0, 0], [10, 0], [0.5, 0], [9, 0], [30, 0]])
    >>> assign_to_sample(X, np.array([0, 1, 4]), np.array([0, 1, -1])).tolist()
    [0, 1, 0, 1, -1]
    """
    from sklearn.neighbors import NearestNeighbors

    X = np.asarray(X)
    sample = np.asarray(sample)
    out = np.empty(X.shape[0], dtype=np.int64)
    out[sample] = fitted
    rest = np.setdiff1d(np.arange(X.shape[0]), sample, assume_unique=True)
    nn = NearestNeighbors(n_neighbors=1, algorithm="kd_tree" if X.shape[1] <= 16 else "brute").fit(X[sample])
    for start in range(0, rest.size, chunk):
        part = rest[start : start + chunk]
        out[part] = fitted[nn.kneighbors(X[part], return_distance=False)[:, 0]]
    return out


def stem(word: str) -> str:
    """The key under which :func:`class_keywords` merges words: a plural "-s"/"-es"/"-ies" or an
    "-ing" ending is dropped when at least three letters remain (a simple suffix rule, no dictionary).

    >>> [stem(w) for w in ("transfers", "transfer", "charges", "boxes", "cities", "booking", "class", "bus")]
    ['transfer', 'transfer', 'charge', 'box', 'city', 'book', 'class', 'bus']
    """
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("xes", "x"), ("ches", "ch"), ("shes", "sh"),
                         ("ing", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) + len(repl) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + repl
    return word


def _merge_stems(counts, words):
    """Sum the columns of words sharing a :func:`stem`; each merged column shows its most used word."""
    from scipy.sparse import csr_matrix

    keys, column = np.unique([stem(str(w)) for w in words], return_inverse=True)
    if len(keys) == len(words):
        return counts, words
    merge = csr_matrix((np.ones(len(words)), (np.arange(len(words)), column)), shape=(len(words), len(keys)))
    totals = np.asarray(counts.sum(axis=0)).ravel()
    shown = np.empty(len(keys), dtype=object)
    for j in np.lexsort((words, -totals)):  # most used first (ties alphabetical): the first of a stem wins
        if shown[column[j]] is None:
            shown[column[j]] = str(words[j])
    return (counts @ merge).tocsr(), shown


def class_keywords(texts, assignment, ids, top: int = N_KEYWORDS) -> dict[int, list[str]]:
    """Top ``top`` words per cluster by class-based TF-IDF (stop words out, stems merged).

    >>> class_keywords(["red apple", "green apple", "fast car", "red car"], np.array([0, 0, 1, 1]), [0, 1], 2)
    {0: ['apple', 'green'], 1: ['car', 'fast']}
    >>> class_keywords(["it doesn't transfer", "transfers wasn't long", "play jazz", "jazz"],
    ...                np.array([0, 0, 1, 1]), [0, 1], 3)[0]
    ['transfer', 'long']
    """
    from sklearn.feature_extraction.text import CountVectorizer

    if not ids:
        return {}
    groups = group_members(assignment)
    empty = np.empty(0, dtype=np.intp)
    docs = [" ".join(texts[i] for i in groups.get(int(c), empty)) for c in ids]
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    vectorizer = CountVectorizer(stop_words=sorted(ENGLISH_STOP_WORDS | CONTRACTION_WORDS), token_pattern=r"(?u)\b\w\w+\b")
    try:
        counts = vectorizer.fit_transform(docs).tocsr().astype(np.float64)  # sparse: clusters x vocabulary
    except ValueError:  # only stop words or no words at all
        return {c: [] for c in ids}
    counts, words = _merge_stems(counts, vectorizer.get_feature_names_out())
    row_words = np.asarray(counts.sum(axis=1)).ravel()
    idf = np.log1p((counts.sum() / len(ids)) / np.maximum(np.asarray(counts.sum(axis=0)).ravel(), 1.0))
    out = {}
    for row, c in enumerate(ids):  # only the words each cluster uses (the stored non-zeros)
        start, end = counts.indptr[row], counts.indptr[row + 1]
        used, n_used = counts.indices[start:end], counts.data[start:end]
        weights = n_used / max(row_words[row], 1.0) * idf[used]
        order = np.lexsort((words[used], -weights))[:top]  # highest weight first, ties alphabetical
        out[c] = [str(words[j]) for j in used[order]]
    return out


class ClusterCache:
    """Suggested clusters of one Labeler, computed once per (space, min_cluster_size).

    ``coords`` and ``embeddings`` are callables, so nothing is computed before the first ask."""

    def __init__(self, texts, coords, embeddings) -> None:
        self._texts, self._X = texts, {"map": coords, "embedding": embeddings}
        self._found: dict = {}

    def get(self, space: str = "map", min_cluster_size: int | None = None, refresh: bool = False) -> Clusters:
        if space not in self._X:
            raise ValueError(f"space must be 'map' or 'embedding', got {space!r}")
        key = (space, min_cluster_size)
        if refresh or key not in self._found:
            self._found[key] = suggest_clusters(self._X[space](), self._texts, min_cluster_size=min_cluster_size)
        return self._found[key]
