"""The torch backends: the SentenceTransformer as loaded, or with int8 dynamic quantized Linears.

>>> import torch
>>> m = load_torch(lambda: torch.nn.Sequential(torch.nn.Linear(4, 2)), quantize=True)
>>> type(m[0]).__name__
'Linear'
>>> ".dynamic." in m[0].__module__
True
"""

from __future__ import annotations


def load_torch(st_loader, *, quantize: bool = False, threads: int | None = None):
    """``st_loader()``'s model, quantized with ``torch.ao.quantization.quantize_dynamic`` if asked."""
    import torch

    if threads:
        torch.set_num_threads(int(threads))
    model = st_loader()
    if not quantize:
        return model
    quantized = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
    return quantized.eval()
