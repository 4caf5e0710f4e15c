"""The queue widget: a thin ipywidgets face on :class:`corral.review.queue_session.QueueSession`.

Progress, the current group (one tick box per text, every text shown as text in a ``Label``),
the model's suggestion, a label name field and one button per label, Accept / Skip / Undo, and
keys (1-9: the n-th label button, ``a`` accept, ``s`` skip, ``z`` undo; see js/src/queuekeys.js).
Every button and key calls one session method.

>>> import numpy as np
>>> from corral import Labeler, HashingEmbedder
>>> lab = Labeler(["rain <b>now</b>", "more rain", "jazz", "more jazz"], embedder=HashingEmbedder(),
...               coords=np.eye(4, 2))
>>> widget = lab.queue_session(group=2).show()
>>> len(widget.ticks), widget.progress_text.value
(2, '0 decisions · 0% labeled')
>>> widget.label_name.value = "first"
>>> widget.buttons["label"].click()
>>> widget.progress_text.value, int(lab.labels.notna().sum())
('1 decisions · 50% labeled', 2)
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import ipywidgets as W

from corral.map.review_widget import ERRORS, ReviewWidget, _button

# ipywidgets' labels keep to one line cut with "…": the group's texts wrap instead (scoped to .corral-queue).
STYLE = """<style>
.corral-queue .corral-queue-text { white-space: normal; overflow-wrap: anywhere; height: auto; line-height: 1.4; }
</style>"""
KEYS_BUNDLE = Path(__file__).resolve().parent.parent / "static" / "queue_keys.js"


class QueueKeys(anywidget.AnyWidget):
    """The key listener of a queue widget (sends ``{kind: "key", action, index}``)."""

    _esm = KEYS_BUNDLE


class QueueWidget(W.VBox):
    """A queue session's widget (build it with ``session.show()``)."""

    def __init__(self, session) -> None:
        self.session = session
        self.progress_text = W.Label()
        self.suggestion = W.Label()  # text, never HTML: label names are user input
        self.message = W.Label()
        self.label_name = W.Combobox(placeholder="label name", ensure_option=False, layout=W.Layout(width="200px"))
        self.buttons = {"label": _button("Label ticked", "primary", "give the label to the ticked texts"),
                        "accept": _button("Accept suggestion (a)", "info", "label the group with the suggestion"),
                        "skip": _button("Skip (s)", "", "label nothing of this group"),
                        "undo": _button("Undo (z)", "", "take the last decision back")}
        for name, button in self.buttons.items():
            button.add_class(f"corral-queue-{name}")
            button.on_click(lambda _b, name=name: self.act(name))
        self.label_buttons = W.HBox(layout=W.Layout(flex_flow="row wrap"))
        self.texts = W.VBox()
        self.ticks: list[W.Checkbox] = []
        self.key_listener = QueueKeys()
        self.key_listener.on_msg(self._key)
        for part, name in ((self.progress_text, "progress"), (self.suggestion, "suggestion"), (self.message, "message"),
                           (self.label_name, "label-name"), (self.texts, "texts"), (self.label_buttons, "label-buttons")):
            part.add_class(f"corral-queue-{name}")
        self._acting = False
        self._unsubscribe = session.labeler.session.subscribe(self._changed_elsewhere)
        b = self.buttons
        super().__init__([W.HTML(STYLE, layout=W.Layout(display="none")), self.progress_text, self.suggestion, self.texts, self.label_buttons,
                          W.HBox([self.label_name, b["label"], b["accept"], b["skip"], b["undo"]],
                                 layout=W.Layout(flex_flow="row wrap")),
                          self.message, self.key_listener])
        self.add_class("corral-queue")
        self.refresh()

    def _changed_elsewhere(self, _operation) -> None:
        if not self._acting:
            self.refresh()

    def _key(self, _widget, content, _buffers) -> None:
        if not isinstance(content, dict) or content.get("kind") != "key":
            return
        action, index = content.get("action"), content.get("index")
        if action == "label" and isinstance(index, int):
            names = [button.description for button in self.label_buttons.children]
            if 0 <= index < len(names):
                self.act("label", names[index])
            else:
                self.message.value = f"⚠ no label button {index + 1}: type a label name first"
        elif action in ("accept", "skip", "undo"):
            self.act(action)

    def act(self, name: str, label: str | None = None) -> None:
        """Do one decision (``label`` / ``accept`` / ``skip`` / ``undo``), as its button does."""
        session = self.session
        self.message.value = ""
        self._acting = True
        try:
            with session.labeler.session.issued_by("review"):  # a person's act, never a re-run cell
                if name == "label":
                    label = (label if label is not None else self.label_name.value).strip()
                    if not label:
                        raise ValueError("type or pick a label name first")
                    ticked = [i for i, box in zip(session.current.positions, self.ticks) if box.value]
                    op = session.label(label, ticked)
                    self.message.value = f"Labeled {op.count:,} texts \u201c{label}\u201d"
                elif name == "accept":
                    op = session.accept_suggestion()
                    self.message.value = f"Accepted {op.count:,} suggestions \u201c{op.label}\u201d"
                else:
                    getattr(session, name)()
        except ERRORS as err:
            self.message.value = f"⚠ {err}"
        finally:
            self._acting = False
        self.refresh()

    def refresh(self) -> None:
        """Show the session's state (after every decision and every label change)."""
        session = self.session
        item = session.current
        self.progress_text.value = session.progress + ("" if item is not None else " · the queue is empty")
        names = list(session.labeler.label_names)
        self.label_name.options = tuple(names)
        if [b.description for b in self.label_buttons.children] != names[:9]:
            buttons = []
            for k, name in enumerate(names[:9]):
                button = W.Button(description=name, tooltip=f"key {k + 1}", layout=W.Layout(width="auto"))
                button.add_class("corral-queue-label-button")
                button.on_click(lambda _b, name=name: self.act("label", name))
                buttons.append(button)
            self.label_buttons.children = buttons
        if item is None:
            self.ticks, self.texts.children, self.suggestion.value = [], [], ""
            self.buttons["accept"].disabled = True
            return
        self.ticks = [W.Checkbox(value=True, indent=False, layout=W.Layout(width="28px")) for _ in item.texts]
        rows = []
        for box, text in zip(self.ticks, item.texts):
            shown = W.Label(value=text)  # a Label shows text, never HTML
            shown.add_class("corral-queue-text")
            rows.append(W.HBox([box, shown]))
        self.texts.children = rows
        if item.suggested is not None:
            conf = item.confidence[item.agree]
            self.suggestion.value = (f"suggested: {item.suggested} for {int(item.agree.sum())} of {len(item.texts)} "
                                     f"texts (confidence {conf.min():.0%}-{conf.max():.0%})")
        else:
            self.suggestion.value = "no suggestion yet"
        self.buttons["accept"].disabled = item.suggested is None

    def close(self) -> None:
        self._unsubscribe()
        super().close()


def widget_of(session, **kwargs):
    """The widget of a walk: a QueueSession's :class:`QueueWidget`, a ReviewSession's ReviewWidget."""
    if type(session).__name__ == "QueueSession":
        return QueueWidget(session, **kwargs)
    return ReviewWidget(session, **kwargs)
