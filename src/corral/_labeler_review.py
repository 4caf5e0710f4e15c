"""The Labeler's review tools: suggested clusters, doubt, coverage, agreement and exports
(mixed into :class:`corral.Labeler`)."""

from __future__ import annotations


class ReviewMixin:
    def clusters(self, *, space: str = "map", min_cluster_size: int | None = None, refresh: bool = False):
        """Suggested clusters (:class:`~corral.clusters.Clusters`) of the texts on the map
        (``space="map"``) or in embedding space (``"embedding"``), named by their distinctive
        words. Cached per parameters; ``refresh=True`` recomputes."""
        from corral.clusters import suggest_clusters

        if space not in ("map", "embedding"):
            raise ValueError(f"space must be 'map' or 'embedding', got {space!r}")
        cache = self.__dict__.setdefault("_clusters_cache", {})
        key = (space, min_cluster_size)
        if refresh or key not in cache:
            X = self.coords if space == "map" else self.embeddings
            cache[key] = suggest_clusters(X, self.texts, min_cluster_size=min_cluster_size)
        return cache[key]
