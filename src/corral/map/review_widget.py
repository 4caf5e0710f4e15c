"""The review widget: a thin ipywidgets face on :class:`corral.review.session.ReviewSession`.

Progress, the current cluster (name, keywords, label make-up, a sample of its texts), the actions
(label the cluster, label the map selection inside it, split, skip, mark reviewed, previous/next)
and a map of the Labeler with the cluster selected. Every button calls one session method; texts
are shown as text (``Label`` widgets, or ``html.escape`` before an ``HTML`` widget).

>>> import numpy as np
>>> from corral import Labeler, HashingEmbedder
>>> lab = Labeler(["rain", "more rain", "jazz", "more jazz"], embedder=HashingEmbedder(), coords=np.eye(4, 2))
>>> widget = lab.review(clusters=[0, 0, 1, 1]).show(show_map=False)
>>> widget.progress_text.value
'0 / 2 clusters reviewed · 0% labeled'
>>> widget.label_name.value = "weather"
>>> widget.buttons["label_cluster"].click()
>>> widget.progress_text.value, lab.labels.tolist()
('1 / 2 clusters reviewed · 50% labeled', ['weather', 'weather', nan, nan])
"""

from __future__ import annotations

import html

import ipywidgets as W
import numpy as np

ERRORS = (ValueError, KeyError, TypeError, RuntimeError)


MAKEUP_TOP = 10
# ipywidgets' labels keep to one line cut with "…" (white-space: nowrap, a fixed height): the
# header's title and keywords wrap instead, inside the widget's width (scoped to .corral-review).
STYLE = """<style>
.corral-review .corral-review-header { flex-wrap: wrap; align-items: baseline; column-gap: 12px; min-width: 0; }
.corral-review .corral-review-header .corral-review-cluster,
.corral-review .corral-review-header .corral-review-keywords {
  white-space: normal; overflow-wrap: anywhere; overflow: visible; height: auto; line-height: 1.4;
  min-width: 0; max-width: 100%; flex: 0 1 auto;
}
.corral-review .corral-review-progress-row { flex-wrap: wrap; }
.corral-review .corral-review-progress-row .corral-review-progress { white-space: normal; height: auto; min-width: 0; }
</style>"""


def makeup_html(label_counts: dict, top: int = MAKEUP_TOP) -> str:
    """The cluster's label make-up as HTML: the ``top`` labels by count with bars, then one line
    for the rest (so 150 labels stay ten rows). Names are escaped.

    >>> out = makeup_html({"a": 3, "<b>": 1, "c": 6})
    >>> out.index(">c<") < out.index(">a<") < out.index("&lt;b&gt;"), "<b><" in out
    (True, False)
    >>> "+1 more label (1 text)" in makeup_html({"a": 3, "<b>": 1, "c": 6}, top=2)
    True
    """
    ranked = sorted(label_counts.items(), key=lambda kv: -kv[1])  # stable: ties keep their order
    total = sum(count for _, count in ranked) or 1
    biggest = ranked[0][1] if ranked else 1
    rows = []
    for label, count in ranked[:top]:
        width = max(1.0, 100.0 * count / biggest)
        rows.append(
            "<div class='corral-review-makeup-row' style='display:grid;grid-template-columns:minmax(0,11em) "
            "64px auto;gap:6px;align-items:center'>"
            f"<span style='overflow:hidden;text-overflow:ellipsis;white-space:pre' title='{html.escape(label)}'>"
            f"{html.escape(label)}</span>"
            "<span style='height:6px;background:rgba(128,128,128,0.2);border-radius:3px;overflow:hidden'>"
            f"<span style='display:block;height:100%;width:{width:.1f}%;background:var(--jp-brand-color1,#1976d2)'>"
            "</span></span>"
            f"<span style='text-align:right;font-variant-numeric:tabular-nums'>{count:,} · {count / total:.0%}</span></div>")
    rest = ranked[top:]
    if rest:
        n, texts = len(rest), sum(count for _, count in rest)
        rows.append(f"<div class='corral-review-makeup-more' style='opacity:0.7'>+{n:,} more label{'s' * (n != 1)} "
                    f"({texts:,} text{'s' * (texts != 1)})</div>")
    return ("<b>label make-up</b><div class='corral-review-makeup' style='display:flex;flex-direction:column;"
            f"gap:2px'>{''.join(rows)}</div>")


def guideline_lines(rules: dict, names) -> list[str]:
    """One plain-text line per label of ``names`` that has a guideline (definition, what is in and
    out, one example), in the order given; for ``Label`` widgets, so nothing in it is markup.

    >>> guideline_lines({"spam": {"definition": "Unsolicited ads", "include": "", "exclude": "newsletters",
    ...                           "examples": ["WIN <b>NOW</b>"]}}, ["ham", "spam"])
    ['spam: Unsolicited ads · not: newsletters · e.g. “WIN <b>NOW</b>”']
    """
    lines = []
    for name in dict.fromkeys(n for n in names if n):
        rule = rules.get(name)
        if not rule:
            continue
        parts = [rule["definition"]] if rule.get("definition") else []
        parts += [f"in: {rule['include']}"] if rule.get("include") else []
        parts += [f"not: {rule['exclude']}"] if rule.get("exclude") else []
        parts += [f"e.g. “{rule['examples'][0]}”"] if rule.get("examples") else []
        if parts:
            lines.append(f"{name}: " + " · ".join(parts))
    return lines


def label_in_review(session, name: str, label: str, *, missing: str = "type or pick a label name first") -> str:
    """Do a review panel's ``"label_cluster"`` or ``"label_selection"`` with the typed ``label``;
    returns the message to show (how many texts, and how many of them had another label)."""
    label = label.strip()
    if not label:
        raise ValueError(missing)
    current = session.current
    points = (current.members if name == "label_cluster"
              else np.intersect1d(session.labeler.selection, current.members))
    overwritten = session.relabels(label, points)
    op = getattr(session, name)(label)
    note = f"; {overwritten:,} of them had another label, now replaced" if overwritten else ""
    return f"Labeled {op.count:,} texts of {current.name} \u201c{label}\u201d{note}"


def _button(description: str, style: str = "", tooltip: str = "") -> W.Button:
    return W.Button(description=description, button_style=style, tooltip=tooltip or description,
                    layout=W.Layout(width="auto"))


class ReviewWidget(W.VBox):
    """The review session's widget (build it with ``session.show()``)."""

    def __init__(self, session, *, sample_size: int = 8, map_height: int = 440, show_map: bool = True) -> None:
        self.session = session
        self.sample_size = sample_size
        self.progress_bar = W.FloatProgress(min=0.0, max=1.0, layout=W.Layout(width="240px"))
        self.progress_text = W.Label()
        self.cluster_title = W.Label(style={"font_weight": "bold"})
        self.keywords = W.Label()
        self.suggestion = W.Label()  # text, never HTML: label names are user input
        self.guidelines = W.VBox()  # the guideline of the label typed, the suggestion and the top labels
        self.makeup = W.HTML()
        self.texts = W.HTML()
        self.message = W.Label()
        self.label_name = W.Combobox(placeholder="label name", ensure_option=False, layout=W.Layout(width="200px"))
        self.buttons = {
            "label_cluster": _button("Label cluster", "primary", "give the label to every point of the cluster"),
            "label_selection": _button("Label selection", "", "give the label to the map selection inside the cluster"),
            "accept_suggestion": _button("Accept suggestion", "info", "label the cluster with the model's suggestion"),
            "split": _button("Split", "", "cluster these points again into sub-clusters"),
            "skip": _button("Skip", "", "come back to it later"),
            "mark_reviewed": _button("Mark reviewed", "success"),
            "previous": _button("◀ Previous"),
            "next": _button("Next ▶"),
            "resample": _button("Resample", "", "show other texts of the cluster"),
        }
        for name, button in self.buttons.items():
            button.add_class(f"corral-review-{name.replace('_', '-')}")
            button.on_click(lambda _b, name=name: self._act(name))
        for part, name in ((self.progress_text, "progress"), (self.cluster_title, "cluster"), (self.keywords, "keywords"),
                           (self.label_name, "label-name"), (self.message, "message"), (self.texts, "texts"),
                           (self.suggestion, "suggestion"), (self.guidelines, "guidelines")):
            part.add_class(f"corral-review-{name}")
        self.map = self._map(map_height) if show_map else None
        self._shown_cluster = None
        self._acting = False  # during a button's action: its own operations wait for one refresh at its end
        self._unsubscribe = session.labeler.session.subscribe(self._changed_elsewhere)
        b = self.buttons
        progress_row, header = W.HBox([self.progress_bar, self.progress_text]), W.HBox([self.cluster_title, self.keywords])
        progress_row.add_class("corral-review-progress-row")
        header.add_class("corral-review-header")
        super().__init__([
            W.HTML(STYLE, layout=W.Layout(display="none")),
            progress_row,
            header,
            self.suggestion,
            self.guidelines,
            W.HBox([self.label_name, b["label_cluster"], b["accept_suggestion"], b["label_selection"], b["split"],
                    b["skip"], b["mark_reviewed"], b["previous"], b["next"]], layout=W.Layout(flex_flow="row wrap")),
            self.message,
            W.HBox([W.VBox([self.makeup], layout=W.Layout(min_width="200px")),
                    W.VBox([self.texts, W.HBox([b["resample"]])], layout=W.Layout(flex="1"))]),
            *([self.map] if self.map is not None else []),
        ])
        self.add_class("corral-review")
        self.label_name.observe(lambda _change: self._show_guidelines(), names="value")
        self.refresh()

    def _map(self, height: int):
        return self.session.labeler.show(height=height, outlines=self.session.outlines())

    def _changed_elsewhere(self, _operation) -> None:
        if not self._acting:  # labels given (or undone) outside this widget
            self.refresh()

    def _act(self, name: str) -> None:
        session, resample = self.session, False
        self.message.value = ""
        self._acting = True
        try:
            with session.labeler.session.issued_by("review"):  # a person's act, never a re-run cell
                if name in ("label_cluster", "label_selection"):
                    self._label(name)
                elif name == "resample":
                    resample = True
                else:
                    getattr(session, name)()
                    if name == "split" and self.map is not None:
                        self.map.outlines = session.outlines()  # the sub-clusters replace their parent
        except ERRORS as err:
            self.message.value = f"⚠ {err}"
        finally:
            self._acting = False
        self.refresh(resample=resample)

    def _label(self, name: str) -> None:
        self.message.value = label_in_review(self.session, name, self.label_name.value)
        if name == "label_cluster":
            self.label_name.value = ""  # the next cluster is another one: no name to repeat by accident

    def _show_guidelines(self) -> None:
        current = self.session.current
        names = [self.label_name.value.strip()]
        if current is not None:
            names += [current.suggested] + sorted(current.label_counts, key=lambda n: -current.label_counts[n])[:3]
        lines = guideline_lines(self.session.labeler.guidelines, names)
        self.guidelines.children = tuple(W.Label(line, layout=W.Layout(height="auto")) for line in lines)

    def refresh(self, *, resample: bool = False) -> None:
        """Show the session's state (called after every action and every label change)."""
        session = self.session
        progress = session.progress
        self.progress_bar.value = progress.reviewed / progress.total if progress.total else 1.0
        self.progress_text.value = str(progress) + (" · all reviewed" if session.done else "")
        self.label_name.options = tuple(session.labeler.label_names)
        current = session.current
        if current is None:
            self.cluster_title.value, self.keywords.value, self.makeup.value, self.texts.value = "no clusters", "", "", ""
            self.suggestion.value = ""
            self._show_guidelines()
            return
        state = "reviewed" if current.id in session.reviewed else "skipped" if current.id in session.skipped else "to review"
        self.cluster_title.value = (f"Cluster {session.position + 1} / {progress.total}: {current.name} "
                                    f"({current.size:,} texts, {current.labeled_share:.0%} labeled, {state})")
        self.keywords.value = "keywords: " + ", ".join(current.keywords) if current.keywords else ""
        self.suggestion.value = (f"suggested: {current.suggested} ({current.agree_share:.0%} of its texts agree)"
                                 if current.suggested is not None else "")
        self.buttons["accept_suggestion"].disabled = current.suggested is None
        self.makeup.value = makeup_html(current.label_counts)
        self._show_guidelines()
        items = "".join(f"<li>{html.escape(text)}</li>"
                        for text in session.sample(self.sample_size, resample=resample))
        self.texts.value = f"<b>sample of its texts</b><ul class='corral-review-sample'>{items}</ul>"
        if self._shown_cluster != current.id:  # keep a lasso made inside the cluster until it changes
            self._shown_cluster = current.id
            session.labeler.selection = current.members

    def close(self) -> None:
        self._unsubscribe()
        super().close()
