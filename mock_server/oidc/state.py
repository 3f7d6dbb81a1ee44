"""What the OpenID Connect side of the mock remembers: clients, pending
authorization requests, codes and access tokens, each on the mock clock."""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from authlib.oauth2.rfc7636 import create_s256_code_challenge

from ..bounded import BoundedMap
from ..clock import MockClock
from .clients import OidcClient

# Bounds on what logins leave behind (see mock_server/bounded.py), for every issuer
# together. Authorization requests expire with their lifetime (10 minutes): an
# abandoned login leaves one, and past the cap the oldest is forgotten (its page then
# says the request is unknown).
MAX_PENDING_REQUESTS = 10_000
# Codes (30 s) and access tokens (60 s) stay known a while after they expire, so a
# late or replayed one is refused as expired or already used (a replay revokes the
# tokens the code gave, which die at most 60 s after the code) rather than unknown.
MAX_CODES = 10_000
MAX_TOKENS = 10_000
# Client assertions (private_key_jwt) seen, by client and jti, until they expire.
MAX_ASSERTIONS = 10_000
KEPT_AFTER_EXPIRY = timedelta(minutes=5)


@dataclass(frozen=True)
class AuthorizationRequest:
    """A validated /authorize call waiting for the user to log in."""

    id: str
    issuer: str
    client_id: str
    redirect_uri: str
    state: str
    nonce: str
    scope: tuple[str, ...]
    acr_values: str | None
    prompt: tuple[str, ...]
    created_at: datetime
    expires_at: datetime
    # The identity provider the client asked for (FranceConnect's idp_hint), if any.
    idp_hint: str | None = None
    # PKCE (RFC 7636): the challenge the code's verifier must match; only S256.
    code_challenge: str | None = None
    # The most seconds since the person last logged in that the client accepts.
    max_age: int | None = None
    # Claims asked for in the id_token with the `claims` parameter (e.g. "amr").
    id_token_claims: tuple[str, ...] = ()


@dataclass(frozen=True)
class Grant:
    """What a code (then an access token) stands for."""

    issuer: str
    client_id: str
    redirect_uri: str
    scope: tuple[str, ...]
    nonce: str
    sub: str
    claims: dict[str, Any]
    acr: str
    amr: tuple[str, ...]
    auth_time: int
    # What the issuing site wants to remember about this login (e.g. the persona's fault).
    context: dict[str, Any] = field(default_factory=dict)
    code_challenge: str | None = None
    id_token_claims: tuple[str, ...] = ()


@dataclass
class IssuedCode:
    code: str
    grant: Grant
    expires_at: datetime
    used: bool = False
    access_tokens: list[str] = field(default_factory=list)


@dataclass
class IssuedToken:
    token: str
    grant: Grant
    expires_at: datetime
    revoked: bool = False


class CodeProblem(Exception):
    """Why a code cannot be exchanged: unknown, expired, already used, other client."""


class ClientTaken(Exception):
    """A client_id registered already (`existing`), which this registration may not replace."""

    def __init__(self, existing: OidcClient) -> None:
        super().__init__(existing.client_id)
        self.existing = existing


class OidcState:
    def __init__(self, clock: MockClock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str], OidcClient] = {}
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._clients = {key: client for key, client in self._clients.items() if client.builtin}
            self._requests: BoundedMap[str, AuthorizationRequest] = BoundedMap(
                self.clock, MAX_PENDING_REQUESTS, lambda request: request.expires_at)
            self._codes: BoundedMap[str, IssuedCode] = BoundedMap(
                self.clock, MAX_CODES, lambda issued: issued.expires_at + KEPT_AFTER_EXPIRY)
            self._tokens: BoundedMap[str, IssuedToken] = BoundedMap(
                self.clock, MAX_TOKENS, lambda issued: issued.expires_at + KEPT_AFTER_EXPIRY)
            self._assertions: BoundedMap[tuple[str, str, str], datetime] = BoundedMap(
                self.clock, MAX_ASSERTIONS, lambda expires_at: expires_at)

    # Clients -------------------------------------------------------------

    def register_client(self, issuer: str, client: OidcClient) -> OidcClient:
        with self._lock:
            self._clients[(issuer, client.client_id)] = client
            return client

    def add_client(self, issuer: str, client: OidcClient, *, replace: bool) -> bool:
        """Register an application's client (the control API); True when its client_id
        was new. A client_id already taken raises ClientTaken, unless `replace`; a
        built-in client (Mon Compte's) is never replaced. Checked and stored under one
        lock: two registrations of one client_id at once cannot both be "new"."""
        with self._lock:
            existing = self._clients.get((issuer, client.client_id))
            if existing is not None and (existing.builtin or not replace):
                raise ClientTaken(existing)
            self._clients[(issuer, client.client_id)] = client
            return existing is None

    def get_client(self, issuer: str, client_id: str) -> OidcClient | None:
        with self._lock:
            return self._clients.get((issuer, client_id))

    def list_clients(self, issuer: str) -> list[OidcClient]:
        with self._lock:
            return [client for (owner, _), client in self._clients.items() if owner == issuer]

    def delete_client(self, issuer: str, client_id: str) -> bool:
        with self._lock:
            client = self._clients.get((issuer, client_id))
            if client is None or client.builtin:
                return False
            del self._clients[(issuer, client_id)]
            return True

    # Authorization requests ----------------------------------------------

    def save_request(self, **fields: Any) -> AuthorizationRequest:
        now = self.clock.now()
        lifetime = fields.pop("lifetime")
        request = AuthorizationRequest(id=secrets.token_urlsafe(16), created_at=now, expires_at=now + lifetime, **fields)
        with self._lock:
            self._requests.put(request.id, request)
        return request

    def get_request(self, request_id: str) -> AuthorizationRequest | None:
        with self._lock:
            request = self._requests.get(request_id)
        if request is None or request.expires_at <= self.clock.now():
            return None
        return request

    def drop_request(self, request_id: str) -> None:
        with self._lock:
            self._requests.pop(request_id, None)

    # Codes and tokens ----------------------------------------------------

    def issue_code(self, grant: Grant, lifetime: timedelta) -> str:
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._codes.put(code, IssuedCode(code, grant, self.clock.now() + lifetime))
        return code

    def redeem_code(self, code: str, *, issuer: str, client_id: str, redirect_uri: str | None,
                    code_verifier: str | None = None) -> Grant:
        """The grant of a code, once: a second use revokes what the first one gave (RFC 6749 §4.1.2).
        CodeProblem's message says why not: unknown, other_client, used, expired,
        redirect_uri or pkce (a code_verifier that does not match the challenge, RFC 7636)."""
        with self._lock:
            issued = self._codes.get(code)
            if issued is None or issued.grant.issuer != issuer:
                raise CodeProblem("unknown")
            if issued.grant.client_id != client_id:
                raise CodeProblem("other_client")
            if issued.used:
                for token in issued.access_tokens:
                    if token in self._tokens:
                        self._tokens[token].revoked = True
                raise CodeProblem("used")
            if issued.expires_at <= self.clock.now():
                raise CodeProblem("expired")
            if redirect_uri != issued.grant.redirect_uri:
                raise CodeProblem("redirect_uri")
            challenge = issued.grant.code_challenge
            if (challenge is not None or code_verifier is not None) and not (
                    challenge is not None and code_verifier is not None
                    and hmac.compare_digest(create_s256_code_challenge(code_verifier), challenge)):
                raise CodeProblem("pkce")
            issued.used = True
            return issued.grant

    def issue_token(self, code: str, grant: Grant, lifetime: timedelta) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens.put(token, IssuedToken(token, grant, self.clock.now() + lifetime))
            if code in self._codes:
                self._codes[code].access_tokens.append(token)
        return token

    def token_grant(self, token: str, *, issuer: str) -> tuple[Grant | None, str | None]:
        """(grant, None) for a live token, else (None, why)."""
        with self._lock:
            issued = self._tokens.get(token)
        if issued is None or issued.grant.issuer != issuer:
            return None, "access token unknown"
        if issued.revoked:
            return None, "access token revoked"
        if issued.expires_at <= self.clock.now():
            return None, "access token expired"
        return issued.grant, None

    def revoke_token(self, token: str, *, issuer: str, client_id: str) -> str:
        """RFC 7009: "revoked" (with every token of its code), "unknown" (nothing to
        do: still a success for the client) or "other_client" (another client's token)."""
        with self._lock:
            issued = self._tokens.get(token)
            if issued is None or issued.grant.issuer != issuer:
                return "unknown"
            if issued.grant.client_id != client_id:
                return "other_client"
            issued.revoked = True
            # oidc-provider revokes the whole grant: the code's other tokens too.
            for code in self._codes.values():
                if token in code.access_tokens:
                    for other in code.access_tokens:
                        if other in self._tokens:
                            self._tokens[other].revoked = True
            return "revoked"

    # Client assertions ----------------------------------------------------

    def use_assertion(self, issuer: str, client_id: str, jti: str, expires_at: datetime) -> bool:
        """Record a client assertion's jti; False when it was used already (a replay)."""
        key = (issuer, client_id, jti)
        with self._lock:
            if key in self._assertions and self._assertions[key] > self.clock.now():
                return False
            self._assertions.put(key, expires_at)
            return True
