"""Who may talk to the control plane (the control API, the dashboard, the index).

It lists every persona's password and can reset the mock, and it runs on
developers' laptops beside their everyday browser. So:
- it answers only for the mock's own host names: a page whose name was rebound
  to 127.0.0.1 (DNS rebinding) gets 421, not the personas;
- a request that changes something and comes from a page of another origin
  (its `Origin` header) gets 403, whatever its content type;
- the dashboard's forms carry a CSRF token.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, request
from flask_wtf.csrf import CSRFProtect

from ..config import SITES, MockConfig
from ..errors import FORM_TYPES
from ..sites import host_name

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
# Wildcard addresses are where the mock listens, never a name a browser asks for.
WILDCARD_ADDRESSES = ("0.0.0.0", "::", "")

csrf = CSRFProtect()


def own_host_names(config: MockConfig) -> frozenset[str]:
    """Every name the mock answers to: loopback, its sites, its domain, the names given at start-up."""
    names = {*LOOPBACK_NAMES, config.domain, *(f"{site}.{config.domain}" for site in SITES), *config.allowed_hosts}
    return frozenset(name.lower() for name in names if name not in WILDCARD_ADDRESSES)


def origin_is_own(origin: str, names: frozenset[str], port: int | None = None) -> bool:
    """A page of the mock's: one of its names and, once the mock knows it, its port
    (another local server, on localhost:3000, is another origin)."""
    try:
        parts = urlsplit(origin)
        name, origin_port = parts.hostname, parts.port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or name is None or name not in names:
        return False
    return port is None or (origin_port or (443 if parts.scheme == "https" else 80)) == port


def init_guard(app: Flask, config: MockConfig) -> None:
    """Install the checks on the app serving the control plane."""
    names = own_host_names(config)
    app.config.update(
        # Only the dashboard's forms are checked (below); JSON calls are guarded by
        # their content type and origin, as they come from programs.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,  # a dashboard kept open all day still works
        SESSION_COOKIE_NAME="mock_control_session",
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_HTTPONLY=True,
    )
    csrf.init_app(app)

    @app.before_request
    def own_hosts_only() -> None:
        if host_name(request.host) not in names:
            abort(421, f"this mock answers for its own host names only, not {host_name(request.host)!r}")

    @app.before_request
    def own_origins_only() -> None:
        if request.method in SAFE_METHODS:
            return
        origin = request.headers.get("Origin")
        if origin is not None and not origin_is_own(origin, names, config.public_port):
            abort(403, f"requests from the page at {origin!r} may not change the mock")
        # The dashboard's routes take forms only; a form to any other route must be one of its forms too.
        endpoint = request.endpoint or ""
        if endpoint.startswith("control.dashboard") or request.mimetype in FORM_TYPES:
            csrf.protect()
