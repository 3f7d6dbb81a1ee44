"""FranceConnect: an OpenID Connect provider to Mon Compte (and to any
registered application), and a client of each identity provider."""

from __future__ import annotations

from flask import Flask, render_template

from .. import texts
from ..config import PROVIDER_IDS, MockConfig
from ..site_app import create_site_app
from ..federation import FC_PATH, FRANCECONNECT, FRANCECONNECT_CLIENT_ID, client_secret, franceconnect_client
from ..oidc import broken_answers
from ..oidc.provider import Provider, ProviderError, ProviderSpec
from ..oidc.relying_party import RelyingParty
from ..simulation.faults import calls_between_sites
from ..store import MemoryStore
from . import interaction
from .answers import Answers

# What FranceConnect asks each identity provider for: the identity pivot, the e-mail
# and the usage name.
IDP_SCOPE = "openid given_name family_name birthdate gender birthplace birthcountry email preferred_username"
IDP_PATH = "/oidc"


def render_provider_error(error: ProviderError):
    return render_template("technical_error.html", error=error, error_id=interaction.error_id()), error.status


def create_app(config: MockConfig, store: MemoryStore) -> Flask:
    app, csrf = create_site_app(__name__, FRANCECONNECT, config, store)

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
        broken_answer=broken_answers.broken_answer,  # faults of kind id_token_*, userinfo_*, jwks_rotated
        # FranceConnect's errors at token, userinfo and revocation point at its documentation.
        error_uri_base="https://docs.partenaires.franceconnect.gouv.fr/fs/fs-technique/fs-technique-erreurs/",
        # amr only for a client asking for it (and entitled to), "fc" first (FranceConnect's
        # identity provider records: ["fc", "pwd"]).
        amr_on_request=True,
        amr_prefix=("fc",),
        # An unknown page under /api/v2: FranceConnect's error page for an HTTP 404 (scope 00).
        page_not_found_code="Y000404",
    ))
    app.extensions["oidc_provider"] = provider
    # "J'accède à mon service" sent twice gets the first answer again (a double click).
    app.extensions["fc_answers"] = Answers(store.clock)
    app.extensions["idp_clients"] = {
        idp: RelyingParty(
            app, idp,
            issuer=lambda idp=idp: config.site_url(idp) + IDP_PATH,
            client_id=FRANCECONNECT_CLIENT_ID,
            client_secret=client_secret(config, FRANCECONNECT_CLIENT_ID),
            scope=IDP_SCOPE,
            timeout=lambda: config.upstream_timeout_seconds,
            now=lambda: int(store.clock.now().timestamp()),
            own_sites=lambda: (config.is_own_host, config.self_address),
            network=calls_between_sites(config, store.faults),  # network faults on its calls
            # What FranceConnect registered with the providers (RS256): nothing else is taken.
            signing_alg=franceconnect_client(config).id_token_signed_response_alg,
        )
        for idp in PROVIDER_IDS
    }

    csrf.exempt(provider.blueprint)  # token and userinfo are server-to-server calls
    app.register_blueprint(provider.blueprint)
    app.register_blueprint(interaction.bp)
    app.register_error_handler(ProviderError, render_provider_error)

    @app.get("/")
    def home() -> str:
        return render_template("home.html")

    @app.context_processor
    def inject_texts() -> dict:
        return {"texts": texts}

    return app
