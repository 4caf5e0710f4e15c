"""Helpers of the browser harness tier (fixtures are in conftest.py).

``mount(page, widget)`` renders a real :class:`corral.widgets.MapWidget` in the harness page from
its real wire state; ``push(page, widget, "codes")`` sends a Python-side trait change to the page;
the page's ``save_changes`` comes back through ``_apply_save`` into ``widget.set_state``.
"""

from __future__ import annotations

import base64
import time

from ipywidgets.widgets.widget import _remove_buffers

# Not part of the model's wire state: the page loads the bundle itself.
SKIP_STATE = {"_esm", "_css", "layout"}


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


def _wire(widget, names=None) -> dict:
    """The widget's state as it crosses the wire: JSON part, buffer paths, buffers (base64)."""
    state = widget.get_state(names)
    for key in SKIP_STATE:
        state.pop(key, None)
    state, paths, buffers = _remove_buffers(state)
    return {
        "state": state,
        "paths": paths,
        "buffers": [base64.b64encode(bytes(b)).decode("ascii") for b in buffers],
    }


def mount(page, widget, *, wait_ready: bool = True, timeout: float = 30_000) -> None:
    """Render ``widget`` (a real MapWidget) in the harness page, as a widget manager would."""
    page.corral_widget = widget
    page.evaluate("payload => window.harness.mount(payload)", _wire(widget))
    if wait_ready:
        page.wait_for_selector('#mount[data-corral-ready="1"]', state="attached", timeout=timeout)


def push(page, widget, *names: str) -> None:
    """Send the current Python value of trait(s) ``names`` into the page (a kernel -> browser update)."""
    page.evaluate("payload => window.harness.push(payload)", _wire(widget, list(names)))


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
