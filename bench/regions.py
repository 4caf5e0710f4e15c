"""Regions benchmark: RegionClassifier's throughput, and what to_classifier() costs over the model.

Measured in one process on one machine:
  containment   RegionClassifier.predict / predict_proba on N random map points and P polygons
                (20 vertices each, 10 labels), next to a peer in the same run: matplotlib's
                Path.contains_points, one polygon at a time (the usual way), or, when matplotlib is
                not installed, a plain numpy even-odd loop per polygon over all points. Both must
                find the same points inside.
  end to end    texts/second of Labeler.to_classifier() pipelines (map, embedding) on new raw texts,
                empty embedding cache, next to the embedding model's own texts/second
                (SentenceTransformer.encode) and, for the map pipeline, the model plus the raw
                umap.UMAP.transform of its vectors onto the same map: alternated, best of --repeats.
Usage: python bench/regions.py [--points 1000000] [--polygons 50] [--texts 2000] [--quick]
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


def best_of(repeats: int, fn):
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def random_regions(n_polygons: int, rng) -> dict:
    regions: dict = {}
    for i in range(n_polygons):
        center, angles = rng.uniform(5, 95, 2), np.sort(rng.uniform(0, 2 * np.pi, 20))
        radius = rng.uniform(2, 6) * rng.uniform(0.6, 1.0, 20)
        polygon = center + np.c_[np.cos(angles), np.sin(angles)] * radius[:, None]
        regions.setdefault(f"label {i % 10}", []).append(polygon)
    return regions


def peer_first_inside(X: np.ndarray, polygons: list, classes: list, n_classes: int):
    """The peer: per polygon over all points (matplotlib if importable, else plain numpy)."""
    try:
        from matplotlib.path import Path as MplPath

        def inside(poly):
            return MplPath(poly).contains_points(X)
        name = "matplotlib Path.contains_points"
    except ImportError:
        from corral.core.geometry import even_odd_inside

        def inside(poly):
            return even_odd_inside(X[:, 0], X[:, 1], poly)
        name = "numpy even-odd per polygon"
    first = np.full(len(X), n_classes)
    for poly, cls in zip(polygons, classes):
        mask = inside(poly)
        first[mask] = np.minimum(first[mask], cls)
    return name, first


def containment(n_points: int, n_polygons: int, repeats: int) -> dict:
    from corral import RegionClassifier

    rng = np.random.default_rng(0)
    X = rng.uniform(0, 100, size=(n_points, 2))
    clf = RegionClassifier(random_regions(n_polygons, rng)).fit(X[:1])
    position = {c: i for i, c in enumerate(clf.classes_.tolist())}
    polygons = [p for ps in clf.regions_.values() for p in ps]
    classes = [position[label] for label, ps in clf.regions_.items() for _ in ps]
    t_predict, pred = best_of(repeats, lambda: clf.predict(X))
    t_proba, _ = best_of(repeats, lambda: clf.predict_proba(X))
    t_peer, (peer, first) = best_of(repeats, lambda: peer_first_inside(X, polygons, classes, len(clf.classes_)))
    first[first == len(clf.classes_)] = position["unknown"]
    disagree = int((clf.classes_[first] != pred).sum())
    return dict(points=n_points, polygons=n_polygons, predict_s=t_predict, predict_proba_s=t_proba,
                peer=peer, peer_s=t_peer, disagree=disagree, inside=int((pred != "unknown").sum()))


def end_to_end(n_map: int, n_texts: int, repeats: int) -> dict:
    import pandas as pd
    from sentence_transformers import SentenceTransformer

    import corral
    from corral.datasets import load_banking77, load_snips
    from corral.regions.shapes import central_hull

    snips = load_snips()
    train = snips[snips.split == "train"].drop_duplicates("text").head(n_map).reset_index(drop=True)
    base = pd.unique(load_banking77(full=True).text)
    texts = [f"{t} (#{i // len(base)})" if i >= len(base) else t for i, t in
             ((i, base[i % len(base)]) for i in range(n_texts))]  # new texts, none on the map
    with tempfile.TemporaryDirectory() as cache:
        os.environ["CORRAL_CACHE_DIR"] = cache
        lab = corral.Labeler(train.text, projector=corral.UMAPProjector(random_state=0))
        coords = lab.coords
        lab.regions = {k: [central_hull(coords[(train.label == k).to_numpy()], keep=0.5)]
                       for k in sorted(train.label.unique())}
        pipelines = {"to_classifier(space='map')": lab.to_classifier(),
                     "to_classifier(space='embedding')": lab.to_classifier(space="embedding")}
    model = SentenceTransformer(str(corral.default_model_path()), device="cpu")
    model.encode(texts[:128], batch_size=64)  # warm torch
    for clf in pipelines.values():  # warm numba's UMAP transform (and load the fitted UMAP)
        clf.predict(texts[:64])
    raw_umap = lab.projector.model_
    times = {name: float("inf") for name in ["model alone", "model + UMAP.transform", *pipelines]}
    for _ in range(repeats):  # alternate, so a noisy neighbour hits all alike
        t, vectors = best_of(1, lambda: model.encode(texts, batch_size=64, normalize_embeddings=True))
        times["model alone"] = min(times["model alone"], t)
        t_umap, _ = best_of(1, lambda: raw_umap.transform(vectors))
        times["model + UMAP.transform"] = min(times["model + UMAP.transform"], t + t_umap)
        for name, clf in pipelines.items():
            with tempfile.TemporaryDirectory() as cache:  # an empty cache: every text is embedded
                os.environ["CORRAL_CACHE_DIR"] = cache
                t, _ = best_of(1, lambda: clf.predict(texts))
            times[name] = min(times[name], t)
    return dict(map_texts=len(train), texts=n_texts, seconds=times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--polygons", type=int, default=50)
    parser.add_argument("--texts", type=int, default=2000, help="new texts classified end to end")
    parser.add_argument("--map-texts", type=int, default=2857, help="texts of the Labeler's map (SNIPS train)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one repeat (smoke test)")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "regions.json")
    args = parser.parse_args(argv)
    if args.quick:
        args.points, args.polygons, args.texts, args.map_texts, args.repeats = 20_000, 10, 100, 300, 1
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}, no GPU, "
          f"load average {os.getloadavg()[0]:.1f}")
    c = containment(args.points, args.polygons, args.repeats)
    print(f"\ncontainment: {c['points']:,} points x {c['polygons']} polygons ({c['inside']:,} inside a region), "
          f"best of {args.repeats}")
    print(f"{'':<36} {'seconds':>8} {'points/s':>12} {'vs peer':>8}")
    for name, key in (("RegionClassifier.predict", "predict_s"), ("RegionClassifier.predict_proba", "predict_proba_s"),
                      (f"peer: {c['peer']}", "peer_s")):
        print(f"{name:<36} {c[key]:>8.3f} {c['points'] / c[key]:>12,.0f} {c[key] / c['peer_s']:>8.3f}")
    print(f"points where corral and the peer disagree: {c['disagree']}")
    e = end_to_end(args.map_texts, args.texts, args.repeats)
    print(f"\nend to end: {e['texts']:,} new texts, map of {e['map_texts']:,} texts, empty cache, best of {args.repeats}")
    print(f"{'':<36} {'seconds':>8} {'texts/s':>12} {'vs model':>8} {'vs model+UMAP':>13}")
    model_s, parts_s = e["seconds"]["model alone"], e["seconds"]["model + UMAP.transform"]
    for name, seconds in e["seconds"].items():
        print(f"{name:<36} {seconds:>8.2f} {e['texts'] / seconds:>12,.0f} {model_s / seconds:>8.3f} "
              f"{parts_s / seconds:>13.3f}")
    print("(ratios are texts/s over the peer's texts/s: below 1 = slower than the peer)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": platform.platform(), "cores": os.cpu_count(),
                                    "load_average": os.getloadavg(), "containment": c, "end_to_end": e}, indent=1))
    print(f"written to {args.out}")
    if c["disagree"]:
        sys.exit("corral and the peer disagree on some points")


if __name__ == "__main__":
    sys.exit(main())
