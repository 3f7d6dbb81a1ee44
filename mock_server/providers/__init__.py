"""The six identity providers FranceConnect offers, each its own site.

impots.gouv.fr, ameli, La Poste, MSA and Yris ask for an identifier and a
password; France Identité waits for the person to approve the login in the
app on their phone (simulated by /__mock__/franceidentite). Each site is an
OpenID Connect provider (mock_server.oidc.provider) under /oidc, with its own
look, words and cookie.
"""

from __future__ import annotations


from flask import Flask, render_template
from flask_wtf.csrf import CSRFError

from .. import texts
from ..config import PROVIDER_IDS, MockConfig
from ..errors import error_response
from ..site_app import PERSONA_OF_REQUEST, create_site_app
from ..oidc.provider import TECHNICAL_ERROR, Provider, ProviderError, ProviderSpec
from ..store import MemoryStore
from . import login
from ..identity_providers import BY_ID
from .faults import token_fault

__all__ = ["create_apps", "create_provider_app"]


def render_provider_error(error: ProviderError):
    """A protocol error (unknown client, expired request...) on the provider's own error page."""
    # Some messages are FranceConnect error names ("invalid_client"): shown next to the code.
    text = error.message if " " in error.message else TECHNICAL_ERROR
    detail = error.code if " " in error.message else f"{error.code} ({error.message})"
    return render_template("error.html", title=texts.PROVIDER_PAGES["error_title"], text=text,
                           status=error.status, code=detail), error.status


def create_provider_app(provider_id: str, config: MockConfig, store: MemoryStore) -> Flask:
    app, csrf = create_site_app(__name__, provider_id, config, store, static_url_path="/static")

    provider = Provider(ProviderSpec(
        issuer_id=provider_id,
        site=provider_id,
        path="/oidc",
        login_endpoint="login.page",
        render_error=render_provider_error,
        has_end_session=BY_ID[provider_id].has_end_session,
        token_fault=token_fault,
    ))
    app.extensions["oidc_provider"] = provider
    app.extensions["idp_id"] = provider_id
    # Who a request is from: the person logged in here, if any.
    app.extensions[PERSONA_OF_REQUEST] = lambda: (provider.sso_user() or {}).get("subject")

    # Token and userinfo are called server to server, with the client's credentials.
    csrf.exempt(provider.blueprint)

    app.register_blueprint(provider.blueprint)
    app.register_blueprint(login.bp)
    app.register_blueprint(login.home_bp)

    @app.errorhandler(ProviderError)
    def provider_error(error: ProviderError):
        return render_provider_error(error)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        # The shared page names caf.fr; here the form came from the provider.
        return error_response(400, texts.ERRORS["csrf_title"], texts.PROVIDER_PAGES["csrf_text"], error.description)

    @app.context_processor
    def inject_texts() -> dict:
        return {
            "texts": texts,
            "idp_id": provider_id,
            "idp": texts.PROVIDERS[provider_id],
            "pages": texts.PROVIDER_PAGES,
            "approval_provider": BY_ID[provider_id].approval,
        }

    return app


def create_apps(config: MockConfig, store: MemoryStore) -> dict[str, Flask]:
    """One Flask app per provider id."""
    return {provider_id: create_provider_app(provider_id, config, store) for provider_id in PROVIDER_IDS}
