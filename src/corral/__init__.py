"""corral: Jupyter-native visual labeling. Embed texts, see them as a map, lasso clusters to label them.

>>> import corral
>>> lab = corral.Labeler(["a b", "c d", "a c"], embedder=corral.HashingEmbedder())
>>> _ = lab.assign([0], "x"); lab.counts.to_dict()
{'x': 1}
"""

from corral.embed import (
    Embedder,
    FunctionEmbedder,
    HashingEmbedder,
    SentenceTransformerEmbedder,
    as_embedder,
    default_model_path,
)
from corral.classifier_io import load_classifier, save_classifier
from corral.estimators import RegionClassifier
from corral.journal import JournalError
from corral.labeler import Labeler
from corral.project import PCALayout, UMAPProjector
from corral import datasets  # corral.datasets.load_snips() after a plain `import corral` (pandas only)

__version__ = "0.1.0"

__all__ = [
    "Embedder",
    "FunctionEmbedder",
    "HashingEmbedder",
    "JournalError",
    "Labeler",
    "PCALayout",
    "RegionClassifier",
    "SentenceTransformerEmbedder",
    "UMAPProjector",
    "as_embedder",
    "datasets",
    "default_model_path",
    "load_classifier",
    "save_classifier",
]
