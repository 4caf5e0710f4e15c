"""Embedding backends against the torch fp32 path, in one run: speed, agreement, and what users see.

Every backend runs the same shipped all-MiniLM-L6-v2 (nothing is downloaded):
  torch       SentenceTransformer.encode, fp32 (the reference)
  torch-int8  torch dynamic int8 quantization of the Linear layers
  onnx        a graph exported locally from the model, fused by onnxruntime, fp32
  onnx-int8   that graph with int8 weights (per channel), dynamic int8 activations
For each it reports:
  texts/s     on --speed-n distinct SNIPS + BANKING77 texts, cache off. The machine may be shared,
              so the backends are interleaved: each repeat runs all of them, in a rotated order,
              and the median over repeats is kept; ratios are to torch's median in the same run.
  cosine      mean and min cosine of each text's vector to torch's
  accuracy    LogisticRegression on the embeddings, stratified 70/30 held-out split, on SNIPS and
              BANKING77 (a stratified sample of --quality-n texts each), as a ratio to torch's
  doubt P@k   10% of the labels flipped at random; precision of corral's doubt queue's top k
              (k = number flipped) at finding the flipped ones
  clusters    corral's HDBSCAN suggestions on a UMAP map of each backend's embeddings (fixed seed):
              how many, and their adjusted mutual information with the true intents
Usage: python bench/embedding.py [--speed-n 2000 --repeats 3 --quality-n 3000]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

BACKENDS = ["torch", "torch-int8", "onnx", "onnx-int8"]


def speed(embedders: dict, texts: list[str], repeats: int) -> dict[str, float]:
    runs: dict[str, list[float]] = {b: [] for b in embedders}
    for r in range(repeats):
        order = BACKENDS[r % len(BACKENDS):] + BACKENDS[: r % len(BACKENDS)]
        for b in order:
            start = time.perf_counter()
            embedders[b].encode(texts, progress=False, cache=False)
            runs[b].append(len(texts) / (time.perf_counter() - start))
    print("  texts/s per repeat:", {b: [round(x) for x in v] for b, v in runs.items()}, flush=True)
    return {b: statistics.median(v) for b, v in runs.items()}


def accuracy(X, y, seed=0) -> float:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.3, stratify=y, random_state=seed)
    return float(LogisticRegression(max_iter=2000).fit(Xtr, ytr).score(Xte, yte))


def doubt_precision(X, y, seed=0) -> float:
    from corral.review.doubt import compute_doubt

    rng = np.random.default_rng(seed)
    noisy = np.asarray(y, dtype=object).copy()
    flipped = rng.choice(len(y), size=len(y) // 10, replace=False)
    classes = np.unique(y)
    for i in flipped:
        noisy[i] = rng.choice(classes[classes != y[i]])
    table = compute_doubt(X, noisy, cv=5)
    top = table["doubt"].sort_values(ascending=False, kind="stable").index[: len(flipped)]
    return float(np.isin(top, flipped).mean())


def clusters(X, texts, y) -> tuple[int, float]:
    from sklearn.metrics import adjusted_mutual_info_score

    from corral import UMAPProjector
    from corral.review.clusters import suggest_clusters

    coords = UMAPProjector(random_state=0, cache=False).fit_transform(X)
    found = suggest_clusters(coords, texts)
    return len(found.ids), float(adjusted_mutual_info_score(y, found.assignment))


def run(speed_n: int, repeats: int, quality_n: int) -> dict:
    import corral
    from corral.datasets import load_banking77, load_snips

    sys.path.insert(0, str(Path(__file__).parent))
    from pipeline import make_texts

    embedders = {b: corral.SentenceTransformerEmbedder(backend=b) for b in BACKENDS}
    t0 = time.perf_counter()
    for b, e in embedders.items():  # load (and export, first time) + warm up
        start = time.perf_counter()
        e.encode(make_texts(128), progress=False, cache=False)
        print(f"  {b}: loaded and warmed in {time.perf_counter() - start:.1f} s", flush=True)
    texts = make_texts(speed_n)
    rate = speed(embedders, texts, repeats)
    out = {b: {"texts_per_s": rate[b], "speedup": rate[b] / rate["torch"]} for b in BACKENDS}
    for name, loader in (("snips", load_snips), ("banking77", load_banking77)):
        df = loader(n=quality_n)
        qtexts, y = df.text.tolist(), df.label.to_numpy()
        vecs = {b: e.encode(qtexts, progress=False, cache=False) for b, e in embedders.items()}
        for b in BACKENDS:
            cos = np.sum(vecs[b] * vecs["torch"], axis=1)
            n_clusters, ami = clusters(vecs[b], qtexts, y)
            out[b][name] = dict(cos_mean=float(cos.mean()), cos_min=float(cos.min()),
                                accuracy=accuracy(vecs[b], y), doubt_p_at_k=doubt_precision(vecs[b], y),
                                clusters=n_clusters, cluster_ami=ami)
            print(f"  {name} {b}: {out[b][name]}", flush=True)
        for b in BACKENDS:
            for key in ("accuracy", "doubt_p_at_k", "cluster_ami"):
                out[b][name][key + "_ratio"] = out[b][name][key] / out["torch"][name][key]
    print(f"  total {time.perf_counter() - t0:.0f} s", flush=True)
    return out


def report(out: dict) -> None:
    print(f"\n{'backend':>10} | {'texts/s':>7} {'x torch':>7} | {'dataset':>9} {'cos mean':>8} {'cos min':>7} "
          f"{'acc':>6} {'ratio':>6} | {'doubt P@k':>9} {'ratio':>6} | {'clusters':>8} {'AMI':>5} {'ratio':>6}")
    for b, r in out.items():
        for name in ("snips", "banking77"):
            q = r[name]
            print(f"{b:>10} | {r['texts_per_s']:>7.0f} {r['speedup']:>7.2f} | {name:>9} {q['cos_mean']:>8.4f} "
                  f"{q['cos_min']:>7.4f} {q['accuracy']:>6.3f} {q['accuracy_ratio']:>6.3f} | {q['doubt_p_at_k']:>9.3f} "
                  f"{q['doubt_p_at_k_ratio']:>6.3f} | {q['clusters']:>8} {q['cluster_ami']:>5.3f} {q['cluster_ami_ratio']:>6.3f}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speed-n", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quality-n", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "embedding.json")
    args = parser.parse_args(argv)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}, no GPU; "
          f"load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory() as cache:
        os.environ.setdefault("CORRAL_CACHE_DIR", cache)  # a fresh cache: the ONNX export is timed too
        out = run(args.speed_n, args.repeats, args.quality_n)
    report(out)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": platform.platform(), "cores": os.cpu_count(),
                                    "load_average_end": os.getloadavg()[0], "backends": out}, indent=1))
    print(f"written to {args.out}")


if __name__ == "__main__":
    sys.exit(main())
