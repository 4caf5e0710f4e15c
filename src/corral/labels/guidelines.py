"""Label guidelines: a schema per label (colour, definition, what is in and out, example texts),
kept as versioned session state ``"guidelines"`` (journaled / in the store, so every kernel on a
shared store reads the same one).

Each change of the guidelines is a new *version* (1, 2, ...); every later labeling operation
records the version in effect (``guidelines_version`` in its record), and the exports carry the
version each text's label was given under. Everything here is plain data: label names, notes and
examples are shown as text, never as HTML.

>>> from corral.labels.session import LabelSession
>>> s = LabelSession(3)
>>> set_guidelines(s, {"spam": {"definition": "Unsolicited ads", "exclude": "newsletters you signed up for",
...                             "examples": ["WIN A PRIZE"], "color": "#d62728"}})
1
>>> read_guidelines(s)["spam"]["examples"], guidelines_version(s)
(['WIN A PRIZE'], 1)
>>> s.assign([0], "spam").seq, s.records[-1]["guidelines_version"]
(2, 1)
"""

from __future__ import annotations

import re

from corral.core.validate import check_label

STATE_KEY = "guidelines"
FIELDS = ("color", "definition", "include", "exclude", "examples")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def check_guidelines(spec) -> dict[str, dict]:
    """``{label: {color, definition, include, exclude, examples}}`` (or a list of such dicts with a
    ``name``) checked and normalised: every field present, notes as text, examples a list of text."""
    if isinstance(spec, (list, tuple)):
        items = []
        for entry in spec:
            if not isinstance(entry, dict) or "name" not in entry:
                raise TypeError("each guideline in a list is a dict with a 'name'")
            items.append((entry["name"], {k: v for k, v in entry.items() if k != "name"}))
    elif isinstance(spec, dict):
        items = list(spec.items())
    else:
        raise TypeError(f"guidelines are a dict {{label: {{definition, ...}}}}, got {type(spec).__name__}")
    out: dict[str, dict] = {}
    for name, entry in items:
        name = check_label(name)
        if isinstance(entry, str):
            entry = {"definition": entry}
        if not isinstance(entry, dict):
            raise TypeError(f"the guideline of {name!r} is a dict of {list(FIELDS)}, got {type(entry).__name__}")
        unknown = sorted(set(entry) - set(FIELDS))
        if unknown:
            raise ValueError(f"the guideline of {name!r} has unknown fields {unknown}: use {list(FIELDS)}")
        color = entry.get("color")
        if color is not None and not (isinstance(color, str) and _COLOR.match(color)):
            raise ValueError(f"the colour of {name!r} must be '#rrggbb', got {color!r}")
        notes = {}
        for key in ("definition", "include", "exclude"):
            value = entry.get(key, "")
            if not isinstance(value, str):
                raise TypeError(f"{key} of {name!r} must be text, got {type(value).__name__}")
            notes[key] = value
        examples = entry.get("examples", [])
        if isinstance(examples, str) or not all(isinstance(e, str) for e in examples):
            raise TypeError(f"examples of {name!r} must be a list of texts")
        out[name] = {"color": color, **notes, "examples": list(examples)}
    return out


def guidelines_version(session) -> int | None:
    """The version of the guidelines in effect (None before any were set)."""
    state = session.state.get(STATE_KEY)
    return int(state["version"]) if state else None


def read_guidelines(session) -> dict[str, dict]:
    """The guidelines in effect, ``{label: {...}}`` (a copy; empty before any were set)."""
    state = session.state.get(STATE_KEY)
    return {k: {**v, "examples": list(v["examples"])} for k, v in state["labels"].items()} if state else {}


def set_guidelines(session, spec) -> int:
    """Check ``spec`` and store it as the next version (journaled before returning); the version."""
    labels = check_guidelines(spec)
    session.sync()  # a shared store: count from the others' latest version
    version = (guidelines_version(session) or 0) + 1
    session.set_state(STATE_KEY, {"version": version, "labels": labels}, count=len(labels))
    return version
