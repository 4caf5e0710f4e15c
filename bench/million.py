"""A million texts to a final map on one machine: time to the first view and to the final map.

The embeddings are synthetic (--n x 384, float32, unit length: a mixture of --clusters Gaussian
blobs, as sentence embeddings of topics are), because embedding a million real texts is out of
reach of a benchmark run here; the embedding time is extrapolated from a measured texts/s
(--texts-per-s, e.g. from bench/embedding.py or bench/dask_scaling.py) and printed as such.

Timed, in one process, empty caches:
  first view    Labeler(texts, embeddings=E, projector=SampledUMAPProjector(...)) returns
                (a PCA first view is ready; UMAP runs in the background)
  final map     lab.coords: UMAP fitted on the sample, the other points placed with transform
  clusters      lab.clusters() on the final map (HDBSCAN on a sample, the rest by nearest point)
With --real the texts are real: every text of the shipped SNIPS and BANKING77 (full sets), each
made distinct by one more word of their vocabulary (text j of the base + " " + word k), and they are
embedded by the shipped model itself with --embedder (default "fast", onnx-int8), timed as part
of the run (empty embedding cache): embedding, first view, final map, clusters.
Usage: python bench/million.py [--n 1000000] [--sample 50000] [--texts-per-s 110] [--real]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import numpy as np


def synthetic_embeddings(n: int, d: int = 384, clusters: int = 50, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(clusters, d)).astype(np.float32)
    E = centers[rng.integers(clusters, size=n)]
    E += rng.normal(scale=0.6, size=(n, d)).astype(np.float32)
    E /= np.linalg.norm(E, axis=1, keepdims=True)
    return E


def real_texts(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct real-sounding texts: the shipped datasets' texts, each with one more word."""
    import re

    from corral.datasets import load_banking77, load_snips

    base = list(dict.fromkeys(load_snips(full=True)["text"].tolist() + load_banking77(full=True)["text"].tolist()))
    words = sorted({w for t in base for w in re.findall(r"[a-z]{3,}", t.lower())})
    words = [words[i] for i in np.random.default_rng(seed).permutation(len(words))]
    if n > len(base) * len(words):
        raise ValueError(f"at most {len(base) * len(words):,} distinct texts from these datasets")
    return [f"{base[i % len(base)]} {words[(i // len(base)) % len(words)]}" for i in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=50_000)
    parser.add_argument("--clusters", type=int, default=50)
    parser.add_argument("--texts-per-s", type=float, default=None, help="measured embedding rate to extrapolate from")
    parser.add_argument("--real", action="store_true", help="real texts embedded in the run (see above)")
    parser.add_argument("--embedder", default="fast", help="with --real: the embedder (fast = onnx-int8, torch)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "million.json")
    args = parser.parse_args()
    os.environ["CORRAL_CACHE_DIR"] = tempfile.mkdtemp(prefix="corral-million-")

    import corral
    from corral.data.sampled import SampledUMAPProjector

    embedding_s = None
    if args.real:
        texts = real_texts(args.n)
        embedder = corral.as_embedder(args.embedder)
        embedder.encode(texts[:64], cache=False)  # loads (and, once per machine, exports) the model: not timed
        t = time.perf_counter()
        E = embedder.encode(texts)
        embedding_s = time.perf_counter() - t
    else:
        E = synthetic_embeddings(args.n, clusters=args.clusters)
        texts = [f"text number {i} about topic {i % args.clusters}" for i in range(args.n)]
    t0 = time.perf_counter()
    lab = corral.Labeler(texts, embeddings=E, projector=SampledUMAPProjector(args.sample, progress=False))
    first_view = time.perf_counter() - t0
    coords = lab.coords
    final_map = time.perf_counter() - t0
    t = time.perf_counter()
    found = lab.clusters()
    clusters_s = time.perf_counter() - t
    result = {
        "machine": platform.platform(), "cores": os.cpu_count(), "n": args.n, "sample": args.sample,
        "embeddings": f"real texts, {args.embedder}" if args.real else "synthetic 384-d",
        "embedding_s": embedding_s, "texts_per_s": args.n / embedding_s if embedding_s else None,
        "first_view_s": first_view, "final_map_s": final_map,
        "total_s": (embedding_s or 0) + final_map if embedding_s else None,
        "clusters_s": clusters_s, "clusters_found": len(found.ids), "finite": bool(np.isfinite(coords).all()),
        "load_average_end": os.getloadavg()[0],
    }
    if args.texts_per_s:
        result["embedding_s_extrapolated"] = args.n / args.texts_per_s
        result["total_s_extrapolated"] = args.n / args.texts_per_s + final_map
    print(json.dumps(result, indent=1))
    args.out.parent.mkdir(exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
