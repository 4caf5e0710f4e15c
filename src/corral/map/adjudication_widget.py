"""The adjudication widget: a thin ipywidgets face on :class:`corral.review.adjudication.Adjudication`.

Progress, the text, each annotator's label, the guideline of each label given, one button per
label given (and a field for another label), Skip. Texts, label and annotator names are shown as
text (``Label`` widgets and button descriptions), never as HTML.

>>> import numpy as np
>>> from corral import Labeler
>>> lab = Labeler(["a", "b"], coords=np.eye(2))
>>> lab.annotator = "ana"; _ = lab.assign([0, 1], "x")
>>> lab.annotator = "ben"; _ = lab.assign([0], "<b>y</b>")
>>> w = lab.adjudicate().show()
>>> w.text.value, [v.value for v in w.votes.children], [b.description for b in w.choices.children]
('a', ['ana: x', 'ben: <b>y</b>'], ['x', '<b>y</b>'])
>>> w.choices.children[1].click(); w.progress.value, lab.labels.tolist()
('1 / 1 disagreements · 1 decided', ['<b>y</b>', 'x'])
"""

from __future__ import annotations

import ipywidgets as W

ERRORS = (ValueError, KeyError, TypeError, RuntimeError)


class AdjudicationWidget(W.VBox):
    def __init__(self, meeting) -> None:
        self.meeting = meeting
        self.progress = W.Label()
        self.text = W.Label(layout=W.Layout(width="100%"))
        self.votes = W.VBox()
        self.rules = W.VBox()
        self.choices = W.HBox()
        self.other = W.Text(placeholder="another label")
        self.decide_other = W.Button(description="Decide")
        self.skip = W.Button(description="Skip")
        self.error = W.Label()
        self.decide_other.on_click(lambda _: self._act(lambda: meeting.decide(self.other.value)))
        self.skip.on_click(lambda _: self._act(meeting.skip))
        super().__init__([self.progress, self.text, self.votes, self.rules, self.choices,
                          W.HBox([self.other, self.decide_other, self.skip]), self.error])
        self.add_class("corral-adjudicate")
        for part in ("progress", "text", "votes", "rules", "choices", "other", "decide_other", "skip", "error"):
            getattr(self, part).add_class(f"corral-adjudicate-{part.replace('_', '-')}")
        self.render()

    def _act(self, action) -> None:
        try:
            action()
            self.error.value = ""
        except ERRORS as e:
            self.error.value = str(e)
        self.render()

    def render(self) -> None:
        m = self.meeting
        self.progress.value = m.progress()
        current = m.current
        if current is None:
            self.text.value, self.votes.children, self.rules.children, self.choices.children = \
                "Every disagreement is decided or skipped.", (), (), ()
            return
        self.text.value = current["text"]
        self.votes.children = tuple(W.Label(f"{who}: {label}") for who, label in current["labels"].items())
        given = list(dict.fromkeys(current["labels"].values()))
        rules = m.labeler.guidelines
        self.rules.children = tuple(W.Label(f"{name}: {rules[name]['definition']}") for name in given
                                    if name in rules and rules[name]["definition"])
        buttons = []
        for name in given:
            b = W.Button(description=name, tooltip=f"Decide {name}")
            b.on_click(lambda _, name=name: self._act(lambda: m.decide(name)))
            buttons.append(b)
        self.choices.children = tuple(buttons)
