"""Broken answers on demand: FranceConnect's id_token or userinfo wrong in one way,
set on the fault board for a client or a persona, and Mon Compte refusing each.

The tokens are read with joserfc as a client would (the JWKS from /jwks); the
answers come from FranceConnect's token and userinfo endpoints through Flask's
test client, for a code issued directly in the store. Mon Compte's refusals go
through a live mock (its calls to FranceConnect are real HTTP), one login each,
FranceConnect's session kept between them so only the first visits ameli.
"""

from __future__ import annotations

import html
import secrets
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError, SecurityWarning
from joserfc.jwk import KeySet
from werkzeug.test import Client

from pytest_franceconnect_mock.control import ControlClient
from mock_server import texts
from mock_server.federation import FC_PATH, FRANCECONNECT, MONCOMPTE_CALLBACK_PATH
from mock_server.oidc import keys
from mock_server.oidc.broken_answers import BROKEN_ANSWERS, OTHER_AUDIENCE, OTHER_KEYS
from mock_server.oidc.claims import persona_claims
from mock_server.oidc.clients import OidcClient
from mock_server.oidc.relying_party import LoginFailed
from mock_server.oidc.state import Grant
from mock_server.personas import Persona
from mock_server.simulation.faults import ANSWER_KINDS, KINDS, FaultError, parse_fault

from .fc_flow import BrowserLike, loopback_session

CLIENT_ID = "service-sous-test"
REDIRECT_URI = "https://service.example/callback"
SCOPE = ("openid", "given_name", "family_name", "birthdate", "gender", "birthplace", "birthcountry", "email")


# The fault board: what it takes, what it refuses ---------------------------------------------


def test_every_broken_answer_is_a_fault_kind_applied_to_one_login_by_default() -> None:
    assert set(ANSWER_KINDS) == set(BROKEN_ANSWERS) and set(ANSWER_KINDS) <= set(KINDS)
    for kind in ANSWER_KINDS:
        assert parse_fault({"kind": kind}) == {"kind": kind, "times": 1}
    assert parse_fault({"kind": "id_token_expired", "client": CLIENT_ID, "persona": "p1", "times": 3}) == {
        "kind": "id_token_expired", "client": CLIENT_ID, "persona": "p1", "times": 3}


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "status", "status": 503, "client": CLIENT_ID}, "client"),  # client is for broken answers only
    ({"kind": "id_token_wrong_aud", "client": ""}, "client"),
    ({"kind": "id_token_wrong_aud", "client": 12}, "client"),
    ({"kind": "id_token_wrong_aud", "client": "x" * 201}, "client"),
    ({"kind": "id_token_wrong_aud", "site": "franceconnect"}, "site"),
    ({"kind": "id_token_wrong_aud", "route": "/api/v2/token"}, "route"),
    ({"kind": "userinfo_other_sub", "seconds": 5}, "seconds"),
    ({"kind": "jwks_rotated", "status": 500}, "status"),
    ({"kind": "id_token_no_nonce", "times": 0}, "times"),
    ({"kind": "id_token_no_nonce", "persona": ""}, "persona"),
    ({"kind": "id_token_no_nonce", "answer": "id_token"}, "answer"),
    ({"kind": "id_token_unsigned"}, "kind"),
])
def test_a_bad_broken_answer_fault_is_refused_naming_the_field(body: dict[str, Any], field: str) -> None:
    with pytest.raises(FaultError) as refused:
        parse_fault(body)
    assert refused.value.field == field


def test_the_control_api_refuses_a_bad_one_with_a_json_error_and_keeps_the_others(api, assert_named) -> None:
    assert api.post("/__mock__/faults", json={"kind": "id_token_expired", "client": CLIENT_ID}).status_code == 201
    assert_named(api.post("/__mock__/faults", json={"kind": "id_token_expired", "site": "moncompte"}), "site")
    faults = api.get("/__mock__/faults").get_json()
    assert faults == [{"id": 1, "kind": "id_token_expired", "client": CLIENT_ID, "times": 1, "hits": 0}]


# What FranceConnect answers under each fault ---------------------------------------------------


class Service:
    """A client registered with the mock FranceConnect, redeeming codes issued for it."""

    def __init__(self, mock_app, persona: Persona, alg: str = "ES256") -> None:
        self.store = mock_app.store
        # Through the dispatcher, as requests reach it (the journal records them there).
        self.fc = Client(mock_app, use_cookies=False)
        self.base = mock_app.config.site_url(FRANCECONNECT)
        self.secret = secrets.token_urlsafe(32)
        self.persona = persona
        self.store.oidc.register_client(FRANCECONNECT, OidcClient(
            client_id=CLIENT_ID, client_secret=self.secret, name="Service sous test", redirect_uris=(REDIRECT_URI,),
            id_token_signed_response_alg=alg, userinfo_signed_response_alg=alg))
        self.issuer = mock_app.config.site_url(FRANCECONNECT) + FC_PATH

    def jwks(self) -> KeySet:
        return KeySet.import_key_set(self.fc.get(f"{FC_PATH}/jwks", base_url=self.base).get_json())

    def log_in(self, persona: Persona | None = None) -> dict[str, Any]:
        """The token answer for a login of `persona`, and its userinfo JWT."""
        persona = persona or self.persona
        nonce = secrets.token_urlsafe(36)
        code = self.store.oidc.issue_code(Grant(
            issuer=FRANCECONNECT, client_id=CLIENT_ID, redirect_uri=REDIRECT_URI, scope=SCOPE, nonce=nonce,
            sub=f"sub-of-{persona.id}", claims=persona_claims(persona), acr="eidas1", amr=("pwd",),
            auth_time=int(self.store.clock.now().timestamp())), timedelta(seconds=30))
        token = self.fc.post(f"{FC_PATH}/token", base_url=self.base, data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
            "client_id": CLIENT_ID, "client_secret": self.secret})
        assert token.status_code == 200, token.get_data(as_text=True)
        answer = token.get_json()
        answer["nonce"] = nonce
        answer["jwks_before_userinfo"] = self.jwks()
        userinfo = self.fc.get(f"{FC_PATH}/userinfo", base_url=self.base, headers={"Authorization": f"Bearer {answer['access_token']}"})
        assert userinfo.status_code == 200 and userinfo.mimetype == "application/jwt"
        answer["userinfo"] = userinfo.get_data(as_text=True)
        return answer


@pytest.fixture
def service(mock_app, persona) -> Service:
    return Service(mock_app, persona)


def decoded(token: str, key_set: KeySet, alg: str = "ES256") -> jwt.Token:
    return jwt.decode(token, key_set, algorithms=[alg])


def right(service: Service, answer: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The id_token's and the userinfo's claims, both verified with the published JWKS."""
    jwks = service.jwks()
    return decoded(answer["id_token"], jwks).claims, decoded(answer["userinfo"], jwks).claims


def unknown_key(token: str, service: Service) -> dict[str, Any]:
    """A token whose kid FranceConnect does not publish, signed by the mock's other key."""
    with pytest.raises(InvalidKeyIdError):
        decoded(token, service.jwks())
    header = jwt.decode(token, keys.key_set(OTHER_KEYS.format(issuer=FRANCECONNECT)), algorithms=["ES256"]).header
    assert len(header["kid"]) == len(next(iter(service.jwks())).kid)  # a kid of the same form
    return decoded(token, keys.key_set(OTHER_KEYS.format(issuer=FRANCECONNECT))).claims


def check_id_token(kind: str, service: Service, answer: dict[str, Any]) -> None:
    token, jwks = answer["id_token"], service.jwks()
    if kind == "id_token_unknown_key":
        claims = unknown_key(token, service)
        assert claims["iss"] == service.issuer and claims["nonce"] == answer["nonce"]
        return
    if kind == "id_token_alg_none":
        with pytest.warns(SecurityWarning):  # joserfc reads alg none when asked by name, and warns
            unsigned = jwt.decode(token, None, algorithms=["none"])
        assert token.endswith(".") and unsigned.header["alg"] == "none" and unsigned.claims["aud"] == CLIENT_ID
        return
    claims = decoded(token, jwks).claims  # the others are signed as they should be
    now = int(service.store.clock.now().timestamp())
    expected = {
        "id_token_wrong_iss": lambda: claims["iss"] == service.issuer.replace("/api/v2", "/api/v1"),
        "id_token_wrong_aud": lambda: claims["aud"] == OTHER_AUDIENCE,
        "id_token_wrong_nonce": lambda: claims["nonce"] != answer["nonce"] and len(claims["nonce"]) >= 32,
        "id_token_no_nonce": lambda: "nonce" not in claims,
        "id_token_expired": lambda: claims["exp"] < now - 60 and claims["iat"] < claims["exp"],
        "id_token_wrong_acr": lambda: claims["acr"] == "eidas2",
        "id_token_no_at_hash": lambda: "at_hash" not in claims,
    }[kind]
    assert expected(), claims
    # Nothing else is wrong in it.
    for name in ("iss", "aud", "nonce", "acr", "at_hash"):
        if name not in kind.replace("wrong_", "").replace("no_", "") and name in claims:
            assert claims[name] == {"iss": service.issuer, "aud": CLIENT_ID, "nonce": answer["nonce"],
                                    "acr": "eidas1"}.get(name, claims[name]), name


@pytest.mark.parametrize("kind", [kind for kind in ANSWER_KINDS if BROKEN_ANSWERS[kind].answer == "id_token"])
def test_each_broken_id_token_is_wrong_in_its_own_way_and_only_once(service: Service, store, kind: str) -> None:
    store.faults.add({"kind": kind, "client": CLIENT_ID})
    broken = service.log_in()
    check_id_token(kind, service, broken)
    right(service, {**broken, "id_token": service.log_in()["id_token"]})  # the next login's is right
    assert store.faults.list() == []


def test_userinfo_signed_by_another_key(service: Service, store) -> None:
    store.faults.add({"kind": "userinfo_other_key", "client": CLIENT_ID})
    answer = service.log_in()
    claims = unknown_key(answer["userinfo"], service)
    assert claims["sub"] == decoded(answer["id_token"], service.jwks()).claims["sub"]


def test_userinfo_about_someone_else(service: Service, store) -> None:
    store.faults.add({"kind": "userinfo_other_sub", "client": CLIENT_ID})
    id_claims, userinfo = right(service, service.log_in())
    assert userinfo["sub"] != id_claims["sub"] and userinfo["sub"].endswith("v1")
    assert userinfo["family_name"] == service.persona.family_name


def test_jwks_rotated_between_the_id_token_and_userinfo(service: Service, store) -> None:
    store.faults.add({"kind": "jwks_rotated", "client": CLIENT_ID})
    before = service.jwks()
    answer = service.log_in()
    decoded(answer["id_token"], answer["jwks_before_userinfo"])  # signed by a key published at the time
    with pytest.raises(InvalidKeyIdError):  # the userinfo is signed by a key the client has not seen yet...
        decoded(answer["userinfo"], answer["jwks_before_userinfo"])
    after = service.jwks()
    assert decoded(answer["userinfo"], after).claims["sub"]  # ...published now, beside the old ones
    assert {key.kid for key in before} < {key.kid for key in after}
    right(service, service.log_in())  # the next login: the old keys still sign, still published
    store.faults.reset()
    assert {key.kid for key in service.jwks()} == {key.kid for key in before}


def test_rs256_clients_get_rs256_broken_tokens(mock_app, persona, store) -> None:
    service = Service(mock_app, persona, alg="RS256")
    store.faults.add({"kind": "userinfo_other_key", "client": CLIENT_ID})
    answer = service.log_in()
    assert jwt.decode(answer["userinfo"], keys.key_set(OTHER_KEYS.format(issuer=FRANCECONNECT)),
                      algorithms=["RS256"]).header["alg"] == "RS256"


def test_a_fault_for_a_persona_breaks_only_that_persons_login(service: Service, store, add_persona) -> None:
    other = add_persona()
    fault = store.faults.add({"kind": "id_token_wrong_aud", "persona": service.persona.id})
    assert right(service, service.log_in(other))  # someone else: untouched
    assert store.faults.list()[0].hits == 0
    assert decoded(service.log_in()["id_token"], service.jwks()).claims["aud"] == OTHER_AUDIENCE
    assert fault not in store.faults.list()


def test_a_fault_for_another_client_leaves_this_one_alone(service: Service, store) -> None:
    store.faults.add({"kind": "id_token_no_nonce", "client": "un-autre-client", "times": 2})
    assert right(service, service.log_in())[0]["nonce"]
    assert store.faults.list()[0].times == 2


def test_the_journal_names_the_fault_the_token_call_met(service: Service, store) -> None:
    fault = store.faults.add({"kind": "id_token_expired", "client": CLIENT_ID})
    service.log_in()
    entries = [entry for entry in store.journal.entries() if entry.path == f"{FC_PATH}/token"]
    assert entries and entries[-1].fault == fault.id


# Mon Compte refuses each --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fc_browser(worker_control: ControlClient, sites: dict[str, str]) -> Iterator[tuple[requests.Session, Persona]]:
    """A browser signed in at FranceConnect (and ameli) as a persona with a CAF record: each
    login of Mon Compte then goes through FranceConnect's single sign-on, five requests."""
    persona = worker_control.create_persona()
    browser = loopback_session()
    assert mon_compte_login(browser, sites, persona).headers["Location"] == "/mon-compte/"
    browser.cookies.clear(domain=sites["moncompte"].split("//")[1].split(":")[0])
    yield browser, persona
    worker_control.delete_persona(persona.id)


def mon_compte_login(browser: requests.Session, sites: dict[str, str], persona: Persona) -> requests.Response:
    """S'identifier avec FranceConnect, then the answer of Mon Compte's callback (not followed)."""
    moncompte = sites["moncompte"]
    authorize = browser.get(moncompte + "/connexion/franceconnect", allow_redirects=False)
    assert authorize.status_code == 302, authorize.text[:300]
    back = BrowserLike("ameli", session=browser).log_in(
        authorize.headers["Location"], persona, moncompte + MONCOMPTE_CALLBACK_PATH)
    return browser.get(back, allow_redirects=False)


# Why Mon Compte refused, as its page says in brackets: the check each broken answer fails.
REASONS = {
    "id_token_unknown_key": "No key for kid",
    "id_token_alg_none": "Algorithm of 'none' is not allowed",
    "id_token_wrong_iss": "claim: 'iss'",
    "id_token_wrong_aud": "claim: 'aud'",
    "id_token_wrong_nonce": "claim: 'nonce'",
    "id_token_no_nonce": "Missing claim: 'nonce'",
    "id_token_expired": "expired",
    "id_token_wrong_acr": "claim: 'acr'",
    "id_token_no_at_hash": "Missing claim: 'at_hash'",
    "userinfo_other_key": "No key for kid",
    "userinfo_other_sub": "claim: 'sub'",
}


def test_every_refusal_has_its_reason() -> None:
    assert set(REASONS) == set(ANSWER_KINDS) - {"jwks_rotated"}


@pytest.mark.parametrize("kind", sorted(REASONS))
def test_mon_compte_refuses_each_broken_answer(fc_browser, sites, faults: ControlClient, kind: str) -> None:
    browser, persona = fc_browser
    faults.add_fault(kind=kind, persona=persona.id)
    page = mon_compte_login(browser, sites, persona)
    assert page.status_code == 403, (page.status_code, page.headers.get("Location"))
    text = html.unescape(page.text)
    assert texts.FC_LOGIN["error_title"] in text and "vous n'avez pas été connecté" in text
    assert REASONS[kind] in text
    assert faults.faults() == []  # it met the fault
    account = browser.get(sites["moncompte"] + "/mon-compte/", allow_redirects=False)
    assert account.status_code == 302 and account.headers["Location"].startswith("/connexion")


def test_mon_compte_signs_the_person_in_across_a_key_rotation(fc_browser, sites, faults: ControlClient) -> None:
    browser, persona = fc_browser
    faults.add_fault(kind="jwks_rotated", client="caf-mon-compte")
    last = faults.journal(limit=1)
    page = mon_compte_login(browser, sites, persona)
    assert page.status_code == 302 and page.headers["Location"] == "/mon-compte/"
    # It read the JWKS for the id_token, and again for the userinfo's new kid.
    jwks_reads = faults.journal(site="franceconnect", path=f"{FC_PATH}/jwks", after=last[0]["id"] if last else 0)
    assert len(jwks_reads) == 2
    assert faults.faults() == []
    assert browser.get(sites["moncompte"] + "/mon-compte/", allow_redirects=False).status_code == 200


def test_mon_compte_sends_a_pkce_s256_challenge(sites) -> None:
    authorize = loopback_session().get(sites["moncompte"] + "/connexion/franceconnect", allow_redirects=False)
    location = authorize.headers["Location"]
    assert "code_challenge_method=S256" in location and "code_challenge=" in location


def test_an_authorization_answer_from_another_issuer_is_refused(mock_app) -> None:
    rp = mock_app.sites["moncompte"].extensions["franceconnect_client"]
    with mock_app.sites["moncompte"].test_request_context("/"):
        with pytest.raises(LoginFailed) as refused:
            rp.finish_login({"code": "c", "state": "s", "iss": "http://franceconnect.example/api/v2"})
    assert refused.value.kind == "state" and refused.value.error == "invalid_issuer"


def test_an_authorization_answer_naming_the_right_issuer_goes_on(mock_app) -> None:
    rp = mock_app.sites["moncompte"].extensions["franceconnect_client"]
    with mock_app.sites["moncompte"].test_request_context("/"):
        with pytest.raises(LoginFailed) as refused:  # no such state here: the next check's refusal
            rp.finish_login({"error": "access_denied", "state": "s", "iss": rp.issuer})
    assert refused.value.kind == "denied"


def test_franceconnect_takes_from_the_providers_only_the_algorithm_it_registered(mock_app, monkeypatch) -> None:
    """FranceConnect registered RS256 with the identity providers: an ES256 token, however
    well signed by the provider's own key, is not taken."""
    client = mock_app.sites["franceconnect"].extensions["idp_clients"]["ameli"].client
    monkeypatch.setattr(client, "fetch_jwk_set", lambda force=False: keys.public_jwks("ameli"))
    claims = {"iss": "ameli", "sub": "s"}
    assert client.decode_signed(keys.sign("ameli", claims, "RS256")).claims == claims
    with pytest.raises(JoseError):
        client.decode_signed(keys.sign("ameli", claims, "ES256"))
