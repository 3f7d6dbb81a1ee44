"""An OpenID Connect provider (code flow), parameterised by issuer.

FranceConnect and each identity provider are one `Provider` each: the same
discovery, JWKS, authorize, token, userinfo and end-session endpoints, with
the differences a `ProviderSpec` states (paths, FranceConnect's stricter
parameter rules, whether there is an end-session endpoint...).

The provider does the protocol; the site that mounts it does the people part:
/authorize sends the browser to the site's login page with the id of the
pending request, and the site calls `complete()` (or `deny()`) when the user
is done. Errors that must not go back to the client (unknown client, bad
redirect_uri, malformed request) are rendered by the site as its error page,
with FranceConnect's error codes.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Callable
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

from authlib.oidc.core.util import create_half_hash
from flask import Blueprint, Response, jsonify, redirect, request, session, url_for
from joserfc.errors import JoseError

from ..context import mock
from . import keys
from .claims import ALL_CLAIMS, SCOPE_CLAIMS, claims_for_scope
from .clients import OidcClient
from .state import AuthorizationRequest, CodeProblem, Grant, OidcState

# Words of FranceConnect's own answers (its public end-to-end suite checks them).
TECHNICAL_ERROR = "Une erreur technique est survenue, fermez l’onglet de votre navigateur et reconnectez-vous."
USER_ABORTED = "User auth aborted"
SERVER_ERROR = "authentication aborted due to a technical error on the authorization server"

PROMPT_VALUES = ("login", "consent")
# /session/end with an id_token_hint that is not this session's (the mock's code,
# in the family of FranceConnect's session errors: see README).
SESSION_MISMATCH = "Y150005"


class ProviderError(Exception):
    """An error shown on the provider's own page (never sent back to the client)."""

    def __init__(self, status: int, code: str, message: str = TECHNICAL_ERROR, *,
                 back_url: str | None = None, service: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.status, self.code, self.message = status, code, message
        # Where "Revenir sur <service>" leads, when the client may be told of the failure.
        self.back_url, self.service = back_url, service


@dataclass(frozen=True)
class ProviderSpec:
    issuer_id: str  # key of the signing keys and of the registered clients
    site: str  # the site (host) serving it
    path: str  # where its endpoints live on that site: "/api/v2" for FranceConnect
    login_endpoint: str  # the site's view where people log in; gets `request_id`
    render_error: Callable[[ProviderError], Any]
    min_nonce_length: int = 1
    min_state_length: int = 1
    require_acr_values: bool = False
    acr_values_supported: tuple[str, ...] = ("eidas1",)
    has_end_session: bool = True
    # Called at /session/end after the provider's own session is gone, with the
    # user it had (or None); returns the response, else the client gets its redirect.
    on_end_session: Callable[[dict[str, Any] | None], Any] | None = None
    # Called before a code is exchanged: a response here replaces the token answer.
    token_fault: Callable[[Grant], Any] | None = None
    # Called for every signed answer ("id_token", "userinfo") with its claims and
    # algorithm: a token here (a broken answer, set on demand) replaces the right one.
    broken_answer: Callable[[str, dict[str, Any], str, Grant], str | None] | None = None
    code_lifetime: timedelta = timedelta(seconds=30)
    token_lifetime: timedelta = timedelta(seconds=60)
    id_token_lifetime: timedelta = timedelta(seconds=60)
    request_lifetime: timedelta = timedelta(minutes=10)
    session_lifetime: timedelta = timedelta(minutes=30)
    scopes_supported: tuple[str, ...] = tuple(SCOPE_CLAIMS)
    extra_metadata: dict[str, Any] = field(default_factory=dict)


def _state() -> OidcState:
    return mock().store.oidc


def _with_params(uri: str, params: dict[str, str]) -> str:
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


class Provider:
    def __init__(self, spec: ProviderSpec) -> None:
        self.spec = spec
        self.session_key = f"oidc:{spec.issuer_id}"
        self.blueprint = self._blueprint()

    # URLs --------------------------------------------------------------------

    @property
    def issuer(self) -> str:
        return mock().config.site_url(self.spec.site) + self.spec.path

    def metadata(self) -> dict[str, Any]:
        issuer = self.issuer
        data = {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "jwks_uri": f"{issuer}/jwks",
            "scopes_supported": list(self.spec.scopes_supported),
            "claims_supported": ["sub", *ALL_CLAIMS],
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "acr_values_supported": list(self.spec.acr_values_supported),
            "prompt_values_supported": list(PROMPT_VALUES),
            "id_token_signing_alg_values_supported": list(keys.ALGORITHMS),
            "userinfo_signing_alg_values_supported": list(keys.ALGORITHMS),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "claims_parameter_supported": False,
            "request_parameter_supported": False,
            "request_uri_parameter_supported": False,
        }
        if self.spec.has_end_session:
            data["end_session_endpoint"] = f"{issuer}/session/end"
        data.update(self.spec.extra_metadata)
        return data

    def subject(self, local_subject: str, client_id: str) -> str:
        """A pairwise `sub`: the same person gets a different, stable one per client."""
        digest = hashlib.sha256(f"{self.spec.issuer_id}|{client_id}|{local_subject}".encode()).hexdigest()
        return digest + "v1"

    # What the site calls -------------------------------------------------------

    def register_client(self, client: OidcClient) -> OidcClient:
        return _state().register_client(self.spec.issuer_id, client)

    def get_client(self, client_id: str) -> OidcClient | None:
        return _state().get_client(self.spec.issuer_id, client_id)

    def pending(self, request_id: str | None) -> AuthorizationRequest:
        """The authorization request this browser is completing, or the error page's exception."""
        if not request_id or request_id not in session.get(f"{self.session_key}:requests", []):
            raise ProviderError(400, "Y150003", TECHNICAL_ERROR)
        auth_request = _state().get_request(request_id)
        if auth_request is None:
            raise ProviderError(400, "Y150001", TECHNICAL_ERROR)
        return auth_request

    def client_of(self, auth_request: AuthorizationRequest) -> OidcClient:
        client = self.get_client(auth_request.client_id)
        if client is None:  # deleted since the request started
            raise ProviderError(500, "Y030106", "invalid_client")
        return client

    def sso_user(self) -> dict[str, Any] | None:
        """The user of this provider's live session in this browser (single sign-on)."""
        user = session.get(f"{self.session_key}:sso")
        if not user:
            return None
        if user["expires_at"] <= mock().store.clock.now().timestamp():
            session.pop(f"{self.session_key}:sso", None)
            return None
        return user

    def start_session(self, user: dict[str, Any]) -> dict[str, Any]:
        """Open (or replace) this provider's session in the browser, under a new
        session id: a session id planted before the login is not the signed-in one
        (no session fixation).

        `user` needs "subject" (stable id of the person at this provider) and
        "claims"; "acr", "amr" and anything else the site wants to keep are optional.
        """
        now = mock().store.clock.now()
        user = {
            "acr": "eidas1",
            "amr": ["pwd"],
            **user,
            "auth_time": int(now.timestamp()),
            "expires_at": (now + self.spec.session_lifetime).timestamp(),
            # The clients this session has signed in to, whose id_token_hint may end it.
            "clients": [],
        }
        session.regenerate()
        session[f"{self.session_key}:sso"] = user
        return user

    def end_session(self) -> dict[str, Any] | None:
        user = session.pop(f"{self.session_key}:sso", None)
        if user is not None:
            session.regenerate()  # signed out: the id that was signed in is gone
        return user

    def complete(self, auth_request: AuthorizationRequest, user: dict[str, Any], context: dict[str, Any] | None = None) -> Response:
        """Send the browser back to the client with a code for this user."""
        state = _state()
        grant = Grant(
            issuer=self.spec.issuer_id,
            client_id=auth_request.client_id,
            redirect_uri=auth_request.redirect_uri,
            scope=auth_request.scope,
            nonce=auth_request.nonce,
            sub=self.subject(user["subject"], auth_request.client_id),
            claims=user["claims"],
            acr=user.get("acr", "eidas1"),
            amr=tuple(user.get("amr", ("pwd",))),
            auth_time=user["auth_time"],
            context=context or {},
        )
        code = state.issue_code(grant, self.spec.code_lifetime)
        self._remember_client(auth_request.client_id)
        self._forget_request(auth_request.id)
        return redirect(_with_params(auth_request.redirect_uri, {"code": code, "state": auth_request.state}), 303)

    def _remember_client(self, client_id: str) -> None:
        key = f"{self.session_key}:sso"
        user = session.get(key)
        if user is not None and client_id not in user.get("clients", ()):
            session[key] = {**user, "clients": [*user.get("clients", ()), client_id]}

    def hint_matches_session(self, user: dict[str, Any], hint: dict[str, Any]) -> bool:
        """Whether an id_token_hint was issued to this session's user, for a client it signed in to."""
        client_id = str(hint.get("aud"))
        return client_id in user.get("clients", ()) and hint.get("sub") == self.subject(user["subject"], client_id)

    def deny(self, auth_request: AuthorizationRequest, error: str, description: str) -> Response:
        """Send the browser back to the client with an error (RFC 6749 §4.1.2.1)."""
        self._forget_request(auth_request.id)
        params = {"error": error, "error_description": description, "state": auth_request.state}
        return redirect(_with_params(auth_request.redirect_uri, params), 303)

    def _forget_request(self, request_id: str) -> None:
        _state().drop_request(request_id)
        key = f"{self.session_key}:requests"
        session[key] = [pending for pending in session.get(key, []) if pending != request_id]

    def logout_return_url(self) -> str | None:
        """Where the client asked to go after /session/end (with its state), once."""
        pending = session.pop(f"{self.session_key}:logout", None)
        if not pending:
            return None
        params = {"state": pending["state"]} if pending.get("state") else {}
        return _with_params(pending["uri"], params)

    def pending_logout(self) -> dict[str, Any] | None:
        return session.get(f"{self.session_key}:logout")

    # Endpoints ---------------------------------------------------------------

    def _blueprint(self) -> Blueprint:
        bp = Blueprint(f"oidc_{self.spec.issuer_id}", __name__, url_prefix=self.spec.path)
        bp.add_url_rule("/.well-known/openid-configuration", "discovery", lambda: jsonify(self.metadata()))
        bp.add_url_rule("/jwks", "jwks", lambda: jsonify(keys.public_jwks(self.spec.issuer_id)))
        bp.add_url_rule("/authorize", "authorize", self._authorize, methods=["GET", "POST"])
        bp.add_url_rule("/token", "token", self._token, methods=["POST"])
        bp.add_url_rule("/userinfo", "userinfo", self._userinfo, methods=["GET", "POST"])
        if self.spec.has_end_session:
            bp.add_url_rule("/session/end", "end_session", self._end_session, methods=["GET"])

        @bp.errorhandler(ProviderError)
        def provider_error(error: ProviderError):
            return self.spec.render_error(error)

        @bp.after_request
        def no_store(response: Response) -> Response:
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
            return response

        return bp

    # /authorize

    def _authorize(self) -> Response:
        params = request.values
        spec = self.spec

        def malformed() -> ProviderError:
            return ProviderError(400, "Y030007")

        # FranceConnect checks the query's shape first: a missing or malformed
        # parameter is its error page (Y030007), whatever the client.
        for name in ("client_id", "redirect_uri", "response_type", "scope", "state", "nonce"):
            if name not in params:
                raise malformed()
        if spec.require_acr_values and "acr_values" not in params:
            raise malformed()
        if not params["client_id"] or not params["redirect_uri"]:
            raise malformed()
        if len(params["nonce"]) < spec.min_nonce_length or len(params["state"]) < spec.min_state_length:
            raise malformed()
        prompt = tuple(params["prompt"].split()) if "prompt" in params else ()
        if "prompt" in params and (not prompt or any(value not in PROMPT_VALUES for value in prompt)):
            raise malformed()
        acr_values = params.get("acr_values")
        if acr_values is not None and not set(acr_values.split()) & set(spec.acr_values_supported):
            raise malformed()

        client = self.get_client(params["client_id"])
        if client is None:
            raise ProviderError(500, "Y030106", "invalid_client")
        redirect_uri = params["redirect_uri"]
        if redirect_uri not in client.redirect_uris:
            raise ProviderError(500, "Y030118", "invalid_redirect_uri")

        # From here on the client is known and its redirect_uri trusted: errors go back to it.
        def back(error: str, description: str) -> Response:
            return redirect(_with_params(redirect_uri, {
                "error": error, "error_description": description, "state": params["state"],
            }), 303)

        response_type = params["response_type"]
        if not response_type:
            return back("invalid_request", "missing required parameter 'response_type'")
        if response_type != "code":
            return back("unsupported_response_type", "unsupported response_type requested")
        scope = tuple(params["scope"].split())
        if "openid" not in scope:
            return back("invalid_request", "openid scope must be requested when using the acr_values parameter")

        auth_request = _state().save_request(
            issuer=spec.issuer_id,
            client_id=client.client_id,
            redirect_uri=redirect_uri,
            state=params["state"],
            nonce=params["nonce"],
            scope=scope,
            acr_values=acr_values,
            prompt=prompt,
            lifetime=spec.request_lifetime,
        )
        key = f"{self.session_key}:requests"
        # The last few only: an abandoned tab must not make the session grow without end.
        session[key] = [*session.get(key, [])[-9:], auth_request.id]
        return redirect(url_for(spec.login_endpoint, request_id=auth_request.id))

    # /token

    def _client_from_request(self) -> OidcClient | None:
        client_id = secret = None
        auth = request.authorization
        if auth is not None and auth.type == "basic":
            # Form-encoded before Basic encoding (RFC 6749 §2.3.1).
            client_id, secret = unquote_plus(auth.username or ""), unquote_plus(auth.password or "")
        elif "client_id" in request.form:
            client_id, secret = request.form.get("client_id"), request.form.get("client_secret")
        if not client_id or secret is None:
            return None
        client = self.get_client(client_id)
        if client is None or not hmac.compare_digest(client.client_secret.encode(), secret.encode()):
            return None
        return client

    def _token(self) -> Response | tuple[Response, int]:
        client = self._client_from_request()
        if client is None:
            response = jsonify(error="invalid_client", error_description="client authentication failed")
            response.headers["WWW-Authenticate"] = 'Basic realm="token"'
            return response, 401
        if request.form.get("grant_type") != "authorization_code":
            return jsonify(error="unsupported_grant_type", error_description="grant_type must be authorization_code"), 400
        code = request.form.get("code")
        if not code:
            return jsonify(error="invalid_request", error_description="missing required parameter 'code'"), 400
        state = _state()
        try:
            grant = state.redeem_code(code, issuer=self.spec.issuer_id, client_id=client.client_id,
                                      redirect_uri=request.form.get("redirect_uri"))
        except CodeProblem as problem:
            return jsonify(error="invalid_grant", error_description=str(problem)), 400
        if self.spec.token_fault is not None:
            fault = self.spec.token_fault(grant)
            if fault is not None:
                return fault
        access_token = state.issue_token(code, grant, self.spec.token_lifetime)
        now = int(mock().store.clock.now().timestamp())
        id_token = self._signed("id_token", {
            "iss": self.issuer,
            "sub": grant.sub,
            "aud": client.client_id,
            "exp": now + int(self.spec.id_token_lifetime.total_seconds()),
            "iat": now,
            "auth_time": grant.auth_time,
            "nonce": grant.nonce,
            "acr": grant.acr,
            "amr": list(grant.amr),
            "at_hash": create_half_hash(access_token, client.id_token_signed_response_alg).decode(),
        }, client.id_token_signed_response_alg, grant)
        return jsonify(
            access_token=access_token,
            expires_in=int(self.spec.token_lifetime.total_seconds()),
            id_token=id_token,
            scope=" ".join(grant.scope),
            token_type="Bearer",
        )

    def _signed(self, kind: str, claims: dict[str, Any], alg: str, grant: Grant) -> str:
        """A signed answer of this issuer, or the broken one set for this login."""
        if self.spec.broken_answer is not None:
            broken = self.spec.broken_answer(kind, claims, alg, grant)
            if broken is not None:
                return broken
        return keys.sign(self.spec.issuer_id, claims, alg)

    # /userinfo

    def _userinfo(self) -> Response | tuple[Response, int]:
        auth = request.headers.get("Authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            response = jsonify(error="invalid_request", error_description="no access token in the Authorization header")
            response.headers["WWW-Authenticate"] = 'Bearer error="invalid_request"'
            return response, 401
        grant, problem = _state().token_grant(token.strip(), issuer=self.spec.issuer_id)
        if grant is None:
            response = jsonify(error="invalid_token", error_description=problem)
            response.headers["WWW-Authenticate"] = f'Bearer error="invalid_token", error_description="{problem}"'
            return response, 401
        client = self.get_client(grant.client_id)
        if client is None:
            return jsonify(error="invalid_token", error_description="client no longer registered"), 401
        now = int(mock().store.clock.now().timestamp())
        claims = {"iss": self.issuer, "aud": client.client_id, "sub": grant.sub, "iat": now,
                  "exp": now + int(self.spec.token_lifetime.total_seconds()),
                  **claims_for_scope(grant.claims, grant.scope)}
        body = self._signed("userinfo", claims, client.userinfo_signed_response_alg, grant)
        return Response(body, content_type="application/jwt")

    # /session/end

    def _end_session(self):
        hint = request.args.get("id_token_hint")
        uri = request.args.get("post_logout_redirect_uri")
        if not hint or not uri:
            raise ProviderError(400, "Y030007")
        try:
            claims = keys.verify(self.spec.issuer_id, hint).claims
        except (JoseError, ValueError):
            raise ProviderError(400, "Y030007")
        if claims.get("iss") != self.issuer:
            raise ProviderError(400, "Y030007")
        client = self.get_client(str(claims.get("aud")))
        if client is None:
            raise ProviderError(500, "Y030106", "invalid_client")
        if uri not in client.post_logout_redirect_uris:
            raise ProviderError(500, "Y030118", "invalid_post_logout_redirect_uri")
        live = self.sso_user()
        if live is not None and not self.hint_matches_session(live, claims):
            # Someone else's id_token (a link planted by another user): this session stays.
            raise ProviderError(400, SESSION_MISMATCH)
        session[f"{self.session_key}:logout"] = {"uri": uri, "state": request.args.get("state"), "client": client.name}
        user = self.end_session()
        if self.spec.on_end_session is not None:
            response = self.spec.on_end_session(user)
            if response is not None:
                return response
        return redirect(self.logout_return_url(), 303)
