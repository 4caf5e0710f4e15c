"""A Bokeh server on loopback for the bokeh peer of ``bench/widget.py``."""

from __future__ import annotations

import threading

from _browser import free_port


class BokehServer:
    """A Bokeh server on loopback in a thread of its own: ``/app`` runs ``make_doc(doc)`` per session,
    ``/harness`` is an empty page with BokehJS inline (loaded before anything is timed)."""

    def __init__(self, make_doc) -> None:
        from bokeh.application import Application
        from bokeh.application.handlers.function import FunctionHandler
        from bokeh.resources import Resources
        from bokeh.server.server import Server
        from tornado.ioloop import IOLoop
        from tornado.web import RequestHandler

        resources = Resources(mode="inline", components=["bokeh", "bokeh-gl", "bokeh-widgets"])
        html = ("<!doctype html><html><head><meta charset='utf-8'><link rel='icon' href='data:,'>"
                + resources.render_js() + resources.render_css()
                + "<style>body{margin:16px;background:#fff}</style></head><body></body></html>")

        class Harness(RequestHandler):
            def get(self):
                self.set_header("Content-Type", "text/html")
                self.write(html)

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        started = threading.Event()
        failure: list[BaseException] = []

        def serve():
            import asyncio

            asyncio.set_event_loop(asyncio.new_event_loop())
            try:
                self.loop = IOLoop.current()
                self.server = Server(
                    {"/app": Application(FunctionHandler(make_doc))}, io_loop=self.loop, port=self.port,
                    address="127.0.0.1", allow_websocket_origin=[f"127.0.0.1:{self.port}"],
                    websocket_max_message_size=1 << 30, extra_patterns=[(r"/harness", Harness)],
                    unused_session_lifetime_milliseconds=5_000, check_unused_sessions_milliseconds=5_000,
                )
                self.server.start()
            except BaseException as e:  # noqa: BLE001
                failure.append(e)
                started.set()
                return
            started.set()
            self.loop.start()

        self.thread = threading.Thread(target=serve, name="bench-bokeh", daemon=True)
        self.thread.start()
        started.wait(30)
        if failure:
            raise failure[0]

    def close(self) -> None:
        def stop():
            self.server.stop()
            self.loop.stop()

        self.loop.add_callback(stop)
        self.thread.join(timeout=10)
