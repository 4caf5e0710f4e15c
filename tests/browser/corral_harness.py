"""Helpers of the browser harness tier (fixtures are in conftest.py).

``mount(page, widget)`` renders a real :class:`corral.map.map_widget.MapWidget` in the harness page from
its real wire state, and routes the widget both ways as a kernel would:

* browser -> Python: the page's ``save_changes`` comes back through ``_apply_save`` into
  ``widget.set_state``; its ``model.send(content, callbacks, buffers)`` through ``_handle_msg``
  into ``widget._handle_custom_msg(content, [memoryview, ...])`` (so a widget made by
  ``labeler.show()`` reaches the real Labeler);
* Python -> browser: the widget's ``_send`` (which ipywidgets uses for trait updates and for
  ``widget.send(content, buffers)``) is replaced by a queue on the page. Python replies
  synchronously inside the exposed binding, so the queue is returned by the binding and applied
  by the page after it returns; ``flush(page)`` delivers what Python did on its own (a test
  setting ``labeler.selection``, or a trait). ``push`` is kept as the older name of ``flush``.
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


def _widget(page, payload: dict):
    return page.corral_widgets[payload.get("view") or "mount"]


def _apply_save(page, payload: dict) -> list:
    """What the kernel does with a save_changes(): set_state on the real widget. Returns what
    Python sent meanwhile, for the page to apply."""
    state = dict(payload.get("state") or {})
    for name, b64 in (payload.get("buffers") or {}).items():
        state[name] = memoryview(base64.b64decode(b64))  # as ipywidgets hands buffers over
    _widget(page, payload).set_state(state)
    return _drain(page)


def _handle_msg(page, payload: dict) -> list:
    """What the kernel does with a custom message: the widget's msg callbacks (the Labeler's
    Views). Returns what Python sent meanwhile (the reply, status, trait updates)."""
    buffers = [memoryview(base64.b64decode(b)) for b in payload.get("buffers") or []]
    _widget(page, payload)._handle_custom_msg(payload.get("content"), buffers)
    return _drain(page)


def _encode_buffer(page, data: bytes) -> dict:
    served_dir: Path | None = getattr(page, "corral_served_dir", None)
    if served_dir is not None and len(data) > INLINE_LIMIT:
        name = f"buffer-{next(_file_ids)}.bin"
        (served_dir / name).write_bytes(data)
        return {"url": name}
    return {"b64": base64.b64encode(data).decode("ascii")}


def _route(page, widget, view: str) -> None:
    """Queue everything the widget sends to the front end (ipywidgets' ``Widget._send``), for every
    view it is mounted in (as a comm's messages reach every view of its model)."""
    views = widget.__dict__.setdefault("_harness_views", [])
    if view not in views:
        views.append(view)
    if getattr(widget, "_send", None) is not None and getattr(widget._send, "harness", False):
        return  # routed already: the new view gets the messages too

    def _send(msg, buffers=None):
        wire = [_encode_buffer(page, bytes(b)) for b in buffers or []]
        for target in views:
            out = {"view": target, "method": msg.get("method"), "buffers": wire}
            if msg.get("method") == "update":
                out.update(state=msg.get("state") or {}, buffer_paths=msg.get("buffer_paths") or [])
            else:
                out.update(content=msg.get("content"))
            page.corral_outbox.append(out)

    _send.harness = True
    widget._send = _send


def _drain(page) -> list:
    out, page.corral_outbox[:] = list(page.corral_outbox), []
    return out


def flush(page) -> None:
    """Deliver to the page what its widgets sent from Python, and wait until the page has applied
    it and every batch before it (also a barrier after replies returned by the bindings)."""
    page.evaluate("messages => window.harness.deliver(messages)", _drain(page))


def _wire(page, widget, names=None) -> dict:
    """The widget's state as it crosses the wire: JSON part, buffer paths, and the buffers, each as
    ``{"b64": ...}`` or, when large, ``{"url": ...}`` of a file on the harness server."""
    state = widget.get_state(names)
    for key in SKIP_STATE:
        state.pop(key, None)
    state, paths, buffers = _remove_buffers(state)
    wire = [_encode_buffer(page, bytes(buf)) for buf in buffers]
    return {"state": state, "paths": paths, "buffers": wire}


def mount(page, widget, *, view: str = "mount", wait_ready: bool = True, timeout: float = 30_000) -> None:
    """Render ``widget`` (a real MapWidget) in the harness page, as a widget manager would, into
    the element ``#<view>`` (created if missing: several widgets can share a page)."""
    if view == "mount":
        page.corral_widget = widget
    page.corral_widgets[view] = widget
    _route(page, widget, view)
    page.evaluate("([payload, view]) => window.harness.mount(payload, view)", [_wire(page, widget), view])
    if wait_ready:
        # Poll on a timer: with a million points under software GL, frames (and rAF) are slow.
        page.wait_for_function(
            f"document.getElementById({view!r}).dataset.corralReady === '1'", polling=50, timeout=timeout
        )


def push(page, widget, *names: str) -> None:
    """Send Python-side trait changes of ``widget`` (``names``) into the page: with the routing
    of :func:`mount` they are queued already, so this is :func:`flush`."""
    queued = {k for m in page.corral_outbox if m["method"] == "update" for k in m["state"]}
    queued |= {p[0] for m in page.corral_outbox if m["method"] == "update" for p in m["buffer_paths"]}
    for m in page.corral_outbox:  # the arrays (coords, codes, values) go as custom messages
        content = (m.get("content") or {}) if m["method"] == "custom" else {}
        content = content.get("content", content)  # framed: the message is in its first frame
        queued |= set(content.get("names") or []) | ({content["name"]} if "name" in content else set())
    missing = set(names) - queued
    assert not missing, f"push: {sorted(missing)} did not change in Python"
    flush(page)


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
