"""The Labeler's review tools: suggested clusters, doubt, coverage, agreement, reports and exports
(mixed into :class:`corral.Labeler`)."""

from __future__ import annotations


class ReviewMixin:
    pass
