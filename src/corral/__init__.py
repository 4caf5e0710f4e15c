"""corral: Jupyter-native visual labeling. Embed texts, see them as a map, lasso clusters to label them.

>>> import corral
>>> lab = corral.Labeler(["a b", "c d", "a c"], embedder=corral.HashingEmbedder())
>>> _ = lab.assign([0], "x"); lab.counts.to_dict()
{'x': 1}
"""

from corral.data.embedders import (
    Embedder,
    FunctionEmbedder,
    HashingEmbedder,
    SentenceTransformerEmbedder,
    as_embedder,
    default_model_path,
)
from corral.regions.saving import load_classifier, save_classifier
from corral.regions.estimator import RegionClassifier
from corral.labels.journal import JournalError
from corral.labeler import Labeler
from corral.data.projectors import PCALayout, UMAPProjector
from corral.core.version import VERSION
from corral import datasets  # corral.datasets.load_snips() after a plain `import corral` (pandas only)

__version__ = VERSION

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
