"""Texts to points: embedders (sentence-transformers, hashing, any callable), projectors (UMAP,
the PCA first view, computed in the background), their on-disk caches, and text search.

May import: ``corral.core``. Knows nothing of labels, regions, review or widgets."""
