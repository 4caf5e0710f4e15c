"""The Labeler's drawn regions and the classifiers made from them (mixed into :class:`corral.Labeler`)."""

from __future__ import annotations

import numpy as np

from corral.regions import Regions, copy_regions, normalize_regions, to_json


class RegionsMixin:
    @property
    def regions(self) -> Regions:
        """Drawn regions as ``{label: [k x 2 polygon, ...]}`` in map coordinates (a copy).

        Set it to replace them all (e.g. loaded from JSON); every change is journaled."""
        return copy_regions(normalize_regions(self._session.state.get("regions")))

    @regions.setter
    def regions(self, regions) -> None:
        checked = normalize_regions(regions)
        self._session.set_state("regions", to_json(checked), count=sum(len(p) for p in checked.values()))

    def label_regions(self, labels=None) -> dict[str, np.ndarray]:
        """Label the points inside the drawn regions with their region's label: one journaled,
        undoable operation per label. ``labels`` picks some region labels (default: all). Where
        regions of several chosen labels overlap, a point gets the first of them in sorted order
        (as the region classifier predicts); regions not chosen take no part. Returns ``{label:
        positions labeled}``."""
        from corral.classifier import region_training_set

        regions = self.regions
        if not regions:
            raise ValueError("no regions drawn yet: draw some on the map or set labeler.regions")
        chosen = list(regions) if labels is None else [labels] if isinstance(labels, str) else list(labels)
        missing = [name for name in chosen if name not in regions]
        if missing:
            raise KeyError(f"no region has the label(s) {missing}; drawn: {sorted(regions)}")
        idx, y = region_training_set({name: regions[name] for name in chosen}, self.coords)
        done = {}
        for name in chosen:
            positions = idx[y == name]
            if positions.size:
                self._session.assign(positions, name)
            done[name] = positions
        return done

    def to_classifier(self, space: str = "map", estimator=None, rules_first: bool = False, *,
                      include_labels: bool = False, falloff=None, unknown_label=None):
        """A fitted scikit-learn Pipeline that classifies new raw texts from the drawn regions.

        - ``space="map"``: texts -> this Labeler's embedder -> its map projection ->
          :class:`~corral.RegionClassifier` (points in no region get ``unknown_label``, or, with an
          ``estimator``, that model fitted on the map coordinates of the points the regions cover).
        - ``space="embedding"``: the regions label the points they cover, then ``estimator``
          (default ``LogisticRegression``) is fitted on their embeddings; texts -> embedder -> model.
          ``rules_first=True``: the drawn regions decide inside them, the model everywhere else.
        - ``include_labels=True`` adds the points labeled by hand to the training points (a hand
          label wins over a region). ``falloff`` goes to the RegionClassifier (space="map" or
          ``rules_first``), ``unknown_label`` too (space="map" without an ``estimator``); elsewhere
          they would have no effect and are refused with a ValueError.

        Save it without pickle with :func:`corral.save_classifier`.
        """
        from corral.classifier import build_classifier

        return build_classifier(self, space=space, estimator=estimator, rules_first=rules_first,
                                include_labels=include_labels, falloff=falloff, unknown_label=unknown_label)
