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
Usage: python bench/million.py [--n 1000000] [--sample 50000] [--texts-per-s 110]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=50_000)
    parser.add_argument("--clusters", type=int, default=50)
    parser.add_argument("--texts-per-s", type=float, default=None, help="measured embedding rate to extrapolate from")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "million.json")
    args = parser.parse_args()
    os.environ["CORRAL_CACHE_DIR"] = tempfile.mkdtemp(prefix="corral-million-")

    import corral
    from corral.data.sampled import SampledUMAPProjector

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
        "embeddings": "synthetic 384-d", "first_view_s": first_view, "final_map_s": final_map,
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
