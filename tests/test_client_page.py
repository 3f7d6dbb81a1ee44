"""The hands-on client page (/__mock__/client): the form, what it sends to the mock
FranceConnect, and what it shows of the answer, whatever the answer is.

The form and the authorization request are read through Flask's test client; a
whole login (FranceConnect's and ameli's pages walked by `fc_flow.BrowserLike`,
the code exchanged by the page's server side) runs against the worker's live mock.
"""

from __future__ import annotations

import html as html_lib
import re
import time
from collections.abc import Iterator
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
import requests
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet

from pytest_franceconnect_mock.control import ControlClient
from mock_server import texts
from mock_server.config import MockConfig
from mock_server.control.debug_client import FAIL, PASS, Decoded, DebugClient, Issuer, Pending, Result
from mock_server.federation import (
    CLIENT_PAGE_CALLBACK_PATH, CLIENT_PAGE_CLIENT_ID, FRANCECONNECT, client_page_client,
)
from mock_server.personas import Persona
from mock_server.sites import SiteDispatcher

from .conftest import CSRF_FIELD
from .fc_flow import BrowserLike, loopback_session

WORDS = texts.CLIENT_PAGE
PAGE = "/__mock__/client"
FC_ISSUER = "http://franceconnect.localhost/api/v2"


def text_of(markup: str) -> str:
    """What a person reads: no style sheet, tags out, entities decoded, white space (NBSP too) as one space."""
    markup = re.sub(r"<style>.*?</style>", " ", markup, flags=re.S)
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def token_of(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def form_data(token: str, **fields) -> dict:
    data = {"csrf_token": token, "scope": ["openid", "identite_pivot"], "acr_values": "eidas1", "pkce": "on"}
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


@pytest.fixture
def visitor(mock_app: SiteDispatcher) -> FlaskClient:
    return mock_app.root.test_client()


def sign_in(visitor: FlaskClient, **fields):
    token = token_of(visitor.get(PAGE).get_data(as_text=True))
    return visitor.post(PAGE, data=form_data(token, **fields))


# The form ---------------------------------------------------------------------------


def test_the_form_carries_a_csrf_token_and_the_clients_registration(visitor: FlaskClient) -> None:
    response = visitor.get(PAGE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert token_of(html)
    text = text_of(html)
    assert CLIENT_PAGE_CLIENT_ID in text and "http://localhost" + CLIENT_PAGE_CALLBACK_PATH in text
    assert FC_ISSUER in text
    assert WORDS["unregistered_host"].split("(")[0] not in text  # this address is registered
    for scope in ("openid", "identite_pivot", "email"):  # ticked at first
        assert re.search(rf'id="scope-{scope}" name="scope" value="{scope}"\s+checked', html)
    assert not re.search(r'id="scope-profile" name="scope" value="profile"\s+checked', html)
    assert re.search(r'id="f-acr_values" name="acr_values"[^>]*value="eidas1"', html)


def test_a_sign_in_without_its_csrf_token_is_refused_and_sends_nothing(visitor: FlaskClient) -> None:
    response = visitor.post(PAGE, data={"scope": "openid", "acr_values": "eidas1"})
    assert response.status_code == 400
    assert "Location" not in response.headers


def test_the_dashboard_links_to_the_page(visitor: FlaskClient) -> None:
    html = visitor.get("/__mock__/").get_data(as_text=True)
    assert f'<a href="{PAGE}">{html_lib.escape(WORDS["dashboard_link"], quote=False)}</a>' in html.replace("&#39;", "'")


def test_a_page_opened_on_an_unregistered_address_says_where_to_open_it(visitor: FlaskClient) -> None:
    text = text_of(visitor.get(PAGE, base_url="http://127.0.0.1:9999").get_data(as_text=True))
    assert "http://127.0.0.1:9999" + CLIENT_PAGE_CALLBACK_PATH in text
    assert "http://127.0.0.1" + PAGE in text  # where it is registered (no port in this test's mock)


# What "Se connecter" sends ------------------------------------------------------------------


def test_sign_in_sends_the_chosen_parameters_to_franceconnects_authorize(visitor: FlaskClient, mock_app: SiteDispatcher) -> None:
    claims = '{"id_token":{"amr":{"essential":true}}}'
    response = sign_in(visitor, scope=["email", "openid", "birthdate"], claims=claims, prompt="login",
                       idp_hint="ameli", max_age="0", extra_scope="given_name")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert location.startswith(FC_ISSUER + "/authorize?")
    sent = query(location)
    assert sent["scope"] == "openid birthdate email given_name"  # FranceConnect's order, then the typed ones
    assert (sent["response_type"], sent["client_id"]) == ("code", CLIENT_PAGE_CLIENT_ID)
    assert sent["redirect_uri"] == "http://localhost" + CLIENT_PAGE_CALLBACK_PATH
    assert sent["redirect_uri"] in mock_app.store.oidc.get_client(FRANCECONNECT, CLIENT_PAGE_CLIENT_ID).redirect_uris
    assert (sent["acr_values"], sent["claims"], sent["prompt"], sent["idp_hint"], sent["max_age"]) == (
        "eidas1", claims, "login", "ameli", "0")
    assert len(sent["state"]) >= 32 and len(sent["nonce"]) >= 32 and sent["state"] != sent["nonce"]
    assert sent["code_challenge_method"] == "S256" and re.fullmatch(r"[A-Za-z0-9_-]{43}", sent["code_challenge"])
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("mock_client_page=")
    assert all(part in cookie for part in ("HttpOnly", "SameSite=Lax", f"Path={PAGE}"))
    again = query(sign_in(visitor).headers["Location"])
    assert again["state"] != sent["state"] and again["nonce"] != sent["nonce"]


def test_parameters_left_empty_are_not_sent(visitor: FlaskClient) -> None:
    sent = query(sign_in(visitor, pkce=None, confirm="1").headers["Location"])
    assert not {"claims", "prompt", "idp_hint", "max_age", "code_challenge", "code_challenge_method"} & set(sent)


def test_odd_values_are_named_and_sent_only_once_confirmed(visitor: FlaskClient) -> None:
    odd = dict(scope=["email"], claims="{bad", acr_values="eidas2", idp_hint="nope", max_age="soon")
    response = sign_in(visitor, **odd)
    assert response.status_code == 422 and "Location" not in response.headers
    text = text_of(response.get_data(as_text=True))
    said = WORDS["warnings"]
    for expected in (said["no_openid"], said["other_acr"].format(acr="eidas2"), said["max_age_not_number"],
                     said["unknown_idp_hint"].format(idp="nope", ids="impots, ameli, laposte, msa, yris, franceidentite"),
                     said["claims_not_json"].format(line=1, column=2,
                                                    problem="Expecting property name enclosed in double quotes")):
        assert text_of(expected) in text
    assert WORDS["send_anyway"] in text
    assert 'value="{bad"' not in text  # the textarea keeps it as its content
    assert "{bad</textarea>" in response.get_data(as_text=True)

    sent = query(sign_in(visitor, **odd, confirm="1").headers["Location"])
    assert (sent["scope"], sent["claims"], sent["acr_values"], sent["idp_hint"], sent["max_age"]) == (
        "email", "{bad", "eidas2", "nope", "soon")


def test_values_that_cannot_be_sent_are_refused_with_the_field_named(visitor: FlaskClient) -> None:
    response = sign_in(visitor, acr_values="eidas1\nX", claims="x" * 4001, confirm="1")
    assert response.status_code == 422 and "Location" not in response.headers
    html = response.get_data(as_text=True)
    text = text_of(html)
    assert text_of(WORDS["errors"]["control_characters"].format(field="acr_values")) in text
    assert text_of(WORDS["errors"]["too_long"].format(field="claims", max=4000)) in text
    assert re.search(r'id="f-acr_values" name="acr_values" aria-invalid="true"', html)


# Coming back from FranceConnect ------------------------------------------------------------


def test_an_error_sent_back_is_shown_with_every_parameter(visitor: FlaskClient) -> None:
    state = query(sign_in(visitor).headers["Location"])["state"]
    response = visitor.get(f"{PAGE}/callback", query_string={
        "error": "login_required", "error_description": "End-User authentication is required",
        "state": state, "iss": FC_ISSUER})
    assert response.status_code == 303
    assert "mock_control_session" not in response.headers.get("Set-Cookie", "")  # the dashboard's session untouched
    result = visitor.get(response.headers["Location"])
    assert result.status_code == 200 and result.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in result.headers
    text = text_of(result.get_data(as_text=True))
    reason = WORDS["reasons"]["error"].format(error="login_required")
    assert text_of(WORDS["failed"].format(reason=reason)) in text
    assert "error_description End-User authentication is required" in text
    assert text_of(f'{WORDS["checks"]["iss_param"]} {WORDS["verdicts"]["pass"]} {FC_ISSUER}') in text
    assert text_of(WORDS["no_calls"]) in text


def test_an_answer_this_browser_did_not_ask_for_exchanges_nothing(visitor: FlaskClient, mock_app: SiteDispatcher) -> None:
    state = query(sign_in(visitor).headers["Location"])["state"]
    stranger = mock_app.root.test_client()
    response = stranger.get(f"{PAGE}/callback", query_string={"code": "a-code", "state": state})
    assert response.status_code == 400
    text = text_of(response.get_data(as_text=True))
    assert text_of(WORDS["unknown_return"]) in text and "code a-code" in text
    # The login is still the first browser's; once answered, its state is spent.
    assert visitor.get(f"{PAGE}/callback", query_string={"error": "access_denied", "state": state}).status_code == 303
    assert visitor.get(f"{PAGE}/callback", query_string={"error": "access_denied", "state": state}).status_code == 400


def test_a_result_is_shown_to_its_own_browser_only(visitor: FlaskClient, mock_app: SiteDispatcher) -> None:
    state = query(sign_in(visitor).headers["Location"])["state"]
    result_url = visitor.get(f"{PAGE}/callback", query_string={"error": "access_denied", "state": state}).headers["Location"]
    assert mock_app.root.test_client().get(result_url).status_code == 404
    assert visitor.get(f"{PAGE}/result/unknown").status_code == 404


def test_the_pages_client_is_registered_for_the_control_planes_names_and_kept_on_reset(api: FlaskClient) -> None:
    client = client_page_client(MockConfig(public_port=8765, allowed_hosts=("0.0.0.0", "mock.example.test")))
    for base in ("http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:8765",
                 "http://franceconnect.localhost:8765", "http://mock.example.test:8765"):
        assert base + CLIENT_PAGE_CALLBACK_PATH in client.redirect_uris
    assert not any("0.0.0.0" in uri for uri in client.redirect_uris)
    api.post("/__mock__/reset")
    listed = {client["client_id"] for client in api.get("/__mock__/franceconnect/clients").get_json()}
    assert CLIENT_PAGE_CLIENT_ID in listed


# The checks, on answers made here ---------------------------------------------------------


def test_each_id_token_check_fails_on_its_own_wrong_claim() -> None:
    key = ECKey.generate_key("P-256", parameters={"kid": "k1"})
    other = ECKey.generate_key("P-256", parameters={"kid": "k1"})
    now = int(time.time())
    pending = Pending(browser="b", state="s", nonce="n" * 32, code_verifier=None, redirect_uri="http://x/cb",
                      post_logout_redirect_uri="http://x/out", authorization_url="", params=(),
                      acr_values=("eidas1",), max_age=60, essential_claims=("amr",))
    good = {"iss": FC_ISSUER, "aud": "me", "sub": "s1", "exp": now + 60, "iat": now, "nonce": "n" * 32,
            "acr": "eidas1", "auth_time": now - 10, "amr": ["pwd"]}
    client = DebugClient(Issuer(FC_ISSUER, "me", "secret", now=lambda: now), requests.Session())

    def verdicts(claims: dict, signer=key) -> dict[str, str]:
        raw = jwt.encode({"alg": "ES256", "kid": "k1"}, claims, signer)
        result = Result(id="r", pending=pending, response_params=[])
        result.id_token = Decoded.read(raw)
        client._keys, client._keys_read_again = KeySet([key]), True  # FranceConnect's, as read
        client._check_id_token(result, {"access_token": "at"})
        return {check.name: check.verdict for check in result.checks}

    clean = verdicts(good)
    assert clean.pop("at_hash") == FAIL  # no at_hash in `good`
    assert set(clean.values()) == {PASS}, clean
    for change, check in (({"iss": "http://other/api/v2"}, "iss"), ({"aud": "someone-else"}, "aud"),
                          ({"exp": now - 1}, "exp"), ({"nonce": "m" * 32}, "nonce"), ({"acr": "eidas2"}, "acr"),
                          ({"auth_time": now - 61}, "auth_time"), ({"amr": None}, "essential")):
        claims = {name: value for name, value in {**good, **change}.items() if value is not None}
        assert verdicts(claims)[check] == FAIL, check
    assert verdicts(good, signer=other)["signature"] == FAIL


def test_a_token_with_alg_none_is_read_but_not_trusted() -> None:
    decoded = Decoded.read("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
    assert decoded.header == {"alg": "none"} and decoded.claims == {"sub": "x"}
    check = DebugClient._verify("signature", decoded, KeySet([]))
    assert check.verdict == FAIL and "none" in check.detail
    assert Decoded.read("not a jwt").problem


# A whole login, on the live mock ---------------------------------------------------------


@pytest.fixture
def live_persona(worker_control: ControlClient) -> Iterator[Persona]:
    persona = worker_control.create_persona()
    yield persona
    worker_control.delete_persona(persona.id)


def live_sign_in(base: str, http: requests.Session, **fields) -> str:
    token = token_of(http.get(base + PAGE).text)
    response = http.post(base + PAGE, data=form_data(token, **fields), allow_redirects=False)
    assert response.status_code == 303, response.text[:500]
    return response.headers["Location"]


def test_a_whole_login_shows_the_verified_id_token_userinfo_and_each_call(
        worker_control: ControlClient, live_persona: Persona) -> None:
    base, http = worker_control.base_url, loopback_session()
    authorize = live_sign_in(base, http, scope=["openid", "identite_pivot", "email"])
    back = BrowserLike("ameli", session=http).log_in(authorize, live_persona, base + CLIENT_PAGE_CALLBACK_PATH)
    callback = http.get(back, allow_redirects=False)
    assert callback.status_code == 303
    result = http.get(urljoin(back, callback.headers["Location"]), allow_redirects=False)
    assert result.status_code == 200
    html = result.text
    text = text_of(html)
    assert text_of(WORDS["signed_in"]) in text, text[:3000]
    for check in ("signature", "iss", "aud", "exp", "nonce", "at_hash", "acr", "userinfo_signature", "userinfo_sub"):
        assert text_of(f'{WORDS["checks"][check]} {WORDS["verdicts"]["pass"]}') in text, check
    assert f'"given_name": "{live_persona.given_name}"' in html_lib.unescape(html)
    assert f'"family_name": "{live_persona.family_name}"' in html_lib.unescape(html)
    assert '"alg": "ES256"' in html_lib.unescape(html)
    for call in ("GET " + FC_ISSUER.replace("localhost", "localhost:" + str(urlsplit(base).port))
                 + "/.well-known/openid-configuration", "POST ", "/token", "/jwks", "/userinfo"):
        assert call in text, call
    secret = worker_control.get_fc_client(CLIENT_PAGE_CLIENT_ID)
    assert "client_secret" not in secret  # read without its secret; the page masks it as well
    assert re.search(r"client_secret [^ ]{4}•{8}", text)
    # RP-initiated logout: a GET form to FranceConnect's end_session_endpoint.
    form = re.search(r'<form method="get" action="([^"]+)">(.*?)</form>', html, re.S)
    assert form and form.group(1).endswith("/api/v2/session/end")
    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
    assert set(fields) == {"id_token_hint", "state", "post_logout_redirect_uri"}
    assert fields["post_logout_redirect_uri"] == base + PAGE + "/logged-out"
    logged_out = http.get(f"{base}{PAGE}/logged-out", params={"state": fields["state"]})
    assert text_of(f'{WORDS["logged_out_state"]} {WORDS["verdicts"]["pass"]}') in text_of(logged_out.text)


def test_a_token_endpoint_error_is_shown_with_its_answer(
        worker_control: ControlClient, control: ControlClient, live_persona: Persona) -> None:
    base, http = worker_control.base_url, loopback_session()
    authorize = live_sign_in(base, http)
    back = BrowserLike("ameli", session=http).log_in(authorize, live_persona, base + CLIENT_PAGE_CALLBACK_PATH)
    control.advance_clock(minutes=5)  # the code (30 s) is gone by the time it is exchanged
    result = http.get(back)
    text = text_of(result.text)
    assert text_of(WORDS["failed"].format(reason=WORDS["reasons"]["token"])) in text
    assert re.search(r"POST \S+/api/v2/token → 400", text), text[:3000]
    assert "invalid_grant" in text


# What a broken answer (a fault of kind id_token_…/userinfo_…) looks like on the page: each check
# that catches it fails, the page still renders; after a key roll-over, the keys are read again.
BROKEN = {
    "id_token_unknown_key": "signature", "id_token_alg_none": "signature", "id_token_wrong_iss": "iss",
    "id_token_wrong_aud": "aud", "id_token_wrong_nonce": "nonce", "id_token_no_nonce": "nonce",
    "id_token_expired": "exp", "id_token_wrong_acr": "acr", "id_token_no_at_hash": "at_hash",
    "userinfo_other_key": "userinfo_signature", "userinfo_other_sub": "userinfo_sub",
}


def test_each_broken_answer_fails_its_check_and_a_key_roll_over_passes(
        worker_control: ControlClient, faults: ControlClient, live_persona: Persona) -> None:
    base, http = worker_control.base_url, loopback_session()  # one browser: FranceConnect's session is reused
    seen = {}
    for kind, check in [*BROKEN.items(), ("jwks_rotated", None)]:
        faults.add_fault(kind=kind, client=CLIENT_PAGE_CLIENT_ID)
        back = BrowserLike("ameli", session=http).log_in(live_sign_in(base, http), live_persona,
                                                        base + CLIENT_PAGE_CALLBACK_PATH)
        result = http.get(back)
        assert result.status_code == 200, kind
        text = text_of(result.text)
        if check is None:
            seen[kind] = text_of(WORDS["signed_in"]) in text and text.count("/api/v2/jwks →") == 2
        else:
            failed = text_of(f'{WORDS["checks"][check]} {WORDS["verdicts"]["fail"]}') in text
            seen[kind] = failed and text_of(WORDS["signed_in_with_failures"].format(n=1)) in text
    assert all(seen.values()), seen
