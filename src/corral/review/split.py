"""Splitting one cluster of a review into sub-clusters that cover all of its points.

Density clustering (:func:`corral.review.clusters.suggest_clusters`) on the cluster's own points first;
its noise points join the nearest sub-cluster, so a split never drops a point. When the points
hold no two dense groups, k-means with k=2 splits them anyway (asked to split, we split).

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = np.vstack([rng.normal(0, 0.3, (40, 2)), rng.normal(6, 0.3, (40, 2))])
>>> texts = ["rain cloud"] * 40 + ["jazz band"] * 40
>>> sub, names, keywords = split_points(X, texts, parent="mixed")
>>> sorted(np.bincount(sub).tolist()), len(names) == len(keywords) == 2
([40, 40], True)
"""

from __future__ import annotations

import numpy as np


def split_points(X: np.ndarray, texts: list[str], *, min_cluster_size: int | None = None,
                 parent: str = "cluster") -> tuple[np.ndarray, list[str], list[list[str]]]:
    """(sub-cluster 0..k-1 per point, k names, k keyword lists) with k >= 2."""
    from corral.review.clusters import class_keywords, cluster_name, suggest_clusters

    n = len(texts)
    size = min_cluster_size if min_cluster_size is not None else max(3, n // 10)
    found = suggest_clusters(X, texts, min_cluster_size=min(size, max(2, n // 2)))
    sub = np.asarray(found.assignment, dtype=np.int64)
    if len(np.unique(sub[sub >= 0])) < 2:
        from sklearn.cluster import KMeans

        sub = KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(X).astype(np.int64)
        keywords = class_keywords(texts, sub, [0, 1])
        return sub, [cluster_name(keywords[k], f"{parent} / {k + 1}") for k in range(2)], [keywords[0], keywords[1]]
    ids = [int(c) for c in np.unique(sub[sub >= 0])]
    noise = sub < 0
    if noise.any():  # each noise point joins the sub-cluster with the nearest centroid
        centroids = np.stack([X[sub == c].mean(axis=0) for c in ids])
        nearest = np.argmin(((X[noise][:, None, :] - centroids[None]) ** 2).sum(axis=2), axis=1)
        sub[noise] = np.asarray(ids)[nearest]
    names = [found.names.get(c) or f"{parent} / {k + 1}" for k, c in enumerate(ids)]
    keywords = [list(found.keywords.get(c, [])) for c in ids]
    return np.searchsorted(ids, sub).astype(np.int64), names, keywords

