"""The mock FranceConnect as seen by an independent OpenID Connect client.

Mon Compte talks to FranceConnect with Authlib; here pyoidc (the `oic`
package, a certified relying-party library) does discovery, builds the
authorization request, redeems the code (client_secret_post: FranceConnect
refuses client_secret_basic), verifies the id_token (signature from the JWKS, iss,
aud, exp/iat, nonce, at_hash) and the signed userinfo. A live mock serves the
pages; `fc_flow.BrowserLike` walks them (chooser → ameli → "J'accède à mon
service") as a person would, and stops at the redirect to the client.

Endpoint-by-endpoint answers are in test_fc_provider.py (Flask test client).
"""

from __future__ import annotations

import html as html_lib
import re
import secrets
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests
from joserfc import jwt
from jwkest import BadSignature
from joserfc.jwk import KeySet
from oic.oauth2.message import ErrorResponse
from oic.oic import Client
from oic.oic.message import (
    AccessTokenResponse,
    AtHashError,
    AuthorizationErrorResponse,
    AuthorizationRequest,
    AuthorizationResponse,
    IdToken,
    OpenIDSchema,
    verify_id_token,
)

from pytest_franceconnect_mock.clients import RegisteredClient
from pytest_franceconnect_mock.control import ControlClient, ControlError
from mock_server import texts
from mock_server.personas import Persona

from .fc_flow import BrowserLike, loopback_session, pyoidc_client

pytestmark = pytest.mark.franceconnect

REDIRECT_URI = "http://rp.localhost:1/callback"  # nothing listens: the code is read from the Location
LOGOUT_URI = "http://rp.localhost:1/deconnecte"
SCOPE = "openid given_name family_name birthdate gender birthplace birthcountry email"
IDENTITY = ("given_name", "family_name", "birthdate", "gender", "birthplace", "birthcountry")
MON_COMPTE_CLIENT_ID = "caf-mon-compte"


# Fixtures -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def fc_persona(worker_control: ControlClient) -> Iterator[Persona]:
    persona = worker_control.create_persona()
    assert "ameli" in persona.credentials and persona.email
    yield persona
    worker_control.delete_persona(persona.id)


class ResponseLog:
    """Every HTTP answer the client's session got, newest last (pyoidc keeps no status codes)."""

    def __init__(self, session: requests.Session) -> None:
        self.responses: list[requests.Response] = []
        session.hooks["response"].append(lambda response, *args, **kwargs: self.responses.append(response))

    @property
    def last(self) -> requests.Response:
        return self.responses[-1]

    def last_from(self, endpoint: str) -> requests.Response:
        """The newest answer of this endpoint (pyoidc may fetch the JWKS after it)."""
        return next(response for response in reversed(self.responses)
                    if urlsplit(response.request.url).path.endswith(endpoint))


@dataclass
class Rp:
    """One registered application and its pyoidc client."""

    client_id: str
    client_secret: str
    client: Client
    http: requests.Session
    log: ResponseLog

    def authorization_url(self, **changes: str | None) -> tuple[str, AuthorizationRequest]:
        args = {
            "response_type": "code",
            "scope": SCOPE,
            "redirect_uri": REDIRECT_URI,
            "state": secrets.token_urlsafe(36),  # 48 characters: FranceConnect wants 32 at least
            "nonce": secrets.token_urlsafe(36),
            "acr_values": "eidas1",
        }
        url, _, _, request = self.client.authorization_request_info(request_args=args)
        self.client.authz_req[args["state"]] = request
        if changes:  # malformed requests, on purpose: edit the URL pyoidc built
            parts = urlsplit(url)
            query = {**dict(parse_qsl(parts.query)), **changes}
            url = urlunsplit(parts._replace(query=urlencode({k: v for k, v in query.items() if v is not None})))
        return url, request

    def code_for(self, persona: Persona, browser: BrowserLike | None = None) -> tuple[AuthorizationResponse, AuthorizationRequest]:
        """A real authorization code: FranceConnect's pages walked through ameli."""
        url, request = self.authorization_url()
        back = (browser or BrowserLike("ameli")).log_in(url, persona, REDIRECT_URI)
        response = self.client.parse_response(AuthorizationResponse, info=back, sformat="urlencoded")
        assert isinstance(response, AuthorizationResponse), response
        assert response["state"] == request["state"]
        return response, request

    def redeem(self, state: str, authn_method: str = "client_secret_post") -> AccessTokenResponse | ErrorResponse:
        return self.client.do_access_token_request(
            state=state, request_args={"code": self.client.grant[state].code, "redirect_uri": REDIRECT_URI},
            authn_method=authn_method)

    def userinfo(self, state: str) -> OpenIDSchema | ErrorResponse:
        return self.client.do_user_info_request(method="GET", state=state)


@pytest.fixture
def register_rp(fc_register_client: Callable[..., RegisteredClient], fc_issuer: str) -> Callable[..., Rp]:
    """Register a fresh application with the mock FranceConnect (the plugin's fixture: removed
    after the test), with its pyoidc client."""

    def register(**options: Any) -> Rp:
        client = fc_register_client(redirect_uris=[REDIRECT_URI], post_logout_redirect_uris=[LOGOUT_URI],
                                    name="Service de test pyoidc", **options)
        assert client.issuer == fc_issuer
        http = loopback_session()
        log = ResponseLog(http)
        return Rp(client.client_id, client.client_secret,
                  pyoidc_client(fc_issuer, client.client_id, client.client_secret, REDIRECT_URI, http), http, log)

    return register


@pytest.fixture
def rp(register_rp: Callable[..., Rp]) -> Rp:
    return register_rp()


def error_page(response: requests.Response) -> str:
    assert response.headers["Content-Type"].startswith("text/html")
    assert "Location" not in response.headers, response.headers["Location"]
    return response.text


# Discovery and keys ---------------------------------------------------------------


def test_discovery_as_pyoidc_reads_it(rp: Rp, fc_issuer: str) -> None:
    info = rp.client.provider_info
    assert info["issuer"] == fc_issuer == rp.client.issuer
    for name, path in [("authorization_endpoint", "authorize"), ("token_endpoint", "token"),
                       ("userinfo_endpoint", "userinfo"), ("end_session_endpoint", "session/end"),
                       ("jwks_uri", "jwks")]:
        assert info[name] == f"{fc_issuer}/{path}"
    assert rp.client.authorization_endpoint == f"{fc_issuer}/authorize"
    assert rp.client.token_endpoint == f"{fc_issuer}/token"
    assert info["response_types_supported"] == ["code"]
    assert info["acr_values_supported"] == ["eidas1"]
    assert info["subject_types_supported"] == ["pairwise"]
    assert set(info["token_endpoint_auth_methods_supported"]) == {"client_secret_post", "private_key_jwt"}
    assert set(info["id_token_signing_alg_values_supported"]) == {"ES256", "RS256"}
    assert set(info["userinfo_signing_alg_values_supported"]) == {"ES256", "RS256"}
    assert set(IDENTITY) | {"sub", "email"} <= set(info["claims_supported"])


def test_jwks_has_an_es256_and_an_rs256_key_with_kid(rp: Rp, fc_issuer: str) -> None:
    keys = rp.client.keyjar.get_issuer_keys(fc_issuer)  # fetched from jwks_uri, through the session
    by_type = {key.kty: key for key in keys}
    assert set(by_type) == {"EC", "RSA"}
    assert all(key.kid and key.use == "sig" for key in keys)
    assert len({key.kid for key in keys}) == 2
    assert by_type["EC"].crv == "P-256"
    published = {key["kty"]: key for key in rp.http.get(rp.client.provider_info["jwks_uri"]).json()["keys"]}
    assert published["EC"]["alg"] == "ES256" and published["RSA"]["alg"] == "RS256"
    assert not {"d", "p", "q"} & (set(published["EC"]) | set(published["RSA"])), "private key material published"


# The code flow ------------------------------------------------------------------------


def test_authorization_request_as_fc_wants_it(rp: Rp, fc_issuer: str) -> None:
    url, request = rp.authorization_url()
    assert url.startswith(f"{fc_issuer}/authorize?")
    params = dict(parse_qsl(urlsplit(url).query))
    assert params["acr_values"] == "eidas1" and params["response_type"] == "code"
    assert params["client_id"] == rp.client_id and params["redirect_uri"] == REDIRECT_URI
    assert len(params["state"]) >= 32 and len(params["nonce"]) >= 32
    assert params["nonce"] == request["nonce"]
    response = rp.http.get(url, allow_redirects=False)
    assert response.status_code == 302
    assert "/api/v2/interaction/" in response.headers["Location"]


def test_code_flow_gives_verified_id_token_and_userinfo(rp: Rp, fc_persona: Persona, fc_issuer: str,
                                                        control: ControlClient) -> None:
    started = int(control.clock().timestamp())
    authz, request = rp.code_for(fc_persona)
    tokens = rp.redeem(authz["state"], "client_secret_post")
    assert isinstance(tokens, AccessTokenResponse), tokens.to_dict()
    sent = rp.log.last_from("/token").request
    assert "Authorization" not in sent.headers and "client_secret=" in sent.body
    assert tokens["token_type"].lower() == "bearer" and tokens["expires_in"] == 60

    # pyoidc verified the id_token while parsing the answer: signature, iss, aud, exp, iat, nonce.
    id_token = tokens["id_token"]
    assert isinstance(id_token, IdToken)
    assert id_token.jws_header["alg"] == "ES256" and id_token.jws_header["kid"]
    assert id_token["iss"] == fc_issuer and id_token["aud"] == [rp.client_id]
    assert id_token["nonce"] == request["nonce"]
    assert id_token["acr"] == "eidas1"
    assert "amr" not in id_token  # the client did not ask for it (claims parameter)
    assert isinstance(id_token["auth_time"], int)
    assert abs(id_token["auth_time"] - id_token["iat"]) < 30
    assert id_token["auth_time"] >= started
    rp.client.verify_id_token(id_token, request)  # nonce, acr_values, exp once more, as an RP does
    # at_hash: pyoidc checks it only when asked (check_hash), so ask.
    rechecked = verify_id_token({"id_token": tokens["id_token_jwt"], "access_token": tokens["access_token"]},
                                check_hash=True, keyjar=rp.client.keyjar, iss=fc_issuer, client_id=rp.client_id)
    assert rechecked["at_hash"] == id_token["at_hash"]
    with pytest.raises(AtHashError):
        verify_id_token({"id_token": tokens["id_token_jwt"], "access_token": tokens["access_token"] + "x"},
                        check_hash=True, keyjar=rp.client.keyjar, iss=fc_issuer, client_id=rp.client_id)
    header, payload, signature = tokens["id_token_jwt"].split(".")
    forged = ".".join([header, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")])
    with pytest.raises(BadSignature):
        verify_id_token({"id_token": forged}, keyjar=rp.client.keyjar, iss=fc_issuer, client_id=rp.client_id)

    # Userinfo: a JWT signed by FranceConnect, verified by pyoidc with the JWKS, same sub as the id_token.
    userinfo = rp.userinfo(authz["state"])
    assert isinstance(userinfo, OpenIDSchema) and not isinstance(userinfo, ErrorResponse), userinfo.to_dict()
    answer = rp.log.last_from("/userinfo")
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("application/jwt")
    assert answer.request.headers["Authorization"] == f"Bearer {tokens['access_token']}"
    assert userinfo["sub"] == id_token["sub"]
    assert userinfo["iss"] == fc_issuer and userinfo["aud"] == rp.client_id
    expected = {name: getattr(fc_persona, name) for name in (*IDENTITY, "email")}
    assert {name: userinfo.get(name) for name in expected} == expected
    # The same JWT checked by a second library (joserfc) against the published JWKS.
    jwks = KeySet.import_key_set(rp.http.get(rp.client.provider_info["jwks_uri"]).json())
    decoded = jwt.decode(answer.text, jwks, algorithms=["ES256"])
    jwt.JWTClaimsRegistry(iss={"essential": True, "value": fc_issuer},
                          aud={"essential": True, "value": rp.client_id},
                          sub={"essential": True, "value": id_token["sub"]}).validate(decoded.claims)


def test_rs256_client_gets_rs256_tokens_pyoidc_verifies(register_rp: Callable[..., Rp], fc_persona: Persona,
                                                        fc_issuer: str) -> None:
    rp = register_rp(id_token_signed_response_alg="RS256", userinfo_signed_response_alg="RS256")
    authz, _ = rp.code_for(fc_persona)
    tokens = rp.redeem(authz["state"])
    assert isinstance(tokens, AccessTokenResponse), tokens.to_dict()
    id_token = tokens["id_token"]
    assert id_token.jws_header["alg"] == "RS256"
    rsa_kids = {key.kid for key in rp.client.keyjar.get_issuer_keys(fc_issuer) if key.kty == "RSA"}
    assert id_token.jws_header["kid"] in rsa_kids
    verify_id_token({"id_token": tokens["id_token_jwt"], "access_token": tokens["access_token"]},
                    check_hash=True, keyjar=rp.client.keyjar, iss=fc_issuer, client_id=rp.client_id)
    userinfo = rp.userinfo(authz["state"])
    assert isinstance(userinfo, OpenIDSchema) and userinfo["family_name"] == fc_persona.family_name
    assert jwt.decode(rp.log.last_from("/userinfo").text, KeySet.import_key_set(
        rp.http.get(rp.client.provider_info["jwks_uri"]).json()), algorithms=["RS256"]).header["alg"] == "RS256"


def sub_of(rp: Rp, persona: Persona, browser: BrowserLike | None = None) -> str:
    authz, _ = rp.code_for(persona, browser)
    tokens = rp.redeem(authz["state"])
    assert isinstance(tokens, AccessTokenResponse), tokens.to_dict()
    return tokens["id_token"]["sub"]


def test_sub_is_pairwise_and_stable(register_rp: Callable[..., Rp], fc_persona: Persona) -> None:
    first, second = register_rp(), register_rp()
    browser = BrowserLike("ameli")
    sub = sub_of(first, fc_persona, browser)
    # Same browser (FranceConnect's session lives: no provider this time), another client.
    steps = len(browser.history)
    assert sub_of(second, fc_persona, browser) != sub
    assert not any("ameli.localhost" in step for _, step in browser.history[steps:]), browser.history[steps:]
    # The same client, from another browser (a new login at ameli): the same sub.
    assert sub_of(first, fc_persona, BrowserLike("ameli")) == sub


def test_user_going_back_from_the_chooser_is_access_denied(rp: Rp) -> None:
    url, request = rp.authorization_url()
    browser = loopback_session()
    interaction = urlsplit(url)._replace(path=browser.get(url, allow_redirects=False).headers["Location"],
                                         query="").geturl()
    chooser = browser.get(interaction)
    back = re.search(r'href="([^"]+/retour)"', chooser.text)
    assert back, chooser.text[:500]
    location = browser.get(urlsplit(interaction)._replace(path=back.group(1)).geturl(),
                           allow_redirects=False).headers["Location"]
    assert location.startswith(REDIRECT_URI)
    answer = rp.client.parse_response(AuthorizationResponse, info=location, sformat="urlencoded")
    assert isinstance(answer, AuthorizationErrorResponse)
    assert answer["error"] == "access_denied" and answer["state"] == request["state"]


# Codes and tokens that must not work --------------------------------------------------


def test_replayed_code_is_invalid_grant(rp: Rp, fc_persona: Persona) -> None:
    authz, _ = rp.code_for(fc_persona)
    assert isinstance(rp.redeem(authz["state"]), AccessTokenResponse)
    replay = rp.redeem(authz["state"])
    assert isinstance(replay, ErrorResponse) and replay["error"] == "invalid_grant"
    assert rp.log.last_from("/token").status_code == 400


def test_expired_code_is_invalid_grant(rp: Rp, fc_persona: Persona, control: ControlClient) -> None:
    authz, _ = rp.code_for(fc_persona)
    control.advance_clock(seconds=31)  # codes live 30 s
    answer = rp.redeem(authz["state"])
    assert isinstance(answer, ErrorResponse) and answer["error"] == "invalid_grant"
    assert rp.log.last_from("/token").status_code == 400


def test_expired_access_token_is_refused_at_userinfo(rp: Rp, fc_persona: Persona, control: ControlClient) -> None:
    authz, _ = rp.code_for(fc_persona)
    assert isinstance(rp.redeem(authz["state"]), AccessTokenResponse)
    control.advance_clock(seconds=61)  # access tokens live 60 s
    answer = rp.userinfo(authz["state"])
    assert isinstance(answer, ErrorResponse) and answer["error"] == "invalid_token"
    refused = rp.log.last_from("/userinfo")
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer ")
    assert 'error="invalid_token"' in refused.headers["WWW-Authenticate"]


def test_wrong_client_secret_is_invalid_client(rp: Rp, fc_persona: Persona) -> None:
    authz, _ = rp.code_for(fc_persona)
    rp.client.client_secret = rp.client_secret + "x"
    refused = rp.redeem(authz["state"], "client_secret_post")
    assert isinstance(refused, ErrorResponse) and refused["error"] == "invalid_client"
    assert rp.log.last_from("/token").status_code == 401
    # The error is in the body, without an authentication challenge (as oidc-provider answers a form post).
    assert "WWW-Authenticate" not in rp.log.last_from("/token").headers
    # Refusing the client did not spend the code: with the right secret it works.
    rp.client.client_secret = rp.client_secret
    assert isinstance(rp.redeem(authz["state"]), AccessTokenResponse)


def test_client_secret_basic_is_refused(register_rp: Callable[..., Rp]) -> None:
    """FranceConnect's methods are client_secret_post and private_key_jwt: Basic credentials,
    even right ones, are invalid_client before the (made-up) code is looked at."""
    rp = register_rp()
    state = secrets.token_urlsafe(36)
    rp.client.parse_response(AuthorizationResponse, info=f"code=not-a-code&state={state}", sformat="urlencoded")
    answer = rp.redeem(state, "client_secret_basic")
    assert answer.get("error") == "invalid_client", answer.to_dict()
    assert rp.log.last_from("/token").status_code == 401


# /authorize errors: FranceConnect's error page, never a redirect -------------------------------


def test_unknown_client_id_is_y030106(rp: Rp) -> None:
    url, _ = rp.authorization_url(client_id="client-inconnu")
    response = rp.http.get(url, allow_redirects=False)
    assert response.status_code == 500
    assert "Y030106" in error_page(response)


def test_unregistered_redirect_uri_is_y030118(rp: Rp) -> None:
    url, _ = rp.authorization_url(redirect_uri="http://rp.localhost:1/ailleurs")
    response = rp.http.get(url, allow_redirects=False)
    assert response.status_code == 500
    assert "Y030118" in error_page(response)
    assert "ailleurs" not in response.text


@pytest.mark.parametrize("missing", ["acr_values", "nonce", "state"])
def test_missing_required_parameter_is_y030007(rp: Rp, missing: str) -> None:
    url, _ = rp.authorization_url(**{missing: None})
    response = rp.http.get(url, allow_redirects=False)
    assert response.status_code == 400
    assert "Y030007" in error_page(response)


# The control API for applications ------------------------------------------------------


def valid_registration() -> dict[str, Any]:
    return {"client_id": f"rp-{uuid.uuid4().hex[:12]}", "client_secret": secrets.token_urlsafe(32),
            "redirect_uris": [REDIRECT_URI]}


@pytest.mark.parametrize(("changes", "field"), [
    ({"client_id": None}, "client_id"),
    ({"redirect_uris": REDIRECT_URI}, "redirect_uris"),
    ({"redirect_uris": ["/callback"]}, "redirect_uris"),
    ({"post_logout_redirect_uris": ["rp.localhost/bye"]}, "post_logout_redirect_uris"),
    ({"grant_types": ["authorization_code"]}, "grant_types"),
    ({"id_token_signed_response_alg": "HS256"}, "id_token_signed_response_alg"),
    ({"userinfo_signed_response_alg": "none"}, "userinfo_signed_response_alg"),
], ids=["missing-client_id", "redirect_uris-not-a-list", "relative-url", "relative-logout-url", "unknown-field",
        "id_token-alg-HS256", "userinfo-alg-none"])
def test_bad_registration_is_422_naming_the_field(mock_control_url: str, changes: dict[str, Any], field: str) -> None:
    body = {key: value for key, value in {**valid_registration(), **changes}.items() if value is not None}
    before = requests.get(f"{mock_control_url}/__mock__/franceconnect/clients", timeout=5).json()
    response = requests.post(f"{mock_control_url}/__mock__/franceconnect/clients", json=body, timeout=5)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field and response.json()["error"]
    assert requests.get(f"{mock_control_url}/__mock__/franceconnect/clients", timeout=5).json() == before


def test_mon_comptes_client_can_be_neither_deleted_nor_replaced(control: ControlClient) -> None:
    with pytest.raises(ControlError) as deleted:
        control.delete_fc_client(MON_COMPTE_CLIENT_ID)
    assert deleted.value.status == 409 and deleted.value.field == "client_id"
    with pytest.raises(ControlError) as replaced:
        control.register_fc_client(**{**valid_registration(), "client_id": MON_COMPTE_CLIENT_ID})
    assert replaced.value.status == 409 and replaced.value.field == "client_id"


def test_deleted_client_is_y030106_at_authorize(rp: Rp, control: ControlClient, mock_control_url: str) -> None:
    url, _ = rp.authorization_url()
    assert rp.http.get(url, allow_redirects=False).status_code == 302
    control.delete_fc_client(rp.client_id)
    listed = requests.get(f"{mock_control_url}/__mock__/franceconnect/clients", timeout=5).json()
    assert rp.client_id not in {client["client_id"] for client in listed}
    response = rp.http.get(url, allow_redirects=False)
    assert response.status_code == 500
    assert "Y030106" in error_page(response)


# Sessions: who FranceConnect thinks the browser is ---------------------------------------


FC_SESSION_COOKIE = "franceconnect_session"


def fc_session_id(http: requests.Session) -> str | None:
    return next((cookie.value for cookie in http.cookies if cookie.name == FC_SESSION_COOKIE), None)


def interaction_page(rp: Rp, http: requests.Session) -> requests.Response:
    """Start an authorization in this browser; FranceConnect's first answer after /authorize."""
    url, _ = rp.authorization_url()
    location = http.get(url, allow_redirects=False).headers["Location"]
    return http.get(urlsplit(url)._replace(path=location, query="").geturl(), allow_redirects=False)


def test_a_session_id_planted_before_sign_in_is_not_the_signed_in_one(rp: Rp, fc_persona: Persona) -> None:
    attacker = loopback_session()
    interaction_page(rp, attacker)
    planted = fc_session_id(attacker)
    assert planted, "FranceConnect gave no session cookie"
    victim = loopback_session()
    for cookie in attacker.cookies:  # the attacker's cookie, set in the victim's browser
        victim.cookies.set(cookie.name, cookie.value, domain=cookie.domain, path=cookie.path)
    rp.code_for(fc_persona, BrowserLike("ameli", session=victim))
    assert fc_session_id(victim) not in (None, planted)
    # The planted id is not signed in: FranceConnect shows its chooser, no single sign-on.
    chooser = interaction_page(rp, attacker)
    assert chooser.status_code == 200 and 'name="provider"' in chooser.text


def test_logout_with_someone_elses_id_token_hint_ends_nothing(rp: Rp, fc_persona: Persona,
                                                             worker_control: ControlClient) -> None:
    victim, attacker = loopback_session(), loopback_session()
    authz, _ = rp.code_for(fc_persona, BrowserLike("ameli", session=victim))
    assert isinstance(rp.redeem(authz["state"]), AccessTokenResponse)
    victims_hint = rp.log.last_from("/token").json()["id_token"]
    other = worker_control.create_persona()
    try:
        authz, _ = rp.code_for(other, BrowserLike("ameli", session=attacker))
        assert isinstance(rp.redeem(authz["state"]), AccessTokenResponse)
        attackers_hint = rp.log.last_from("/token").json()["id_token"]
    finally:
        worker_control.delete_persona(other.id)
    end_session = rp.client.provider_info["end_session_endpoint"]

    def log_out(hint: str) -> requests.Response:
        return victim.get(end_session, allow_redirects=False, params={
            "id_token_hint": hint, "post_logout_redirect_uri": LOGOUT_URI, "state": secrets.token_urlsafe(36)})

    refused = log_out(attackers_hint)
    assert refused.status_code == 400 and "Y150005" in error_page(refused)
    still = interaction_page(rp, victim)  # single sign-on: still signed in at FranceConnect
    assert still.status_code == 302 and still.headers["Location"].endswith("/connecte")
    # Her own hint does log her out (then on to ameli's logout).
    assert log_out(victims_hint).status_code in (200, 302, 303)
    assert interaction_page(rp, victim).status_code == 200


def test_deconnexion_while_franceconnect_is_down_still_logs_out_of_mon_compte(
        fc_persona: Persona, sites: dict[str, str], control: ControlClient) -> None:
    browser = loopback_session()
    moncompte = sites["moncompte"]
    authorize = browser.get(moncompte + "/connexion/franceconnect", allow_redirects=False).headers["Location"]
    back = BrowserLike("ameli", session=browser).log_in(authorize, fc_persona, moncompte + "/connexion/franceconnect/retour")
    assert browser.get(back, allow_redirects=False).headers["Location"] == "/mon-compte/"
    account = browser.get(moncompte + "/mon-compte/")
    token = re.search(r'name="csrf_token" value="([^"]+)"', account.text).group(1)
    control.apply_scenario("franceconnect-down")
    try:
        # Another visitor's FranceConnect button: Mon Compte reads FranceConnect's discovery afresh, and cannot.
        assert loopback_session().get(moncompte + "/connexion/franceconnect").status_code == 503
        logout = browser.post(moncompte + "/deconnexion", data={"csrf_token": token}, allow_redirects=False)
        assert logout.status_code == 302 and logout.headers["Location"] == "/deconnecte"
        page = browser.get(moncompte + "/deconnecte")
        assert html_lib.unescape(page.text).count(texts.FC_LOGIN["logout_unreachable"]) == 1
        assert browser.get(moncompte + "/mon-compte/", allow_redirects=False).status_code == 302
    finally:
        control.clear_faults()
