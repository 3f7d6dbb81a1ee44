"""Clients registered with an issuer, and the checks on a registration request."""

from __future__ import annotations

import string
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

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
    # Pre-registered by the mock itself (Mon Compte, FranceConnect): kept on reset.
    builtin: bool = field(default=False, compare=False)

    def to_dict(self, *, with_secret: bool = True) -> dict[str, Any]:
        data = asdict(self)
        data["redirect_uris"] = list(self.redirect_uris)
        data["post_logout_redirect_uris"] = list(self.post_logout_redirect_uris)
        data["providers"] = list(self.providers) if self.providers is not None else None
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
)


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


def registration_problem(body: dict[str, Any]) -> tuple[str, str] | None:
    """(field, message) for the first problem of a registration body, or None."""
    for name in body:
        if name not in REGISTRATION_FIELDS:
            return name, "unknown field"
    for name in ("client_id", "client_secret"):
        value = body.get(name)
        if not isinstance(value, str) or not value.strip():
            return name, f"{name} is required (a non-empty string)"
        if len(value) > MAX_CREDENTIAL_LENGTH or any(char.isspace() for char in value):
            return name, f"{name} must be at most {MAX_CREDENTIAL_LENGTH} characters, without spaces"
    if len(body["client_secret"]) < MIN_SECRET_LENGTH:
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
    return None


def client_from_registration(body: dict[str, Any]) -> OidcClient:
    return OidcClient(
        client_id=body["client_id"],
        client_secret=body["client_secret"],
        name=body.get("name") or body["client_id"],
        redirect_uris=tuple(body["redirect_uris"]),
        post_logout_redirect_uris=tuple(body.get("post_logout_redirect_uris", ())),
        id_token_signed_response_alg=body.get("id_token_signed_response_alg", "ES256"),
        userinfo_signed_response_alg=body.get("userinfo_signed_response_alg", "ES256"),
    )
