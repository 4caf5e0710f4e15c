"""Dask: embedding and the sampled map on a real LocalCluster (2 worker processes, 1 thread each)
give the single-process results, and embeddings land in the client's on-disk cache."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from corral import SentenceTransformerEmbedder
from corral.data.distributed import DaskEmbedder, embed, read_texts
from corral.data.sampled import SampledUMAPProjector
from corral.datasets import load_snips


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as c:
        yield c


def test_read_texts_takes_lists_frames_dask_and_parquet(tmp_path):
    import dask.dataframe as dd

    df = pd.DataFrame({"text": ["rain today", "play jazz", "book a table"], "n": [1, 2, 3]})
    df.iloc[:2].to_parquet(tmp_path / "a.parquet")
    df.iloc[2:].to_parquet(tmp_path / "b.parquet")
    want = df.text.tolist()
    assert read_texts(want) == want and read_texts(df.text) == want and read_texts(df) == want
    assert read_texts(dd.from_pandas(df, npartitions=2)) == want
    assert read_texts([tmp_path / "a.parquet", tmp_path / "b.parquet"]) == want
    assert read_texts(str(tmp_path / "a.parquet")) == want[:2]
    with pytest.raises(ValueError, match="no column 'body'"):
        read_texts(df, column="body")


@pytest.mark.model
def test_dask_embeddings_equal_single_process_and_fill_the_cache(client, monkeypatch):
    texts = load_snips(n=120).text.tolist()
    local = SentenceTransformerEmbedder().encode(texts, cache=False)
    remote = embed(client, pd.DataFrame({"text": texts + texts[:5]}), chunk_size=32)  # duplicates embedded once
    np.testing.assert_allclose(remote[: len(texts)], local, atol=1e-5)
    np.testing.assert_array_equal(remote[len(texts):], remote[:5])
    # the client's cache now holds them: a plain local embedder encodes nothing
    monkeypatch.setattr(SentenceTransformerEmbedder, "_encode", lambda self, t: pytest.fail("re-encoded"))
    np.testing.assert_array_equal(SentenceTransformerEmbedder().encode(texts), remote[: len(texts)])
    # each worker process loaded the model once, though it ran several chunks
    loaded = client.run(lambda: len(__import__("corral.data.distributed", fromlist=["_LOADED"])._LOADED))
    assert len(loaded) == 2 and all(v <= 1 for v in loaded.values()) and sum(loaded.values()) >= 1


def test_dask_embedder_ships_no_loaded_model(client):
    e = DaskEmbedder(client, "fast")
    e.embedder._model = object()  # stands for a loaded model in the notebook: must not be pickled
    import pickle

    assert pickle.loads(pickle.dumps(e.embedder))._model is None


def test_sampled_map_on_dask_equals_the_local_one(client):
    rng = np.random.default_rng(0)
    centers = rng.normal(scale=6, size=(4, 16))
    truth = np.repeat(np.arange(4), 150)
    X = (centers[truth] + rng.normal(size=(600, 16))).astype(np.float32)
    params = dict(sample_size=200, chunk_size=100, random_state=0, n_epochs=50, metric="euclidean", cache=False)
    local = SampledUMAPProjector(**params).fit_transform(X)
    remote = SampledUMAPProjector(client=client, **params).fit_transform(X)
    np.testing.assert_allclose(remote, local, atol=1e-4)
    # and it is a map: transformed points sit nearer their own cluster's sample points
    sample = SampledUMAPProjector(**params).sample_positions(600)
    rest = np.setdiff1d(np.arange(600), sample)
    centroids = np.array([remote[sample][truth[sample] == k].mean(0) for k in range(4)])
    nearest = np.argmin(((remote[rest, None, :] - centroids[None]) ** 2).sum(-1), axis=1)
    assert (nearest == truth[rest]).mean() > 0.95


def test_sampled_projector_refuses_bad_sizes():
    with pytest.raises(ValueError, match="sample_size must be >= 32"):
        SampledUMAPProjector(sample_size=5)
