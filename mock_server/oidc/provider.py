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
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit, urlunsplit

from authlib.oidc.core.util import create_half_hash
from flask import Blueprint, Response, jsonify, redirect, request, session, url_for
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

from ..context import mock
from . import broken_answers, keys
from .claims import ALL_CLAIMS, SCOPE_CLAIMS, claims_for_scope
from .clients import OidcClient
from .state import AuthorizationRequest, CodeProblem, Grant, OidcState

# Words of FranceConnect's own answers (its public end-to-end suite checks them).
TECHNICAL_ERROR = "Une erreur technique est survenue, fermez l’onglet de votre navigateur et reconnectez-vous."
USER_ABORTED = "User auth aborted"
SERVER_ERROR = "authentication aborted due to a technical error on the authorization server"

PAGE_NOT_FOUND = "Page non trouvée"

# FranceConnect's allowedPrompt: a prompt must hold one of them at least (its
# authorize DTO); other values are dropped, as FranceConnect overrides prompt.
PROMPT_VALUES = ("login", "consent")
# FranceConnect's clientAuthMethods, and the algorithms of a client assertion.
AUTH_METHODS = ("client_secret_post", "private_key_jwt")
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_ALGORITHMS = ("ES256", "RS256")
# RFC 7636's code_verifier (and S256 challenge): 43 to 128 unreserved characters.
PKCE_VALUE = re.compile(r"[A-Za-z0-9._~-]{43,128}")
# A service asking for amr without being entitled to it (FranceConnect's CoreClaimAmrException).
CLAIM_NOT_ALLOWED = "Y100009"
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


class ApiError(Exception):
    """An error answered as JSON to a server-to-server call (token, revocation, userinfo),
    shaped as oidc-provider shapes it: a fixed description, and the detail of what failed.
    `code` is FranceConnect's code for it (its runtime exceptions: scope 04 + an id)."""

    def __init__(self, status: int, error: str, description: str, detail: str | None = None, code: str = "") -> None:
        super().__init__(f"{error}: {description} ({detail})")
        self.status, self.error, self.description, self.detail, self.code = status, error, description, detail, code


def _invalid_client(detail: str, code: str) -> ApiError:
    return ApiError(401, "invalid_client", "client authentication failed", detail, code)


def _invalid_request(description: str, code: str) -> ApiError:
    return ApiError(400, "invalid_request", description, None, code)


# oidc-provider's detail for each reason a code cannot be exchanged, and FranceConnect's code.
CODE_PROBLEMS = {
    "unknown": ("authorization code not found", "Y049E20B"),
    "other_client": ("client mismatch", "Y047A2EA"),
    "used": ("authorization code already consumed", "Y0416228"),
    "expired": ("authorization code is expired", "Y043F0A8"),
    "redirect_uri": ("authorization code redirect_uri mismatch", "Y04F8199"),
    "pkce": ("PKCE verification failed", "Y0446550"),
}


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
    # FranceConnect's answers to a server-to-server call that failed carry an
    # error_uri on its documentation with the error's code (its ERROR_URI_BASE).
    error_uri_base: str | None = None
    # amr in the id_token only when the client asks for it (claims parameter), as
    # FranceConnect does; an identity provider always sends it (FranceConnect reads it).
    amr_on_request: bool = False
    # Put first in amr: FranceConnect's identity provider records hold ["fc", "pwd"].
    amr_prefix: tuple[str, ...] = ()
    # The code of the site's error page for an unknown page under `path` (None: plain 404).
    page_not_found_code: str | None = None


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
        """The discovery document: the fields of FranceConnect's (its conformance suite lists
        them), with what the mock really does (no request objects, query responses only)."""
        issuer = self.issuer
        data = {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "userinfo_endpoint": f"{issuer}/userinfo",
            "revocation_endpoint": f"{issuer}/token/revocation",
            "jwks_uri": f"{issuer}/jwks",
            "scopes_supported": list(self.spec.scopes_supported),
            "claims_supported": ["sub", *ALL_CLAIMS, "amr", "acr"],
            "claim_types_supported": ["normal"],
            "claims_parameter_supported": True,
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "acr_values_supported": list(self.spec.acr_values_supported),
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": True,
            "id_token_signing_alg_values_supported": list(keys.ALGORITHMS),
            "userinfo_signing_alg_values_supported": list(keys.ALGORITHMS),
            "token_endpoint_auth_methods_supported": list(AUTH_METHODS),
            "token_endpoint_auth_signing_alg_values_supported": list(ASSERTION_ALGORITHMS),
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

    def reusable_session(self, auth_request: AuthorizationRequest) -> dict[str, Any] | None:
        """The live session this request may sign in with, without logging in again: None
        when the client asks for a login (prompt=login, max_age=0), when the session is
        older than the request's max_age, or when it was opened while the mock clock was
        ahead and the clock has gone back since (its auth_time would be in the future)."""
        user = self.sso_user()
        if user is None or "login" in auth_request.prompt:
            return None
        now = mock().store.clock.now().timestamp()
        if user["auth_time"] > now:
            return None
        if auth_request.max_age is not None and now - user["auth_time"] > auth_request.max_age:
            return None
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
            code_challenge=auth_request.code_challenge,
            id_token_claims=auth_request.id_token_claims,
        )
        code = state.issue_code(grant, self.spec.code_lifetime)
        self._remember_client(auth_request.client_id)
        self._forget_request(auth_request.id)
        return redirect(_with_params(auth_request.redirect_uri, {
            "code": code, "state": auth_request.state, "iss": self.issuer}), 303)

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
        params = {"error": error, "error_description": description, "state": auth_request.state, "iss": self.issuer}
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
        # The issuer's keys, and the ones it rolled to under a jwks_rotated fault.
        bp.add_url_rule("/jwks", "jwks", lambda: jsonify(broken_answers.published_jwks(self.spec.issuer_id)))
        bp.add_url_rule("/authorize", "authorize", self._authorize, methods=["GET", "POST"])
        bp.add_url_rule("/token", "token", self._token, methods=["POST"])
        bp.add_url_rule("/token/revocation", "revocation", self._revocation, methods=["POST"])
        bp.add_url_rule("/userinfo", "userinfo", self._userinfo, methods=["GET", "POST"])
        if self.spec.has_end_session:
            bp.add_url_rule("/session/end", "end_session", self._end_session, methods=["GET"])

        if self.spec.page_not_found_code is not None:
            # Any other page under the path is the site's own error page, with its code.
            bp.add_url_rule("/<path:unknown>", "not_found", self._not_found)

        @bp.errorhandler(ProviderError)
        def provider_error(error: ProviderError):
            return self.spec.render_error(error)

        @bp.errorhandler(ApiError)
        def api_error(error: ApiError):
            return self._api_error(error)

        @bp.after_request
        def no_store(response: Response) -> Response:
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
            return response

        return bp

    def _not_found(self, unknown: str):
        raise ProviderError(404, str(self.spec.page_not_found_code), PAGE_NOT_FOUND)

    def _api_error(self, error: ApiError) -> tuple[Response, int]:
        """An ApiError as oidc-provider answers it; FranceConnect's with its error_uri."""
        if self.spec.error_uri_base is not None:
            # FranceConnect's JSON exception filter: the detail in brackets, "undefined" when none.
            body = {"error": error.error, "error_description": f"{error.description} ({error.detail})"
                    if error.detail is not None else f"{error.description} (undefined)",
                    "error_uri": f"{self.spec.error_uri_base}?code={error.code}&id={uuid.uuid4()}"}
        else:
            body = {"error": error.error, "error_description": error.description
                    + (f" ({error.detail})" if error.detail is not None else "")}
        response = jsonify(body)
        if error.error == "invalid_client" and "Authorization" in request.headers:
            # oidc-provider challenges only a client that sent an Authorization header.
            response.headers["WWW-Authenticate"] = (
                f'Basic realm="{self.issuer}", error="invalid_client", error_description="{error.description}"')
        return response, error.status

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
        # FranceConnect's DTO: a prompt holds one allowed value at least ("none" alone is
        # its error page); the others are dropped, as FranceConnect overrides prompt.
        prompt = tuple(value for value in params.get("prompt", "").split() if value in PROMPT_VALUES)
        if "prompt" in params and not prompt:
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

        # From here on the client is known and its redirect_uri trusted: errors go back to
        # it, with the issuer (RFC 9207, as oidc-provider does).
        def back(error: str, description: str) -> Response:
            return redirect(_with_params(redirect_uri, {
                "error": error, "error_description": description, "state": params["state"], "iss": self.issuer,
            }), 303)

        response_type = params["response_type"]
        if not response_type:
            return back("invalid_request", "missing required parameter 'response_type'")
        if response_type != "code":
            return back("unsupported_response_type", "unsupported response_type requested")
        scope = tuple(params["scope"].split())
        if "openid" not in scope:
            return back("invalid_request", "openid scope must be requested when using the acr_values parameter")

        # oidc-provider's checks, in its order: max_age, claims, PKCE.
        max_age = None
        if "max_age" in params:
            if not re.fullmatch(r"\d{1,9}", params["max_age"]):
                return back("invalid_request", "invalid max_age parameter value")
            max_age = int(params["max_age"])
            if max_age == 0:  # oidc-provider: max_age=0 is prompt=login
                max_age, prompt = None, tuple(dict.fromkeys((*prompt, "login")))
        id_token_claims: tuple[str, ...] = ()
        if "claims" in params:
            requested, problem = _claims_parameter(params["claims"])
            if problem:
                return back("invalid_request", problem)
            asked = {name for part in requested.values() for name in part}
            if "amr" in asked and "amr" not in client.claims:
                # FranceConnect's CoreClaimAmrException: its error page, not the client's.
                raise ProviderError(400, CLAIM_NOT_ALLOWED)
            id_token_claims = tuple(requested.get("id_token", {}))
        challenge, method = params.get("code_challenge"), params.get("code_challenge_method")
        if challenge is not None and method is None:
            return back("invalid_request", "code_challenge_method must be provided")
        if method is not None:
            if method != "S256":
                return back("invalid_request", "not supported value of code_challenge_method")
            if challenge is None:
                return back("invalid_request", "code_challenge must be provided with code_challenge_method")
        if challenge is not None:
            problem = _pkce_format_problem(challenge, "code_challenge")
            if problem:
                return back("invalid_request", problem)

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
            idp_hint=params.get("idp_hint"),
            code_challenge=challenge,
            max_age=max_age,
            id_token_claims=id_token_claims,
        )
        key = f"{self.session_key}:requests"
        # The last few only: an abandoned tab must not make the session grow without end.
        session[key] = [*session.get(key, [])[-9:], auth_request.id]
        return redirect(url_for(spec.login_endpoint, request_id=auth_request.id))

    # Client authentication (/token and /token/revocation)

    def _authenticated_client(self) -> OidcClient:
        """The client this call comes from, as oidc-provider checks it (lib/shared/client_auth.js)
        with FranceConnect's two methods: client_secret_post and private_key_jwt. Raises ApiError."""
        form = request.form
        client_id, method = form.get("client_id"), None
        header = request.headers.get("Authorization")
        if header is not None:
            # Basic credentials are read (to refuse them by name), never accepted.
            basic = request.authorization
            if basic is None or basic.type != "basic" or basic.username is None or basic.password is None:
                raise _invalid_request("invalid authorization header value format", "Y04F62CD")
            basic_id = unquote_plus(basic.username)
            if client_id is not None and client_id != basic_id:
                raise _invalid_request("mismatch in body and authorization client ids", "Y0419ECE")
            if "client_secret" in form:
                raise _invalid_request("client authentication must only be provided using one mechanism", "Y04DADA6")
            client_id, method = basic_id, "client_secret_basic"
        elif client_id is not None:
            method = "client_secret_post" if form.get("client_secret") else "none"
        assertion = form.get("client_assertion")
        assertion_header: dict[str, Any] = {}
        if assertion is not None:
            if "client_secret" in form or header is not None:
                raise _invalid_request("client authentication must only be provided using one mechanism", "Y047E9E5")
            unverified = _unverified(assertion)
            if unverified is None:
                raise _invalid_request("invalid client_assertion format", "Y04E1CFF")
            assertion_header, unverified_claims = unverified
            subject = unverified_claims.get("sub")
            if not subject:
                raise _invalid_client("sub (JWT subject) must be provided in the client_assertion JWT", "Y044B38D")
            if client_id is not None and subject != client_id:
                raise _invalid_request("subject of client_assertion must be the same as client_id provided in the body",
                                       "Y048454B")
            assertion_type = form.get("client_assertion_type")
            if assertion_type is None:
                raise _invalid_request("client_assertion_type must be provided", "Y04AF36C")
            if assertion_type != ASSERTION_TYPE:
                raise _invalid_request(f"client_assertion_type must have value {ASSERTION_TYPE}", "Y04EA12E")
            client_id, method = str(subject), "private_key_jwt"
        if not client_id:
            raise _invalid_request("no client authentication mechanism provided", "Y044FEB3")
        client = self.get_client(client_id)
        if client is None:
            raise _invalid_client("client not found", "Y0479FCE")
        if method != client.token_endpoint_auth_method:
            # Basic, or no secret at all, or the other of FranceConnect's two methods.
            raise _invalid_client("the provided authentication mechanism does not match the registered "
                                  "client authentication method", "Y044D82C")
        if method == "client_secret_post":
            if not client.client_secret or not hmac.compare_digest(
                    client.client_secret.encode(), str(form.get("client_secret")).encode()):
                raise _invalid_client("invalid secret provided", "Y0434A7B")
        else:
            self._check_assertion(client, str(assertion), assertion_header)
        return client

    def _check_assertion(self, client: OidcClient, assertion: str, header: dict[str, Any]) -> None:
        """private_key_jwt (RFC 7523): signed by a key of the client's JWKS, iss = sub = client_id,
        aud this endpoint, the token endpoint or the issuer, exp to come, jti used once.
        `header`: the assertion's, as read before its signature is checked."""
        if header.get("alg") not in ASSERTION_ALGORITHMS:
            raise _invalid_client("alg mismatch", "Y046737D")
        try:
            token = jwt.decode(assertion, KeySet.import_key_set(client.jwks or {"keys": []}),
                               algorithms=list(ASSERTION_ALGORITHMS))
        except (JoseError, ValueError, TypeError) as error:
            raise _invalid_client(f"{type(error).__name__}: {error}", "Y04F7688") from None
        claims = token.claims
        now = mock().store.clock.now()
        if not isinstance(claims.get("exp"), (int, float)):
            raise _invalid_client("expiration must be specified in the client_assertion JWT", "Y0480889")
        if not claims.get("jti"):
            raise _invalid_client("unique jti (JWT ID) must be provided in the client_assertion JWT", "Y04C5ACB")
        if not claims.get("iss"):
            raise _invalid_client("iss (JWT issuer) must be provided in the client_assertion JWT", "Y04AC0DD")
        if claims["iss"] != client.client_id:
            raise _invalid_client("iss (JWT issuer) must be the client_id", "Y0421A2A")
        audience = claims.get("aud")
        if not audience:
            raise _invalid_client("aud (JWT audience) must be provided in the client_assertion JWT", "Y0464868")
        accepted = {self.issuer, f"{self.issuer}/token", request.base_url}
        if isinstance(audience, list):
            if not accepted & {str(aud) for aud in audience}:
                raise _invalid_client("list of audience (aud) must include the endpoint url, issuer identifier or "
                                      "token endpoint url", "Y045642B")
        elif audience not in accepted:
            raise _invalid_client("audience (aud) must equal the endpoint url, issuer identifier or token endpoint url",
                                  "Y04C17F5")
        if claims["exp"] <= now.timestamp():
            raise _invalid_client('"exp" claim timestamp check failed (the client_assertion has expired, on the '
                                  "mock's clock)", "Y04F7688")
        expires_at = datetime.fromtimestamp(claims["exp"], tz=now.tzinfo)
        if not _state().use_assertion(self.spec.issuer_id, client.client_id, str(claims["jti"]), expires_at):
            raise _invalid_client("client assertion tokens must only be used once", "Y0486328")

    # /token

    def _token(self) -> Response | tuple[Response, int]:
        client = self._authenticated_client()
        if not request.form.get("grant_type"):
            raise _invalid_request("missing required parameter 'grant_type'", "Y048017B")
        if request.form.get("grant_type") != "authorization_code":
            raise ApiError(400, "unsupported_grant_type", "unsupported grant_type requested", None, "Y04C2044")
        code = request.form.get("code")
        if not code:
            raise _invalid_request("missing required parameter 'code'", "Y048017B")
        verifier = request.form.get("code_verifier")
        if verifier is not None:
            problem = _pkce_format_problem(verifier, "code_verifier")
            if problem:
                raise _invalid_request(problem, "Y04A079C")
        state = _state()
        try:
            grant = state.redeem_code(code, issuer=self.spec.issuer_id, client_id=client.client_id,
                                      redirect_uri=request.form.get("redirect_uri"), code_verifier=verifier)
        except CodeProblem as problem:
            detail, fc_code = CODE_PROBLEMS[str(problem)]
            raise ApiError(400, "invalid_grant", "grant request is invalid", detail, fc_code) from None
        if self.spec.token_fault is not None:
            fault = self.spec.token_fault(grant)
            if fault is not None:
                return fault
        access_token = state.issue_token(code, grant, self.spec.token_lifetime)
        now = int(mock().store.clock.now().timestamp())
        claims = {
            "iss": self.issuer,
            "sub": grant.sub,
            "aud": client.client_id,
            "exp": now + int(self.spec.id_token_lifetime.total_seconds()),
            "iat": now,
            "auth_time": grant.auth_time,
            "nonce": grant.nonce,
            "acr": grant.acr,
            "amr": [*self.spec.amr_prefix, *grant.amr],
            "at_hash": create_half_hash(access_token, client.id_token_signed_response_alg).decode(),
        }
        if self.spec.amr_on_request and "amr" not in grant.id_token_claims:
            del claims["amr"]
        id_token = self._signed("id_token", claims, client.id_token_signed_response_alg, grant)
        return jsonify(
            access_token=access_token,
            expires_in=int(self.spec.token_lifetime.total_seconds()),
            id_token=id_token,
            scope=" ".join(grant.scope),
            token_type="Bearer",
        )

    # /token/revocation (RFC 7009)

    def _revocation(self) -> Response | tuple[Response, int]:
        client = self._authenticated_client()
        token = request.form.get("token")
        if not token:
            raise _invalid_request("missing required parameter 'token'", "Y048017B")
        outcome = _state().revoke_token(token, issuer=self.spec.issuer_id, client_id=client.client_id)
        if outcome == "other_client":
            raise _invalid_request("this token does not belong to you", "Y0466776")
        # Revoked, or unknown (expired, revoked before, never issued): the same 200 (RFC 7009 §2.2).
        return Response("", 200)

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
        if not auth:
            # oidc-provider's NoAccessTokenProvided: a Bearer challenge without an error.
            response, status = self._api_error(ApiError(401, "invalid_token", "no access token provided",
                                                        "no access token provided", "Y04146A2"))
            response.headers["WWW-Authenticate"] = f'Bearer realm="{self.issuer}"'
            return response, status
        if scheme.lower() != "bearer" or not token.strip():
            error = ApiError(400, "invalid_request", 'authorization header scheme must be "Bearer"'
                             if scheme.lower() != "bearer" else "invalid authorization header value format",
                             None, "Y043D61A" if scheme.lower() != "bearer" else "Y04B729E")
            response, status = self._api_error(error)
            response.headers["WWW-Authenticate"] = f'Bearer realm="{self.issuer}", error="invalid_request"'
            return response, status
        grant, problem = _state().token_grant(token.strip(), issuer=self.spec.issuer_id)
        client = self.get_client(grant.client_id) if grant is not None else None
        if grant is None or client is None:
            # oidc-provider: a revoked token is gone ("not found"), an expired one "is expired".
            detail = "access token is expired" if problem == "access token expired" else "access token not found"
            response, status = self._api_error(ApiError(401, "invalid_token", "invalid token provided", detail,
                                                        "Y040001"))
            response.headers["WWW-Authenticate"] = (
                f'Bearer realm="{self.issuer}", error="invalid_token", error_description="invalid token provided"')
            return response, status
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


def _claims_parameter(value: str) -> tuple[dict[str, dict[str, Any]], str | None]:
    """The `claims` request parameter (OpenID Connect Core §5.5) as oidc-provider checks it:
    ({"id_token": {...}, "userinfo": {...}}, None), or ({}, the invalid_request description)."""
    try:
        claims = json.loads(value)
    except ValueError:
        return {}, "could not parse the claims parameter JSON"
    if not isinstance(claims, dict):
        return {}, "claims parameter should be a JSON object"
    if "userinfo" not in claims and "id_token" not in claims:
        return {}, "claims parameter should have userinfo or id_token properties"
    for part in ("userinfo", "id_token"):
        if part in claims and not isinstance(claims[part], dict):
            return {}, f"claims.{part} should be an object"
    return {part: claims[part] for part in ("userinfo", "id_token") if part in claims}, None


def _pkce_format_problem(value: str, name: str) -> str | None:
    """oidc-provider's checks on a code_challenge or code_verifier (RFC 7636 §4.1)."""
    if len(value) < 43:
        return f"{name} must be a string with a minimum length of 43 characters"
    if len(value) > 128:
        return f"{name} must be a string with a maximum length of 128 characters"
    if not PKCE_VALUE.fullmatch(value):
        return f"{name} contains invalid characters"
    return None


def _unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """A JWS's header and claims before its signature is checked (the server reads the
    client_id in it to know whose keys check it); None when it is not a JWT."""
    try:
        compact = extract_compact(token.encode())
        claims = json.loads(compact.payload)
    except (JoseError, ValueError, TypeError):
        return None
    return (compact.headers(), claims) if isinstance(claims, dict) else None
