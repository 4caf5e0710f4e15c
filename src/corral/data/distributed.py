"""Embedding on a ``dask.distributed`` cluster: :class:`DaskEmbedder` wraps any embedder.

The client's process keeps the one on-disk cache: it de-duplicates the texts, looks them up,
sends only the missing ones to the workers in chunks, and stores each chunk's vectors as it comes
back (with a progress bar). Workers load the model once per process (a cached loader keyed by
the embedder's identity; the embedder is shipped as a recipe, never as a loaded model) and use as
many CPU threads as the worker has. :func:`read_texts` takes a list, a pandas Series/DataFrame, a
dask DataFrame or parquet file(s). dask is imported only when used.

May import: ``corral.core`` and ``corral.data``.

>>> read_texts(["a", "b"]), read_texts(__import__("pandas").DataFrame({"text": ["c"]}))
(['a', 'b'], ['c'])
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from corral.core.validate import check_matrix
from corral.data.embedders import Embedder, SentenceTransformerEmbedder, _progress, as_embedder

_LOADED: dict = {}  # in each worker process: embedder identity -> loaded embedder


def read_texts(data, column: str = "text") -> list[str]:
    """Texts from a list, a pandas Series/DataFrame (``column``), a dask DataFrame/Series, or the
    path(s) of parquet files (``column``)."""
    if isinstance(data, (str, os.PathLike)) or (isinstance(data, (list, tuple)) and data
                                                and all(isinstance(d, os.PathLike) or (isinstance(d, str) and d.endswith(".parquet")) for d in data)):
        paths = [data] if isinstance(data, (str, os.PathLike)) else list(data)
        frames = [pd.read_parquet(p, columns=[column]) for p in paths]
        return pd.concat(frames)[column].tolist()
    if type(data).__module__.startswith("dask"):
        data = data.compute()
    if isinstance(data, pd.DataFrame):
        if column not in data.columns:
            raise ValueError(f"no column {column!r} in the frame (columns: {list(data.columns)})")
        data = data[column]
    return data.tolist() if isinstance(data, pd.Series) else list(data)


def _worker_embedder(embedder: Embedder) -> Embedder:
    """The embedder loaded once in this worker process (with the worker's thread count)."""
    key = (type(embedder).__name__, embedder.cache_key, getattr(embedder, "backend", None))
    if key[1] is None:
        return embedder
    if key not in _LOADED:
        if isinstance(embedder, SentenceTransformerEmbedder) and embedder.threads is None:
            embedder.threads = _worker_threads()
        _LOADED[key] = embedder
    return _LOADED[key]


def _worker_threads() -> int | None:
    try:
        from distributed import get_worker

        return int(get_worker().state.nthreads)
    except Exception:  # not on a worker (e.g. a synchronous test client)
        return None


def _embed_chunk(embedder: Embedder, texts: list[str]) -> np.ndarray:
    return _worker_embedder(embedder).encode(texts, progress=False, cache=False)


def completed_chunks(client, fn, chunks: list, *, shared=None):
    """``(i, fn(shared, chunks[i]))`` for each chunk as its task on ``client``'s workers finishes
    (in completion order); ``shared`` is sent to every worker once, not with each task."""
    from distributed import as_completed

    shared_f = client.scatter(shared, broadcast=True) if shared is not None else None
    futures = [client.submit(fn, shared_f, c, pure=False) for c in chunks]
    index = {f.key: i for i, f in enumerate(futures)}
    for f in as_completed(futures):
        yield index[f.key], f.result()


def map_chunks(client, fn, chunks: list, *, shared=None, progress: bool = True, desc: str = "chunks") -> list:
    """``[fn(shared, chunk) for chunk in chunks]`` on ``client``'s workers, in order."""
    out: list = [None] * len(chunks)
    bar = _progress(len(chunks), progress, desc)
    try:
        for i, result in completed_chunks(client, fn, chunks, shared=shared):
            out[i] = result
            bar.update(1)
    finally:
        bar.close()
    return out


class DaskEmbedder(Embedder):
    """``embedder`` (anything :func:`~corral.as_embedder` takes, e.g. ``"fast"``) run on the workers
    of ``client`` (a ``dask.distributed.Client``), ``chunk_size`` texts per task. Use it as
    ``Labeler(texts, embedder=DaskEmbedder(client, "fast"))``; its vectors share the cache of
    ``embedder``'s model.
    """

    def __init__(self, client, embedder=None, *, chunk_size: int = 2048, progress: bool | None = None) -> None:
        if chunk_size < 1:
            raise ValueError(f"chunk_size must be >= 1, got {chunk_size}")
        self.client = client
        self.embedder = as_embedder(embedder)
        self.chunk_size = int(chunk_size)
        self.progress = progress

    @property
    def cache_key(self) -> str | None:
        return self.embedder.cache_key

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self._encode_missing(texts, np.arange(len(texts)), None, None, None, False)

    def _encode_missing(self, uniques, todo, vectors, store, keys, progress) -> np.ndarray:
        parts = [todo[i : i + self.chunk_size] for i in range(0, len(todo), self.chunk_size)]
        show = self.progress if self.progress is not None else (progress if progress is not None else len(todo) >= 2048)
        chunks = [[uniques[i] for i in p] for p in parts]
        bar = _progress(len(todo), show, f"{type(self.embedder).__name__} on dask")
        try:
            for i, result in completed_chunks(self.client, _embed_chunk, chunks, shared=self.embedder):
                p = parts[i]
                out = check_matrix(result, n=len(p), name="embedder output")
                if vectors is None:
                    vectors = np.empty((len(uniques), out.shape[1]), dtype=np.float32)
                vectors[p] = out
                if store is not None:  # each finished chunk is kept, even if a later one fails
                    store.add(keys[p], out)
                bar.update(len(p))
        finally:
            bar.close()
        return vectors


def embed(client, data, embedder=None, *, column: str = "text", chunk_size: int = 2048,
          progress: bool | None = None) -> np.ndarray:
    """Embed the texts of ``data`` (see :func:`read_texts`) on ``client``'s workers."""
    return DaskEmbedder(client, embedder, chunk_size=chunk_size, progress=progress).encode(
        read_texts(data, column))


__all__ = ["DaskEmbedder", "completed_chunks", "embed", "map_chunks", "read_texts"]
