"""The cluster review in marimo, made of marimo's own elements around the map anywidget.

marimo displays anywidgets only: the review widget (:class:`~corral.map.review_widget.ReviewWidget`,
an ipywidgets ``VBox``) shows marimo's "Jupyter widgets are not supported in marimo" banner there.
:func:`marimo_review` gives the same review (progress, the cluster's name, keywords, label make-up
and a sample of its texts, the actions, the map with the cluster selected and every cluster
outlined) with ``mo.ui.text``, ``mo.ui.button`` and HTML (texts and names escaped), in two cells::

    review = marimo_review(lab.review())   # cell 1: bind the getter; the map, drawn once
    review().map

    review().panel()                       # cell 2: re-runs after every action and label change

``review`` is a marimo state getter (``mo.state``) whose value is the :class:`MarimoReview`. A cell
that calls it re-runs after each button, each label change (map keys and label bar, undo, code)
and each review action, so ``review().session.progress`` or ``lab.labels`` in any such cell stay
current. Every button calls one :class:`~corral.review.session.ReviewSession` method, as the
ipywidgets review does.
"""

from __future__ import annotations

import html
import weakref

from corral.map.hosts import marimo_widget
from corral.map.review_widget import ERRORS, label_in_review, makeup_html

# (action, button text, marimo kind, tooltip): the ipywidgets review's buttons, in its order
ACTIONS = (
    ("label_cluster", "Label cluster", "success", "give the label to every point of the cluster"),
    ("accept_suggestion", "Accept suggestion", "neutral", "label the cluster with the model's suggestion"),
    ("label_selection", "Label selection", "neutral", "give the label to the map selection inside the cluster"),
    ("split", "Split", "neutral", "cluster these points again into sub-clusters"),
    ("skip", "Skip", "neutral", "come back to it later"),
    ("mark_reviewed", "Mark reviewed", "neutral", "done with this cluster"),
    ("previous", "◀ Previous", "neutral", "the cluster before"),
    ("next", "Next ▶", "neutral", "the next cluster"),
    ("resample", "Resample", "neutral", "show other texts of the cluster"),
)

_UNSUBSCRIBE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # review session -> its hook


def _text(css: str, text: str, tag: str = "div") -> str:
    return f"<{tag} class='{css}'>{html.escape(text)}</{tag}>"


class MarimoReview:
    """A review session's marimo face (build it with :func:`marimo_review`)."""

    def __init__(self, session, *, sample_size: int = 8, map_height: int = 440, show_map: bool = True):
        self.session = session
        self.sample_size = sample_size
        self.message = ""
        self.label_name = ""  # what the label field holds (kept across re-renders)
        self._set_state = lambda _review: None  # marimo_review sets the state's setter
        self._acting = False  # during a button's action: one re-render at its end
        self._resample = False
        self._shown_cluster = None
        self._elements = ()
        self.map = (marimo_widget(session.labeler.show(height=map_height, outlines=session.outlines()))
                    if show_map else None)
        previous = _UNSUBSCRIBE.pop(session, None)
        if previous is not None:  # the cell re-ran: one hook per session
            previous()
        _UNSUBSCRIBE[session] = session.labeler.session.subscribe(self._changed_elsewhere)

    def _changed_elsewhere(self, _operation) -> None:
        if not self._acting:  # labels given (or undone) outside the panel: on the map, in code
            self._set_state(self)

    def _set_label(self, value: str) -> None:
        self.label_name = value

    def act(self, name: str) -> None:
        """Do one of :data:`ACTIONS` (what its button does), then re-render the panel."""
        session = self.session
        self.message = ""
        self._acting = True
        try:
            with session.labeler.session.issued_by("review"):  # a person's act, never a re-run cell
                if name in ("label_cluster", "label_selection"):
                    self._label(name)
                elif name == "resample":
                    self._resample = True
                else:
                    getattr(session, name)()
                    if name == "split" and self.map is not None:
                        self.map.widget.outlines = session.outlines()  # the sub-clusters replace their parent
        except ERRORS as err:
            self.message = f"⚠ {err}"
        finally:
            self._acting = False
        self._set_state(self)

    def _label(self, name: str) -> None:
        self.message = label_in_review(self.session, name, self.label_name, missing="type a label name first")
        if name == "label_cluster":
            self.label_name = ""  # the next cluster is another one: no name to repeat by accident

    def panel(self):
        """The review's controls and the current cluster, as marimo elements (call it in a cell of
        its own: it is rebuilt on every change; the map stays in the cell that shows ``.map``)."""
        import marimo as mo

        session, progress = self.session, self.session.progress
        resample, self._resample = self._resample, False
        field = mo.ui.text(value=self.label_name, placeholder="label name", debounce=False,
                           on_change=self._set_label)
        current = session.current
        buttons = {name: mo.ui.button(label=text, kind=kind, tooltip=tip, on_click=lambda _v, name=name: self.act(name),
                                      disabled=current is None or (name == "accept_suggestion" and current.suggested is None))
                   for name, text, kind, tip in ACTIONS}
        # marimo holds its elements weakly (a global name keeps them alive in a notebook): these live
        # until the next render, else a click would reach an element already gone and do nothing
        self._elements = (field, buttons)
        head = [_text("corral-mreview-progress", str(progress) + (" · all reviewed" if session.done else ""))]
        if current is None:
            head.append(_text("corral-mreview-cluster", "no clusters"))
            return mo.vstack([mo.Html("".join(head)), _text_html(mo, "corral-mreview-message", self.message)])
        state = "reviewed" if current.id in session.reviewed else "skipped" if current.id in session.skipped else "to review"
        head.append(_text("corral-mreview-cluster", f"Cluster {session.position + 1} / {progress.total}: {current.name} "
                          f"({current.size:,} texts, {current.labeled_share:.0%} labeled, {state})", "b"))
        if current.keywords:
            head.append(_text("corral-mreview-keywords", "keywords: " + ", ".join(current.keywords)))
        if current.suggested is not None:
            head.append(_text("corral-mreview-suggestion",
                              f"suggested: {current.suggested} ({current.agree_share:.0%} of its texts agree)"))
        names = session.labeler.label_names
        if names:
            head.append(_text("corral-mreview-names", "labels: " + ", ".join(names)))
        texts = "".join(f"<li>{html.escape(text)}</li>" for text in session.sample(self.sample_size, resample=resample))
        if self._shown_cluster != current.id:  # keep a lasso made inside the cluster until it changes
            self._shown_cluster = current.id
            session.labeler.selection = current.members
        return mo.vstack([
            mo.Html("<div class='corral-mreview'>" + "".join(head) + "</div>"),
            mo.hstack([field] + [buttons[name] for name, *_ in ACTIONS[:-1]], justify="start", wrap=True),
            _text_html(mo, "corral-mreview-message", self.message),
            mo.hstack([mo.Html(makeup_html(current.label_counts)),
                       mo.vstack([mo.Html(f"<b>sample of its texts</b><ul class='corral-mreview-sample'>{texts}</ul>"),
                                  buttons["resample"]])], justify="start", widths=[1, 2]),
        ])


def _text_html(mo, css: str, text: str):
    return mo.Html(_text(css, text))


def marimo_review(session, *, sample_size: int = 8, map_height: int = 440, show_map: bool = True):
    """A marimo state getter whose value is the :class:`MarimoReview` of ``session`` (a
    :class:`~corral.review.session.ReviewSession`, e.g. ``lab.review()``); see the module docstring.
    Bind it to a name in one cell and show ``review().map`` there; call ``review().panel()`` in
    another cell."""
    import marimo as mo

    review = MarimoReview(session, sample_size=sample_size, map_height=map_height, show_map=show_map)
    # allow_self_loops: the panel's buttons live in the panel's cell, which must re-run after them
    get_review, review._set_state = mo.state(review, allow_self_loops=True)
    return get_review
