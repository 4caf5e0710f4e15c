"""Inference backends for :class:`~corral.SentenceTransformerEmbedder`: the same model, run
faster on a CPU. Each backend module is imported only when its backend is chosen.

- ``torch``: the sentence-transformers model as loaded (fp32), the reference.
- ``torch-int8``: torch dynamic int8 quantization of the model's Linear layers.
- ``onnx``: an ONNX graph exported locally, once, from the model's own weights (transformer +
  mean pooling), fused by onnxruntime's transformer optimizer, run by onnxruntime.
- ``onnx-int8``: that graph with its weights quantized to int8 (per channel, dynamic activations).

``FAST`` names the backend ``embedder="fast"`` picks (chosen from bench/embedding.py's figures).
Exports are cached under the corral cache dir, keyed by a digest of the model's files; nothing is
downloaded.

May import: ``corral.core`` and ``corral.data.cache``.

>>> sorted(BACKENDS)
['onnx', 'onnx-int8', 'torch', 'torch-int8']
>>> FAST
'onnx-int8'
"""

from __future__ import annotations

BACKENDS = ("torch", "torch-int8", "onnx", "onnx-int8")
FAST = "onnx-int8"
ALIASES = {"fast": FAST, **{name: name for name in BACKENDS}}


def check_backend(name: str) -> str:
    """The backend's canonical name, or a ValueError listing the known ones."""
    if name not in ALIASES:
        raise ValueError(f"unknown embedding backend {name!r}: choose one of {sorted(ALIASES)}")
    return ALIASES[name]


def load_backend(name: str, st_loader, folder, threads: int | None = None):
    """A model object with sentence-transformers' ``encode`` signature, ``tokenizer``,
    ``max_seq_length`` and ``get_sentence_embedding_dimension()``.

    ``st_loader()`` loads the SentenceTransformer (the torch backends); ``folder`` is the model's
    local folder (the ONNX backends export from it)."""
    name = check_backend(name)
    if name in ("torch", "torch-int8"):
        from corral.data.backends.torch_int8 import load_torch

        return load_torch(st_loader, quantize=name == "torch-int8", threads=threads)
    from corral.data.backends.onnx_runtime import OnnxModel

    return OnnxModel(folder, quantized=name == "onnx-int8", threads=threads)
