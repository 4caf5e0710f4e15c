"""A scikit-learn classifier whose parameters are polygons drawn on the map.

:class:`RegionClassifier` classifies map points by the regions that contain them; with a fallback
classifier it is also the rules-first model: drawn regions decide inside them, the model elsewhere.

>>> import numpy as np
>>> clf = RegionClassifier({"rain": [[(0, 0), (4, 0), (4, 4), (0, 4)]],
...                         "jazz": [[(6, 0), (9, 0), (9, 4)]]}).fit(np.zeros((1, 2)))
>>> clf.classes_.tolist()
['jazz', 'rain', 'unknown']
>>> clf.predict([[1, 1], [8, 1], [20, 20]]).tolist()
['rain', 'jazz', 'unknown']
>>> clf.predict_proba([[4.5, 2]]).round(2).tolist()  # just outside "rain": a share of it
[[0.0, 0.37, 0.63]]
"""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from corral.regions.polygons import PolygonSet, SortedPoints
from corral.regions.shapes import check_area, hull_regions, normalize_regions

ABSTAIN = "unknown"
DEFAULT_FALLOFF = 0.25  # share of the median diagonal of the regions' bounding boxes


def _label_kind(labels) -> str:
    if all(isinstance(v, str) for v in labels):
        return "str"
    if all(isinstance(v, numbers.Number) and not isinstance(v, bool) for v in labels):
        return "number"
    raise ValueError(f"labels must be all strings or all numbers, got {sorted(map(repr, labels))[:6]}")


def _sorted_classes(labels) -> np.ndarray:
    labels = list(dict.fromkeys(labels))
    _label_kind(labels)
    return np.unique(np.asarray(labels))


def _scalar(value):
    return value.item() if isinstance(value, np.generic) else value


class RegionClassifier(ClassifierMixin, BaseEstimator):
    """Classify map points by the polygons ("regions") drawn for each class.

    ``X``'s first two columns are the map's x and y. Further columns (say, the texts' embeddings)
    are not used by the regions: they are what the fallback classifier sees.

    Parameters
    ----------
    regions : dict ``{label: [polygon, ...]}`` or None
        Polygons (k x 2 vertices, map coordinates) per class. None: each class of ``y`` gets the
        convex hull of its training points (so ``fit(X, y)`` alone makes a classifier).
    fallback : "unknown" or a scikit-learn classifier
        What points in no region get. ``"unknown"`` abstains: they get the class
        ``unknown_label``. A classifier is cloned and fitted on the ``X, y`` given to :meth:`fit`
        (so ``y`` is required; on ``X[:, 2:]`` when ``X`` has more than two columns, else on
        ``X``) and decides outside the regions.
    unknown_label : str, int or None
        The abstaining class; None means ``"unknown"`` for string labels and ``-1`` for numbers.
    falloff : float or None
        Distance (map units) over which a region's pull fades outside it. None: a quarter of the
        median diagonal of the regions' bounding boxes (a typical region's size); 0: no fall-off.

    Notes
    -----
    - Containment is even-odd per polygon (a self-crossing lasso's overlapping loops cancel, so a
      ring traced around an inner loop has a hole); several polygons of one class are a union.
    - A point on an edge is inside when the polygon lies to its right, or above a horizontal
      edge (half-open, so regions sharing an edge never both claim a point on it).
    - Where regions of several classes overlap, each gets an equal share of the probability;
      ``predict`` then takes the first of them in ``classes_`` order.
    - Outside every region, class ``c`` gets ``0.5 * w_c / max(1, sum(w))`` with
      ``w_c = (1 - (d_c / falloff)**2)**2`` (``d_c``: distance to the nearest edge of a
      region of ``c``, ``w_c = 0`` beyond ``falloff``); the rest goes to the fallback. So the
      fallback always keeps at least half and ``predict`` (always a class of maximal
      probability, ties going to the fallback) gives the fallback outside the regions.
    - Polygons of zero area (vertices on one line) are refused with a ValueError.
    """

    def __init__(self, regions=None, *, fallback=ABSTAIN, unknown_label=None, falloff=None) -> None:
        self.regions = regions
        self.fallback = fallback
        self.unknown_label = unknown_label
        self.falloff = falloff

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = True
        return tags

    def fit(self, X, y=None):
        """Check the regions and set ``classes_``. ``y`` (with ``X``) trains the fallback
        classifier, or draws the regions when ``regions`` is None; otherwise it is not used, and
        ``X`` only sets ``n_features_in_``."""
        needs_y = self.regions is None or not self._abstains()
        if y is None and needs_y:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None "
                             "(y draws the regions when regions=None and trains a fallback classifier)")
        if y is None:
            X = validate_data(self, X, reset=True)
        else:
            X, y = validate_data(self, X, y, reset=True)
            check_classification_targets(y)
        _check_two_columns(X)
        if self.regions is None:
            regions = hull_regions(X[:, :2], y)
        else:
            regions = normalize_regions(self.regions)
            if not regions:
                raise ValueError("no regions: draw at least one polygon (regions={label: [polygon, ...]})")
        for label, polygons in regions.items():
            for i, polygon in enumerate(polygons):
                check_area(polygon, name=f"region {i} of label {label!r}")
        self.regions_ = regions
        labels = list(regions)
        if self._abstains():
            self.fallback_ = None
            self.unknown_label_ = self._resolve_unknown(labels)
            labels.append(self.unknown_label_)
        else:
            self.fallback_ = clone(self.fallback).fit(_features(X), y)
            labels.extend(_scalar(c) for c in self.fallback_.classes_)
        self.classes_ = _sorted_classes(labels)
        self.falloff_ = self._resolve_falloff()
        self._compile()
        return self

    def _abstains(self) -> bool:
        if isinstance(self.fallback, str):
            if self.fallback != ABSTAIN:
                raise ValueError(f"fallback must be {ABSTAIN!r} or a classifier, got {self.fallback!r}")
            return True
        if not hasattr(self.fallback, "fit") or not hasattr(self.fallback, "predict"):
            raise TypeError(f"fallback must be {ABSTAIN!r} or a scikit-learn classifier, got "
                            f"{type(self.fallback).__name__}")
        return False

    def _resolve_unknown(self, labels):
        kind = _label_kind(labels)
        unknown = self.unknown_label
        if unknown is None:
            unknown = ABSTAIN if kind == "str" else -1
        try:
            same = _label_kind([*labels, unknown]) == kind
        except ValueError:
            same = False
        if not same:
            raise ValueError(f"unknown_label={unknown!r} is not of the same kind as the labels {labels[:5]}")
        if unknown in labels:
            raise ValueError(f"unknown_label={unknown!r} is also the label of a region: choose another")
        return unknown

    def _resolve_falloff(self) -> float:
        if self.falloff is None:
            diagonals = [np.hypot(*np.ptp(p, axis=0)) for polygons in self.regions_.values() for p in polygons]
            return float(DEFAULT_FALLOFF * np.median(diagonals))
        if not isinstance(self.falloff, numbers.Real) or not np.isfinite(self.falloff) or self.falloff < 0:
            raise ValueError(f"falloff must be a finite distance >= 0 or None, got {self.falloff!r}")
        return float(self.falloff)

    def _compile(self) -> None:
        position = {_scalar(c): i for i, c in enumerate(self.classes_)}
        polygons, classes = [], []
        for label, items in self.regions_.items():
            polygons.extend(items)
            classes.extend([position[label]] * len(items))
        self._polygons = PolygonSet(polygons, classes, len(self.classes_))
        self._unknown_index = position.get(self.unknown_label_) if self.fallback_ is None else None

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: object.__getstate__ may return __dict__ itself
        state.pop("_polygons", None)  # rebuilt from regions_ (so saved files hold no engine object)
        state.pop("_unknown_index", None)
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        if hasattr(self, "regions_"):
            self._compile()

    def _points(self, X) -> np.ndarray:
        check_is_fitted(self)
        return validate_data(self, X, reset=False)

    def predict_proba(self, X) -> np.ndarray:
        """Probability per class (columns in ``classes_`` order); rules in the class docstring's Notes."""
        X = self._points(X)
        points = SortedPoints(X)
        inside = self._polygons.inside(points)
        count = inside.sum(axis=1)
        proba = inside / np.maximum(count, 1)[:, None]
        outside = count == 0
        if not outside.any():
            return proba
        near, weights = self._polygons.falloff(points, outside, self.falloff_)
        share = 0.5 * weights / np.maximum(weights.sum(axis=1), 1.0)[:, None]
        rest = 1.0 - share.sum(axis=1)
        if self.fallback_ is None:  # the fallback's part goes to the unknown class
            proba[outside, self._unknown_index] = 1.0
            share[:, self._unknown_index] += rest
            proba[near] = share
            return proba
        out = np.flatnonzero(outside)
        proba[out] = self._fallback_proba(_features(X[out]))
        proba[near] = share + rest[:, None] * proba[near]
        return proba

    def _fallback_proba(self, X) -> np.ndarray:
        columns = np.searchsorted(self.classes_, self.fallback_.classes_)
        proba = np.zeros((len(X), len(self.classes_)))
        if hasattr(self.fallback_, "predict_proba"):
            proba[:, columns] = self.fallback_.predict_proba(X)
        else:
            found = np.searchsorted(self.classes_, self.fallback_.predict(X))
            proba[np.arange(len(X)), found] = 1.0
        return proba

    def predict(self, X) -> np.ndarray:
        """The class of maximal probability (the fallback's for points in no region)."""
        X = self._points(X)
        if self.fallback_ is not None:
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
        first = self._polygons.first_inside(SortedPoints(X))
        first[first == len(self.classes_)] = self._unknown_index
        return self.classes_[first]

    def contains(self, X) -> np.ndarray:
        """Boolean (n, n_classes): whether each point is in some region of each class."""
        return self._polygons.inside(SortedPoints(self._points(X)))


def _check_two_columns(X) -> None:
    if X.shape[1] < 2:
        raise ValueError(f"regions live on a 2-D map: X needs the columns x, y, got n_features = {X.shape[1]}")


def _features(X):
    """What the fallback classifier sees: the columns after x, y, or x, y when there are no more."""
    return X[:, 2:] if X.shape[1] > 2 else X

