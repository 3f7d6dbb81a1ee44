"""Who is registered with whom in the federation the mock plays.

Mon Compte is a client of FranceConnect; FranceConnect is a client of each
identity provider. Both are registered when the mock starts (and kept on
reset), with the URLs of this mock instance.
"""

from __future__ import annotations

import hashlib

from .config import PROVIDER_IDS, MockConfig
from .oidc.clients import OidcClient
from .store import MemoryStore

FRANCECONNECT = "franceconnect"
MONCOMPTE_CLIENT_ID = "caf-mon-compte"
FRANCECONNECT_CLIENT_ID = "franceconnect"

FC_PATH = "/api/v2"  # FranceConnect v2's endpoints live under it
FC_CALLBACK_PATH = f"{FC_PATH}/oidc-callback"
FC_LOGOUT_CALLBACK_PATH = f"{FC_PATH}/client/logout-callback"
MONCOMPTE_CALLBACK_PATH = "/connexion/franceconnect/retour"
MONCOMPTE_LOGGED_OUT_PATH = "/deconnecte"


def client_secret(config: MockConfig, client_id: str) -> str:
    """A secret per client and mock instance, derived so both ends agree without sharing state."""
    return hashlib.sha256(f"{config.secret_key}|{client_id}".encode()).hexdigest()


def moncompte_client(config: MockConfig) -> OidcClient:
    site = config.site_url("moncompte")
    return OidcClient(
        client_id=MONCOMPTE_CLIENT_ID,
        client_secret=client_secret(config, MONCOMPTE_CLIENT_ID),
        name="Mon Compte",
        redirect_uris=(site + MONCOMPTE_CALLBACK_PATH,),
        post_logout_redirect_uris=(site + MONCOMPTE_LOGGED_OUT_PATH,),
        id_token_signed_response_alg="ES256",
        userinfo_signed_response_alg="ES256",
        builtin=True,
    )


def franceconnect_client(config: MockConfig) -> OidcClient:
    site = config.site_url(FRANCECONNECT)
    return OidcClient(
        client_id=FRANCECONNECT_CLIENT_ID,
        client_secret=client_secret(config, FRANCECONNECT_CLIENT_ID),
        name="FranceConnect",
        redirect_uris=(site + FC_CALLBACK_PATH,),
        post_logout_redirect_uris=(site + FC_LOGOUT_CALLBACK_PATH,),
        # Identity providers sign with RS256 here, FranceConnect with ES256: both paths are used.
        id_token_signed_response_alg="RS256",
        userinfo_signed_response_alg="RS256",
        builtin=True,
    )


def register_builtin_clients(config: MockConfig, store: MemoryStore) -> None:
    store.oidc.register_client(FRANCECONNECT, moncompte_client(config))
    for provider_id in PROVIDER_IDS:
        store.oidc.register_client(provider_id, franceconnect_client(config))
