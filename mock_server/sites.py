"""One WSGI application serving every site, chosen by the Host header.

Each site is its own Flask app on its own origin, as in production, so
cookies, redirects and SameSite behave as they do there. Any other host
(127.0.0.1, localhost) reaches the root app: the control API and an index
of the sites. The control API (/__mock__/) answers on every host: its
requests go to the root app whatever the host.
"""

from __future__ import annotations

import time
from typing import Any, Callable, Iterable

from flask import Flask

from .config import MockConfig
from .store import MemoryStore

CONTROL_PREFIX = "/__mock__"
# What a site's request leaves in the WSGI environ for the journal and the dispatcher.
PERSONA_KEY = "mock.persona"
FAULT_KEY = "mock.fault"

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def host_name(host: str) -> str:
    """'127.0.0.1:8765' -> '127.0.0.1'; '[::1]:8765' -> '::1'; 'AMELI.localhost' -> 'ameli.localhost'."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class SiteDispatcher:
    def __init__(self, config: MockConfig, store: MemoryStore, sites: dict[str, Flask], root: Flask) -> None:
        self.config = config
        self.store = store
        self.sites = sites
        self.root = root

    def site_for_host(self, host: str) -> str | None:
        site = self.config.site_of_host(host_name(host))
        return site if site in self.sites else None

    def app_for_host(self, host: str) -> Flask:
        site = self.site_for_host(host)
        return self.sites[site] if site else self.root

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            return self.root(environ, start_response)
        site = self.site_for_host(environ.get("HTTP_HOST") or environ.get("SERVER_NAME", ""))
        if site is None:
            return self.root(environ, start_response)
        return self._journaled(site, environ, start_response)

    def _journaled(self, site: str, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        """Run a site's request; record it in the journal as it is answered.

        Recorded before the first byte goes out: whoever has seen the answer (a
        browser, a test reading the journal next) finds it there."""
        started = time.perf_counter()
        answer: dict[str, Any] = {}

        def deferred_start_response(status: str, headers: list, exc_info: Any = None) -> Callable[[bytes], None]:
            answer.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: None  # the legacy write() callable: unused by Flask

        body = self.sites[site](environ, deferred_start_response)
        persona_id = environ.get(PERSONA_KEY)
        persona = self.store.get_persona(persona_id) if persona_id else None
        self.store.journal.record(
            site=site,
            method=environ.get("REQUEST_METHOD", "GET"),
            path=environ.get("PATH_INFO", ""),
            status=int(answer["status"].split()[0]),
            duration_ms=round((time.perf_counter() - started) * 1000, 1),
            persona=persona_id,
            persona_name=persona.display_name if persona else None,
            fault=environ.get(FAULT_KEY),
        )
        start_response(answer["status"], answer["headers"], answer["exc_info"])
        return body
