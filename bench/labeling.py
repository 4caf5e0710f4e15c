"""Labeling benchmark: how far a simulated person gets in N decisions, per way of working.

Data: the shipped SNIPS (7 intents) and BANKING77 (77 intents): ``--train`` texts from the train
split to label, ``--test`` held-out texts from the other split to score on, embedded with the
real all-MiniLM-L6-v2 (corral's SentenceTransformerEmbedder, on-disk cache), one UMAP map and
one HDBSCAN clustering (corral's) shared by every method: same data, same budget, same run.

Each *action* is one decision a person makes; the simulated person knows the true label of any
text it reads (a perfect annotator who reads samples, not every text):

  random        label one random unlabeled text.
  review        today's lab.review() in its default order: read 10 of the cluster's texts; if
                8 share a label, label the cluster with it; else split it once (if it was not
                split before and has >= 8 texts) or skip it. When every cluster was labeled or
                skipped, go on one text at a time (random).
  review+suggest  the same review, and after each cluster labeled, one action on suggestions:
                the largest group of unlabeled texts the model suggests one label for with
                confidence >= 0.9; read 10 of them: if 9 are right, accept the group
                (lab.accept_suggestions(where=group, suggestions=the frame seen)); else that
                label's threshold rises (0.95, 0.98, then it is not offered again).
  uncertainty   lab.queue("uncertainty"): label the least confident text (k-center diversity,
                lab.queue("diversity"), until two labels exist).
  lasso         one lasso per cluster (largest first), named by the cluster's majority true
                label (a perfect lasso of exactly the cluster); then random one by one.
  explore       lab.queue_session("explore", group=10): each decision is one group of <= 10 alike
                texts (corral.learn.groups); the person reads all of them and gives the group's
                majority true label to exactly the texts that have it (unticks the others:
                "label a selection"; every label is right). The model behind the queue catches up
                every 5 decisions (the session uses the newest fit without waiting, as in the
                widget; here the bench refits every 5 actions).
  explore 8/10  the same queue, the issue's person: labels the WHOLE group with its majority
                true label when >= 80% of it (8 of 10) has that label, else skips it.
  diversity groups, diversity groups 8/10   the same two people on lab.queue_session("diversity"):
                the same groups without any model (no suggestion filter, no uncertainty).

Scores after 10, 30, 60 and 120 actions: ``ratio`` = accuracy on the held-out texts of a
LogisticRegression on the labels made / of one on every true label of the same texts;
``precision`` = share of the labels made that are right; ``covered`` = share of texts labeled.

Usage: python bench/labeling.py [--datasets snips banking77] [--train 3000] [--test 1000]
       [--budget 120] [--seeds 0 1 2] [--methods ...] [--out results.json]   (--synthetic: tiny generated data, for the smoke test)
       python bench/labeling.py --refit-timing 10000 100000   (the background refresh's seconds)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from corral import Labeler  # noqa: E402

METHODS = ("random", "review", "review+suggest", "uncertainty", "lasso", "explore", "explore 8/10",
           "diversity groups", "diversity groups 8/10")
REFIT_EVERY = 5  # decisions between two refits of the model behind the group queue
CHECKPOINTS = (10, 30, 60, 120)


# -- data --------------------------------------------------------------------------------------
def real_data(name: str, n_train: int, n_test: int, seed: int) -> dict:
    from corral.data.embedders import SentenceTransformerEmbedder
    from corral.data.projectors import UMAPProjector
    from corral.datasets import load_banking77, load_snips

    df = {"snips": load_snips, "banking77": load_banking77}[name](full=True)
    train = df[df.split == "train"].sample(n_train, random_state=seed)
    held_out = df[df.split != "train"]
    test = held_out.sample(min(n_test, len(held_out)), random_state=seed)
    embedder = SentenceTransformerEmbedder()
    X = embedder.encode(list(train.text), progress=False)
    X_test = embedder.encode(list(test.text), progress=False)
    coords = UMAPProjector(random_state=seed).fit_transform(X)
    return {"name": name, "texts": list(train.text), "X": X, "y": train.label.to_numpy(dtype=object),
            "X_test": X_test, "y_test": test.label.to_numpy(dtype=object), "coords": coords}


def synthetic_data(n_train: int, n_test: int, seed: int, k: int = 5, dim: int = 16) -> dict:
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=3, size=(k, dim))
    y_all = rng.integers(0, k, n_train + n_test)
    X_all = (centres[y_all] + rng.normal(size=(y_all.size, dim))).astype(np.float32)
    names = np.array([f"intent {i}" for i in range(k)], dtype=object)[y_all]
    return {"name": "synthetic", "texts": [f"text {i} <{names[i]}>" for i in range(n_train)],
            "X": X_all[:n_train], "y": names[:n_train], "X_test": X_all[n_train:], "y_test": names[n_train:],
            "coords": (X_all[:n_train, :2] @ np.eye(2)).astype(np.float32)}


# -- scoring -----------------------------------------------------------------------------------
def _accuracy(X, y, X_test, y_test) -> float:
    from sklearn.linear_model import LogisticRegression

    classes = np.unique(y)
    if classes.size == 0:
        return 0.0
    if classes.size == 1:
        return float((y_test == classes[0]).mean())
    return float((LogisticRegression(max_iter=1000).fit(X, y).predict(X_test) == y_test).mean())


def score(lab: Labeler, data: dict, full: float) -> dict:
    made = lab.labels.to_numpy(dtype=object)
    has = pd.notna(made)
    acc = _accuracy(data["X"][has], made[has].astype(str), data["X_test"], data["y_test"])
    return {"ratio": round(acc / full, 3), "precision": round(float((made[has] == data["y"][has]).mean()), 3)
            if has.any() else float("nan"), "covered": round(float(has.mean()), 3)}


# -- the simulated person ----------------------------------------------------------------------
class Person:
    def __init__(self, lab: Labeler, data: dict, clusters: np.ndarray, seed: int) -> None:
        self.lab, self.y, self.clusters = lab, data["y"], clusters
        self.rng = np.random.default_rng(seed)
        self.session = None
        self.split_done: set[int] = set()
        self.thresholds: dict[str, float] = {}
        self.review_over = False

    def random_one(self) -> None:
        unlabeled = np.flatnonzero(self.lab.session.codes < 0)
        if unlabeled.size:
            i = int(self.rng.choice(unlabeled))
            self.lab.assign([i], self.y[i])

    def review_step(self) -> str:
        """One review decision: "label", "split", "skip", or "random" once the review is over."""
        if self.session is None:
            self.session = self.lab.review(clusters=self.clusters, restart=True)
        s = self.session
        info = s.current
        if self.review_over or info is None or s.done or (info.id in s.skipped and all(
                c in s.reviewed or c in s.skipped for c in s.queue)):
            self.review_over = True
            self.random_one()
            return "random"
        sample = self.rng.choice(info.members, size=min(10, info.size), replace=False)
        names, counts = np.unique(self.y[sample].astype(str), return_counts=True)
        if counts.max() >= int(np.ceil(0.8 * sample.size)):
            s.label_cluster(str(names[counts.argmax()]))
            return "label"
        if info.id not in self.split_done and info.size >= 8:
            try:
                new = s.split()
                self.split_done.update(new)
                return "split"
            except ValueError:
                pass
        s.skip()
        return "skip"

    def group_step(self, strategy: str, strict: bool) -> str:
        """One decision on the queue's current group (see the module docstring)."""
        if self.session is None:
            self.session = self.lab.queue_session(strategy, group=10, restart=True)
        item = self.session.current
        if item is None:
            self.random_one()
            return "random"
        truth = self.y[item.positions].astype(str)
        names, counts = np.unique(truth, return_counts=True)
        best = str(names[counts.argmax()])
        if not strict:
            self.session.label(best, item.positions[truth == best])
            return "label"
        if counts.max() >= int(np.ceil(0.8 * truth.size)):
            self.session.label(best)
            return "label"
        self.session.skip()
        return "skip"

    def suggestion_step(self) -> bool:
        """One decision on a batch of suggestions; False when none is on offer."""
        frame = self.lab.suggest()
        conf = frame["confidence"].to_numpy()
        sug = frame["suggested"].to_numpy(dtype=object)
        open_ = (self.lab.session.codes < 0) & pd.notna(sug)
        best, best_idx = None, None
        for label in pd.unique(sug[open_]):
            t = self.thresholds.get(label, 0.9)
            if t > 0.98:
                continue
            idx = np.flatnonzero(open_ & (sug == label) & (conf >= t))
            if idx.size >= 2 and (best_idx is None or idx.size > best_idx.size):
                best, best_idx = label, idx
        if best is None:
            return False
        sample = self.rng.choice(best_idx, size=min(10, best_idx.size), replace=False)
        if (self.y[sample] == best).sum() >= int(np.ceil(0.9 * sample.size)):
            t = self.thresholds.get(best, 0.9)
            self.lab.accept_suggestions(best_idx, min_confidence=t, suggestions=frame)
        else:
            t = self.thresholds.get(best, 0.9)
            self.thresholds[best] = {0.9: 0.95, 0.95: 0.98}.get(t, 1.0)
        return True


def run_method(method: str, data: dict, clusters: np.ndarray, budget: int, full: float, seed: int) -> dict:
    lab = Labeler(data["texts"], embeddings=data["X"], coords=data["coords"])
    lab._learner().background = False  # the simulation waits for no one: no refits behind its back
    lab._learner().cv = 2  # the folds only score labeled texts (doubt): no queue reads them; fewer fits
    person = Person(lab, data, clusters, seed)
    lasso_order = [c for c, _ in sorted(((c, int((clusters == c).sum())) for c in np.unique(clusters) if c >= 0),
                                        key=lambda p: (-p[1], p[0]))]
    results, start, want_suggestion = {}, time.perf_counter(), False
    for action in range(1, budget + 1):
        if method == "random":
            person.random_one()
        elif method == "review":
            person.review_step()
        elif method == "review+suggest":
            if not (want_suggestion and person.suggestion_step()):
                want_suggestion = person.review_step() == "label"
            else:
                want_suggestion = False
        elif method == "uncertainty":
            strategy = "uncertainty" if len(lab.counts) >= 2 else "diversity"
            i = int(lab.queue(strategy, n=1).index[0])
            lab.assign([i], data["y"][i])
        elif method.startswith(("explore", "diversity groups")):
            if method.startswith("explore") and action % REFIT_EVERY == 1 and action > 1:
                lab._learner().get()  # the model behind the queue catches up
            person.group_step("explore" if method.startswith("explore") else "diversity", method.endswith("8/10"))
        elif method == "lasso":
            if lasso_order:
                members = np.flatnonzero(clusters == lasso_order.pop(0))
                names, counts = np.unique(data["y"][members].astype(str), return_counts=True)
                lab.assign(members, str(names[counts.argmax()]), source="lasso")
            else:
                person.random_one()
        if action in CHECKPOINTS:
            results[action] = score(lab, data, full)
    results["seconds"] = round(time.perf_counter() - start, 1)
    return results


def run_dataset(data: dict, budget: int, seed: int, methods=METHODS) -> dict:
    full = _accuracy(data["X"], data["y"], data["X_test"], data["y_test"])
    lab = Labeler(data["texts"], embeddings=data["X"], coords=data["coords"])
    clusters = lab.clusters().assignment
    out = {"dataset": data["name"], "n_train": len(data["texts"]), "n_test": len(data["y_test"]),
           "classes": int(np.unique(data["y"]).size), "clusters": int(np.unique(clusters[clusters >= 0]).size),
           "full_accuracy": round(full, 3), "methods": {}}
    for method in methods:
        out["methods"][method] = run_method(method, data, clusters, budget, full, seed)
        print(data["name"], method, out["methods"][method], flush=True)
    return out


def table(results: list[dict]) -> str:
    """One dataset's runs (one per seed): mean (min over seeds) of each cell."""
    first = results[0]
    seeds = ", ".join(str(r["seed"]) for r in results)
    head = "| method | " + " | ".join(f"{c} actions" for c in CHECKPOINTS) + " |"
    lines = [f"{first['dataset']}: {first['n_train']} texts to label, {first['classes']} intents, "
             f"{'/'.join(str(r['clusters']) for r in results)} clusters; all-labels accuracy "
             f"{'/'.join(str(r['full_accuracy']) for r in results)} on {first['n_test']} held-out texts; seeds {seeds}. "
             "Cells: accuracy ratio mean (min) / label precision mean (min) / coverage.", "",
             head, "|" + "---|" * (len(CHECKPOINTS) + 1)]
    for method in first["methods"]:
        cells = []
        for c in CHECKPOINTS:
            got = [r["methods"][method][c] for r in results if c in r["methods"].get(method, {})]
            if not got:
                cells.append("-")
                continue
            ratio, prec = [g["ratio"] for g in got], [g["precision"] for g in got]
            cells.append(f"{np.mean(ratio):.2f} ({min(ratio):.2f}) / {np.nanmean(prec):.2f} ({np.nanmin(prec):.2f}) / "
                         f"{np.mean([g['covered'] for g in got]):.0%}")
        lines.append(f"| {method} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def refit_timing(n: int, *, labeled_share: float = 0.1, classes: int = 20, dim: int = 384, seed: int = 0) -> dict:
    """Seconds of one background refresh (the 5-fold fit plus the full fit and predicting every
    text) at ``n`` texts with synthetic ``dim``-d embeddings, and the slowest label operation
    made while it runs (it must not wait for the fit)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(classes, dim))
    truth = rng.integers(0, classes, n)
    X = (centres[truth] + rng.normal(scale=2.0, size=(n, dim))).astype(np.float32)
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    labels = np.full(n, None, dtype=object)
    some = rng.choice(n, int(n * labeled_share), replace=False)
    labels[some] = np.array([f"c{c}" for c in range(classes)], dtype=object)[truth[some]]
    lab = Labeler([f"t{i}" for i in range(n)], embeddings=X, coords=X[:, :2], labels=labels)
    service = lab._learner()
    service.delay = 0.2
    start = time.perf_counter()
    lab.assign([int(np.flatnonzero(pd.isna(labels))[0])], "c0")  # the refit starts 0.2 s later
    slowest = time.perf_counter() - start
    unlabeled = np.flatnonzero(pd.isna(labels))[1:21]
    key = service.key()
    while key not in service._running and key not in service._cache:
        time.sleep(0.01)
    for i in unlabeled:  # label operations while the refit runs: none may wait for it
        t = time.perf_counter()
        lab.assign([int(i)], "c1")
        slowest = max(slowest, time.perf_counter() - t)
        lab.undo()
    while key not in service._cache and service.last_error is None:
        time.sleep(0.05)
    fit = service._cache[key]
    return {"n": n, "labeled": int(labels.__ne__(None).sum()) + 1, "classes": classes, "dim": dim,
            "refit_s": round(fit.seconds, 2), "slowest_label_op_during_refit_ms": round(slowest * 1000, 1)}


def main(argv=None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=["snips", "banking77"])
    parser.add_argument("--train", type=int, default=3000)
    parser.add_argument("--test", type=int, default=1000)
    parser.add_argument("--budget", type=int, default=120)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="data sample / map seeds")
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--synthetic", action="store_true", help="tiny generated data (smoke test)")
    parser.add_argument("--refit-timing", nargs="*", type=int, metavar="N",
                        help="only time the background refresh at these numbers of texts (e.g. 10000 100000)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    results = []
    if args.refit_timing:
        results = [refit_timing(n) for n in args.refit_timing]
        for row in results:
            print(row, flush=True)
        if args.out:
            args.out.write_text(json.dumps(results, indent=1))
        return results
    sets = ["synthetic"] if args.synthetic else args.datasets
    for name in sets:
        runs = []
        for seed in args.seeds:
            data = (synthetic_data(args.train, args.test, seed) if name == "synthetic"
                    else real_data(name, args.train, args.test, seed))
            result = run_dataset(data, args.budget, seed, args.methods)
            result["seed"] = seed
            result["machine"] = f"{platform.machine()} {platform.processor() or ''} python {platform.python_version()}"
            result["load_average"] = [round(x, 2) for x in os.getloadavg()]
            runs.append(result)
            results.append(result)
            if args.out:
                args.out.write_text(json.dumps(results, indent=1))
        print(table(runs), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    return results


if __name__ == "__main__":
    main()
