"""/__mock__/client: a hands-on OpenID Connect client of the mock FranceConnect.

As FranceConnect's own mock service provider or navikt's debugger: a developer
picks scope, claims, acr_values, prompt, idp_hint and max_age, signs in, and
reads what came back (debug_client.py does the protocol and the checks).

- GET  /__mock__/client                 the form (CSRF token, as the dashboard's)
- POST /__mock__/client                 checks the form; odd values are sent only once
                                        confirmed ("Envoyer quand même"); 303 to /authorize
- GET  /__mock__/client/callback        FranceConnect's redirect back: code exchanged,
                                        userinfo read, 303 to the result
- GET  /__mock__/client/result/<id>     the result: checks, decoded tokens, HTTP calls
- GET  /__mock__/client/logged-out      back from FranceConnect's end_session_endpoint

Cookies. The control plane's session (CSRF token) is SameSite=Strict: a browser
coming back from franceconnect.localhost does not send it. So the pages reached
that way (callback, result, logged-out) use no session and carry no POST form
(the log-out button is a GET form to FranceConnect itself); what ties a login to
its browser is this page's own cookie, an unguessable id, HttpOnly and
SameSite=Lax (sent on a top-level GET from another site, as FranceConnect's
redirect is), limited to /__mock__/client.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any

import requests
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import Response, current_app, make_response, redirect, render_template, request, url_for

from .. import texts
from ..bounded import BoundedMap
from ..config import PROVIDER_IDS
from ..context import mock
from ..federation import (
    CLIENT_PAGE_CALLBACK_PATH, CLIENT_PAGE_CLIENT_ID, CLIENT_PAGE_LOGGED_OUT_PATH, CLIENT_PAGE_PATH, FC_PATH,
    FRANCECONNECT,
)
from ..oidc.claims import SCOPE_CLAIMS
from ..oidc.relying_party import TOKEN_LENGTH, mount_loopback
from . import bp
from .debug_client import FAIL, PASS, DebugClient, Issuer, Pending, Result, authorization_url, essential_claims

WORDS = texts.CLIENT_PAGE
COOKIE = "mock_client_page"
_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{32,64}")
# Per browser and per mock: logins waiting for FranceConnect's answer, results kept to be read again.
MAX_PENDING = 200
MAX_RESULTS = 50
# What the form starts with: FranceConnect's identity and the e-mail, eidas1, PKCE.
DEFAULT_SCOPES = ("openid", "identite_pivot", "email")
DEFAULT_ACR = "eidas1"
ACR_SUPPORTED = ("eidas1",)
PROMPTS = ("", "login", "consent", "login consent", "none")
CLAIMS_MEMBERS = ("id_token", "userinfo")
MAX_LENGTHS = {"claims": 4000, "extra_scope": 500, "acr_values": 200, "idp_hint": 200, "max_age": 20}
SINGLE_LINE = ("extra_scope", "acr_values", "idp_hint", "max_age")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WHOLE = re.compile(r"[0-9]{1,9}")


# State ----------------------------------------------------------------------------


class ClientPageBoard:
    """The page's logins in flight and results, each tied to the browser that started it."""

    def __init__(self, clock: Any) -> None:
        self._lock = threading.Lock()
        self._pending: BoundedMap[str, Pending] = BoundedMap(clock, MAX_PENDING, lambda _: None)
        self._results: BoundedMap[str, Result] = BoundedMap(clock, MAX_RESULTS, lambda _: None)
        self._logouts: BoundedMap[str, str] = BoundedMap(clock, MAX_RESULTS, lambda _: None)

    def add_pending(self, pending: Pending) -> None:
        with self._lock:
            self._pending.put(pending.state, pending)

    def take_pending(self, state: str, browser: str) -> Pending | None:
        """The login this state belongs to, once: a replayed or foreign answer finds nothing."""
        with self._lock:
            pending = self._pending.get(state)
            if pending is None or not _same(pending.browser, browser):
                return None
            del self._pending[state]
            return pending

    def add_result(self, result: Result) -> None:
        with self._lock:
            self._results.put(result.id, result)
            if result.logout_state:
                self._logouts.put(result.logout_state, result.id)

    def result(self, result_id: str, browser: str) -> Result | None:
        with self._lock:
            result = self._results.get(result_id)
        return result if result is not None and _same(result.pending.browser, browser) else None

    def take_logout(self, state: str, browser: str) -> Result | None:
        with self._lock:
            result_id = self._logouts.get(state)
            result = self._results.get(result_id) if result_id else None
            if result is None or not _same(result.pending.browser, browser):
                return None
            del self._logouts[state]
            return result


_boards_lock = threading.Lock()


def board() -> ClientPageBoard:
    with _boards_lock:
        found = current_app.extensions.get("client_page")
        if found is None:
            found = current_app.extensions["client_page"] = ClientPageBoard(mock().store.clock)
        return found


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


def _browser() -> str | None:
    value = request.cookies.get(COOKIE, "")
    return value if _COOKIE_VALUE.fullmatch(value) else None


# The form -------------------------------------------------------------------------


@dataclass
class SignInForm:
    scopes: list[str] = field(default_factory=lambda: list(DEFAULT_SCOPES))
    extra_scope: str = ""
    claims: str = ""
    acr_values: str = DEFAULT_ACR
    prompt: str = ""
    idp_hint: str = ""
    max_age: str = ""
    pkce: bool = True

    @classmethod
    def read(cls) -> "SignInForm":
        form = request.form
        return cls(
            scopes=form.getlist("scope"),
            **{name: form.get(name, "").strip() for name in ("extra_scope", "claims", "acr_values", "idp_hint", "max_age")},
            prompt=form.get("prompt", ""),
            pkce=form.get("pkce") == "on",
        )

    def scope(self) -> list[str]:
        """Ticked scopes in FranceConnect's order, then the others typed, each once."""
        ticked = [name for name in SCOPE_CLAIMS if name in self.scopes]
        odd = [name for name in self.scopes if name not in SCOPE_CLAIMS]
        return list(dict.fromkeys([*ticked, *odd, *self.extra_scope.split()]))

    def errors(self) -> list[tuple[str, str]]:
        """(field, message) for what cannot be sent at all."""
        found = []
        for name, limit in MAX_LENGTHS.items():
            value = getattr(self, name)
            if len(value) > limit:
                found.append((name, WORDS["errors"]["too_long"].format(field=name, max=limit)))
            elif name in SINGLE_LINE and _CONTROL.search(value):
                found.append((name, WORDS["errors"]["control_characters"].format(field=name)))
        if self.prompt not in PROMPTS:
            found.append(("prompt", WORDS["errors"]["prompt"]))
        return found

    def warnings(self) -> list[str]:
        """What FranceConnect would refuse or not expect: sent only once confirmed."""
        said = WORDS["warnings"]
        found = []
        scope = self.scope()
        if "openid" not in scope:
            found.append(said["no_openid"])
        found += [said["unknown_scope"].format(scope=name) for name in scope if name not in SCOPE_CLAIMS]
        if self.claims:
            found += _claims_warnings(self.claims)
        if not self.acr_values:
            found.append(said["no_acr"])
        found += [said["other_acr"].format(acr=acr) for acr in self.acr_values.split() if acr not in ACR_SUPPORTED]
        if self.idp_hint and self.idp_hint not in PROVIDER_IDS:
            found.append(said["unknown_idp_hint"].format(idp=self.idp_hint, ids=", ".join(PROVIDER_IDS)))
        if self.max_age and not _WHOLE.fullmatch(self.max_age):
            found.append(said["max_age_not_number"])
        if not self.pkce:
            found.append(said["no_pkce"])
        return found


def _claims_warnings(claims: str) -> list[str]:
    said = WORDS["warnings"]
    try:
        parsed = json.loads(claims)
    except ValueError as problem:
        if isinstance(problem, json.JSONDecodeError):
            return [said["claims_not_json"].format(line=problem.lineno, column=problem.colno, problem=problem.msg)]
        return [said["claims_not_json"].format(line=1, column=1, problem=str(problem))]
    if not isinstance(parsed, dict):
        return [said["claims_not_object"]]
    return [said["claims_unknown_member"].format(name=name) for name in parsed if name not in CLAIMS_MEMBERS]


def _parsed_claims(claims: str) -> Any:
    try:
        return json.loads(claims)
    except ValueError:
        return None


# Where things are -----------------------------------------------------------------


def _issuer() -> str:
    return mock().config.site_url(FRANCECONNECT) + FC_PATH


def _page_base() -> str:
    """This page's own origin, as the browser asked for it."""
    return request.host_url.rstrip("/")


def _registered() -> Any:
    return mock().store.oidc.get_client(FRANCECONNECT, CLIENT_PAGE_CLIENT_ID)


def _client_view() -> dict[str, Any]:
    client = _registered()
    redirect_uri = _page_base() + CLIENT_PAGE_CALLBACK_PATH
    registered = client is not None and redirect_uri in client.redirect_uris
    page_url = None
    if client is not None and not registered and client.redirect_uris:
        page_url = client.redirect_uris[0][: -len(CLIENT_PAGE_CALLBACK_PATH)] + CLIENT_PAGE_PATH
    return {"client_id": CLIENT_PAGE_CLIENT_ID, "redirect_uri": redirect_uri, "issuer": _issuer(),
            "registered": registered, "page_url": page_url}


# Pages ----------------------------------------------------------------------------


def _form_page(form: SignInForm, *, errors: list[tuple[str, str]] = (), warnings: list[str] = (),
               status: int = 200) -> tuple[str, int]:
    return render_template(
        "client_page.html", words=WORDS, form=form, client=_client_view(),
        scopes=[(name, claims) for name, claims in SCOPE_CLAIMS.items()],
        prompts=PROMPTS, provider_ids=PROVIDER_IDS, acr_supported=ACR_SUPPORTED,
        errors=list(errors), error_fields={name for name, _ in errors}, warnings=list(warnings),
    ), status


@bp.get("/client")
def client_page():
    return _form_page(SignInForm())


@bp.post("/client")
def client_page_sign_in():
    form = SignInForm.read()
    errors = form.errors()
    if errors:
        return _form_page(form, errors=errors, status=422)
    warnings = form.warnings()
    if warnings and request.form.get("confirm") != "1":
        return _form_page(form, warnings=warnings, status=422)
    browser = _browser() or secrets.token_urlsafe(32)
    pending = _pending(form, browser)
    board().add_pending(pending)
    response = redirect(pending.authorization_url, 303)
    _set_cookie(response, browser)
    return response


def _pending(form: SignInForm, browser: str) -> Pending:
    base = _page_base()
    state, nonce = generate_token(TOKEN_LENGTH), generate_token(TOKEN_LENGTH)
    redirect_uri = base + CLIENT_PAGE_CALLBACK_PATH
    params = [("response_type", "code"), ("client_id", CLIENT_PAGE_CLIENT_ID), ("redirect_uri", redirect_uri),
              ("scope", " ".join(form.scope())), ("state", state), ("nonce", nonce)]
    for name in ("acr_values", "claims", "prompt", "idp_hint", "max_age"):
        if getattr(form, name):
            params.append((name, getattr(form, name)))
    verifier = None
    if form.pkce:
        verifier = generate_token(TOKEN_LENGTH)
        params += [("code_challenge", create_s256_code_challenge(verifier)), ("code_challenge_method", "S256")]
    return Pending(
        browser=browser, state=state, nonce=nonce, code_verifier=verifier, redirect_uri=redirect_uri,
        post_logout_redirect_uri=base + CLIENT_PAGE_LOGGED_OUT_PATH,
        authorization_url=authorization_url(_issuer() + "/authorize", params), params=tuple(params),
        acr_values=tuple(form.acr_values.split()),
        max_age=int(form.max_age) if _WHOLE.fullmatch(form.max_age) else None,
        essential_claims=essential_claims(_parsed_claims(form.claims)),
    )


def _set_cookie(response: Response, browser: str) -> None:
    response.set_cookie(COOKIE, browser, path=CLIENT_PAGE_PATH, httponly=True, samesite="Lax",
                        secure=mock().config.secure_cookies)


@bp.get("/client/callback")
def client_page_callback():
    browser, state = _browser(), request.args.get("state", "")
    pending = board().take_pending(state, browser) if browser and state else None
    received = list(request.args.items(multi=True))
    if pending is None:
        return _return_page("unknown", received, status=400)
    config = mock().config
    issuer = Issuer(_issuer(), CLIENT_PAGE_CLIENT_ID, _registered().client_secret,
                    now=lambda: int(mock().store.clock.now().timestamp()))
    result = Result(id=secrets.token_urlsafe(16), pending=pending, response_params=received)
    with mount_loopback(requests.Session(), config.upstream_timeout_seconds,
                        lambda: (config.is_own_host, config.self_address)) as http:
        DebugClient(issuer, http).finish(result, request.args.to_dict())
    if result.id_token is not None and result.end_session_endpoint:
        result.logout_state = generate_token(TOKEN_LENGTH)
    board().add_result(result)
    return redirect(url_for("control.client_page_result", result_id=result.id), 303)


@bp.get("/client/result/<result_id>")
def client_page_result(result_id: str):
    browser = _browser()
    result = board().result(result_id, browser) if browser else None
    if result is None:
        return _return_page("gone", [], status=404)
    return render_template("client_result.html", words=WORDS, result=result, verdicts=WORDS["verdicts"],
                           now=mock().store.clock.now(), PASS=PASS, FAIL=FAIL)


@bp.get("/client/logged-out")
def client_page_logged_out():
    browser, state = _browser(), request.args.get("state", "")
    result = board().take_logout(state, browser) if browser and state else None
    return _return_page("logged_out", list(request.args.items(multi=True)), state_ok=result is not None)


def _return_page(kind: str, received: list[tuple[str, str]], *, state_ok: bool = False,
                 status: int = 200) -> Response:
    """A page reached from FranceConnect: no session touched, no POST form."""
    return make_response(render_template("client_return.html", words=WORDS, kind=kind, received=received,
                                         state_ok=state_ok, verdicts=WORDS["verdicts"]), status)
