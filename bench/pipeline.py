"""Pipeline benchmark: what corral adds over the embedding model and UMAP on their own.

For each size it measures, in one process on one machine:
  model alone      SentenceTransformer.encode on the texts (the raw cost corral cannot avoid)
  corral embed     SentenceTransformerEmbedder.encode, empty cache (checks, dedupe, cache writes)
  umap alone       umap.UMAP(...).fit_transform with the same parameters
  corral project   UMAPProjector.fit_transform, cache off (alternated with umap alone, best of --repeats)
  first view       Labeler(texts) returns with a map to show (embeddings cached): embed lookup + PCA
  cached re-run    a new Labeler on the same texts, both caches warm, until .coords is ready
and prints the ratios (corral / raw). Usage: python bench/pipeline.py [--sizes 1000 10000 50000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def make_texts(n: int) -> list[str]:
    """n distinct real texts: SNIPS + BANKING77, then pairs of them joined, deterministically."""
    from corral.datasets import load_banking77, load_snips

    base = pd.unique(pd.concat([load_snips(full=True).text, load_banking77(full=True).text])).tolist()
    rng = np.random.default_rng(0)
    texts = list(base[:n])
    seen = set(texts)
    while len(texts) < n:
        a, b = rng.integers(len(base), size=2)
        t = f"{base[a]} and also {base[b][0].lower()}{base[b][1:]}"
        if t not in seen:
            seen.add(t)
            texts.append(t)
    return texts


def timed(fn):
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def run(sizes: list[int], warmup: bool = True, repeats: int = 2) -> list[dict]:
    import umap
    from sentence_transformers import SentenceTransformer

    import corral

    model = SentenceTransformer(str(corral.default_model_path()), device="cpu")
    params = dict(n_neighbors=15, min_dist=0.1, metric="cosine", n_epochs=None, init="spectral")
    # warm torch and numba's JIT (both the exact path under 4,096 points and NN-descent above)
    model.encode(make_texts(256), batch_size=64)
    for size in (500, 5000) if warmup else ():
        warm = np.random.default_rng(0).normal(size=(size, 384)).astype(np.float32)
        umap.UMAP(n_components=2, n_epochs=20, **{k: v for k, v in params.items() if k != "n_epochs"}).fit(warm)
    rows = []
    for n in sizes:
        texts = make_texts(n)
        with tempfile.TemporaryDirectory() as cache:
            os.environ["CORRAL_CACHE_DIR"] = cache
            t_model, emb = timed(lambda: model.encode(texts, batch_size=64, normalize_embeddings=True,
                                                      convert_to_numpy=True))
            embedder = corral.SentenceTransformerEmbedder()
            embedder.load()
            t_embed, emb2 = timed(lambda: embedder.encode(texts, progress=False))
            assert np.allclose(emb, emb2, atol=1e-5)
            # alternate the two, best of `repeats`: a noisy neighbour then hits both alike
            t_umap = t_project = float("inf")
            for _ in range(repeats):
                t, _ = timed(lambda: umap.UMAP(n_components=2, low_memory=True, **params).fit_transform(emb))
                t_umap = min(t_umap, t)
                t, _ = timed(lambda: corral.UMAPProjector(**params, cache=False).fit_transform(emb2))
                t_project = min(t_project, t)
            corral.UMAPProjector(**params).fit_transform(emb2)  # fill the cache for the re-run below
            t_first, lab = timed(lambda: corral.Labeler(texts, embedder=embedder))
            lab.coords
            t_rerun, _ = timed(lambda: corral.Labeler(texts, embedder=corral.SentenceTransformerEmbedder()).coords)
        rows.append(dict(n=n, model_s=t_model, embed_s=t_embed, umap_s=t_umap, project_s=t_project,
                         first_view_s=t_first, rerun_s=t_rerun))
        print_row(rows[-1])
    return rows


HEADER = (f"{'n':>7} | {'model alone':>11} {'corral embed':>12} {'ratio':>6} | {'umap alone':>10} "
          f"{'corral proj':>11} {'ratio':>6} | {'first view':>10} | {'cached re-run':>13} {'vs model':>8}")


def print_row(r: dict) -> None:
    print(f"{r['n']:>7} | {r['model_s']:>10.2f}s {r['embed_s']:>11.2f}s {r['embed_s'] / r['model_s']:>6.2f} | "
          f"{r['umap_s']:>9.2f}s {r['project_s']:>10.2f}s {r['project_s'] / r['umap_s']:>6.2f} | "
          f"{r['first_view_s']:>9.2f}s | {r['rerun_s']:>12.2f}s {r['rerun_s'] / r['model_s']:>8.3f}", flush=True)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--repeats", type=int, default=2, help="projection runs per side (best is kept)")
    parser.add_argument("--no-warmup", action="store_true", help="skip the JIT warm-up (smoke runs)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "pipeline.json")
    args = parser.parse_args(argv)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}, no GPU")
    print(HEADER)
    rows = run(args.sizes, warmup=not args.no_warmup, repeats=args.repeats)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": platform.platform(), "cores": os.cpu_count(), "rows": rows}, indent=1))
    print(f"written to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
