"""Labeler: the one object a user touches. Texts in; map, labels, history and widget out.

>>> from corral import Labeler, HashingEmbedder
>>> lab = Labeler(["rain tomorrow?", "play jazz", "is it sunny", "play rock"],
...               embedder=HashingEmbedder())
>>> _ = lab.assign([0, 2], "weather")
>>> lab.labels.tolist()
['weather', nan, 'weather', nan]
>>> lab.undo().kind, int(lab.labels.notna().sum())
('undo', 0)
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from corral import _persist
from corral._labeler_regions import RegionsMixin
from corral._labeler_report import ReportMixin
from corral._labeler_review import ReviewMixin
from corral._validate import check_matrix, check_polygon, check_texts, resolve_indices, warn, warn_duplicates
from corral.embed import Embedder, as_embedder
from corral.geometry import points_in_polygon
from corral.project import UMAPProjector
from corral.search import keyword_matches, similarity
from corral.session import LabelSession, Operation

_background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="corral-projection")


def _labels_array(labels, n: int) -> np.ndarray:
    """User labels -> object array of str/None (missing and blank values are unlabeled)."""
    values = labels.to_numpy(dtype=object) if isinstance(labels, (pd.Series, pd.Index)) else np.asarray(
        list(labels), dtype=object)
    if values.shape != (n,):
        raise ValueError(f"labels has {values.size} entries but there are {n} texts")
    missing = pd.isna(values)
    out = np.array([None if m else str(v) for v, m in zip(values, missing)], dtype=object)
    blank = np.array([v is not None and not v.strip() for v in out], dtype=bool)
    if blank.any():
        warn(f"{int(blank.sum())} labels are blank strings: treated as unlabeled")
        out[blank] = None
    return out


class Labeler(RegionsMixin, ReviewMixin, ReportMixin):
    """Label texts on a 2-D map of their embeddings.

    Give ``embeddings`` to skip embedding, ``coords`` (n x 2) to skip the projection, an
    ``embedder`` (a model path, a SentenceTransformer, an :class:`~corral.Embedder` or any callable
    ``texts -> array``) and a ``projector`` (default :class:`~corral.UMAPProjector`). With
    ``autosave=path`` every labeling operation is appended to a journal on disk before the call
    returns; constructing a Labeler on the same texts with the same path resumes from it.
    """

    def __init__(self, texts, *, labels=None, embeddings=None, coords=None, embedder=None, projector=None,
                 autosave=None) -> None:
        self.texts: list[str] = check_texts(texts)
        self.index = texts.index if isinstance(texts, pd.Series) else pd.RangeIndex(len(self.texts))
        n = len(self.texts)
        warn_duplicates(self.texts)
        self._extra = pd.DataFrame(index=self.index)
        self._embeddings = None if embeddings is None else check_matrix(embeddings, n=n, name="embeddings")
        self.embedder: Embedder | None = (
            as_embedder(embedder) if (embedder is not None or self._embeddings is None) else None
        )
        self.projector = projector if projector is not None else UMAPProjector()
        self._session = LabelSession(n, None if labels is None else _labels_array(labels, n))
        self._views = None  # corral._views.Views, created when the map is first shown
        self._selection = np.empty(0, dtype=np.int64)
        self._text_series: pd.Series | None = None
        self._row_norms: np.ndarray | None = None
        self._future: Future | None = None
        self._first_view: np.ndarray | None = None
        self._texts_fingerprint = _persist.fingerprint(self.texts)
        self.autosave = None if autosave is None else Path(autosave)
        if self.autosave is not None:
            self._open_journal(labels)
        if coords is not None:
            self._coords = check_matrix(coords, n=n, name="coords", ncols=2)
        else:
            self._coords = None
            self._start_projection()

    @classmethod
    def from_frame(cls, df: pd.DataFrame, text: str = "text", label: str | None = None, **kw) -> "Labeler":
        """A Labeler over ``df[text]`` (and initial labels from ``df[label]``); the other columns
        come back in :meth:`to_frame`."""
        if not isinstance(df, pd.DataFrame):
            raise TypeError(f"from_frame needs a pandas DataFrame, got {type(df).__name__}")
        for name, role in ((text, "text"), (label, "label")):
            if name is not None and name not in df.columns:
                raise KeyError(f"no column {name!r} for the {role} (columns: {list(df.columns)[:10]})")
        if label is not None and "labels" in kw:
            raise TypeError("give initial labels either as label= (a column) or labels=, not both")
        labeler = cls(df[text], labels=df[label] if label is not None else kw.pop("labels", None), **kw)
        extra = df.drop(columns=[c for c in (text, label) if c is not None])
        clash = [c for c in ("text", "x", "y", "label") if c in extra.columns]
        if clash:
            warn(f"columns {clash} are replaced by corral's own in to_frame()")
        labeler._extra = extra.drop(columns=clash)
        return labeler

    # -- data -----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.texts)

    @property
    def embeddings(self) -> np.ndarray:
        """n x d float32 embeddings (computed on first use when not given)."""
        if self._embeddings is None:
            if self.embedder is None:
                raise RuntimeError("no embeddings and no embedder: pass embeddings= or embedder=")
            self._embeddings = self.embedder.encode(self.texts)
        return self._embeddings

    def embed(self, texts) -> np.ndarray:
        """Embed new texts in the same space as this Labeler's."""
        if self.embedder is None:
            raise RuntimeError("this Labeler was given precomputed embeddings and no embedder: "
                               "pass embedder=... to embed new texts")
        out = self.embedder.encode(texts)
        if self._embeddings is not None and out.shape[1] != self._embeddings.shape[1]:
            raise ValueError(f"the embedder gives {out.shape[1]}-d vectors, this Labeler's are "
                             f"{self._embeddings.shape[1]}-d: pass the embedder that made them")
        return out

    @property
    def coords(self) -> np.ndarray:
        """n x 2 float32 map coordinates (waits for the full projection if it is still running)."""
        if self._coords is None:
            self._coords = self._future.result()
        return self._coords

    @property
    def projection_ready(self) -> bool:
        """Whether the full projection has finished (the map shows a quick first view until then)."""
        return self._coords is not None or (self._future is not None and self._future.done())

    def current_coords(self) -> np.ndarray:
        """The best coordinates available now, without waiting (the first view while UMAP runs)."""
        if self.projection_ready and (self._future is None or self._future.exception() is None):
            return self.coords
        return self._first_view

    def project(self, texts) -> np.ndarray:
        """Place new texts on this Labeler's map (n x 2 float32)."""
        self.coords  # the projector must be fitted first
        return self.projector.transform(self.embed(texts))

    def _start_projection(self) -> None:
        emb = self.embeddings
        self._first_view = self.projector.first_view(emb)
        self._future = _background.submit(self.projector.fit_transform, emb)
        self._future.add_done_callback(self._on_projected)

    def _on_projected(self, future: Future) -> None:
        if future.exception() is not None:
            warn(f"the map's projection failed: {future.exception()!r}", RuntimeWarning)
            return
        if self._views is not None:
            self._views.coords_changed()

    # -- labels ---------------------------------------------------------------------------
    @property
    def labels(self) -> pd.Series:
        """Label per text, aligned with the input's index; missing (NaN) where unlabeled."""
        return pd.Series(self._session.labels(), index=self.index, name="label", dtype="str")

    @property
    def label_names(self) -> list[str]:
        """Every label name used so far, in order of first use."""
        return list(self._session.categories)

    @property
    def counts(self) -> pd.Series:
        """Number of texts per label (labels with no texts left are omitted)."""
        return pd.Series(self._session.counts(), name="count", dtype="int64")

    @property
    def annotator(self) -> str | None:
        """A name recorded with every later operation (nothing else about the person is kept)."""
        return self._session.annotator

    @annotator.setter
    def annotator(self, name: str | None) -> None:
        self._session.annotator = None if name is None else str(name)

    def assign(self, indices, label: str) -> Operation | None:
        """Give ``label`` to the texts at ``indices`` (positions, a boolean mask, or a
        ``pd.Index`` of the input's index labels). Returns the history entry (None if empty)."""
        idx = resolve_indices(indices, len(self), self.index)
        return self._session.assign(idx, label) if idx.size else None

    def clear(self, indices) -> Operation | None:
        """Remove the labels of the texts at ``indices``."""
        idx = resolve_indices(indices, len(self), self.index)
        return self._session.clear(idx) if idx.size else None

    def label_region(self, polygon, label: str) -> np.ndarray:
        """Label every point inside ``polygon`` (vertices in map coordinates); returns their positions."""
        polygon = check_polygon(polygon)
        idx = np.flatnonzero(points_in_polygon(self.coords, polygon))
        if idx.size:
            self._session.assign(idx, label)
        return idx

    def undo(self) -> Operation | None:
        """Revert the last labeling operation (None if there is none)."""
        return self._session.undo()

    def redo(self) -> Operation | None:
        """Re-apply the last undone operation (None if there is none)."""
        return self._session.redo()

    @property
    def history(self) -> pd.DataFrame:
        """Every operation: seq, time (UTC), kind, label, count, annotator."""
        frame = pd.DataFrame(self._session.history_records(),
                             columns=["seq", "time", "kind", "label", "count", "annotator"])
        frame["time"] = pd.to_datetime(frame["time"], unit="s", utc=True)
        return frame

    @property
    def selection(self) -> np.ndarray:
        """Positions of the points selected on the map (settable from Python)."""
        return self._selection.copy()

    @selection.setter
    def selection(self, indices) -> None:
        self._selection = resolve_indices(indices, len(self), self.index)
        if self._views is not None:
            self._views.selection_changed()

    def search(self, query: str, *, regex: bool = False) -> np.ndarray:
        """Positions of the texts containing ``query`` (case-insensitive; a regex if ``regex``)."""
        if self._text_series is None:
            self._text_series = pd.Series(self.texts, dtype=object)
        return keyword_matches(self._text_series, query, regex=regex)

    def similarity(self, query: str) -> pd.Series:
        """Cosine similarity of every text to ``query`` (embedded with this Labeler's embedder)."""
        if not isinstance(query, str) or not query.strip():
            raise ValueError("the search query is empty")
        if self._row_norms is None:  # computed once: a query then costs one matrix-vector product
            self._row_norms = np.linalg.norm(self.embeddings, axis=1)
        scores = similarity(self.embeddings, self.embed([query])[0], self._row_norms)
        return pd.Series(scores, index=self.index, name="similarity")

    def to_frame(self) -> pd.DataFrame:
        """text, x, y, label and the input's other columns, on the input's index."""
        xy = self.coords
        frame = pd.DataFrame({"text": self.texts, "x": xy[:, 0], "y": xy[:, 1]}, index=self.index)
        frame["label"] = self.labels
        return pd.concat([frame, self._extra], axis=1) if len(self._extra.columns) else frame

    # -- persistence ----------------------------------------------------------------------
    def _open_journal(self, labels) -> None:
        journal, contents = _persist.open_autosave(self.autosave, self._session, self._texts_fingerprint)
        if contents is not None:
            given = self._session.labels()
            self._session = LabelSession(len(self), _persist.initial_labels(contents.header))
            if labels is not None and not np.array_equal(given, self._session.labels()):
                warn(f"resuming {self.autosave}: it started from other labels than labels=; "
                              "the journal's are used")
            self._session.replay(contents.records)
            _persist.report_skipped(self.autosave, contents.skipped)
        self._session.attach(journal)

    def save(self, path) -> Path:
        """Write everything (texts, other columns, map, embeddings, labels, history) to one file."""
        frame = pd.concat([pd.DataFrame({"text": self.texts}, index=self.index), self._extra], axis=1)
        header = _persist.journal_header(self._session, self._texts_fingerprint)
        return _persist.write_save(path, frame=frame, coords=self.coords, embeddings=self._embeddings,
                                   header=header, records=self._session.records)

    @classmethod
    def load(cls, path, *, embedder=None, projector=None, autosave=None) -> "Labeler":
        """Open a file written by :meth:`save` (labels, history and undo included)."""
        parts = _persist.read_save(path)
        frame, contents = parts["frame"], parts["journal"]
        labeler = cls(frame["text"], labels=_persist.initial_labels(contents.header),
                      embeddings=parts["embeddings"], coords=parts["coords"], embedder=embedder,
                      projector=projector)
        labeler._extra = frame.drop(columns=["text"])
        labeler._session.replay(contents.records)
        _persist.report_skipped(path, contents.skipped)
        if autosave is not None:
            labeler.autosave = Path(autosave)
            labeler._open_journal(None)
        return labeler

    # -- display --------------------------------------------------------------------------
    def show(self, height: int = 520, color_by=None, color_label: str | None = None, outlines=None):
        """A new view of the map (all views of one Labeler stay in sync).

        ``color_by``: one number per text (array, or Series on the input's index) to colour the
        points by, with a colour bar, instead of by label; ``color_label`` titles it.
        ``outlines``: read-only polygons shown dashed with their name, ``[{"name", "polygon"}]``
        (e.g. cluster suggestions); change them later with ``widget.outlines = [...]``.
        """
        from corral._color_by import color_values
        from corral._views import Views

        values, values_label = color_values(color_by, len(self), self.index, color_label)
        if self._views is None:
            self._views = Views(self)
        return self._views.new(height=height, values=values, values_label=values_label, outlines=outlines)

    def _repr_mimebundle_(self, **kwargs):
        return self.show()._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        counts = self._session.counts()
        labeled = sum(counts.values())
        return f"<corral.Labeler: {len(self)} texts, {labeled} labeled, {len(counts)} labels>"
