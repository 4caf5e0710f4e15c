"""The HTML report shown inside a notebook: the same self-contained page in an ``<iframe srcdoc>``.

:func:`show_report` builds the page :meth:`corral.Labeler.to_html` writes (BokehJS inlined, so it
loads nothing) and returns an object that every notebook host displays through ``_repr_html_``:
JupyterLab, Notebook 7, marimo (a cell's last expression), VS Code and Colab. The page stays in an
iframe of its own, so bokeh's scripts and styles never touch the notebook's.

>>> import numpy as np
>>> from corral import Labeler, HashingEmbedder
>>> lab = Labeler(["rain", "sun", "<b>jazz</b>"], embedder=HashingEmbedder(), coords=np.eye(3, 2))
>>> frame = show_report(lab, title="Weather & music")
>>> out = frame._repr_html_()
>>> out.startswith("<iframe class='corral-report-frame'"), "<b>jazz</b>" in out, "cdn.bokeh.org" in out
(True, False, False)
"""

from __future__ import annotations

import html


class ReportFrame:
    """The report page (``.page``, a full HTML document) shown in an iframe when displayed."""

    def __init__(self, page: str, height: int = 760) -> None:
        self.page = page
        self.height = int(height)

    def _repr_html_(self) -> str:
        # srcdoc holds the page escaped once (the browser unescapes it); texts in it are escaped already
        return (f"<iframe class='corral-report-frame' srcdoc=\"{html.escape(self.page, quote=True)}\" "
                f"style='width:100%;height:{self.height}px;border:0' title='corral report'></iframe>")

    def __repr__(self) -> str:
        return f"<corral.report.inline.ReportFrame: {len(self.page):,} characters>"


def show_report(labeler, *, height: int = 760, title: str | None = None, max_points: int = 50_000, doubt=None,
                clusters="auto") -> ReportFrame:
    """:meth:`corral.Labeler.to_html`'s page for display in a notebook cell (same options)."""
    from corral.report.html import report_page

    page = report_page(labeler, title=title, max_points=max_points, doubt=doubt, clusters=clusters)
    return ReportFrame(page, height=height)
