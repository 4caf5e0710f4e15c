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

    def doubt(self, *, cv: int = 5, n_neighbors: int = 10, use_regions: bool = True):
        """How likely each label is wrong (a DataFrame on the input's index; NaN for unlabeled
        points): the signals of :func:`corral.doubt.compute_doubt` and their mean ``doubt`` in
        [0, 1]. The drawn regions add a signal unless ``use_regions=False``."""
        from corral.doubt import compute_doubt

        regions = self.regions if use_regions else None
        table = compute_doubt(self.embeddings, self._session.labels(), coords=self.coords if regions else None,
                              regions=regions or None, cv=cv, n_neighbors=n_neighbors)
        return table.set_axis(self.index)

    def doubt_queue(self, n: int = 50, **kw):
        """The ``n`` most doubtful labeled texts (text, label, suggested label, doubt), most
        doubtful first, on the input's index. ``kw`` goes to :meth:`doubt`."""
        from corral.doubt import doubt_queue

        return doubt_queue(self.doubt(**kw), self.texts, n)

    def coverage(self, *, by: str = "cluster", grid_size: int = 8, min_cluster_size: int | None = None):
        """Texts per label (warns when imbalanced) and the share still unlabeled per suggested
        cluster (``by="cluster"``, noise as one region) or per cell of a ``grid_size`` squared
        grid over the map (``by="grid"``), the least covered first: a :class:`~corral.coverage.Coverage`."""
        from corral._validate import warn
        from corral.clusters import NOISE, NOISE_NAME
        from corral.coverage import coverage, grid_cells

        if by == "cluster":
            found = self.clusters(min_cluster_size=min_cluster_size)
            result = coverage(self._session.labels(), groups=found.assignment, names={**found.names, NOISE: NOISE_NAME})
        elif by == "grid":
            cells, bounds = grid_cells(self.coords, grid_size)
            result = coverage(self._session.labels(), groups=cells, names=bounds["name"].to_dict(),
                              extra=bounds.drop(columns="name"))
        else:
            raise ValueError(f"by must be 'cluster' or 'grid', got {by!r}")
        for message in result.warnings:
            warn(message)
        return result

    def agreement(self):
        """How well the annotators agree (an :class:`~corral.agreement.Agreement`): each one's last
        label per point from the history (``labeler.annotator = "name"`` before labeling), Cohen's
        kappa per pair, Fleiss' kappa over the points all labeled, agreement per label."""
        from corral.agreement import agreement, annotator_labels

        labels = annotator_labels(self._session.records, len(self)).set_axis(self.index)
        return agreement(labels)

    def export(self, path, format: str | None = None):
        """Write the texts, labels, other columns and each text's history (last_annotator,
        last_changed UTC, n_changes) to ``path``: CSV, parquet (needs pyarrow) or JSONL (labeled
        texts only, the shape Prodigy / Label Studio / Argilla import; see :mod:`corral.exports`).
        The format comes from the suffix unless given. Returns the path."""
        from corral.exports import export_frame, write_export

        frame = export_frame(self.texts, self._session.labels(), self.index, self._extra, self._session.records)
        return write_export(frame, path, format)
