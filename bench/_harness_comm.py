"""The kernel side of a widget in the bench: capture what ipywidgets would send over its comm, and put
it (comm_open state, update and custom messages, buffers) in the form the harness page takes."""

from __future__ import annotations

import base64
import contextlib
import itertools

import _browser  # noqa: F401  (puts tests/browser on sys.path)
import corral_harness  # tests/browser: the harness the browser tests use
from _static_server import StaticServer
from _widget_extra import message_size

INLINE_LIMIT: int = getattr(corral_harness, "INLINE_LIMIT", 1 << 20)  # larger buffers go by loopback fetch
SKIP_STATE: set = set(getattr(corral_harness, "SKIP_STATE", {"_esm", "_css", "layout"}))
_file_ids = itertools.count()


class CaptureComm:
    """Stands in for the kernel comm of one widget: keeps the comm_open payload and every message."""

    def __init__(self, **kwargs) -> None:
        self.comm_id = kwargs.get("comm_id") or f"bench-{id(self):x}"
        self.kernel = True  # ipywidgets only sends when the comm has a kernel
        data = kwargs.get("data") or {}
        self.open_state = data.get("state", {})
        self.open_paths = data.get("buffer_paths", [])
        self.open_buffers = list(kwargs.get("buffers") or [])
        self.outbox: list[tuple[dict, list]] = []
        self._handlers = []
        # Bytes of every message of this comm (the comm_open first): the hosts' limit is per message.
        self.sizes = [message_size(data, self.open_buffers)]

    def send(self, data=None, metadata=None, buffers=None) -> None:
        self.sizes.append(message_size(data or {}, buffers))
        self.outbox.append((data or {}, list(buffers or [])))

    def on_msg(self, callback) -> None:
        self._handlers.append(callback)

    def on_close(self, callback) -> None:
        pass

    def close(self, data=None, metadata=None, buffers=None, deleting=False) -> None:
        pass

    def take(self) -> list[tuple[dict, list]]:
        out, self.outbox = self.outbox, []
        return out


@contextlib.contextmanager
def capture_comms():
    """While active, widgets created get a :class:`CaptureComm` (as ``widget.comm``)."""
    import comm

    original = comm.create_comm
    comm.create_comm = lambda *a, **kw: CaptureComm(**kw)
    try:
        yield
    finally:
        comm.create_comm = original


def _buffers_to_wire(server: StaticServer, buffers) -> list[dict]:
    """Buffers as the harness page takes them: inline base64, or a file on the loopback server when
    large (the harness' own rule, ``corral_harness.INLINE_LIMIT``)."""
    wire = []
    for buf in buffers:
        data = bytes(buf)
        if len(data) > INLINE_LIMIT:
            name = f"buffer-{next(_file_ids)}.bin"
            (server.dir / name).write_bytes(data)
            wire.append({"url": name})
        else:
            wire.append({"b64": base64.b64encode(data).decode("ascii")})
    return wire


def open_payload(server: StaticServer, comm: CaptureComm) -> dict:
    """The comm_open state of a widget in the harness' mount() format (bundle code left out: the
    page has the bundle already)."""
    skip = SKIP_STATE
    state = {k: v for k, v in comm.open_state.items() if k not in skip}
    keep = [i for i, p in enumerate(comm.open_paths) if p[0] not in skip]
    return {
        "state": state,
        "paths": [comm.open_paths[i] for i in keep],
        "buffers": _buffers_to_wire(server, [comm.open_buffers[i] for i in keep]),
    }


def messages_to_wire(server: StaticServer, messages) -> list[dict]:
    """Kernel -> page messages (update / custom) in the form the page's ``__bench.deliver`` takes.
    ``echo_update`` (ipywidgets' acknowledgement of a browser change) is dropped."""
    out = []
    for data, buffers in messages:
        method = data.get("method")
        if method == "update":
            out.append({"method": "update", "state": data.get("state", {}), "paths": data.get("buffer_paths", []),
                        "buffers": _buffers_to_wire(server, buffers)})
        elif method == "custom":
            out.append({"method": "custom", "content": data.get("content"),
                        "buffers": _buffers_to_wire(server, buffers)})
    return out
