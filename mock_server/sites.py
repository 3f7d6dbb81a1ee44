"""One WSGI application serving every site, chosen by the Host header.

Each site is its own Flask app on its own origin, as in production, so
cookies, redirects and SameSite behave as they do there. Any other host
(127.0.0.1, localhost) reaches the root app: the control API and an index
of the sites. The control API (/__mock__/) answers on every host: its
requests go to the root app whatever the host.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from flask import Flask

from .config import MockConfig
from .store import MemoryStore

CONTROL_PREFIX = "/__mock__"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class SiteDispatcher:
    def __init__(self, config: MockConfig, store: MemoryStore, sites: dict[str, Flask], root: Flask) -> None:
        self.config = config
        self.store = store
        self.sites = sites
        self.root = root

    def app_for_host(self, host: str) -> Flask:
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        suffix = "." + self.config.domain
        if name.lower().endswith(suffix):
            return self.sites.get(name[: -len(suffix)].lower(), self.root)
        return self.root

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            return self.root(environ, start_response)
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        return self.app_for_host(host)(environ, start_response)
