"""Run an exported sentence-transformers graph with onnxruntime, with ST's ``encode`` signature.

Texts are tokenized with the model's own (fast) tokenizer, sorted by length into batches (less
padding), truncated at the model's ``max_seq_length`` and mean-pooled inside the graph; vectors
are L2-normalized when asked or when the model ends with a Normalize module, as in
sentence-transformers. The torch model is never loaded once the graph is cached.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from corral.data.backends.onnx_export import check_mean_pooling, exported_graph, import_onnxruntime


class OnnxModel:
    """A sentence-transformers folder run by onnxruntime (``quantized``: the int8 graph)."""

    def __init__(self, folder, *, quantized: bool = False, threads: int | None = None) -> None:
        if folder is None or not Path(folder).is_dir():
            raise ValueError(
                "the ONNX backends need the model as a local folder (the default model, or a path); "
                f"got {folder!r}: use backend='torch' for a loaded SentenceTransformer or a hub name")
        ort = import_onnxruntime()
        self.folder = Path(folder)
        self.normalizes = check_mean_pooling(self.folder)
        self.path = exported_graph(self.folder, quantized=quantized)
        from transformers import AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(str(self.folder), local_files_only=True)
        config = self.folder / "sentence_bert_config.json"
        self.max_seq_length = int(json.loads(config.read_text()).get("max_seq_length", 512)) if config.exists() \
            else int(self.tokenizer.model_max_length)
        options = ort.SessionOptions()
        if threads:
            options.intra_op_num_threads = int(threads)
            options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
        self._inputs = [i.name for i in self.session.get_inputs()]
        self._dim = int(self.session.get_outputs()[0].shape[-1]) if isinstance(
            self.session.get_outputs()[0].shape[-1], int) else None

    def get_sentence_embedding_dimension(self) -> int:
        if self._dim is None:
            self._dim = int(self.encode(["x"]).shape[1])
        return self._dim

    def encode(self, texts, batch_size: int = 64, normalize_embeddings: bool = False,
               convert_to_numpy: bool = True, show_progress_bar: bool = False) -> np.ndarray:
        texts = list(texts)
        order = np.argsort([-len(t) for t in texts], kind="stable")
        out: np.ndarray | None = None
        for start in range(0, len(texts), batch_size):
            idx = order[start : start + batch_size]
            enc = self.tokenizer([texts[i] for i in idx], padding=True, truncation=True,
                                 max_length=self.max_seq_length, return_tensors="np")
            feed = {name: np.asarray(enc[name], dtype=np.int64) for name in self._inputs}
            vecs = self.session.run(None, feed)[0]
            if out is None:
                out = np.empty((len(texts), vecs.shape[1]), dtype=np.float32)
            out[idx] = vecs
        if out is None:
            return np.empty((0, self.get_sentence_embedding_dimension()), dtype=np.float32)
        if normalize_embeddings or self.normalizes:
            out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out

    def __repr__(self) -> str:
        return f"OnnxModel({os.fspath(self.path)!r})"
