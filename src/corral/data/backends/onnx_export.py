"""Export a local sentence-transformers folder to ONNX once, offline, and cache the graphs.

The graph is the model's transformer plus mean pooling (``input_ids``, ``attention_mask``,
``token_type_ids`` -> ``embedding``, not normalized), fused by onnxruntime's transformer
optimizer; ``quantized=True`` adds a copy with int8 weights (per channel, dynamic activations).
Graphs live in ``<cache_root>/onnx/<digest of the model's files>/`` and are written atomically,
so a second construction (or another process) reuses them.

>>> from pathlib import Path
>>> graph_folder(Path("/nonexistent")).parent.name
'onnx'
"""

from __future__ import annotations

import functools
import json
import os
import uuid
from pathlib import Path

from corral.data.cache import cache_root, digest

EXPORT_VERSION = 1  # bump when the exported graph changes: old caches are then ignored
_HASHED = ("config.json", "modules.json", "sentence_bert_config.json", "1_Pooling/config.json")


def import_onnxruntime():
    """onnxruntime, or an ImportError saying which backends need it and how to install it."""
    try:
        import onnxruntime
    except ImportError:
        raise ImportError(
            "the 'onnx' and 'onnx-int8' embedding backends need onnxruntime (and onnx to export the "
            "graph once): pip install onnxruntime onnx   (or use backend='torch')") from None
    return onnxruntime


def graph_folder(folder: Path) -> Path:
    """Where the graphs of the model in ``folder`` are cached (keyed by the files' digest).

    The digest reads every weight file (90 MB for MiniLM), so it is computed once per process for
    each state of the files (their sizes and modification times)."""
    files = [folder / name for name in _HASHED]
    files += sorted(folder.glob("*.safetensors")) + sorted(folder.glob("*.bin"))
    stamp = tuple((str(p), *((p.stat().st_size, p.stat().st_mtime_ns) if p.exists() else (-1, -1)))
                  for p in files)
    return _graph_folder(stamp, str(cache_root()))


@functools.lru_cache(maxsize=16)
def _graph_folder(stamp: tuple, root: str) -> Path:
    parts: list = [EXPORT_VERSION]
    for name, size, _ in stamp:
        parts.append(Path(name).read_bytes() if size >= 0 else b"")
    return Path(root) / "onnx" / digest(*parts)


def check_mean_pooling(folder: Path) -> bool:
    """Whether the model ends with a Normalize module; ValueError unless it pools by the mean."""
    modules_file = folder / "modules.json"
    if not modules_file.exists():
        raise ValueError(f"{folder} is not a sentence-transformers folder (no modules.json)")
    modules = json.loads(modules_file.read_text())
    kinds = [m["type"].rsplit(".", 1)[-1] for m in modules]
    pooling = next((m for m in modules if m["type"].endswith("Pooling")), None)
    config = json.loads((folder / pooling["path"] / "config.json").read_text()) if pooling else {}
    others = [k for k, v in config.items() if k.startswith("pooling_mode") and v and k != "pooling_mode_mean_tokens"]
    if kinds[:2] != ["Transformer", "Pooling"] or not config.get("pooling_mode_mean_tokens") or others:
        raise ValueError(
            f"the ONNX backends support Transformer + mean Pooling models; {folder} has {kinds} "
            f"with pooling {config}: use backend='torch'")
    return "Normalize" in kinds


def exported_graph(folder: Path, *, quantized: bool) -> Path:
    """The cached ``.onnx`` file for ``folder`` (exported and quantized on first use)."""
    import_onnxruntime()
    target = graph_folder(folder)
    fp32 = target / "model.onnx"
    if not fp32.exists():
        target.mkdir(parents=True, exist_ok=True)
        _atomic(fp32, lambda tmp: _export(folder, tmp))
    if not quantized:
        return fp32
    int8 = target / "model-int8.onnx"
    if not int8.exists():
        _atomic(int8, lambda tmp: _quantize(fp32, tmp))
    return int8


def _atomic(path: Path, write) -> None:
    tmp = path.with_name(f".{path.stem}.{uuid.uuid4().hex}.tmp.onnx")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _export(folder: Path, out: Path) -> None:
    """torch.onnx.export of transformer + mean pooling, then onnxruntime's BERT fusions."""
    import warnings

    import torch
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(folder), local_files_only=True)
    sample = tokenizer(["an example", "a second, longer example text"], padding=True, return_tensors="pt")
    names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]
    raw = out.with_name(out.name + ".raw.onnx")
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(_pooled_module()(model, names), tuple(sample[n] for n in names), str(raw),
                          input_names=names, output_names=["embedding"], opset_version=17, dynamo=False,
                          dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in names}, "embedding": {0: "batch"}})
    try:
        _optimize(raw, out, model.config)
    finally:
        raw.unlink(missing_ok=True)


def _optimize(raw: Path, out: Path, config) -> None:
    heads, hidden = getattr(config, "num_attention_heads", 0), getattr(config, "hidden_size", 0)
    if getattr(config, "model_type", "") in ("bert", "roberta", "xlm-roberta", "mpnet") and heads and hidden:
        from onnxruntime.transformers.optimizer import optimize_model

        optimize_model(str(raw), model_type="bert", num_heads=heads, hidden_size=hidden,
                       opt_level=1).save_model_to_file(str(out))
    else:  # no fusions known for this architecture: the plain export
        os.replace(raw, out)


def _quantize(fp32: Path, out: Path) -> None:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})


def _pooled_module():
    import torch

    class MeanPooled(torch.nn.Module):
        def __init__(self, model, names):
            super().__init__()
            self.model, self.names = model, names

        def forward(self, *inputs):
            kw = dict(zip(self.names, inputs))
            hidden = self.model(**kw).last_hidden_state
            mask = kw["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    return MeanPooled
