"""The Labeler's cluster review session and standalone HTML report (mixed into :class:`corral.Labeler`).

>>> import numpy as np
>>> from corral import Labeler, HashingEmbedder
>>> lab = Labeler(["a", "b", "c", "d"], embedder=HashingEmbedder(), coords=np.eye(4, 2))
>>> lab.review(lambda cluster: cluster.size, clusters=[0, 0, 0, 1]).queue  # smallest first
[1, 0]
"""

from __future__ import annotations


class ReportMixin:
    def review(self, order=None, *, clusters=None, space: str = "map", include_noise: bool = False,
               restart: bool = False):
        """Walk the suggested clusters one by one: a :class:`~corral.review.ReviewSession`
        (display it, or ``.show()``, for the review widget).

        ``order``: a callable ``ClusterInfo -> sort key`` or a list of cluster ids (default: most
        unlabeled points first). ``clusters``: a :class:`~corral.clusters.Clusters` or one
        cluster id per point (default: ``self.clusters(space=space)``); ``include_noise`` adds
        the points in no cluster as a last one. Progress is journaled: on a resumed Labeler,
        ``review()`` goes on where it stopped (``restart=True`` starts over).
        """
        from corral.review import ReviewSession

        return ReviewSession.start(self, order, clusters=clusters, space=space, include_noise=include_noise,
                                   restart=restart)

    def to_html(self, path, *, title: str | None = None, max_points: int = 50_000, doubt=None,
                clusters="auto"):
        """Write a self-contained HTML report (map coloured by label with hover texts, regions,
        cluster outlines and names, class counts, doubt when asked) that opens offline, without
        Jupyter. Above ``max_points`` the map shows a random sample (the page says so).

        ``doubt``: one score per text (or :meth:`doubt`'s DataFrame), True to compute
        :meth:`doubt`, None for none. ``clusters``: ``"auto"`` (the review's clusters when a
        review was started, else :meth:`clusters`), a Clusters or one id per text, False for
        none. Returns the path.
        """
        from corral.report import write_report

        return write_report(self, path, title=title, max_points=max_points, doubt=doubt, clusters=clusters)
