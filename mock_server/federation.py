"""Who is registered with whom in the federation the mock plays.

Mon Compte is a client of FranceConnect; FranceConnect is a client of each
identity provider; the control plane's hands-on client page (/__mock__/client)
is a client of FranceConnect too. All are registered when the mock starts (and
kept on reset), with the URLs of this mock instance.
"""

from __future__ import annotations

import hashlib

from .config import PROVIDER_IDS, SITES, MockConfig
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

CLIENT_PAGE_CLIENT_ID = "simulateur-page-client"
CLIENT_PAGE_PATH = "/__mock__/client"
CLIENT_PAGE_CALLBACK_PATH = f"{CLIENT_PAGE_PATH}/callback"
CLIENT_PAGE_LOGGED_OUT_PATH = f"{CLIENT_PAGE_PATH}/logged-out"
# Where the control plane answers besides the sites' names (guard.py's list; the
# wildcard addresses a server listens on are never a name a browser asks for).
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARD_ADDRESSES = ("0.0.0.0", "::", "")


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


def control_plane_urls(config: MockConfig) -> tuple[str, ...]:
    """Every base URL the control plane answers on: loopback, the sites' names,
    the domain and the names given at start-up (--host, --allow-host)."""
    names = [*LOOPBACK_NAMES, *(f"{site}.{config.domain}" for site in SITES), config.domain, *config.allowed_hosts]
    urls = []
    for name in dict.fromkeys(name.lower() for name in names if name not in WILDCARD_ADDRESSES):
        host = f"[{name}]" if ":" in name else name
        urls.append(f"{config.scheme}://{host}:{config.public_port}" if config.public_port else f"{config.scheme}://{host}")
    return tuple(urls)


def client_page_client(config: MockConfig) -> OidcClient:
    """The hands-on client page: whichever of the control plane's names a developer
    opened it on, its return addresses are registered."""
    from . import texts  # light: text only

    bases = control_plane_urls(config)
    return OidcClient(
        client_id=CLIENT_PAGE_CLIENT_ID,
        client_secret=client_secret(config, CLIENT_PAGE_CLIENT_ID),
        name=texts.CLIENT_PAGE["client_name"],
        redirect_uris=tuple(base + CLIENT_PAGE_CALLBACK_PATH for base in bases),
        post_logout_redirect_uris=tuple(base + CLIENT_PAGE_LOGGED_OUT_PATH for base in bases),
        id_token_signed_response_alg="ES256",
        userinfo_signed_response_alg="ES256",
        builtin=True,
    )


def register_builtin_clients(config: MockConfig, store: MemoryStore) -> None:
    store.oidc.register_client(FRANCECONNECT, moncompte_client(config))
    store.oidc.register_client(FRANCECONNECT, client_page_client(config))
    for provider_id in PROVIDER_IDS:
        store.oidc.register_client(provider_id, franceconnect_client(config))
