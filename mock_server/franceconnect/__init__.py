"""FranceConnect: an OpenID Connect provider to Mon Compte (and to any
registered application), and a client of each identity provider."""

from __future__ import annotations

from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFProtect

from .. import texts
from ..config import PROVIDER_IDS, MockConfig
from ..context import attach
from ..control import bp as control_bp
from ..errors import register_error_pages
from ..federation import FC_PATH, FRANCECONNECT, FRANCECONNECT_CLIENT_ID, client_secret
from ..oidc.provider import Provider, ProviderError, ProviderSpec
from ..oidc.relying_party import RelyingParty
from ..sessions import StoreSessionInterface
from ..store import MemoryStore
from . import interaction

# What FranceConnect asks each identity provider for: the identity pivot and the e-mail.
IDP_SCOPE = "openid given_name family_name birthdate gender birthplace birthcountry email"
IDP_PATH = "/oidc"


def render_provider_error(error: ProviderError):
    return render_template("technical_error.html", error=error, error_id=interaction.error_id()), error.status


def create_app(config: MockConfig, store: MemoryStore) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=config.secret_key,
        SESSION_COOKIE_NAME="franceconnect_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.secure_cookies,
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=64 * 1024,
    )
    attach(app, config, store)
    app.json.ensure_ascii = False
    app.session_interface = StoreSessionInterface(store)

    provider = Provider(ProviderSpec(
        issuer_id=FRANCECONNECT,
        site=FRANCECONNECT,
        path=FC_PATH,
        login_endpoint="interaction.choose",
        render_error=render_provider_error,
        # FranceConnect v2's rules: acr_values required, state and nonce of 32 characters at least.
        min_nonce_length=32,
        min_state_length=32,
        require_acr_values=True,
        on_end_session=interaction.end_session,
    ))
    app.extensions["oidc_provider"] = provider
    app.extensions["idp_clients"] = {
        idp: RelyingParty(
            app, idp,
            issuer=lambda idp=idp: config.site_url(idp) + IDP_PATH,
            client_id=FRANCECONNECT_CLIENT_ID,
            client_secret=client_secret(config, FRANCECONNECT_CLIENT_ID),
            scope=IDP_SCOPE,
            timeout=config.upstream_timeout_seconds,
        )
        for idp in PROVIDER_IDS
    }

    csrf = CSRFProtect(app)
    csrf.exempt(control_bp)
    csrf.exempt(provider.blueprint)  # token and userinfo are server-to-server calls
    app.register_blueprint(provider.blueprint)
    app.register_blueprint(interaction.bp)
    app.register_blueprint(control_bp)
    register_error_pages(app)
    app.register_error_handler(ProviderError, render_provider_error)

    @app.get("/")
    def home() -> str:
        return render_template("home.html")

    @app.context_processor
    def inject_texts() -> dict:
        return {"texts": texts}

    @app.after_request
    def no_store(response: Response) -> Response:
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    return app
