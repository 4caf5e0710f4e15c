"""Helpers of the browser harness tier (fixtures are in conftest.py).

``mount(page, widget)`` renders a real :class:`corral.widgets.MapWidget` in the harness page from
its real wire state; ``push(page, widget, "codes")`` sends a Python-side trait change to the page;
the page's ``save_changes`` comes back through ``_apply_save`` into ``widget.set_state``.
"""

from __future__ import annotations

import base64
import itertools
import time
from pathlib import Path

from ipywidgets.widgets.widget import _remove_buffers

# Not part of the model's wire state: the page loads the bundle itself.
SKIP_STATE = {"_esm", "_css", "layout"}
# Buffers above this size go to the page as files on the loopback server instead of base64 in
# the evaluate() call (16 MB of base64 through the driver takes seconds; a local fetch, ms).
INLINE_LIMIT = 1 << 20
_file_ids = itertools.count()


def assert_no_errors(page) -> None:
    errors = page.corral_errors
    assert not errors, "errors in the page:\n" + "\n".join(errors)


def _apply_save(page, payload: dict) -> None:
    """What the kernel does with a save_changes(): set_state on the real widget."""
    widget = page.corral_widget
    state = dict(payload.get("state") or {})
    for name, b64 in (payload.get("buffers") or {}).items():
        state[name] = memoryview(base64.b64decode(b64))  # as ipywidgets hands buffers over
    widget.set_state(state)


def _wire(page, widget, names=None) -> dict:
    """The widget's state as it crosses the wire: JSON part, buffer paths, and the buffers, each as
    ``{"b64": ...}`` or, when large, ``{"url": ...}`` of a file on the harness server."""
    state = widget.get_state(names)
    for key in SKIP_STATE:
        state.pop(key, None)
    state, paths, buffers = _remove_buffers(state)
    served_dir: Path | None = getattr(page, "corral_served_dir", None)
    wire = []
    for buf in buffers:
        data = bytes(buf)
        if served_dir is not None and len(data) > INLINE_LIMIT:
            name = f"buffer-{next(_file_ids)}.bin"
            (served_dir / name).write_bytes(data)
            wire.append({"url": name})
        else:
            wire.append({"b64": base64.b64encode(data).decode("ascii")})
    return {"state": state, "paths": paths, "buffers": wire}


def mount(page, widget, *, wait_ready: bool = True, timeout: float = 30_000) -> None:
    """Render ``widget`` (a real MapWidget) in the harness page, as a widget manager would."""
    page.corral_widget = widget
    page.evaluate("payload => window.harness.mount(payload)", _wire(page, widget))
    if wait_ready:
        # Poll on a timer: with a million points under software GL, frames (and rAF) are slow.
        page.wait_for_function(
            "document.getElementById('mount').dataset.corralReady === '1'", polling=50, timeout=timeout
        )


def push(page, widget, *names: str) -> None:
    """Send the current Python value of trait(s) ``names`` into the page (a kernel -> browser update)."""
    page.evaluate("payload => window.harness.push(payload)", _wire(page, widget, list(names)))


def settle(page, frames: int = 3) -> None:
    """Let queued draws reach the screen (a few animation frames)."""
    page.evaluate(
        "n => new Promise(r => { const f = k => k ? requestAnimationFrame(() => f(k - 1)) : r(); f(n); })",
        frames,
    )


def wait_until(page, predicate, timeout: float = 10.0, what: str = "condition") -> None:
    """Poll ``predicate()`` while letting the page run (exposed-function calls are served meanwhile)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        page.wait_for_timeout(25)
