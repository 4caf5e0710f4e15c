"""Finding points by their text: keyword, regular expression, or meaning (semantic similarity).

>>> texts = ["Will it rain?", "play jazz", "rainy days playlist"]
>>> keyword_matches(texts, "rain").tolist()
[0, 2]
>>> keyword_matches(texts, r"^play", regex=True).tolist()
[1]
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd


def keyword_matches(texts, query: str, *, regex: bool = False, case: bool = False) -> np.ndarray:
    """Positions of the texts containing ``query`` (a plain substring, or a regex)."""
    if not isinstance(query, str) or not query:
        raise ValueError("the search query is empty")
    if regex:
        try:
            re.compile(query)
        except re.error as e:
            raise ValueError(f"not a valid regular expression: {e}") from None
    series = texts if isinstance(texts, pd.Series) else pd.Series(texts, dtype=object)
    hits = series.str.contains(query, case=case, regex=regex, na=False).to_numpy(dtype=bool)
    return np.flatnonzero(hits)


def similarity(embeddings: np.ndarray, query_vector: np.ndarray, row_norms: np.ndarray | None = None) -> np.ndarray:
    """Cosine similarity of every row of ``embeddings`` to ``query_vector`` (float32, -1..1).

    Pass ``row_norms`` (``np.linalg.norm(embeddings, axis=1)``) to skip recomputing them per query.
    """
    q = np.asarray(query_vector, dtype=np.float32).ravel()
    if row_norms is None:
        row_norms = np.linalg.norm(embeddings, axis=1)
    norms = row_norms * (np.linalg.norm(q) or 1.0)
    scores = embeddings @ q
    return (scores / np.where(norms == 0, 1, norms)).astype(np.float32)


class TextSearch:
    """Keyword and meaning search over one list of texts, with what each query reuses cached
    (the texts as a Series, the embeddings' row norms). ``embeddings`` and ``embed_query`` are
    callables, so nothing is embedded before the first meaning search."""

    def __init__(self, texts, embeddings, embed_query) -> None:
        self._texts, self._embeddings, self._embed_query = texts, embeddings, embed_query
        self._series: pd.Series | None = None
        self._norms: np.ndarray | None = None

    def keyword(self, query: str, *, regex: bool = False) -> np.ndarray:
        if self._series is None:
            self._series = pd.Series(self._texts, dtype=object)
        return keyword_matches(self._series, query, regex=regex)

    def meaning(self, query: str) -> np.ndarray:
        if not isinstance(query, str) or not query.strip():
            raise ValueError("the search query is empty")
        X = self._embeddings()
        if self._norms is None:  # computed once: a query then costs one matrix-vector product
            self._norms = np.linalg.norm(X, axis=1)
        return similarity(X, self._embed_query(query), self._norms)
