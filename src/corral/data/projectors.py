"""Projectors turn embeddings into 2-D map coordinates (float32), with a fast first view.

:class:`UMAPProjector` fits UMAP (cached on disk by its inputs, deterministic with a seed) and
offers :meth:`~UMAPProjector.first_view`, a PCA layout computed in a fraction of a second so a map
can be shown while UMAP runs, and :meth:`~UMAPProjector.transform` to place new points.

>>> import numpy as np
>>> X = np.random.default_rng(0).normal(size=(10, 5)).astype("float32")
>>> UMAPProjector().first_view(X).shape
(10, 2)
"""

from __future__ import annotations


import numpy as np

from corral.data.cache import ProjectionCache, digest
from corral.core.validate import check_matrix, warn

MIN_UMAP_POINTS = 32  # below this, UMAP's neighbour graph is meaningless: a PCA layout is used


class PCALayout:
    """PCA to 2-D, padded with zeros when the data has fewer than 2 directions.

    >>> PCALayout().fit_transform(np.ones((1, 3))).tolist()
    [[0.0, 0.0]]
    """

    def fit(self, X: np.ndarray) -> "PCALayout":
        from sklearn.decomposition import PCA

        k = min(2, X.shape[0], X.shape[1])
        self.pca_ = PCA(n_components=k, random_state=0).fit(X) if X.shape[0] > 1 else None
        self.mean_ = X.mean(axis=0)
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        out = np.zeros((X.shape[0], 2), dtype=np.float32)
        if self.pca_ is not None:
            t = self.pca_.transform(X)
            out[:, : t.shape[1]] = t
        return out

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        return self.fit(X).transform(X)


class UMAPProjector:
    """UMAP to 2-D with a PCA first view, an on-disk cache and ``transform`` for new points.

    Parameters are UMAP's (``n_neighbors``, ``min_dist``, ``metric``, ``n_epochs``, ``init``);
    ``random_state`` makes the map reproducible (UMAP then runs single-threaded, about 2x slower).
    ``cache=False`` turns the on-disk cache off.
    """

    def __init__(self, n_neighbors: int = 15, min_dist: float = 0.1, metric: str = "cosine",
                 random_state: int | None = None, n_epochs: int | None = None, init: str = "spectral",
                 cache: bool = True) -> None:
        self.n_neighbors = n_neighbors
        self.min_dist = min_dist
        self.metric = metric
        self.random_state = random_state
        self.n_epochs = n_epochs
        self.init = init
        self.cache = cache

    def _params(self) -> dict:
        return dict(n_neighbors=self.n_neighbors, min_dist=self.min_dist, metric=self.metric,
                    random_state=self.random_state, n_epochs=self.n_epochs, init=self.init)

    def first_view(self, X) -> np.ndarray:
        """A quick PCA layout of ``X`` (float32 n x 2), for a map in well under a second."""
        X = check_matrix(X, n=None, name="embeddings")
        return PCALayout().fit_transform(X)

    def fit_transform(self, X) -> np.ndarray:
        """Fit the projection on ``X`` and return its coordinates (float32 n x 2)."""
        X = check_matrix(X, n=None, name="embeddings")
        self.n_features_in_ = X.shape[1]
        if X.shape[0] < MIN_UMAP_POINTS:
            warn(
                f"only {X.shape[0]} points: the map is a PCA layout (UMAP needs at least {MIN_UMAP_POINTS})")
            self.model_ = PCALayout().fit(X)
            self.coords_ = self.model_.transform(X)
            return self.coords_
        store = ProjectionCache(self._cache_key(X)) if self.cache else None
        coords = store.load_coords() if store else None
        if coords is not None and coords.shape == (X.shape[0], 2):
            self._store, self.model_ = store, None  # the model is loaded only if transform() needs it
        else:
            self.model_ = self._umap().fit(X)
            coords = np.asarray(self.model_.embedding_, dtype=np.float32)
            if store:
                store.save(coords, self.model_)
        self.coords_ = coords.astype(np.float32)
        return self.coords_

    def transform(self, X) -> np.ndarray:
        """Place new points on the fitted map (float32 n x 2)."""
        if not hasattr(self, "coords_"):
            raise RuntimeError("this projector is not fitted yet: call fit_transform first")
        X = check_matrix(X, n=None, name="embeddings", ncols=self.n_features_in_)
        if self.model_ is None:
            self.model_ = self._store.load_model()
            if self.model_ is None:
                raise RuntimeError("the cached map has no saved model to place new points; refit with cache=False")
        return np.asarray(self.model_.transform(X), dtype=np.float32)

    def _umap(self):
        try:
            import umap
        except ImportError:
            raise ImportError("the map needs umap-learn: pip install umap-learn") from None
        params = self._params()
        return umap.UMAP(n_components=2, low_memory=True, n_jobs=1 if self.random_state is not None else -1,
                         **params)

    def _cache_key(self, X: np.ndarray) -> str:
        import importlib.metadata as md

        return digest(X, sorted(self._params().items()), md.version("umap-learn"))
