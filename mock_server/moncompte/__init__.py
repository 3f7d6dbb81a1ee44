"""The caf.fr "Mon Compte" site: home, login, account space, help pages."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, Response, request
from flask_wtf.csrf import CSRFProtect

from .. import texts
from ..config import MockConfig
from ..context import attach
from ..control import bp as control_bp
from ..errors import register_error_pages
from ..federation import FC_PATH, FRANCECONNECT, MONCOMPTE_CLIENT_ID, client_secret
from ..oidc.relying_party import RelyingParty
from ..sessions import StoreSessionInterface
from ..store import MemoryStore
from . import account, auth, franceconnect, pages, reset, signup
from .security import current_persona


def create_app(config: MockConfig, store: MemoryStore) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=config.secret_key,
        SESSION_COOKIE_NAME="moncompte_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=config.session_idle_minutes),
        # The token lives as long as the session, whose expiry follows the mock clock.
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    attach(app, config, store)
    app.json.ensure_ascii = False  # French messages readable in the control API's JSON
    app.session_interface = StoreSessionInterface(store)
    csrf = CSRFProtect(app)
    csrf.exempt(control_bp)

    app.register_blueprint(pages.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(reset.bp)
    app.register_blueprint(signup.bp)
    app.register_blueprint(franceconnect.bp)
    app.extensions["franceconnect_client"] = RelyingParty(
        app, "franceconnect",
        issuer=lambda: config.site_url(FRANCECONNECT) + FC_PATH,
        client_id=MONCOMPTE_CLIENT_ID,
        client_secret=client_secret(config, MONCOMPTE_CLIENT_ID),
        scope=franceconnect.SCOPE,
        timeout=config.upstream_timeout_seconds,
    )
    app.register_blueprint(control_bp)
    register_error_pages(app)

    @app.context_processor
    def inject_texts() -> dict:
        return {"texts": texts, "viewer": current_persona()}

    @app.after_request
    def no_store(response: Response) -> Response:
        # Pages may show personal data (even the login page, pre-filled by
        # "Se souvenir de moi"): never kept in any cache or in back/forward.
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    return app
