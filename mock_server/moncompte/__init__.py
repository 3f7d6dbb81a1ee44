"""The caf.fr "Mon Compte" site: home, login, account space, help pages."""

from __future__ import annotations


from flask import Flask

from .. import texts
from ..config import MockConfig
from ..site_app import PERSONA_OF_REQUEST, create_site_app
from ..federation import FC_PATH, FRANCECONNECT, MONCOMPTE_CLIENT_ID, client_secret, moncompte_client
from ..oidc.relying_party import RelyingParty
from ..simulation.faults import calls_between_sites
from ..store import MemoryStore
from . import account, auth, franceconnect, pages, reset, signup
from .security import current_persona, persona_of_request


def create_app(config: MockConfig, store: MemoryStore) -> Flask:
    app, _ = create_site_app(__name__, "moncompte", config, store)
    app.extensions[PERSONA_OF_REQUEST] = persona_of_request

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
        timeout=lambda: config.upstream_timeout_seconds,
        now=lambda: int(store.clock.now().timestamp()),
        own_sites=lambda: (config.is_own_host, config.self_address),
        network=calls_between_sites(config, store.faults),  # network faults on its calls
        # As registered at FranceConnect: a token signed otherwise is refused.
        signing_alg=moncompte_client(config).id_token_signed_response_alg,
    )

    @app.context_processor
    def inject_texts() -> dict:
        return {"texts": texts, "viewer": current_persona()}

    return app
