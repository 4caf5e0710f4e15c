"""Labeler: the one object a user touches. Texts in; map, labels, history and widget out.

A thin facade: each method is one user verb that forwards to a topic package (``data``,
``labels``, ``regions``, ``review``, ``report``, ``map``); no topic logic lives here.

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

from pathlib import Path

import numpy as np
import pandas as pd

from corral.core.geometry import points_in_polygon
from corral.core.validate import check_labels, check_matrix, check_polygon, check_texts, resolve_indices, warn
from corral.core.validate import check_frame, frame_extra, warn_duplicates
from corral.data.background import BackgroundProjection
from corral.data.embedders import Embedder, as_embedder
from corral.data.projectors import UMAPProjector
from corral.data.search import TextSearch
from corral.labels import guidelines, persist, relabel, shared
from corral.labels.session import LabelSession, Operation
from corral.regions import drawn
from corral.regions.shapes import Regions
from corral.review.clusters import ClusterCache
from corral.review.blind import BlindView


class Labeler:
    """Label texts on a 2-D map of their embeddings.

    Give ``embeddings`` to skip embedding, ``coords`` (n x 2) to skip the projection, an
    ``embedder`` (a model path, a SentenceTransformer, an :class:`~corral.Embedder` or any callable
    ``texts -> array``) and a ``projector`` (default :class:`~corral.UMAPProjector`). With
    ``autosave=path`` every labeling operation is appended to a journal on disk before the call
    returns; constructing a Labeler on the same texts with the same path resumes from it.
    ``annotator``: your name on every operation; ``blind=True``: the map and :attr:`labels` show
    only your own labels (independent passes on a shared store, see :meth:`assign_tasks`).
    """

    def __init__(self, texts, *, labels=None, embeddings=None, coords=None, embedder=None, projector=None,
                 autosave=None, annotator: str | None = None, blind: bool = False) -> None:
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
        self._session = LabelSession(n, None if labels is None else check_labels(labels, n))
        self._views = None  # corral.map.views.Views, created when the map is first shown
        self._selection = np.empty(0, dtype=np.int64)
        self._search = TextSearch(self.texts, lambda: self.embeddings, lambda q: self.embed([q])[0])
        self._clusters = ClusterCache(self.texts, lambda: self.coords, lambda: self.embeddings)
        self._texts_fingerprint = persist.fingerprint(self.texts)
        self.annotator = annotator
        self.autosave = None if autosave is None else shared.autosave_target(autosave)
        if self.autosave is not None:
            self._session = shared.attach_autosave(self.autosave, self._session, self._texts_fingerprint,
                                                   labels_given=labels is not None)
        self.blind = bool(blind)
        self._blind_view = BlindView(self._session) if self.blind else None
        self._projection: BackgroundProjection | None = None
        if coords is not None:
            self._coords = check_matrix(coords, n=n, name="coords", ncols=2)
        else:
            self._coords = None
            self._projection = BackgroundProjection(self.projector, self.embeddings, on_done=self._projected)

    @classmethod
    def from_frame(cls, df: pd.DataFrame, text: str = "text", label: str | None = None, **kw) -> "Labeler":
        """A Labeler over ``df[text]`` (and initial labels from ``df[label]``); the other columns
        come back in :meth:`to_frame`."""
        check_frame(df, text, label, given_labels="labels" in kw)
        labeler = cls(df[text], labels=df[label] if label is not None else kw.pop("labels", None), **kw)
        labeler._extra = frame_extra(df, text, label)  # x, y (to_frame's own) dropped silently
        return labeler

    # -- data: embeddings and the map -------------------------------------------------------
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
        from corral.data.embedders import embed_like

        return embed_like(self.embedder, self._embeddings, texts)

    @property
    def coords(self) -> np.ndarray:
        """n x 2 float32 map coordinates (waits for the full projection if it is still running)."""
        if self._coords is None:
            self._coords = self._projection.result()
        return self._coords

    @property
    def projection_ready(self) -> bool:
        """Whether the full projection has finished (the map shows a quick first view until then)."""
        return self._coords is not None or self._projection.ready

    def current_coords(self) -> np.ndarray:
        """The best coordinates available now, without waiting (the first view while UMAP runs)."""
        return self._coords if self._coords is not None else self._projection.current()

    def project(self, texts) -> np.ndarray:
        """Place new texts on this Labeler's map (n x 2 float32)."""
        self.coords  # the projector must be fitted first
        return self.projector.transform(self.embed(texts))

    def _projected(self) -> None:
        if self._views is not None:
            self._views.coords_changed()

    # -- labels -----------------------------------------------------------------------------
    @property
    def session(self) -> LabelSession:
        """The :class:`~corral.labels.session.LabelSession` behind this Labeler (codes, history, undo)."""
        return self._session

    @property
    def labels(self) -> pd.Series:
        """Label per text, aligned with the input's index; missing (NaN) where unlabeled (when
        ``blind``: your own labels only)."""
        own = self._blind_view.labels() if self._blind_view is not None else self._session.labels()
        return pd.Series(own, index=self.index, name="label", dtype="str")

    @property
    def label_names(self) -> list[str]:
        """Every label name used so far, in order of first use (``blind``: by you)."""
        return self._blind_view.current()[1] if self._blind_view is not None else list(self._session.categories)

    @property
    def counts(self) -> pd.Series:
        """Number of texts per label (labels with no texts left are omitted; ``blind``: your own)."""
        own = self._blind_view.counts() if self._blind_view is not None else self._session.counts()
        return pd.Series(own, name="count", dtype="int64")

    @property
    def annotator(self) -> str | None:
        """A name recorded with every later operation (nothing else about the person is kept)."""
        return self._session.annotator

    @annotator.setter
    def annotator(self, name: str | None) -> None:
        self._session.annotator = None if name is None else str(name)

    def assign(self, indices, label: str, *, source: str | None = None) -> Operation | None:
        """Give ``label`` to the texts at ``indices`` (positions, a boolean mask, or a
        ``pd.Index`` of the input's index labels). Returns the history entry (None if empty).
        ``source`` records how (default "python"; the map passes "lasso" or "search")."""
        idx = resolve_indices(indices, len(self), self.index)
        return self._session.assign(idx, label, source=source) if idx.size else None

    def clear(self, indices, *, source: str | None = None) -> Operation | None:
        """Remove the labels of the texts at ``indices``."""
        idx = resolve_indices(indices, len(self), self.index)
        return self._session.clear(idx, source=source) if idx.size else None

    def label_region(self, polygon, label: str) -> np.ndarray:
        """Label every point inside ``polygon`` (vertices in map coordinates); returns their positions."""
        idx = np.flatnonzero(points_in_polygon(self.coords, check_polygon(polygon)))
        if idx.size:
            self._session.assign(idx, label)
        return idx

    def undo(self) -> Operation | None:
        """Revert the last labeling operation (None if there is none)."""
        return self._session.undo()

    def redo(self) -> Operation | None:
        """Re-apply the last undone operation (None if there is none)."""
        return self._session.redo()

    def sync(self) -> int:
        """Apply others' operations from the shared store now (a poll thread does it too); see
        :mod:`corral.labels.shared`. Returns how many."""
        return self._session.sync()

    @property
    def guidelines(self) -> dict:
        """Label guidelines ``{label: {color, definition, include, exclude, examples}}`` (a copy).
        Set it to store a new version (journaled; shown in the map's label tooltips, as text);
        see :mod:`corral.labels.guidelines`."""
        return guidelines.read_guidelines(self._session)

    @guidelines.setter
    def guidelines(self, spec) -> None:
        guidelines.set_guidelines(self._session, spec)

    @property
    def guidelines_version(self) -> int | None:
        """The version of the guidelines in effect (recorded with every later operation)."""
        return guidelines.guidelines_version(self._session)

    def rename_label(self, old: str, new: str) -> Operation | None:
        """Rename a label (one undoable, journaled operation); see :mod:`corral.labels.relabel`."""
        return relabel.rename_label(self._session, old, new)

    def merge_labels(self, labels, into: str) -> Operation | None:
        """Give ``into`` to every text labeled with one of ``labels`` (one undoable operation)."""
        return relabel.merge_labels(self._session, labels, into)

    @property
    def history(self) -> pd.DataFrame:
        """Every operation: seq, time (UTC), kind, label, count, annotator, source (how it was made)."""
        from corral.labels.changes import history_table

        return history_table(self._session)

    @property
    def selection(self) -> np.ndarray:
        """Positions of the points selected on the map (settable from Python)."""
        return self._selection.copy()

    @selection.setter
    def selection(self, indices) -> None:
        self._selection = resolve_indices(indices, len(self), self.index)
        if self._views is not None:
            self._views.selection_changed()

    @property
    def selection_index(self) -> pd.Index:
        """The selected points' labels in the input's index: ``df.loc[lab.selection_index]``."""
        return self.index[self._selection]

    def search(self, query: str, *, regex: bool = False) -> np.ndarray:
        """Positions of the texts containing ``query`` (case-insensitive; a regex if ``regex``)."""
        return self._search.keyword(query, regex=regex)

    def similarity(self, query: str) -> pd.Series:
        """Cosine similarity of every text to ``query`` (embedded with this Labeler's embedder)."""
        return pd.Series(self._search.meaning(query), index=self.index, name="similarity")

    def to_frame(self) -> pd.DataFrame:
        """text, x, y, label and the input's other columns, on the input's index."""
        xy = self.coords
        frame = pd.DataFrame({"text": self.texts, "x": xy[:, 0], "y": xy[:, 1]}, index=self.index)
        frame["label"] = self.labels
        return pd.concat([frame, self._extra], axis=1) if len(self._extra.columns) else frame

    # -- learning (corral.learn) --------------------------------------------------------------
    def suggest(self, model=None) -> pd.DataFrame:
        """``suggested``, ``confidence``, ``margin``, ``entropy`` per text (input's index), never labels;
        see :mod:`corral.learn.suggestions` (``model=``: any scikit-learn classifier)."""
        return self._learner().frame(model, self.index)

    def accept_suggestions(self, where=None, min_confidence: float = 0.9, suggestions=None, *, model=None):
        """Label the unlabeled texts in ``where`` (positions, mask, index labels, polygon; None: all)
        whose suggestion reaches ``min_confidence`` with it, as ONE undoable journaled operation;
        ``suggestions``: the frame you saw (changed since: StaleSuggestions). See :mod:`corral.learn.accept`."""
        from corral.learn.accept import accept, resolve_where

        fit, idx = self._learner().get(model), resolve_where(where, len(self), self.index, lambda: self.coords)
        return accept(self._session, fit.frame(), idx, min_confidence, model=fit.model_name, seen=suggestions)

    def queue(self, strategy="uncertainty", n: int = 50, *, model=None, group: int | None = None) -> pd.DataFrame:
        """The ``n`` unlabeled texts to label next (text, suggested, confidence, score; by position) by ``strategy``;
        "explore"/``group=k``: groups for one decision each (column ``group``). See :mod:`corral.learn.queues`."""
        from corral.learn.queues import rank

        frame = None if strategy == "diversity" else self._learner().get(model).frame()
        return rank(strategy, frame, self._session.labels(), self.texts, n, embeddings=self.embeddings, group=group,
                    coords=self.coords if strategy == "disagreement" else None,
                    regions=(self.regions or None) if strategy == "disagreement" else None)

    def queue_session(self, strategy: str = "explore", group: int = 10, *, model=None, restart: bool = False):
        """Walk :meth:`queue` one group at a time, journaled and resumable (display it for its widget)."""
        from corral.review.queue_session import QueueSession

        return QueueSession.start(self, strategy, group, model=model, restart=restart)

    def _learner(self):
        from corral.learn.refresh import for_labeler
        self._learn = for_labeler(self, getattr(self, "_learn", None))
        return self._learn

    # -- regions (corral.regions) -------------------------------------------------------------
    @property
    def regions(self) -> Regions:
        """Drawn regions as ``{label: [k x 2 polygon, ...]}`` in map coordinates (a copy).

        Set it to replace them all (e.g. loaded from JSON); every change is journaled."""
        return drawn.read_regions(self._session)

    @regions.setter
    def regions(self, regions) -> None:
        drawn.set_regions(self._session, regions)

    def label_regions(self, labels=None) -> dict[str, np.ndarray]:
        """Label the points inside the drawn regions (one undoable operation per label); see
        :func:`corral.regions.drawn.label_regions`. Returns ``{label: positions labeled}``."""
        return drawn.label_regions(self._session, self.coords, labels)

    def to_classifier(self, space: str = "map", estimator=None, rules_first: bool = False, *,
                      include_labels: bool = False, falloff=None, unknown_label=None):
        """A fitted scikit-learn Pipeline that classifies new raw texts from the drawn regions.

        - ``space="map"``: texts -> embedder -> map projection -> :class:`~corral.RegionClassifier`
          (points in no region get ``unknown_label``, or go to ``estimator`` fitted on the map
          coordinates of the points the regions cover).
        - ``space="embedding"``: ``estimator`` (default ``LogisticRegression``) fitted on the
          embeddings of the points the regions cover; ``rules_first=True`` lets the regions decide
          inside them. ``include_labels=True`` adds the hand labels (they win over a region).
        ``falloff``/``unknown_label`` go to the RegionClassifier; where unused they raise ValueError.

        Save it without pickle with :func:`corral.save_classifier`.
        """
        from corral.regions.pipeline import build_classifier

        return build_classifier(self, space=space, estimator=estimator, rules_first=rules_first,
                                include_labels=include_labels, falloff=falloff, unknown_label=unknown_label)

    # -- review (corral.review) ---------------------------------------------------------------
    def clusters(self, *, space: str = "map", min_cluster_size: int | None = None, refresh: bool = False):
        """Suggested clusters (:class:`~corral.review.clusters.Clusters`) of the texts on the map
        (``space="map"``) or in embedding space (``"embedding"``), named by their distinctive
        words. Cached per parameters; ``refresh=True`` recomputes."""
        return self._clusters.get(space, min_cluster_size, refresh)

    def doubt(self, *, cv: int = 5, n_neighbors: int = 10, use_regions: bool = True) -> pd.DataFrame:
        """How likely each label is wrong (a DataFrame on the input's index; NaN for unlabeled
        points): the signals of :func:`corral.review.doubt.compute_doubt` and their mean ``doubt``
        in [0, 1]. The drawn regions add a signal unless ``use_regions=False``."""
        from corral.review.doubt import labeler_doubt

        return labeler_doubt(self, cv=cv, n_neighbors=n_neighbors, use_regions=use_regions)

    def doubt_queue(self, n: int = 50, **kw) -> pd.DataFrame:
        """The ``n`` most doubtful labeled texts (text, label, suggested label, doubt), most
        doubtful first, on the input's index. ``kw`` goes to :meth:`doubt`."""
        from corral.review.doubt import doubt_queue

        return doubt_queue(self.doubt(**kw), self.texts, n)

    def coverage(self, *, by: str = "cluster", grid_size: int = 8, min_cluster_size: int | None = None):
        """Texts per label (warns when imbalanced) and the share still unlabeled per suggested
        cluster (``by="cluster"``, noise as one region) or per cell of a ``grid_size`` squared
        grid over the map (``by="grid"``), the least covered first: a :class:`~corral.review.coverage.Coverage`."""
        from corral.review.coverage import coverage_by

        result = coverage_by(self._session.labels(), by, grid_size=grid_size,
                             clusters=lambda: self.clusters(min_cluster_size=min_cluster_size),
                             coords=self.coords if by == "grid" else None)
        for message in result.warnings:
            warn(message)
        return result

    def agreement(self):
        """How well the annotators agree (an :class:`~corral.review.agreement.Agreement`): each one's
        last label per point from the history (``labeler.annotator = "name"`` before labeling),
        Cohen's kappa per pair, Fleiss' kappa over the points all labeled, agreement per label."""
        from corral.review.agreement import agreement, annotator_labels

        self.sync()
        return agreement(annotator_labels(self._session.records, len(self)).set_axis(self.index))

    def assign_tasks(self, annotators, overlap: float = 0.2, seed: int = 0) -> dict:
        """Split the texts between ``annotators``: an ``overlap`` share everyone labels, the rest
        one each (stored as state; see :func:`corral.review.tasks.distribute`). Returns the plan."""
        from corral.review.tasks import assign_tasks

        return assign_tasks(self._session, annotators, overlap, seed)

    def my_tasks(self) -> np.ndarray:
        """Positions of the texts :attr:`annotator` is to label under :meth:`assign_tasks`."""
        from corral.review.tasks import STATE_KEY, tasks_of

        self.sync()
        return tasks_of(self._session.state.get(STATE_KEY), self.annotator)

    def consensus(self, *, weighted: bool = False) -> pd.DataFrame:
        """Consensus label per text from every annotator's labels (majority, ties flagged; or
        weighted by reliability): see :func:`corral.review.consensus.consensus`."""
        from corral.review.agreement import annotator_labels
        from corral.review.consensus import consensus

        self.sync()
        return consensus(annotator_labels(self._session.records, len(self)), weighted=weighted).set_axis(self.index)

    def adjudicate(self):
        """Walk the texts annotators labeled differently, each one's label shown, and decide
        (journaled, undoable): an :class:`~corral.review.adjudication.Adjudication`; display it."""
        from corral.review.adjudication import Adjudication

        return Adjudication(self)

    def review(self, order=None, *, clusters=None, space: str = "map", include_noise: bool = False,
               restart: bool = False):
        """Walk the suggested clusters one by one: a :class:`~corral.review.session.ReviewSession`
        (display it, or ``.show()``, for the review widget).

        ``order``: "default" (most unlabeled points first), "coverage" (spread over the map first),
        a callable ``ClusterInfo -> sort key`` or a list of cluster ids. ``clusters``: a :class:`~corral.review.clusters.Clusters` or one
        cluster id per point (default: ``self.clusters(space=space)``); ``include_noise`` adds
        the points in no cluster as a last one. Progress is journaled: on a resumed Labeler,
        ``review()`` goes on where it stopped (``restart=True`` starts over).
        """
        from corral.review.session import ReviewSession

        return ReviewSession.start(self, order, clusters=clusters, space=space, include_noise=include_noise,
                                   restart=restart)

    # -- outputs (corral.report) --------------------------------------------------------------
    def export(self, path, format: str | None = None):
        """Write the texts, labels, other columns and each text's history (last_annotator,
        last_changed UTC, n_changes) to ``path``: CSV, parquet (needs pyarrow) or JSONL (labeled
        texts only, the shape Prodigy / Label Studio / Argilla import; see :mod:`corral.report.exports`).
        The format comes from the suffix unless given. Returns the path."""
        from corral.report.exports import export_frame, write_export

        frame = export_frame(self.texts, self._session.labels(), self.index, self._extra, self._session.records)
        return write_export(frame, path, format)

    def to_html(self, path, *, title: str | None = None, max_points: int = 50_000, doubt=None,
                clusters="auto"):
        """Write a self-contained HTML report (map by label with hover texts, regions, cluster
        outlines, class counts, doubt) that opens offline; above ``max_points`` it shows a sample.
        ``doubt``: scores per text, True to compute :meth:`doubt`, or None. ``clusters``: "auto"
        (the review's, else :meth:`clusters`), a Clusters or one id per text, or False."""
        from corral.report.html import write_report

        return write_report(self, path, title=title, max_points=max_points, doubt=doubt, clusters=clusters)

    # -- persistence (corral.labels.persist) --------------------------------------------------
    def save(self, path) -> Path:
        """Write everything (texts, other columns, map, embeddings, labels, history) to one file."""
        return persist.save_session(path, self.texts, self.index, self._extra, self.coords, self._embeddings,
                                    self._session, self._texts_fingerprint)

    @classmethod
    def load(cls, path, *, embedder=None, projector=None, autosave=None) -> "Labeler":
        """Open a file written by :meth:`save` (labels, history and undo included)."""
        parts = persist.read_save(path)
        labeler = cls(parts["frame"]["text"], embeddings=parts["embeddings"], coords=parts["coords"],
                      embedder=embedder, projector=projector)
        labeler._extra = parts["frame"].drop(columns=["text"])
        labeler._session = persist.saved_session(path, parts["journal"])
        if autosave is not None:
            labeler.autosave = shared.autosave_target(autosave)
            labeler._session = shared.attach_autosave(labeler.autosave, labeler._session,
                                                       labeler._texts_fingerprint, labels_given=False)
        return labeler

    # -- display (corral.map) -----------------------------------------------------------------
    def show(self, height: int = 520, color_by=None, color_label: str | None = None, outlines=None):
        """A new view of the map (all views of one Labeler stay in sync).

        ``color_by``: one number per text (array, or Series on the input's index) to colour the
        points by, with a colour bar, instead of by label; ``color_label`` titles it.
        ``outlines``: read-only polygons shown dashed with their name, ``[{"name", "polygon"}]``
        (e.g. cluster suggestions); change them later with ``widget.outlines = [...]``.
        """
        from corral.map.color_by import color_values
        from corral.map.views import Views

        values, values_label = color_values(color_by, len(self), self.index, color_label)
        if self._views is None:
            self._views = Views(self)
        return self._views.new(height=height, values=values, values_label=values_label, outlines=outlines)

    def review_widget(self, session=None, **kwargs):
        """The widget of a ReviewSession (default :meth:`review`) or QueueSession: what ``session.show()`` gives."""
        from corral.map.queue_widget import widget_of

        return widget_of(self.review() if session is None else session, **kwargs)

    def adjudication_widget(self, meeting=None):
        """The widget of an :meth:`adjudicate` walk (what ``meeting.show()`` gives)."""
        from corral.map.adjudication_widget import AdjudicationWidget
        return AdjudicationWidget(self.adjudicate() if meeting is None else meeting)

    def _repr_mimebundle_(self, **kwargs):
        return self.show()._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        counts = self.counts.to_dict()  # in blind mode: your own labels only
        resumed = persist.resumed_notice(self._session)
        tail = f"; {resumed.removeprefix('corral: ')}" if resumed else ""
        return f"<corral.Labeler: {len(self)} texts, {sum(counts.values())} labeled, {len(counts)} labels{tail}>"
