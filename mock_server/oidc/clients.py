"""Clients registered with an issuer, and the checks on a registration request."""

from __future__ import annotations

import string
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ..config import PROVIDER_IDS
from .keys import ALGORITHMS


@dataclass(frozen=True)
class OidcClient:
    client_id: str
    client_secret: str
    name: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...] = ()
    id_token_signed_response_alg: str = "ES256"
    userinfo_signed_response_alg: str = "ES256"
    # FranceConnect's kinds of service: "public" (an administration: an information
    # page before going back) or "private" (a company: the person ticks a consent box).
    type: str = "public"
    # The identity providers this client offers, by id; None: every one.
    providers: tuple[str, ...] | None = None
    # How it authenticates at /token and /token/revocation: FranceConnect allows
    # exactly client_secret_post and private_key_jwt (its oidc-provider.ts).
    token_endpoint_auth_method: str = "client_secret_post"
    # Its public keys (a JWKS), for private_key_jwt.
    jwks: dict[str, Any] | None = None
    # Claims it is entitled to ask for with the `claims` parameter (FranceConnect's
    # service-provider records: `claims: ["amr"]`).
    claims: tuple[str, ...] = ()
    # Pre-registered by the mock itself (Mon Compte, FranceConnect): kept on reset.
    builtin: bool = field(default=False, compare=False)

    def to_dict(self, *, with_secret: bool = True) -> dict[str, Any]:
        data = asdict(self)
        data["redirect_uris"] = list(self.redirect_uris)
        data["post_logout_redirect_uris"] = list(self.post_logout_redirect_uris)
        data["providers"] = list(self.providers) if self.providers is not None else None
        data["claims"] = list(self.claims)
        if not with_secret:
            del data["client_secret"]
        return data


MAX_URI_LENGTH = 2000
# RFC 3986's unreserved characters (FranceConnect's own client ids are hexadecimal).
CLIENT_ID_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-._~")
MAX_NAME_LENGTH = 200
# A secret a person makes up ("s3cret") is a guessable one: 32 characters at least
# (secrets.token_urlsafe(24) gives 32).
MIN_SECRET_LENGTH = 32
MAX_CREDENTIAL_LENGTH = 200  # client_id and client_secret

REGISTRATION_FIELDS = (
    "client_id", "client_secret", "name", "redirect_uris", "post_logout_redirect_uris",
    "id_token_signed_response_alg", "userinfo_signed_response_alg",
    "type", "providers", "token_endpoint_auth_method", "jwks", "claims",
)
CLIENT_TYPES = ("public", "private")
AUTH_METHODS = ("client_secret_post", "private_key_jwt")
# What a client may be entitled to ask for through the `claims` parameter.
ENTITLED_CLAIMS = ("amr",)
MAX_JWKS_KEYS = 10


def _check_uri(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a string"
    if len(value) > MAX_URI_LENGTH:
        return f"a URL of at most {MAX_URI_LENGTH} characters"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a port that is not a number from 0 to 65535
    except ValueError as problem:  # "http://[::1" and the like
        return f"{value!r} is not a URL ({problem})"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{value!r} is not an absolute http(s) URL"
    if parts.fragment:
        return f"{value!r} has a fragment, which redirect URIs may not have"
    return None


def _jwks_problem(jwks: Any) -> str | None:
    """Why `jwks` is not a public JWKS a client may sign its assertions with, or None."""
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list) or not jwks["keys"]:
        return 'jwks must be a JWKS object: {"keys": [<public JWK>, ...]} with one key at least'
    if len(jwks["keys"]) > MAX_JWKS_KEYS:
        return f"jwks holds at most {MAX_JWKS_KEYS} keys"
    for key in jwks["keys"]:
        if not isinstance(key, dict):
            return "jwks: each key must be a JWK object"
        # "d" is the private part of EC, RSA and OKP keys, "k" a symmetric secret.
        if "d" in key or "k" in key:
            return "jwks must hold public keys only (a key has its private part): send the public JWKS"
    try:
        key_set = KeySet.import_key_set(jwks)
    except (JoseError, ValueError, TypeError, KeyError) as error:
        return f"jwks is not a valid JWKS ({error})"
    if not any(key.key_type in ("EC", "RSA") for key in key_set):
        return "jwks needs an EC (ES256) or RSA (RS256) key"
    return None


def registration_problem(body: dict[str, Any]) -> tuple[str, str] | None:
    """(field, message) for the first problem of a registration body, or None."""
    for name in body:
        if name not in REGISTRATION_FIELDS:
            return name, "unknown field"
    method = body.get("token_endpoint_auth_method", "client_secret_post")
    if method not in AUTH_METHODS:
        return "token_endpoint_auth_method", (
            f"token_endpoint_auth_method must be client_secret_post or private_key_jwt, the two methods "
            f"FranceConnect allows (got {method!r})")
    credentials = ("client_id", "client_secret") if method == "client_secret_post" or "client_secret" in body \
        else ("client_id",)
    for name in credentials:
        value = body.get(name)
        if not isinstance(value, str) or not value.strip():
            return name, f"{name} is required (a non-empty string)"
        if len(value) > MAX_CREDENTIAL_LENGTH or any(char.isspace() for char in value):
            return name, f"{name} must be at most {MAX_CREDENTIAL_LENGTH} characters, without spaces"
    if "client_secret" in credentials and len(body["client_secret"]) < MIN_SECRET_LENGTH:
        return "client_secret", (
            f"client_secret must be at least {MIN_SECRET_LENGTH} characters long (one that will do: "
            f"python -c 'import secrets; print(secrets.token_urlsafe(32))')")
    if not set(body["client_id"]) <= CLIENT_ID_CHARACTERS:
        # It is a path segment of /__mock__/franceconnect/clients/<client_id>: "/" could not be deleted.
        return "client_id", "client_id may hold letters, digits and - . _ ~ only"
    if "name" in body and (not isinstance(body["name"], str) or not body["name"].strip()
                           or len(body["name"]) > MAX_NAME_LENGTH):
        return "name", f"name must be a non-empty string of at most {MAX_NAME_LENGTH} characters"
    for name, required in (("redirect_uris", True), ("post_logout_redirect_uris", False)):
        uris = body.get(name, [] if not required else None)
        if not isinstance(uris, list) or (required and not uris):
            return name, f"{name} must be a list of URLs" + (" (at least one)" if required else "")
        for uri in uris:
            problem = _check_uri(uri)
            if problem:
                return name, f"{name}: {problem}"
    for name in ("id_token_signed_response_alg", "userinfo_signed_response_alg"):
        if name in body and body[name] not in ALGORITHMS:
            return name, f"{name} must be one of {', '.join(ALGORITHMS)}"
    if "type" in body and body["type"] not in CLIENT_TYPES:
        return "type", "type must be public (an administration) or private (a company)"
    if "providers" in body:
        providers = body["providers"]
        if not isinstance(providers, list) or not providers or not all(isinstance(idp, str) for idp in providers):
            return "providers", "providers must be a list of identity provider ids (leave it out for all of them)"
        unknown = [idp for idp in providers if idp not in PROVIDER_IDS]
        if unknown:
            return "providers", f"unknown identity provider {unknown[0]!r}: one of {', '.join(PROVIDER_IDS)}"
    if "claims" in body:
        claims = body["claims"]
        if not isinstance(claims, list) or any(claim not in ENTITLED_CLAIMS for claim in claims):
            return "claims", f"claims must be a list of the claims the client may ask for: {', '.join(ENTITLED_CLAIMS)}"
    if method == "private_key_jwt" and "jwks" not in body:
        return "jwks", "private_key_jwt needs the client's public keys: jwks"
    if "jwks" in body:
        problem = _jwks_problem(body["jwks"])
        if problem:
            return "jwks", problem
    return None


def client_from_registration(body: dict[str, Any]) -> OidcClient:
    return OidcClient(
        client_id=body["client_id"],
        client_secret=body.get("client_secret", ""),
        name=body.get("name") or body["client_id"],
        redirect_uris=tuple(body["redirect_uris"]),
        post_logout_redirect_uris=tuple(body.get("post_logout_redirect_uris", ())),
        id_token_signed_response_alg=body.get("id_token_signed_response_alg", "ES256"),
        userinfo_signed_response_alg=body.get("userinfo_signed_response_alg", "ES256"),
        type=body.get("type", "public"),
        providers=tuple(body["providers"]) if "providers" in body else None,
        token_endpoint_auth_method=body.get("token_endpoint_auth_method", "client_secret_post"),
        jwks=body.get("jwks"),
        claims=tuple(dict.fromkeys(body.get("claims", ()))),
    )
