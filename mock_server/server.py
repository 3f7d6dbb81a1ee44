"""The mock on a real WSGI server (waitress), in a background thread.

Used by `python -m mock_server` and by the test harness (one per xdist
worker). Binding port 0 gives a free port, known before the first request.
"""

from __future__ import annotations

import threading

from waitress.server import create_server
from waitress import wasyncore

from . import create_app
from .config import MockConfig
from .sites import SiteDispatcher


class LiveServer:
    def __init__(self, config: MockConfig | None = None, *, host: str = "127.0.0.1", port: int = 0, threads: int = 8) -> None:
        self.config = config or MockConfig()
        # Bind first, build the sites after: their URLs (registered redirect URIs,
        # issuers) hold the port, which is only known once bound when it is 0.
        self._server = create_server(self._serve, host=host, port=port, threads=threads, ident="moncompte-mock")
        self.host = host
        self.port = int(self._server.effective_port)
        self.config.public_port = self.port
        self.app: SiteDispatcher = create_app(self.config)
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def _serve(self, environ, start_response):
        return self.app(environ, start_response)

    @property
    def store(self):
        return self.app.store

    @property
    def control_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> "LiveServer":
        # The socket already listens: connections made from now on queue until served.
        self._thread = threading.Thread(target=self.serve_forever, name="mock-server", daemon=True)
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

    def __enter__(self) -> "LiveServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
