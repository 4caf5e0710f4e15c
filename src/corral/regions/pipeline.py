"""Classifiers for new raw texts, built from a Labeler's drawn regions (see ``Labeler.to_classifier``).

The pipeline steps wrap what the Labeler already has: :class:`TextEmbedder` (its embedder),
:class:`MapProjector` (its fitted map projection) and :class:`MapAndEmbedding` (both side by side,
for the rules-first model). :func:`build_classifier` assembles them.

>>> import corral
>>> texts = [f"{w} number {i}" for i, w in enumerate(["rain", "jazz"] * 20)]
>>> lab = corral.Labeler(texts, embedder=corral.HashingEmbedder(), coords=[[i % 2, i] for i in range(40)])
>>> lab.regions = {"rain": [[(-0.5, -1), (0.5, -1), (0.5, 50), (-0.5, 50)]],
...                "jazz": [[(0.5, -1), (1.5, -1), (1.5, 50), (0.5, 50)]]}
>>> clf = lab.to_classifier(space="embedding")
>>> clf.predict(["rain number 7", "jazz number 100"]).tolist()
['rain', 'jazz']
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from corral.core.validate import check_texts
from corral.data.embedders import as_embedder
from corral.regions.estimator import RegionClassifier

SPACES = ("map", "embedding")
OUTSIDE = ""  # the class of points in no region: never a region's label (labels are non-blank)


class TextEmbedder(TransformerMixin, BaseEstimator):
    """Pipeline step: raw texts -> embeddings, with a corral embedder (see ``corral.as_embedder``)."""

    def __init__(self, embedder=None) -> None:
        self.embedder = embedder

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        return tags

    def fit(self, X=None, y=None):
        self.embedder_ = as_embedder(self.embedder)
        return self

    def transform(self, X) -> np.ndarray:
        check_is_fitted(self)
        return self.embedder_.encode(check_texts(X))


def _is_fitted_projector(projector) -> bool:
    return hasattr(projector, "coords_") and hasattr(projector, "transform")


class MapProjector(TransformerMixin, BaseEstimator):
    """Pipeline step: embeddings -> map coordinates (n x 2) with a corral projector.

    A fitted projector (the Labeler's) is used as it is (not refitted); an unfitted one is copied
    and the copy fitted on ``X`` (``projector`` itself is left untouched). The embeddings it was
    fitted on are kept (``embeddings_``) so the map can be rebuilt on loading.
    """

    def __init__(self, projector=None) -> None:
        self.projector = projector

    def fit(self, X, y=None):
        from corral.data.projectors import UMAPProjector

        projector = self.projector if self.projector is not None else UMAPProjector()
        if not _is_fitted_projector(projector):
            projector = clone(projector, safe=False)  # a deep copy for non-sklearn projectors
            projector.fit_transform(X)
        self.projector_ = projector
        self.embeddings_ = np.asarray(X, dtype=np.float32)
        self.n_features_in_ = self.embeddings_.shape[1]
        return self

    def transform(self, X) -> np.ndarray:
        check_is_fitted(self)
        return self.projector_.transform(X)


class MapAndEmbedding(MapProjector):
    """Pipeline step: embeddings -> ``[x, y, embedding...]`` (the rules-first model's input)."""

    def transform(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float32)
        return np.hstack([super().transform(X), X])


def default_estimator():
    """The model fitted in embedding space unless another is given."""
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(max_iter=1000)


def region_training_set(regions, coords: np.ndarray, labels=None):
    """Positions and labels of the points the regions cover (where regions of several labels
    overlap, the first label in sorted order, as ``RegionClassifier.predict``); with ``labels``
    (per point, None/NaN where unlabeled), hand labels are added and win over the regions."""
    inside = RegionClassifier(regions, falloff=0, unknown_label=OUTSIDE).fit(coords[:1])
    contains = inside.contains(coords)
    covered = contains.any(axis=1)
    y = np.full(len(coords), None, dtype=object)
    y[covered] = inside.classes_.astype(object)[contains[covered].argmax(axis=1)]
    if labels is not None:
        labels = np.asarray(labels, dtype=object)
        hand = pd.notna(labels)
        y[hand] = labels[hand]
        covered = covered | hand
    idx = np.flatnonzero(covered)
    return idx, y[idx].astype(str)


def build_classifier(labeler, *, space: str = "map", estimator=None, rules_first: bool = False,
                     include_labels: bool = False, falloff=None, unknown_label=None) -> Pipeline:
    """The fitted Pipeline behind ``Labeler.to_classifier`` (documented there)."""
    if space not in SPACES:
        raise ValueError(f"space must be one of {SPACES}, got {space!r}")
    _check_region_options(space, estimator, rules_first, falloff, unknown_label)
    regions = labeler.regions
    if not regions:
        raise ValueError("no regions drawn yet: draw some on the map (draw mode) or set labeler.regions = "
                         "{label: [polygon, ...]}")
    if labeler.embedder is None:
        raise RuntimeError("this Labeler has no embedder (it was given embeddings only): a classifier of "
                           "raw texts needs one; build the Labeler with embedder=...")
    needs_map = space == "map" or rules_first
    if needs_map and not _is_fitted_projector(labeler.projector):
        labeler.coords  # wait for the projection, if it is running
    if needs_map and not _is_fitted_projector(labeler.projector):
        raise RuntimeError("this Labeler's map was given as coords=, so there is no projection to place new "
                           "texts on it: use space='embedding' (and rules_first=False)")
    embed = ("embed", TextEmbedder(labeler.embedder).fit())
    coords = labeler.coords
    if space == "map" and estimator is None:
        clf = RegionClassifier(regions, falloff=falloff, unknown_label=unknown_label).fit(coords)
        return Pipeline([embed, ("map", MapProjector(labeler.projector).fit(labeler.embeddings)), ("regions", clf)])
    idx, y = region_training_set(regions, coords, labeler.labels.to_numpy(dtype=object) if include_labels else None)
    if len(set(y)) < 2:
        raise ValueError(f"the regions cover points of {len(set(y))} label(s): a model needs at least two")
    model = estimator if estimator is not None else default_estimator()
    emb = labeler.embeddings
    if space == "map":
        clf = RegionClassifier(regions, fallback=model, falloff=falloff).fit(coords[idx], y)
        return Pipeline([embed, ("map", MapProjector(labeler.projector).fit(emb)), ("regions", clf)])
    if rules_first:
        X = np.hstack([coords[idx], emb[idx]])
        clf = RegionClassifier(regions, fallback=model, falloff=falloff).fit(X, y)
        return Pipeline([embed, ("map_and_embedding", MapAndEmbedding(labeler.projector).fit(emb)),
                         ("regions", clf)])
    return Pipeline([embed, ("model", clone(model).fit(emb[idx], y))])


def _check_region_options(space, estimator, rules_first, falloff, unknown_label) -> None:
    """Refuse ``falloff``/``unknown_label`` where no RegionClassifier would use them."""
    if falloff is not None and space == "embedding" and not rules_first:
        raise ValueError("falloff= shapes the drawn regions' pull, but space='embedding' without "
                         "rules_first=True has no region step: drop falloff= or pass rules_first=True")
    if unknown_label is not None and (estimator is not None or space == "embedding"):
        raise ValueError("unknown_label= names the class of points in no region, but here a model decides "
                         "there (an estimator, or space='embedding'): drop unknown_label=")
