"""Embedding backends: the same model run another way gives (nearly) the same vectors, the ONNX
export happens once, and a missing onnxruntime says what to install."""

from __future__ import annotations

import pickle
import sys

import numpy as np
import pytest

import corral
from corral import SentenceTransformerEmbedder, as_embedder
from corral.data.backends import onnx_export
from corral.datasets import load_banking77, load_snips

# bench/embedding.py measured onnx-int8 against torch fp32 on SNIPS and BANKING77: mean cosine
# 0.992-0.993, min 0.979-0.985; the thresholds leave a margin under those, and far above torch-int8
# (mean 0.945, min 0.84), so a broken quantization would fail them.
INT8_MEAN, INT8_MIN = 0.985, 0.97


@pytest.fixture(scope="module")
def real_texts():
    return load_snips(n=150).text.tolist() + load_banking77(n=150).text.tolist()


@pytest.fixture
def export_cache(shared_cache, monkeypatch):
    monkeypatch.setenv("CORRAL_CACHE_DIR", str(shared_cache))  # export once for this file's tests
    return shared_cache


@pytest.fixture(scope="module")
def torch_vectors(real_texts):
    return SentenceTransformerEmbedder().encode(real_texts, cache=False)


@pytest.mark.model
def test_onnx_fp32_matches_torch(export_cache, real_texts, torch_vectors):
    v = SentenceTransformerEmbedder(backend="onnx").encode(real_texts, cache=False)
    assert v.shape == torch_vectors.shape and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert np.sum(v * torch_vectors, axis=1).min() > 0.9999


@pytest.mark.model
def test_onnx_int8_stays_close_to_torch_on_real_texts(export_cache, real_texts, torch_vectors):
    v = as_embedder("fast").encode(real_texts, cache=False)
    cos = np.sum(v * torch_vectors, axis=1)
    assert cos.mean() >= INT8_MEAN and cos.min() >= INT8_MIN, (cos.mean(), cos.min())
    # and it still ranks texts by meaning: each text's nearest torch neighbour is mostly its own
    agree = np.argmax(v @ torch_vectors.T, axis=1) == np.arange(len(v))
    assert agree.mean() > 0.95


@pytest.mark.model
def test_the_export_is_cached_and_not_redone(export_cache, monkeypatch):
    SentenceTransformerEmbedder(backend="onnx-int8").load()  # exported (or already cached)
    graphs = sorted(p.name for p in (export_cache / "onnx").glob("*/*.onnx"))
    assert graphs == ["model-int8.onnx", "model.onnx"]

    def no_export(*args, **kwargs):
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx_export, "_export", no_export)
    monkeypatch.setattr(onnx_export, "_quantize", no_export)
    v = SentenceTransformerEmbedder(backend="onnx-int8").encode(["will it rain tomorrow"], cache=False)
    assert v.shape == (1, 384)


@pytest.mark.model
def test_backends_have_their_own_cache_entries(export_cache, monkeypatch, tmp_path):
    monkeypatch.setenv("CORRAL_CACHE_DIR", str(export_cache))
    keys = {b: SentenceTransformerEmbedder(backend=b).cache_key for b in ("torch", "onnx", "onnx-int8")}
    assert len(set(keys.values())) == 3
    assert keys["torch"] == SentenceTransformerEmbedder().cache_key  # the torch cache is unchanged


def test_missing_onnxruntime_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import onnxruntime now raises ImportError
    with pytest.raises(ImportError, match=r"need onnxruntime .*pip install onnxruntime"):
        SentenceTransformerEmbedder(backend="onnx-int8").encode(["hello"])


def test_unknown_backend_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match=r"unknown embedding backend 'onnx-fp16'.*'onnx-int8'"):
        SentenceTransformerEmbedder(backend="onnx-fp16")


def test_short_names_pick_the_default_model_on_a_backend():
    assert as_embedder("fast").backend == corral.data.backends.FAST
    assert as_embedder("torch-int8").backend == "torch-int8" and as_embedder("fast").model is None


def test_onnx_needs_a_model_folder():
    with pytest.raises(ValueError, match="need the model as a local folder"):
        SentenceTransformerEmbedder("some-hub-name", backend="onnx").load()


def test_a_pickled_embedder_carries_no_loaded_model():
    e = SentenceTransformerEmbedder(backend="onnx-int8")
    e._model = object()  # stands for a loaded model
    assert pickle.loads(pickle.dumps(e))._model is None
