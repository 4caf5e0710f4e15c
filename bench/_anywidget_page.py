"""One harness page holding one anywidget (corral, jupyter-scatter), its comm routed through Python
the way a widget manager routes it to the kernel."""

from __future__ import annotations

import base64
import contextlib

import _browser as B
from _harness_comm import CaptureComm, capture_comms, messages_to_wire, open_payload
from _static_server import StaticServer
from ipywidgets.widgets.widget import _put_buffers


class AnywidgetPage:
    """One harness page holding one widget, with its comm routed through Python.

    Browser -> kernel: the mock model's ``save_changes`` -> ``widget.set_state`` (ipywidgets'
    buffers put back first), ``send`` -> ``widget._handle_custom_msg``; the kernel's messages
    captured while handling either go back as the reply and are applied in the page.
    """

    def __init__(self, browser, server: StaticServer, css: bool = False) -> None:
        self.server = server
        self.page = B.new_page(browser)
        self.widget = None
        self.comm: CaptureComm | None = None
        self.saves: list[dict] = []  # {at (Python ms), names}
        self.calls: dict = {}
        page = self.page
        page.expose_function("__benchSave", self._save)
        page.expose_function("__benchMsg", self._msg)
        page.expose_function("__benchCall", self._call)
        page.goto(f"{server.url}/harness.html")
        page.wait_for_function("window.harnessReady === true")
        page.evaluate("() => window.__bench.installComm()")
        if css:
            page.add_style_tag(url=f"{server.url}/widget.css")

    # kernel side ------------------------------------------------------------------------------
    def _reply(self) -> list[dict]:
        return messages_to_wire(self.server, self.comm.take()) if self.comm is not None else []

    def _save(self, payload: dict) -> list[dict]:
        received = B.now_ms()
        state = payload.get("state") or {}
        buffers = [memoryview(base64.b64decode(b)) for b in payload.get("buffers") or []]
        _put_buffers(state, payload.get("paths") or [], buffers)
        self.widget.set_state(state)
        self.saves.append({"at": B.now_ms(), "received": received, "called": payload.get("calledAt"),
                           "names": sorted(state)})
        return self._reply()

    def _msg(self, payload: dict) -> list[dict]:
        buffers = [memoryview(base64.b64decode(b)) for b in payload.get("buffers") or []]
        self.widget._handle_custom_msg(payload.get("content"), buffers)
        return self._reply()

    def _call(self, payload: dict) -> list[dict]:
        self.calls[payload["name"]](**(payload.get("args") or {}))
        return self._reply()

    # display ----------------------------------------------------------------------------------
    def mount(self, make_widget, timeout_s: float) -> dict:
        """Create the widget (``make_widget()``, as the notebook cell would), ship its comm_open
        state into the page, render; returns the first-frame stamps on the page's clock."""
        offset = B.clock_offset(self.page)
        t0 = B.now_ms()
        with capture_comms():
            widget = make_widget()
        self.widget = widget
        self.comm = widget.comm
        payload = open_payload(self.server, self.comm)
        t_sent = B.now_ms()
        self.page.evaluate("p => window.harness.mount(p)", payload)
        early = messages_to_wire(self.server, self.comm.take())  # sent while the widget was built
        if early:
            self.page.evaluate("m => window.__bench.deliver(m)", early)
        B.wait_for(self.page, lambda: self.page.evaluate("window.__bench.readyFrameAt"), timeout_s, "the first frame",
                 step_ms=20)
        stamps = self.page.evaluate("({ready: __bench.readyAt, frame: __bench.readyFrameAt, mount: __bench.mountAt})")
        return {"t0": t0 + offset, "sent": t_sent + offset, "mount": stamps["mount"], "ready": stamps["ready"],
                "frame": stamps["frame"]}

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.page.context.close()
        for f in self.server.dir.glob("buffer-*.bin"):  # big buffers shipped to this page
            f.unlink(missing_ok=True)
