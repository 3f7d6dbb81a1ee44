"""What every site of the mock is made of, whoever it plays: a Flask app on its
own origin, server-side sessions in the store, CSRF on every form, pages
never cached, error pages instead of tracebacks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask, Response, request
from flask.sessions import SessionInterface
from flask_wtf.csrf import CSRFProtect

from .config import MockConfig
from .context import attach
from .errors import register_error_pages
from .sessions import StoreSessionInterface
from .store import MemoryStore


def create_site_app(import_name: str, site: str, config: MockConfig, store: MemoryStore, *,
                    session_interface: SessionInterface | None = None, **flask_options: Any) -> tuple[Flask, CSRFProtect]:
    app = Flask(import_name, **flask_options)
    app.config.update(
        SECRET_KEY=config.secret_key,
        SESSION_COOKIE_NAME=f"{site}_session",
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
    app.session_interface = session_interface or StoreSessionInterface(store)
    csrf = CSRFProtect(app)
    register_error_pages(app)

    @app.after_request
    def no_store(response: Response) -> Response:
        # Pages may show personal data (even a login page, pre-filled): never kept
        # in any cache or in back/forward.
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    return app, csrf
