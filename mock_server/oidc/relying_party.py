"""The client side of OpenID Connect, on Authlib's Flask integration.

Mon Compte uses it towards FranceConnect, and FranceConnect towards each
identity provider. Authlib keeps `state`, `nonce` and the PKCE code_verifier
(S256) in the Flask session and checks state. The id_token and the userinfo
answer (a signed JWT, as FranceConnect v2 sends it) are checked here as a
certified client checks them: signed with the algorithm the client registered
(never `none`) by a key of the issuer's JWKS, fetched again once on an unknown
kid (the issuer rolled its keys); the id_token's issuer, audience, expiry,
nonce, `acr` and at_hash (required: FranceConnect always sends it); the
userinfo's issuer, audience and `sub` (the id_token's). An `iss` on the
authorization response (RFC 9207) must be the issuer's.

Server-to-server calls (discovery, JWKS, token, userinfo) go through
`LoopbackAdapter`: browsers resolve *.localhost to loopback by themselves,
Python's resolver does not on every system.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit, urlunsplit

import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskOAuth2App, OAuth
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken, UserInfo
from flask import Flask, Response, session
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError, MissingClaimError
from joserfc.jwk import KeySet
from requests.adapters import HTTPAdapter

from .keys import ALGORITHMS

# FranceConnect wants state and nonce of at least 32 characters; 48 random ones here.
TOKEN_LENGTH = 48
# Authlib keeps each login or logout started in the session ("_state_<name>_<state>")
# until it comes back, or for an hour of real time: a tab that starts logins and
# abandons them would make its session grow for that long. The newest few are kept.
MAX_PENDING_STATES = 10


def is_loopback_name(hostname: str | None) -> bool:
    return bool(hostname) and (hostname == "localhost" or hostname.endswith(".localhost"))


# (is this host name one of the mock's own sites, the address the mock listens on)
OwnSites = Callable[[], tuple[Callable[[str | None], bool], str]]
# (host name, method, path) of a call to one of the mock's own sites -> the address and
# port it must meet instead (a network fault's bad socket), or None: the site itself.
Network = Callable[[str, str, str], "tuple[str, int] | None"]


class LoopbackAdapter(HTTPAdapter):
    """Connects to 127.0.0.1 for *.localhost URLs, and to the mock itself for the
    mock's own sites whatever their domain (`own_sites`: with --domain
    mock.example.test nothing need resolve that name on the mock's machine),
    keeping the name in the Host header; and gives every request a timeout, so
    a provider that never answers cannot hold a request of ours for ever.

    `network`: a call to one of the mock's sites that a network fault names goes
    to the socket it gives instead, and fails there as the network would (real
    sockets: simulation/network.py), through the whole client stack."""

    def __init__(self, timeout: float | Callable[[], float], own_sites: OwnSites | None = None,
                 network: Network | None = None) -> None:
        super().__init__(max_retries=0)
        # A callable is read at each request: the mock's settings may change it while it runs.
        self.timeout = timeout
        self.own_sites = own_sites
        self.network = network

    def _address_for(self, hostname: str | None) -> str | None:
        if self.own_sites is not None:
            is_own, address = self.own_sites()
            if is_own(hostname):
                return address
        return "127.0.0.1" if is_loopback_name(hostname) else None

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        parts = urlsplit(request.url)
        address = self._address_for(parts.hostname)
        if address is not None:
            request.headers["Host"] = parts.netloc
            port = parts.port or (443 if parts.scheme == "https" else 80)
            diverted = self.network(parts.hostname or "", request.method or "GET", parts.path or "/") \
                if self.network is not None else None
            if diverted is not None:
                address, port = diverted
            host = f"[{address}]" if ":" in address else address
            request.url = urlunsplit(parts._replace(netloc=f"{host}:{port}"))
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout() if callable(self.timeout) else self.timeout
        return super().send(request, **kwargs)


def mount_loopback(session: requests.Session, timeout: float | Callable[[], float],
                   own_sites: OwnSites | None = None, network: Network | None = None) -> requests.Session:
    """Route every request of `session` through LoopbackAdapter."""
    adapter = LoopbackAdapter(timeout, own_sites, network)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class LoopbackOAuth2Session(OAuth2Session):
    """Authlib's HTTP session, every call of which (discovery and JWKS included)
    goes through LoopbackAdapter with the client's timeout (``upstream_timeout``,
    read at each call, rather than Authlib's fixed ``default_timeout``)."""

    def __init__(self, *args: Any, upstream_timeout: Callable[[], float] | None = None,
                 own_sites: OwnSites | None = None, network: Network | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mount_loopback(self, upstream_timeout or self.default_timeout or 10.0, own_sites, network)


class StrictIDToken(CodeIDToken):
    """Authlib's code-flow id_token, with at_hash required: OpenID Connect makes it
    optional in the code flow, FranceConnect always sends it, and a client that
    checks it knows the id_token and the access token come from one answer."""

    def validate_at_hash(self) -> None:
        if self.params.get("access_token") and "at_hash" not in self:
            raise MissingClaimError("at_hash")
        super().validate_at_hash()


class LoopbackFlaskOAuth2App(FlaskOAuth2App):
    client_cls = LoopbackOAuth2Session
    # The algorithm this client registered for its id_tokens and userinfo answers
    # (set by RelyingParty); None: any FranceConnect offers.
    signing_alg: str | None = None

    def decode_signed(self, token: str) -> jwt.Token:
        """A JWT of this issuer, its signature checked: the registered algorithm only,
        a key of the issuer's JWKS, which is fetched again once when the token's kid
        is not in the copy kept (the issuer rolled its keys since)."""
        algorithms = [self.signing_alg] if self.signing_alg else list(ALGORITHMS)
        try:
            return jwt.decode(token, KeySet.import_key_set(self.fetch_jwk_set()), algorithms=algorithms)
        except InvalidKeyIdError:
            return jwt.decode(token, KeySet.import_key_set(self.fetch_jwk_set(force=True)), algorithms=algorithms)

    def parse_id_token(self, token: dict[str, Any], nonce: str, claims_options: dict[str, Any] | None = None,
                       claims_cls: type[CodeIDToken] | None = None, leeway: int = 120) -> UserInfo | None:
        """Authlib's, with the signature checked by decode_signed (Authlib's accepts
        any algorithm the discovery lists) and at_hash required (StrictIDToken)."""
        if "id_token" not in token:
            return None
        decoded = self.decode_signed(token["id_token"])
        params = {"nonce": nonce, "client_id": self.client_id, "access_token": token.get("access_token")}
        claims = (claims_cls or StrictIDToken)(decoded.claims, decoded.header, claims_options, params)
        claims.validate(leeway=leeway)
        return UserInfo(claims)


class FederationOAuth(OAuth):
    oauth2_client_cls = LoopbackFlaskOAuth2App


class LoginFailed(Exception):
    """Why a login coming back from the provider cannot be accepted.

    kind: "denied" (the provider sent an error back, e.g. access_denied),
    "state" (an answer that is not this browser's: missing or unknown state, forged,
    replayed, from another browser, or naming another issuer (RFC 9207)),
    "unavailable" (the provider answered 5xx or could not be reached),
    "timeout" (it did not answer in time), "invalid" (a token or answer that
    fails validation).
    """

    def __init__(self, kind: str, error: str, description: str = "", status: int | None = None) -> None:
        super().__init__(f"{kind}: {error} {description}".strip())
        self.kind, self.error, self.description, self.status = kind, error, description, status


@dataclass(frozen=True)
class Login:
    id_token: str  # kept for logout (id_token_hint)
    id_claims: dict[str, Any]
    userinfo: dict[str, Any]


class RelyingParty:
    """One OpenID Connect client of one issuer, for one Flask app."""

    def __init__(self, app: Flask, name: str, *, issuer: Callable[[], str], client_id: str, client_secret: str,
                 scope: str, timeout: Callable[[], float], now: Callable[[], int],
                 own_sites: OwnSites | None = None, network: Network | None = None,
                 signing_alg: str | None = None) -> None:
        self.app = app
        # The time tokens are checked against: the mock's clock, which tests move forward.
        self.now = now
        self.name = name
        self._issuer = issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope
        self.timeout = timeout
        self.own_sites = own_sites
        self.network = network
        # The id_token_signed_response_alg (and userinfo's) registered at the issuer.
        self.signing_alg = signing_alg
        self._oauth: OAuth = app.extensions.get("authlib.integrations.flask_client") or FederationOAuth(app)
        self._client: Any = None
        self._lock = threading.Lock()

    @property
    def issuer(self) -> str:
        return self._issuer()

    @property
    def client(self) -> Any:
        # Registered on first use: the issuer's URL holds the server's port,
        # known only once it listens.
        with self._lock:
            if self._client is None:
                self._client = self._oauth.register(
                    self.name,
                    client_id=self.client_id,
                    client_secret=self.client_secret,
                    server_metadata_url=f"{self.issuer}/.well-known/openid-configuration",
                    client_kwargs={
                        "scope": self.scope,
                        "token_endpoint_auth_method": "client_secret_post",
                        "upstream_timeout": self.timeout,
                        "own_sites": self.own_sites,
                        "network": self.network,
                        # Tokens live 60 s at FranceConnect: Authlib's default 60 s of
                        # leeway would take every one of them for expired at once.
                        "leeway": 0,
                        # PKCE: a code_verifier per login, its S256 challenge sent to /authorize.
                        "code_challenge_method": "S256",
                    },
                )
                self._client.signing_alg = self.signing_alg
            return self._client

    def _call(self, action: Callable[[], Any]) -> Any:
        """Run a step that talks to the provider; its failures become LoginFailed."""
        try:
            return action()
        except MismatchingStateError as error:
            raise LoginFailed("state", "mismatching_state", error.description or "")
        except OAuthError as error:
            raise LoginFailed("invalid", error.error or "oauth_error", error.description or "")
        except requests.Timeout:
            raise LoginFailed("timeout", "timeout", f"no answer within {self.timeout():g} s")
        except requests.exceptions.InvalidJSONError as error:
            # An answer that came whole but does not parse (discovery, JWKS): the
            # provider's invalid answer, as a token answer that is no JSON object is.
            raise LoginFailed("invalid", "invalid_answer", f"{type(error).__name__}: {error}")
        except requests.HTTPError as error:
            status = error.response.status_code if error.response is not None else None
            kind = "unavailable" if status is None or status >= 500 else "invalid"
            raise LoginFailed(kind, "http_error", f"HTTP {status}", status)
        except requests.RequestException as error:
            raise LoginFailed("unavailable", "unreachable", type(error).__name__)
        except (JoseError, ValueError, KeyError) as error:
            raise LoginFailed("invalid", "invalid_token", f"{type(error).__name__}: {error}")

    def _forget_old_states(self) -> None:
        """Make room for one more pending state: only the newest MAX_PENDING_STATES stay."""
        prefix = f"_state_{self.name}_"
        pending = [key for key in session if key.startswith(prefix)]
        for key in pending[:max(0, len(pending) - MAX_PENDING_STATES + 1)]:
            session.pop(key, None)

    def authorize_redirect(self, redirect_uri: str, **params: Any) -> Response:
        # Read the provider's discovery document (and keys) afresh at each login:
        # a provider that is down shows here, on our side, not after the redirect.
        self.client.server_metadata.pop("_loaded_at", None)
        self.client.server_metadata.pop("jwks", None)
        params.setdefault("acr_values", "eidas1")
        self._forget_old_states()
        return self._call(lambda: self.client.authorize_redirect(
            redirect_uri, state=generate_token(TOKEN_LENGTH), nonce=generate_token(TOKEN_LENGTH), **params))

    def finish_login(self, args: dict[str, str]) -> Login:
        """Validate the redirect back from the provider and fetch the user's claims."""
        # RFC 9207: an issuer that names itself in its answer must be the one asked
        # (an answer from another provider, mixed up); no iss is fine. What the browser
        # brought is wrong, not the provider: refused as a forged answer.
        if "iss" in args and args["iss"] != self.issuer:
            raise LoginFailed("state", "invalid_issuer", f"the answer comes from {args['iss']!r}, not {self.issuer!r}")
        if "error" in args:
            raise LoginFailed("denied", args["error"], args.get("error_description", ""))
        if not args.get("state"):
            raise LoginFailed("state", "missing_state", "no state in the answer")
        claims_options = {
            "iss": {"essential": True, "value": self.issuer},
            "aud": {"essential": True, "value": self.client_id},
            "acr": {"essential": True, "value": "eidas1"},
        }
        clock_now = self.now

        class IDTokenOnMockTime(StrictIDToken):
            def validate(self, now: int | None = None, leeway: int = 0) -> None:
                super().validate(now=clock_now(), leeway=leeway)

        token = self._call(lambda: self.client.authorize_access_token(
            claims_options=claims_options, claims_cls=IDTokenOnMockTime))
        if "userinfo" not in token:
            raise LoginFailed("invalid", "invalid_token", "no id_token in the token answer")
        id_claims = dict(token["userinfo"])
        userinfo = self._call(lambda: self._userinfo(token, id_claims["sub"]))
        return Login(id_token=token["id_token"], id_claims=id_claims, userinfo=userinfo)

    def _userinfo(self, token: dict[str, Any], sub: str) -> dict[str, Any]:
        metadata = self.client.load_server_metadata()
        response = self.client.get(metadata["userinfo_endpoint"], token=token)
        response.raise_for_status()
        if response.headers.get("Content-Type", "").split(";")[0].strip() != "application/jwt":
            raise ValueError(f"userinfo answered {response.headers.get('Content-Type')!r}, not a signed JWT")
        decoded = self.client.decode_signed(response.text)
        jwt.JWTClaimsRegistry(
            now=self.now,
            iss={"essential": True, "value": self.issuer},
            aud={"essential": True, "value": self.client_id},
            sub={"essential": True, "value": sub},
        ).validate(decoded.claims)
        return dict(decoded.claims)

    def logout_redirect(self, post_logout_redirect_uri: str, id_token_hint: str) -> Response:
        self._forget_old_states()
        return self._call(lambda: self.client.logout_redirect(
            post_logout_redirect_uri=post_logout_redirect_uri, id_token_hint=id_token_hint,
            state=generate_token(TOKEN_LENGTH)))

    def has_end_session(self) -> bool:
        try:
            return "end_session_endpoint" in self._call(self.client.load_server_metadata)
        except LoginFailed:
            return False

    def finish_logout(self) -> None:
        """Check the state the provider sent back after logging out."""
        self._call(self.client.validate_logout_response)
