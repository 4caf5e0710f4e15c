"""Drawn decision regions and the scikit-learn classifiers made from them: polygon sets
(:mod:`~corral.regions.shapes`), the vectorised containment engine, :class:`RegionClassifier`,
the text -> embedding -> map pipeline behind ``Labeler.to_classifier``, and saving without pickle.

May import: ``corral.core``, ``corral.data``, ``corral.labels``.

>>> import numpy as np
>>> from corral.regions import central_hull
>>> central_hull(np.random.default_rng(0).normal(size=(50, 2))).shape[1]
2
"""

from corral.regions.shapes import central_hull, hull_regions, normalize_regions

__all__ = ["central_hull", "hull_regions", "normalize_regions"]
