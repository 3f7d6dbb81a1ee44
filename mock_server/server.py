"""The mock on a real WSGI server (waitress), in a background thread.

Used by `python -m mock_server` and by the test harness (one per xdist
worker). Binding port 0 gives a free port, known before the first request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from waitress import wasyncore
from waitress.server import create_server

from . import create_app
from .config import MockConfig
from .sites import SiteDispatcher


WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ThreadedServer:
    """A WSGI app on waitress, served from a background thread.

    It binds at once, so its port is known before the app exists: an app whose
    URLs hold the port (the mock's sites, an application registered with the
    mock FranceConnect) is built afterwards and set as `app` before `start()`.
    """

    def __init__(self, app: WSGIApp | None = None, *, host: str = "127.0.0.1", port: int = 0, threads: int = 8,
                 ident: str = "moncompte-mock") -> None:
        self.app = app
        self._server = create_server(self._serve, host=host, port=port, threads=threads, ident=ident)
        self.host = host
        self.port = int(self._server.effective_port)
        self._ident = ident
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def _serve(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        assert self.app is not None, "set the app before serving"
        return self.app(environ, start_response)

    def start(self) -> "ThreadedServer":
        # The socket already listens: connections made from now on queue until served.
        self._thread = threading.Thread(target=self.serve_forever, name=self._ident, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve until stop() (or Ctrl-C); sockets are closed by the serving thread itself."""
        server = self._server
        try:
            while not self._stopping.is_set():
                wasyncore.loop(timeout=server.adj.asyncore_loop_timeout, map=server._map,
                               use_poll=server.adj.asyncore_use_poll, count=1)
        finally:
            server.task_dispatcher.shutdown()
            wasyncore.close_all(server._map)

    def stop(self) -> None:
        self._stopping.set()
        if self._thread and self._thread.is_alive():
            self._server.pull_trigger()  # wake the loop out of select()
            self._thread.join(timeout=5)
        elif self._thread is None:
            wasyncore.close_all(self._server._map)  # never served: just release the socket

    def __enter__(self) -> "ThreadedServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class LiveServer(ThreadedServer):
    """The whole mock, every site behind one server."""

    def __init__(self, config: MockConfig | None = None, *, host: str = "127.0.0.1", port: int = 0, threads: int = 8) -> None:
        super().__init__(host=host, port=port, threads=threads, ident="moncompte-mock")
        self.config = config or MockConfig()
        # Built once bound: the sites' URLs (registered redirect URIs, issuers) hold the port.
        self.config.public_port = self.port
        self.config.self_address = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
        self.app: SiteDispatcher = create_app(self.config)

    @property
    def store(self):
        return self.app.store

    @property
    def control_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> "LiveServer":
        self.start()
        return self

    def stop(self) -> None:
        super().stop()
        self.store.faults.close()  # the bad network's sockets and thread
