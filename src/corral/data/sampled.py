"""A UMAP map of many points: fit on a fixed random sample, ``transform`` the rest in chunks,
locally or on a ``dask.distributed`` cluster (same chunks, so the same map either way).

UMAP's fit grows faster than linearly with the points; its ``transform`` of new points against a
fitted map is cheap and independent per chunk, so it spreads across workers.

>>> import numpy as np
>>> X = np.random.default_rng(0).normal(size=(60, 5)).astype("float32")
>>> p = SampledUMAPProjector(sample_size=40, chunk_size=10, random_state=0, n_epochs=20)
>>> p.sample_positions(60)[:5].tolist()
[0, 1, 2, 4, 5]
>>> len(p.chunks(np.arange(20)))
2
"""

from __future__ import annotations

import numpy as np

from corral.core.sampling import fixed_sample
from corral.core.validate import check_matrix
from corral.data.projectors import UMAPProjector


def _transform_chunk(model, X: np.ndarray) -> np.ndarray:
    return np.asarray(model.transform(X), dtype=np.float32)


class SampledUMAPProjector(UMAPProjector):
    """UMAP fitted on ``sample_size`` points (drawn with ``random_state``, default 0), the others
    placed with the fitted map's ``transform`` in chunks of ``chunk_size`` rows, on ``client``'s
    workers when a ``dask.distributed.Client`` is given. Other parameters are
    :class:`~corral.UMAPProjector`'s; with at most ``sample_size`` points it is a plain UMAP fit.
    """

    def __init__(self, sample_size: int = 50_000, *, client=None, chunk_size: int = 20_000,
                 random_state: int | None = 0, progress: bool = False, **umap_params) -> None:
        super().__init__(random_state=random_state, **umap_params)
        if sample_size < 32 or chunk_size < 1:
            raise ValueError(f"sample_size must be >= 32 and chunk_size >= 1, got {sample_size}, {chunk_size}")
        self.sample_size = int(sample_size)
        self.chunk_size = int(chunk_size)
        self.client = client
        self.progress = progress

    def sample_positions(self, n: int) -> np.ndarray:
        """Sorted row positions of the fitting sample among ``n`` rows (fixed by ``random_state``)."""
        return fixed_sample(n, self.sample_size, 0 if self.random_state is None else self.random_state)

    def chunks(self, positions: np.ndarray) -> list[np.ndarray]:
        return [positions[i : i + self.chunk_size] for i in range(0, len(positions), self.chunk_size)]

    def fit_transform(self, X) -> np.ndarray:
        X = check_matrix(X, n=None, name="embeddings")
        n = X.shape[0]
        inner = UMAPProjector(**self._params(), cache=self.cache)
        if n <= self.sample_size:
            self._inner = inner
            self.n_features_in_ = X.shape[1]
            self.coords_ = inner.fit_transform(X)
            return self.coords_
        sample = self.sample_positions(n)
        rest = np.setdiff1d(np.arange(n), sample, assume_unique=True)
        coords = np.empty((n, 2), dtype=np.float32)
        coords[sample] = inner.fit_transform(X[sample])
        self._inner, self.n_features_in_ = inner, X.shape[1]
        self.coords_ = coords  # fitted: transform() works from here on
        coords[rest] = self.transform(X[rest])
        return coords

    def transform(self, X) -> np.ndarray:
        if not hasattr(self, "_inner"):
            raise RuntimeError("this projector is not fitted yet: call fit_transform first")
        X = check_matrix(X, n=None, name="embeddings", ncols=self.n_features_in_)
        model = self._model()
        parts = self.chunks(np.arange(X.shape[0]))
        if self.client is None:
            from tqdm.auto import tqdm

            out = [_transform_chunk(model, X[p]) for p in tqdm(parts, disable=not self.progress, desc="placing points")]
        else:
            from corral.data.distributed import map_chunks

            out = map_chunks(self.client, _transform_chunk, [X[p] for p in parts], shared=model,
                             progress=self.progress, desc="placing points")
        return np.concatenate(out) if out else np.empty((0, 2), dtype=np.float32)

    def _model(self):
        inner = self._inner
        if getattr(inner, "model_", None) is None:
            inner.transform(np.zeros((1, self.n_features_in_), dtype=np.float32))  # loads the cached model
        return inner.model_
