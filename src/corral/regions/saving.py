"""Save and load text classifiers without pickle.

A classifier from ``Labeler.to_classifier`` (or any scikit-learn estimator) is written to one zip
file: ``manifest.json``, plain ``.npy`` arrays (read with ``allow_pickle=False``) and ``.skops``
files for the scikit-learn parts (RegionClassifier, LogisticRegression, ...).

- The embedder is saved **by reference**: the sentence-transformers model's path or name (``None``
  for corral's default model), or a HashingEmbedder's parameters. Other embedders are refused.
- The map projection is saved as **a recipe**: UMAP's parameters, the embeddings it was fitted
  on and the coordinates it gave. Loading refits UMAP on them and refuses the file unless it
  finds exactly the same coordinates. UMAP's fitted object itself (numba functions, a search
  index) is never stored: pickle could run code, and skops cannot vouch for those types. So a
  UMAP map must have a ``random_state`` to be saved (without one, a refit differs); refitting
  costs what the first fit did, unless corral's own on-disk cache already has it.
- ``.skops`` files are loaded trusting only skops' defaults (numpy, scipy, scikit-learn types)
  plus :class:`corral.RegionClassifier`; any other type is refused unless listed in ``trusted``.

>>> import numpy as np, os, tempfile, corral
>>> clf = corral.RegionClassifier({"a": [[(0, 0), (1, 0), (0, 1)]]}).fit(np.zeros((1, 2)))
>>> path = save_classifier(clf, os.path.join(tempfile.mkdtemp(), "clf.corral-clf"))
>>> load_classifier(path).predict([[0.2, 0.2], [3, 3]]).tolist()
['a', 'unknown']
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

FORMAT = "corral-classifier"
VERSION = 1
TRUSTED = ["corral.regions.estimator.RegionClassifier"]


def save_classifier(classifier, path) -> Path:
    """Write ``classifier`` (a Pipeline from ``to_classifier`` or a scikit-learn estimator) to
    ``path``, a zip file that :func:`load_classifier` reads back without pickle."""
    from sklearn.pipeline import Pipeline

    steps = classifier.steps if isinstance(classifier, Pipeline) else [(None, classifier)]
    files: dict[str, bytes] = {}
    manifest = {"format": FORMAT, "version": VERSION, "pipeline": isinstance(classifier, Pipeline),
                "steps": [_save_step(name, step, files) for name, step in steps]}
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, indent=1))
        for name, data in files.items():
            zf.writestr(name, data)
    tmp.replace(path)
    return path


def load_classifier(path, *, trusted=()):
    """Read a classifier written by :func:`save_classifier` (never unpickles anything).

    ``trusted``: extra type names (``"module.Class"``) allowed in its scikit-learn parts, e.g. a
    custom estimator of yours; anything else unknown is refused with the list of types found."""
    from sklearn.pipeline import Pipeline

    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise ValueError(f"{path} is not a corral classifier file (format {VERSION})")
        steps = [(step["name"], _load_step(step, zf, list(trusted))) for step in manifest["steps"]]
    return Pipeline(steps) if manifest["pipeline"] else steps[0][1]


# -- steps ---------------------------------------------------------------------------------------
def _save_step(name, step, files: dict) -> dict:
    from corral.regions.pipeline import MapAndEmbedding, MapProjector, TextEmbedder

    if isinstance(step, TextEmbedder):
        return {"name": name, "kind": "embedder", "embedder": _embedder_spec(step.embedder_)}
    if isinstance(step, MapProjector):
        prefix = f"{name}/"
        files[prefix + "embeddings.npy"] = _npy(step.embeddings_)
        files[prefix + "coords.npy"] = _npy(step.projector_.coords_)
        return {"name": name, "kind": "map_and_embedding" if isinstance(step, MapAndEmbedding) else "map",
                "projector": _projector_spec(step.projector_, len(step.embeddings_)),
                "embeddings": prefix + "embeddings.npy", "coords": prefix + "coords.npy"}
    import skops.io as sio

    files[f"{name or 'model'}.skops"] = sio.dumps(step)
    return {"name": name, "kind": "skops", "file": f"{name or 'model'}.skops"}


def _load_step(spec: dict, zf: zipfile.ZipFile, trusted: list):
    from corral.regions.pipeline import MapAndEmbedding, MapProjector, TextEmbedder

    kind = spec["kind"]
    if kind == "embedder":
        return TextEmbedder(_embedder_from_spec(spec["embedder"])).fit()
    if kind in ("map", "map_and_embedding"):
        embeddings, coords = (_read_npy(zf, spec[key]) for key in ("embeddings", "coords"))
        projector = _projector_from_spec(spec["projector"])
        rebuilt = projector.fit_transform(embeddings)
        if not np.array_equal(rebuilt, coords):
            raise ValueError("the map rebuilt from this file differs from the saved one (another umap-learn "
                             "or numba version?): its predictions would not be the same, so it is refused")
        step = MapAndEmbedding if kind == "map_and_embedding" else MapProjector
        return step(projector).fit(embeddings)
    if kind == "skops":
        import skops.io as sio

        data = zf.read(spec["file"])
        unknown = [t for t in sio.get_untrusted_types(data=data) if t not in TRUSTED + trusted]
        if unknown:
            raise TypeError(f"{spec['file']} holds types that are not trusted: {unknown}; if you trust "
                            "this file, pass load_classifier(..., trusted=[...]) with them")
        return sio.loads(data, trusted=TRUSTED + trusted)
    raise ValueError(f"unknown step kind {kind!r} in the classifier file")


# -- embedders and projectors by reference -------------------------------------------------------
def _embedder_spec(embedder) -> dict:
    import os

    from corral.data.embedders import HashingEmbedder, SentenceTransformerEmbedder

    if isinstance(embedder, HashingEmbedder):
        return {"type": "hashing", "dim": embedder.dim, "seed": embedder.seed}
    if isinstance(embedder, SentenceTransformerEmbedder):
        model = embedder.model
        if model is not None and not isinstance(model, (str, os.PathLike)):
            raise TypeError("the embedder is a loaded SentenceTransformer object: it is saved by reference, so "
                            "build the Labeler with the model's folder or name (embedder='path/to/model')")
        return {"type": "sentence-transformers", "model": None if model is None else str(model),
                "normalize": embedder.normalize, "batch_size": embedder.batch_size}
    raise TypeError(f"a {type(embedder).__name__} cannot be saved by reference: only sentence-transformers "
                    "models (by path or name) and HashingEmbedder can")


def _embedder_from_spec(spec: dict):
    from corral.data.embedders import HashingEmbedder, SentenceTransformerEmbedder

    if spec["type"] == "hashing":
        return HashingEmbedder(dim=int(spec["dim"]), seed=int(spec["seed"]))
    if spec["type"] == "sentence-transformers":
        return SentenceTransformerEmbedder(spec["model"], normalize=bool(spec["normalize"]),
                                           batch_size=int(spec["batch_size"]))
    raise ValueError(f"unknown embedder type {spec['type']!r} in the classifier file")


def _projector_spec(projector, n: int) -> dict:
    from corral.data.projectors import MIN_UMAP_POINTS, UMAPProjector

    if type(projector) is not UMAPProjector:
        raise TypeError(f"a {type(projector).__name__} map cannot be saved: only corral.UMAPProjector can")
    if projector.random_state is None and n >= MIN_UMAP_POINTS:
        raise ValueError("this map's UMAP has no random_state, so it cannot be rebuilt identically on loading: "
                         "build the Labeler with projector=corral.UMAPProjector(random_state=0), or save a "
                         "classifier with space='embedding'")
    return {"type": "umap", "params": projector._params(), "cache": projector.cache}


def _projector_from_spec(spec: dict):
    from corral.data.projectors import UMAPProjector

    if spec.get("type") != "umap":
        raise ValueError(f"unknown projector type {spec.get('type')!r} in the classifier file")
    allowed = {"n_neighbors", "min_dist", "metric", "random_state", "n_epochs", "init"}
    params = {k: v for k, v in spec["params"].items() if k in allowed}
    return UMAPProjector(**params, cache=bool(spec.get("cache", True)))


def _npy(array) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.asarray(array), allow_pickle=False)
    return buffer.getvalue()


def _read_npy(zf: zipfile.ZipFile, name: str) -> np.ndarray:
    return np.load(io.BytesIO(zf.read(name)), allow_pickle=False)
