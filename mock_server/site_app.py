"""What every site of the mock is made of, whoever it plays: a Flask app on its
own origin, server-side sessions in the store, CSRF on every form, pages
never cached, error pages instead of tracebacks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import random
import threading
from collections.abc import Callable

from flask import Flask, Response, abort, current_app, request, session
from flask_wtf.csrf import CSRFProtect

from .config import MockConfig
from .context import attach
from .errors import register_error_pages
from .favicon import add_favicon
from .french import register_filters
from .sessions import StoreSessionInterface
from .simulation import shapes
from .static_files import cache_static_files
from .sites import FAULT_KEY, PERSONA_KEY
from .store import MemoryStore

PERSONA_OF_REQUEST = "persona_of_request"
# The answer shape (simulation/shapes.py) a request's fault asks for, set before its view.
SHAPE_KEY = "mock.shape"


def persona_of_request() -> str | None:
    """Who this request is from, when the site knows (its own rule, else the session's persona)."""
    rule: Callable[[], str | None] | None = current_app.extensions.get(PERSONA_OF_REQUEST)
    return rule() if rule else session.get("persona_id")


def session_cookie_name(site: str) -> str:
    """The cookie that carries a site's session id ("moncompte_session")."""
    return f"{site}_session"


def refuse_framing(response: Response) -> Response:
    """No page of the mock may be shown inside another site's frame (clickjacking
    of a login form, of the dashboard's buttons): CSP for today's browsers, the
    older header for the others."""
    response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
    response.headers["X-Frame-Options"] = "DENY"
    return response


def create_site_app(import_name: str, site: str, config: MockConfig, store: MemoryStore,
                    **flask_options: Any) -> tuple[Flask, CSRFProtect]:
    app = Flask(import_name, **flask_options)
    app.config.update(
        SECRET_KEY=config.secret_key,
        SESSION_COOKIE_NAME=session_cookie_name(site),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=config.session_idle_minutes),
        # The token lives as long as the session, whose expiry follows the mock clock.
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    attach(app, config, store)
    app.json.ensure_ascii = False  # French messages readable in JSON answers
    app.session_interface = StoreSessionInterface(store)
    register_error_pages(app)
    add_favicon(app, site)
    cache_static_files(app)
    register_filters(app)

    @app.before_request
    def apply_fault() -> Response | None:
        fault = store.faults.take_request(site, request.method, request.path, persona_of_request())
        if fault is None:
            return None
        request.environ[FAULT_KEY] = fault.id
        if fault.kind in shapes.KINDS:
            request.environ[SHAPE_KEY] = fault.kind  # the view runs; its answer is broken after
            return None
        if fault.kind == "latency":
            threading.Event().wait(random.uniform(*fault.ms) / 1000)
            return None
        if fault.kind == "timeout":
            # Longer than a browser or a client wants to wait; then a gateway's answer.
            threading.Event().wait(fault.seconds)
            abort(504)
        abort(fault.status)

    # After the fault hook: a broken server fails before it checks anything.
    csrf = CSRFProtect(app)

    @app.after_request
    def note_persona(response: Response) -> Response:
        request.environ[PERSONA_KEY] = persona_of_request()
        return response

    app.after_request(refuse_framing)

    # Flask runs after_request hooks in reverse: this one after the site's own and
    # no_store, once the body is final; the two above only add headers.
    @app.after_request
    def break_shape(response: Response) -> Response:
        kind = request.environ.get(SHAPE_KEY)
        return shapes.misshape(response, kind) if kind else response

    @app.after_request
    def no_store(response: Response) -> Response:
        # Pages may show personal data (even a login page, pre-filled): never kept
        # in any cache or in back/forward.
        if request.endpoint not in ("static", "favicon"):
            response.headers["Cache-Control"] = "no-store"
        return response

    return app, csrf
