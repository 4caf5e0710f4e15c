"""Adjudication: the calibration meeting. Walk the texts where annotators disagree, see each one's
label, and decide; every decision is an ordinary journaled assign (undoable) marked
``adjudicated``, which is the text's final label and nobody's vote (agreement and consensus leave
it out). The texts already decided (decisions in effect, after undo/redo) are skipped, so a
resumed Labeler goes on where the meeting stopped.

>>> import numpy as np
>>> from corral import Labeler
>>> lab = Labeler(["a", "b", "c"], coords=np.eye(3, 2))
>>> lab.annotator = "ana"; _ = lab.assign([0, 1, 2], "x")
>>> lab.annotator = "ben"; _ = lab.assign([1], "y"); _ = lab.assign([0], "x")
>>> meeting = Adjudication(lab)
>>> len(meeting), meeting.current["text"], meeting.current["labels"]
(1, 'b', {'ana': 'x', 'ben': 'y'})
>>> lab.annotator = "lead"; _ = meeting.decide("y"); meeting.done, lab.labels.tolist()
(True, ['x', 'y', 'x'])
>>> meeting.decisions[["label", "decided_by"]].values.tolist()
[['y', 'lead']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from corral.labels.changes import effective_changes
from corral.review.agreement import annotator_labels
from corral.review.consensus import disagreements


class Adjudication:
    """The texts two or more annotators labeled differently and nobody has decided yet, in order."""

    def __init__(self, labeler) -> None:
        self.labeler = labeler
        self.refresh()

    def refresh(self) -> None:
        """Read everyone's labels again (others' operations on a shared store included); the queue is
        the disagreements (found without computing a consensus), minus the texts already decided."""
        self.labeler.sync()
        session = self.labeler.session
        self.table = annotator_labels(session.records, session.n)
        decided = self._decided()
        self.queue = [i for i in disagreements(self.table).tolist() if i not in decided]
        self.position = 0

    def _decided(self) -> dict[int, tuple]:
        out = {}
        for change in effective_changes(self.labeler.session.records):
            if change.adjudicated:
                for i in change.indices.tolist():
                    out[i] = (change.label, change.annotator, change.time)
        return out

    def __len__(self) -> int:
        return len(self.queue)

    @property
    def done(self) -> bool:
        return self.position >= len(self.queue)

    @property
    def current(self) -> dict | None:
        """``{position, index, text, labels: {annotator: label}}`` of the text to decide (None when done)."""
        if self.done:
            return None
        i = self.queue[self.position]
        row = self.table.iloc[i]
        return {"position": i, "index": self.labeler.index[i], "text": self.labeler.texts[i],
                "labels": {who: label for who, label in row.items() if label is not None}}

    def decide(self, label: str):
        """Give the current text ``label`` as the decision (journaled, undoable) and move on."""
        current = self._need_current()
        op = self.labeler.session.assign(np.array([current["position"]]), label, adjudicated=True)
        self.position += 1
        return op

    def skip(self) -> None:
        """Leave the current text undecided for now."""
        self._need_current()
        self.position += 1

    @property
    def decisions(self) -> pd.DataFrame:
        """The decisions in effect: label, decided_by, decided (UTC), per text position."""
        decided = self._decided()
        rows = sorted(decided.items())
        frame = pd.DataFrame([(i, lab, who, t) for i, (lab, who, t) in rows],
                             columns=["position", "label", "decided_by", "decided"]).set_index("position")
        frame["decided"] = pd.to_datetime(frame["decided"], unit="s", utc=True)
        return frame

    def progress(self) -> str:
        return f"{min(self.position, len(self.queue))} / {len(self.queue)} disagreements · {len(self._decided())} decided"

    def show(self):
        """The adjudication widget, made by the Labeler's UI layer (this module stays free of widgets)."""
        return self.labeler.adjudication_widget(self)

    def _repr_mimebundle_(self, **kwargs):
        return self.show()._repr_mimebundle_(**kwargs)

    def _need_current(self) -> dict:
        current = self.current
        if current is None:
            raise RuntimeError("nothing left to adjudicate: every disagreement is decided or skipped")
        return current
