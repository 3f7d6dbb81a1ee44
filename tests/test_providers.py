"""The six identity providers as OpenID Connect providers, through Flask's test
client: each provider's login page, its faults, France Identité's phone."""

from __future__ import annotations

from datetime import timedelta

import re
import secrets
import threading
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import KeySet
from markupsafe import escape

from fixtures.providers import BY_ID, PASSWORD_PROVIDERS, PROVIDERS
from mock_server import texts
from mock_server.config import PROVIDER_IDS
from mock_server.oidc.clients import OidcClient
from mock_server.oidc.keys import public_jwks
from mock_server.personas import Persona
from mock_server.providers import faults
from mock_server.sites import SiteDispatcher

CLIENT_ID = "client-de-test"
CLIENT_SECRET = "secret-de-test-" + "x" * 20
REDIRECT_URI = "http://client.localhost/retour"
LOGGED_OUT_URI = "http://client.localhost/deconnecte"
SCOPE = "openid given_name family_name birthdate gender birthplace birthcountry email"
PIVOT = ("given_name", "family_name", "birthdate", "gender", "birthplace", "birthcountry")
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')

PASSWORD_IDS = [case.id for case in PASSWORD_PROVIDERS]


@pytest.fixture
def idps(mock_app: SiteDispatcher) -> SiteDispatcher:
    """The mock with its six providers, each knowing a test client."""
    store = mock_app.store
    for provider_id in PROVIDER_IDS:
        store.oidc.register_client(provider_id, OidcClient(
            client_id=CLIENT_ID, client_secret=CLIENT_SECRET, name="Client de test",
            redirect_uris=(REDIRECT_URI,), post_logout_redirect_uris=(LOGGED_OUT_URI,),
        ))
    return mock_app


class Browser:
    """One browser at one provider, walking the code flow as FranceConnect would send it."""

    def __init__(self, app: SiteDispatcher, provider_id: str) -> None:
        self.app = app
        self.id = provider_id
        self.client: FlaskClient = app.sites[provider_id].test_client()
        self.state = self.nonce = ""

    def authorize(self, **extra: str):
        self.state, self.nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        params = {"client_id": CLIENT_ID, "redirect_uri": REDIRECT_URI, "response_type": "code", "scope": SCOPE,
                  "state": self.state, "nonce": self.nonce, "acr_values": "eidas1", **extra}
        return self.client.get("/oidc/authorize", query_string=params)

    def open_login(self, **extra: str) -> tuple[str, str]:
        """(path, html) of the login page an authorize call leads to."""
        response = self.authorize(**extra)
        assert response.status_code == 302, response.get_data(as_text=True)
        path = urlsplit(response.headers["Location"]).path
        assert path.startswith("/connexion/")
        page = self.client.get(path)
        assert page.status_code == 200
        return path, page.get_data(as_text=True)

    @staticmethod
    def csrf(html: str) -> str:
        match = CSRF_FIELD.search(html)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def post(self, path: str, html: str, data: dict[str, str] | None = None):
        return self.client.post(path, data={"csrf_token": self.csrf(html), **(data or {})})

    def back_params(self, response) -> dict[str, str]:
        """The query of the redirect back to the client."""
        assert response.status_code == 303, response.get_data(as_text=True)
        location = response.headers["Location"]
        assert location.startswith(REDIRECT_URI + "?")
        params = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
        assert params["state"] == self.state
        return params

    def exchange(self, code: str):
        return self.client.post("/oidc/token", data={
            "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI,
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        })

    def keys(self) -> KeySet:
        return KeySet.import_key_set(public_jwks(self.id))

    def userinfo(self, access_token: str) -> dict:
        response = self.client.get("/oidc/userinfo", headers={"Authorization": f"Bearer {access_token}"})
        assert response.status_code == 200 and response.content_type == "application/jwt"
        return jwt.decode(response.get_data(as_text=True), self.keys()).claims

    def approve(self, persona: Persona, code: str | None = None):
        body = {"persona_id": persona.id, **({"code": code} if code else {})}
        return self.app.root.test_client().post("/__mock__/franceidentite/approve", json=body)

    def log_in(self, persona: Persona, **extra: str):
        """Through the form, or (France Identité) approved on the phone: the redirect back."""
        path, html = self.open_login(**extra)
        if self.id == "franceidentite":
            assert self.approve(persona).status_code == 200
            request_id = path.rsplit("/", 1)[1]
            return self.post(f"/attente/{request_id}/suite", html)
        return self.post(path, html, credentials_of(persona, self.id))

    def code_for(self, persona: Persona, **extra: str) -> str:
        params = self.back_params(self.log_in(persona, **extra))
        assert "error" not in params, params
        return params["code"]


def credentials_of(persona: Persona, provider_id: str) -> dict[str, str]:
    return dict(persona.credentials[provider_id])


def alert_of(html: str) -> str:
    match = re.search(r'role="alert">([^<]*)<', html)
    return unescape(match.group(1)) if match else ""


# Logging in -------------------------------------------------------------------------


@pytest.mark.parametrize("provider_id", PROVIDER_IDS)
def test_login_gives_the_identity_pivot(idps, add_persona, provider_id) -> None:
    persona = add_persona()
    browser = Browser(idps, provider_id)
    code = browser.code_for(persona)
    token = browser.exchange(code)
    assert token.status_code == 200, token.get_data(as_text=True)
    body = token.get_json()
    id_token = jwt.decode(body["id_token"], browser.keys()).claims
    assert id_token["nonce"] == browser.nonce and id_token["aud"] == CLIENT_ID
    assert id_token["iss"] == idps.config.site_url(provider_id) + "/oidc"
    assert id_token["acr"] == "eidas1"
    assert id_token["amr"] == (["pop", "mfa"] if provider_id == "franceidentite" else ["pwd"])
    claims = browser.userinfo(body["access_token"])
    assert claims["sub"] == id_token["sub"]
    assert {name: claims[name] for name in PIVOT} == persona.identity_pivot
    assert claims["email"] == persona.email


@pytest.mark.parametrize("provider_id", PASSWORD_IDS)
def test_wrong_password_and_unknown_identifier_get_the_same_message(idps, add_persona, provider_id) -> None:
    case = BY_ID[provider_id]
    identifier, password = case.identifier.credential_key, case.password.credential_key
    persona = add_persona()
    known = persona.credentials[provider_id]
    # A well-formed identifier nobody holds: a persona's, once it is gone.
    gone = add_persona()
    unknown = gone.credentials[provider_id][identifier]
    assert idps.store.delete_persona(gone.id)
    browser = Browser(idps, provider_id)
    messages = []
    for data in (
        {identifier: known[identifier], password: known[password][:-1] + ("1" if known[password][-1] != "1" else "2")},
        {identifier: unknown, password: known[password]},
    ):
        path, html = browser.open_login()
        response = browser.post(path, html, data)
        page = response.get_data(as_text=True)
        assert response.status_code == 401
        messages.append(alert_of(page))
        # The identifier stays in its field, the password does not.
        assert f'value="{escape(data[identifier])}"' in page
        assert re.search(rf'id="{password}"[^>]*value=""', page)
    assert messages == [case.bad_credentials, case.bad_credentials]


@pytest.mark.parametrize("provider_id", PASSWORD_IDS)
def test_repeated_failures_lock_the_identifier_known_or_not(idps, add_persona, provider_id) -> None:
    case = BY_ID[provider_id]
    identifier, password = case.identifier.credential_key, case.password.credential_key
    persona, gone = add_persona(), add_persona()
    known = persona.credentials[provider_id]
    unknown = gone.credentials[provider_id][identifier]
    assert idps.store.delete_persona(gone.id)
    wrong = known[password][:-1] + ("1" if known[password][-1] != "1" else "2")
    browser = Browser(idps, provider_id)
    locked = texts.PROVIDER_PAGES["locked"].format(attempts=idps.config.lockout_threshold,
                                                  minutes=idps.config.lockout_minutes)

    def attempt(data: dict[str, str]):
        path, html = browser.open_login()
        return browser.post(path, html, data)

    for who in (known[identifier], unknown):
        statuses = [attempt({identifier: who, password: wrong}).status_code for _ in range(idps.config.lockout_threshold)]
        assert statuses == [401] * (idps.config.lockout_threshold - 1) + [423]
    # Locked, the right password is refused with the same words; the lock runs out on the mock clock.
    refused = attempt(known)
    assert refused.status_code == 423 and alert_of(refused.get_data(as_text=True)) == locked
    idps.store.clock.advance(timedelta(minutes=idps.config.lockout_minutes, seconds=1))
    assert attempt(known).status_code == 303


def test_each_provider_has_its_own_wrong_credentials_message() -> None:
    messages = [case.bad_credentials for case in PASSWORD_PROVIDERS]
    assert len(set(messages)) == len(messages)
    assert texts.LOGIN_ERRORS["bad_credentials"] not in messages


@pytest.mark.parametrize("provider_id", PASSWORD_IDS)
def test_empty_fields_are_named_in_french(idps, provider_id) -> None:
    browser = Browser(idps, provider_id)
    path, html = browser.open_login()
    response = browser.post(path, html, {})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for spec_key, words in texts.PROVIDERS[provider_id]["fields"].items():
        assert escape(words["required"]) in page
        assert re.search(rf'id="{spec_key}"[^>]*aria-invalid="true"', page)


def test_impots_wants_a_thirteen_digit_numero_fiscal(idps, add_persona) -> None:
    persona = add_persona()
    browser = Browser(idps, "impots")
    path, html = browser.open_login()
    assert "13 chiffres" in html
    response = browser.post(path, html, {"numero_fiscal": "12345", "password": "x"})
    assert response.status_code == 422
    assert escape(texts.PROVIDERS["impots"]["fields"]["numero_fiscal"]["format"]) in response.get_data(as_text=True)
    # Spaces between groups are fine.
    numero = persona.credentials["impots"]["numero_fiscal"]
    spaced = " ".join((numero[:2], numero[2:4], numero[4:7], numero[7:10], numero[10:]))
    path, html = browser.open_login()
    response = browser.post(path, html, {"numero_fiscal": spaced, "password": persona.credentials["impots"]["password"]})
    assert "code" in browser.back_params(response)


def test_ameli_page_has_the_help_page_words(idps, add_persona) -> None:
    persona = add_persona()
    browser = Browser(idps, "ameli")
    path, html = browser.open_login()
    words = texts.PROVIDERS["ameli"]
    assert f'<h1 id="login-title">{escape(words["title"])}</h1>' in html
    assert words["title"] == "Je me connecte avec mon compte ameli"
    assert f'<label for="nir">{escape("Mon numéro de sécurité sociale")}</label>' in html
    assert '<label for="password">Mon code confidentiel</label>' in html
    assert re.search(r'<a class="idp-help-link" href="#aide-nir">Où trouver mon numéro de sécurité sociale\u00a0\?</a>', html)
    assert "sur votre carte Vitale" in html
    assert '<button type="submit" class="idp-button">ME CONNECTER</button>' in html
    assert re.search(r'id="password" name="password" type="password"', html)
    # A NIR typed with spaces, as printed on the carte Vitale.
    nir = persona.credentials["ameli"]["nir"]
    spaced = f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:]}"
    response = browser.post(path, html, {"nir": spaced, "password": persona.credentials["ameli"]["password"]})
    assert "code" in browser.back_params(response)


@pytest.mark.parametrize("case", PROVIDERS, ids=lambda case: case.id)
def test_catalogue_labels_are_on_the_page(idps, case) -> None:
    browser = Browser(idps, case.id)
    _, html = browser.open_login()
    assert f'<h1 id="login-title">{escape(case.title)}</h1>' in html
    for field in case.fields:
        assert f'<label for="{field.credential_key}">{escape(field.label)}</label>' in html
        kind = "password" if field.secret else ("email" if field.credential_key == "email" else "text")
        assert re.search(rf'<input id="{field.credential_key}" name="{field.credential_key}" type="{kind}"', html)
    assert f'class="idp-button">{escape(case.submit)}</button>' in html
    assert f'class="idp-link-button">{escape(case.cancel)}</button>' in html
    assert f'class="theme-{case.id}"' in html
    assert not re.search(r'(src|href)="https?://', html)  # nothing from elsewhere


def test_catalogue_matches_the_chooser_of_the_help_page() -> None:
    assert [case.name for case in PROVIDERS] == [
        "impots.gouv.fr", "Assurance Maladie Ameli.fr", "L'identité Numérique La Poste", "MSA", "YRIS",
        "FRANCE IDENTITE",
    ]
    assert [case.id for case in PROVIDERS] == list(PROVIDER_IDS)
    assert BY_ID["franceidentite"].approval and BY_ID["franceidentite"].fields == ()
    assert not BY_ID["yris"].has_end_session and all(case.has_end_session for case in PROVIDERS if case.id != "yris")


@pytest.mark.parametrize("provider_id", PROVIDER_IDS)
def test_cancel_goes_back_with_access_denied(idps, provider_id) -> None:
    browser = Browser(idps, provider_id)
    path, html = browser.open_login()
    params = browser.back_params(browser.post(path + "/annuler", html))
    assert params["error"] == "access_denied"
    assert params["error_description"] == "User auth aborted"
    # The request is over: its page is gone.
    assert browser.client.get(path).status_code == 400


@pytest.mark.parametrize("provider_id", PROVIDER_IDS)
def test_single_sign_on_skips_the_form(idps, add_persona, provider_id) -> None:
    persona = add_persona()
    browser = Browser(idps, provider_id)
    first = browser.code_for(persona)
    again = browser.authorize()
    assert again.status_code == 302
    params = browser.back_params(browser.client.get(again.headers["Location"]))
    assert params["code"] != first
    token = browser.exchange(params["code"]).get_json()
    assert browser.userinfo(token["access_token"])["given_name"] == persona.given_name
    # prompt=login asks again, even with a live session.
    _, html = browser.open_login(prompt="login")
    assert 'id="login-title"' in html


@pytest.mark.parametrize("provider_id", PASSWORD_IDS)
def test_login_post_needs_the_csrf_token(idps, add_persona, provider_id) -> None:
    persona = add_persona()
    browser = Browser(idps, provider_id)
    path, _ = browser.open_login()
    response = browser.client.post(path, data=credentials_of(persona, provider_id))
    assert response.status_code == 400
    assert escape(texts.PROVIDER_PAGES["csrf_text"]) in response.get_data(as_text=True)
    assert browser.client.post(path + "/annuler").status_code == 400


@pytest.mark.parametrize("provider_id", PROVIDER_IDS)
def test_unknown_login_request_is_the_providers_error_page(idps, provider_id) -> None:
    browser = Browser(idps, provider_id)
    response = browser.client.get("/connexion/nimportequoi")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'class="theme-{provider_id}"' in page and "Y150003" in page


@pytest.mark.parametrize("provider_id", PROVIDER_IDS)
def test_site_pages_cookie_and_cache(idps, add_persona, provider_id) -> None:
    browser = Browser(idps, provider_id)
    home = browser.client.get("/")
    assert home.status_code == 200 and home.headers["Cache-Control"] == "no-store"
    site_name = texts.PROVIDERS[provider_id]["site_name"]
    assert escape(texts.PROVIDER_PAGES["home_text"].format(name=site_name)) in home.get_data(as_text=True)
    response = browser.authorize()
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith(f"{provider_id}_session=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = browser.client.get(urlsplit(response.headers["Location"]).path)
    assert page.headers["Cache-Control"] == "no-store"
    assert browser.client.get("/static/providers.css").status_code == 200
    assert browser.client.get("/pas-de-page").status_code == 404


# Error personas -----------------------------------------------------------------------


@pytest.mark.parametrize("provider_id", PROVIDER_IDS)
def test_missing_claim_leaves_birthdate_out(idps, add_persona, provider_id) -> None:
    persona = add_persona(fc_error="missing_claim")
    browser = Browser(idps, provider_id)
    token = browser.exchange(browser.code_for(persona)).get_json()
    claims = browser.userinfo(token["access_token"])
    assert "birthdate" not in claims
    assert claims["family_name"] == persona.family_name


@pytest.mark.parametrize("provider_id", PROVIDER_IDS)
def test_consent_refused_sends_access_denied_and_keeps_no_session(idps, add_persona, provider_id) -> None:
    persona = add_persona(fc_error="consent_refused")
    browser = Browser(idps, provider_id)
    params = browser.back_params(browser.log_in(persona))
    assert params["error"] == "access_denied"
    assert params["error_description"] == "User refused consent"
    _, html = browser.open_login()  # no single sign-on: the login starts again
    assert 'id="login-title"' in html


@pytest.mark.parametrize("provider_id", PROVIDER_IDS)
@pytest.mark.parametrize("fault, status", [("idp_500", 500), ("idp_503", 503)])
def test_broken_token_endpoint(idps, add_persona, provider_id, fault, status) -> None:
    persona = add_persona(fc_error=fault)
    browser = Browser(idps, provider_id)
    response = browser.exchange(browser.code_for(persona))
    assert response.status_code == status
    assert response.content_type.startswith("text/html")
    if fault == "idp_503":
        assert response.headers["Retry-After"] == "120"
    else:
        assert "Internal Server Error" in response.get_data(as_text=True)


@pytest.mark.parametrize("provider_id", ["ameli", "franceidentite"])
def test_token_endpoint_that_times_out(idps, add_persona, monkeypatch, provider_id) -> None:
    idps.config.upstream_timeout_seconds = 0.1
    monkeypatch.setattr(faults, "TIMEOUT_MARGIN_SECONDS", 0.05)
    waited = []
    real_event = threading.Event

    class RecordingEvent(real_event):  # type: ignore[misc, valid-type]
        def wait(self, timeout=None):
            waited.append(timeout)
            return super().wait(timeout)

    monkeypatch.setattr(faults.threading, "Event", RecordingEvent)
    persona = add_persona(fc_error="idp_timeout")
    browser = Browser(idps, provider_id)
    response = browser.exchange(browser.code_for(persona))
    assert response.status_code == 504
    assert waited == [pytest.approx(0.15)]


def test_default_timeout_stalls_longer_than_franceconnect_waits() -> None:
    assert faults.TIMEOUT_MARGIN_SECONDS >= 1


# Yris has no end-session endpoint ------------------------------------------------------


@pytest.mark.parametrize("provider_id", PROVIDER_IDS)
def test_end_session_everywhere_but_yris(idps, add_persona, provider_id) -> None:
    browser = Browser(idps, provider_id)
    metadata = browser.client.get("/oidc/.well-known/openid-configuration").get_json()
    if provider_id == "yris":
        assert "end_session_endpoint" not in metadata
        assert browser.client.get("/oidc/session/end").status_code == 404
        return
    assert metadata["end_session_endpoint"] == idps.config.site_url(provider_id) + "/oidc/session/end"
    persona = add_persona()
    token = browser.exchange(browser.code_for(persona)).get_json()
    response = browser.client.get("/oidc/session/end", query_string={
        "id_token_hint": token["id_token"], "post_logout_redirect_uri": LOGGED_OUT_URI, "state": "fin"})
    assert response.status_code == 303
    assert response.headers["Location"] == LOGGED_OUT_URI + "?state=fin"
    _, html = browser.open_login()  # logged out: the login starts again
    assert 'id="login-title"' in html


# France Identité: the phone ------------------------------------------------------------


@pytest.fixture
def phone(idps) -> FlaskClient:
    return idps.root.test_client()


def _waiting(idps) -> tuple[Browser, str, str, str]:
    browser = Browser(idps, "franceidentite")
    path, html = browser.open_login()
    code = re.search(r'data-testid="pairing-code">([0-9]{6})<', html).group(1)
    return browser, path.rsplit("/", 1)[1], html, code


def test_waiting_page_shows_a_code_and_says_what_to_do(idps, phone) -> None:
    browser, request_id, html, code = _waiting(idps)
    assert escape(texts.PROVIDERS["franceidentite"]["intro"]) in html
    assert texts.PROVIDERS["franceidentite"]["intro"] == (
        "Ouvrez l'application France Identité sur votre téléphone et validez la connexion")
    assert "approval.js" in html and "<form" in html
    # Reloading keeps the same code.
    assert code in browser.client.get(f"/connexion/{request_id}").get_data(as_text=True)
    pending = phone.get("/__mock__/franceidentite/pending").get_json()
    assert [item["code"] for item in pending] == [code] and pending[0]["created_at"]


def test_approve_with_the_code_then_the_page_goes_on(idps, phone, add_persona) -> None:
    persona = add_persona()
    browser, request_id, html, code = _waiting(idps)
    status = browser.client.get(f"/attente/{request_id}/statut")
    assert status.get_json() == {"status": "pending"}
    # Without JavaScript, too early: the waiting page again, with a word.
    early = browser.post(f"/attente/{request_id}/suite", html)
    assert early.status_code == 200
    assert escape(texts.PROVIDERS["franceidentite"]["still_pending"]) in early.get_data(as_text=True)
    approved = phone.post("/__mock__/franceidentite/approve", json={"persona_id": persona.id, "code": code})
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    assert browser.client.get(f"/attente/{request_id}/statut").get_json() == {"status": "approved"}
    assert phone.get("/__mock__/franceidentite/pending").get_json() == []
    params = browser.back_params(browser.client.get(f"/attente/{request_id}/suite"))
    token = browser.exchange(params["code"]).get_json()
    assert browser.userinfo(token["access_token"])["family_name"] == persona.family_name


def test_long_poll_wakes_up_when_the_phone_answers(idps, phone, add_persona) -> None:
    persona = add_persona()
    browser, request_id, _, code = _waiting(idps)
    answers = []
    poller = threading.Thread(target=lambda: answers.append(
        browser.client.get(f"/attente/{request_id}/statut", query_string={"wait": "10"}).get_json()))
    poller.start()
    assert phone.post("/__mock__/franceidentite/approve", json={"persona_id": persona.id}).status_code == 200
    poller.join(timeout=10)
    assert answers == [{"status": "approved"}]
    assert browser.client.get(f"/attente/{request_id}/statut", query_string={"wait": "11"}).status_code == 400


def test_refuse_on_the_phone_sends_access_denied(idps, phone) -> None:
    browser, request_id, html, code = _waiting(idps)
    refused = phone.post("/__mock__/franceidentite/refuse", json={"code": code})
    assert refused.status_code == 200 and refused.get_json()["status"] == "refused"
    assert browser.client.get(f"/attente/{request_id}/statut").get_json() == {"status": "refused"}
    params = browser.back_params(browser.post(f"/attente/{request_id}/suite", html))
    assert params["error"] == "access_denied" and params["error_description"] == "User refused consent"


def test_approval_expires_after_five_minutes(idps, phone, add_persona) -> None:
    persona = add_persona()
    browser, request_id, html, code = _waiting(idps)
    phone.post("/__mock__/clock", json={"advance": "5m"})
    assert browser.client.get(f"/attente/{request_id}/statut").get_json() == {"status": "expired"}
    assert phone.get("/__mock__/franceidentite/pending").get_json() == []
    late = phone.post("/__mock__/franceidentite/approve", json={"persona_id": persona.id, "code": code})
    assert late.status_code == 409 and late.get_json()["field"] == "code"
    renewed = browser.post(f"/attente/{request_id}/suite", html).get_data(as_text=True)
    assert escape(texts.PROVIDERS["franceidentite"]["expired"]) in renewed
    new_code = re.search(r'data-testid="pairing-code">([0-9]{6})<', renewed).group(1)
    assert new_code != code
    assert phone.post("/__mock__/franceidentite/approve", json={"persona_id": persona.id}).status_code == 200


@pytest.mark.parametrize("body, status, field", [
    ({}, 422, "persona_id"),
    ({"persona_id": 12}, 422, "persona_id"),
    ({"persona_id": "personne"}, 404, "persona_id"),
    ({"persona_id": "{persona}", "code": 123456}, 422, "code"),
    ({"persona_id": "{persona}", "code": "12ab56"}, 422, "code"),
    ({"persona_id": "{persona}", "code": "000000"}, 404, "code"),
    ({"persona_id": "{persona}", "colour": "blue"}, 422, "colour"),
])
def test_bad_approvals_are_named(idps, phone, add_persona, body, status, field) -> None:
    persona = add_persona()
    _waiting(idps)
    body = {key: persona.id if value == "{persona}" else value for key, value in body.items()}
    if body.get("code") == "000000":
        pending = phone.get("/__mock__/franceidentite/pending").get_json()[0]["code"]
        body["code"] = "000001" if pending == "000000" else "000000"
    response = phone.post("/__mock__/franceidentite/approve", json=body)
    assert response.status_code == status
    assert response.get_json()["field"] == field and response.get_json()["error"]


def test_approvals_that_cannot_tell_which_login(idps, phone, add_persona) -> None:
    persona = add_persona()
    nothing = phone.post("/__mock__/franceidentite/approve", json={"persona_id": persona.id})
    assert nothing.status_code == 409 and nothing.get_json()["field"] == "code"
    _waiting(idps)
    _waiting(idps)
    several = phone.post("/__mock__/franceidentite/approve", json={"persona_id": persona.id})
    assert several.status_code == 409 and several.get_json()["field"] == "code"
    bad_json = phone.post("/__mock__/franceidentite/approve", data=b"{nope", content_type="application/json")
    assert bad_json.status_code == 400 and bad_json.get_json()["field"] == "body"
    refuse_nothing = phone.post("/__mock__/franceidentite/refuse", json={"code": "999999"})
    assert refuse_nothing.status_code in (404, 409) and refuse_nothing.get_json()["field"] == "code"


def test_persona_without_france_identite_cannot_approve(idps, phone, add_persona) -> None:
    persona = add_persona()
    idps.store.update_persona(persona.id, credentials={k: v for k, v in persona.credentials.items()
                                                         if k != "franceidentite"})
    _waiting(idps)
    response = phone.post("/__mock__/franceidentite/approve", json={"persona_id": persona.id})
    assert response.status_code == 409 and response.get_json()["field"] == "persona_id"


def test_the_phone_page_approves_with_a_form(idps, phone, add_persona) -> None:
    persona = add_persona()
    browser, request_id, _, code = _waiting(idps)
    page = phone.get("/__mock__/franceidentite").get_data(as_text=True)
    words = texts.PROVIDERS["franceidentite"]["control"]
    assert code in page and escape(words["approve"]) in page and persona.id in page
    assert re.search(r'<label for="persona-\d{6}">', page)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = {"code": code, "persona_id": persona.id}
    assert phone.post("/__mock__/franceidentite/approve", data=form).status_code == 400  # no token
    response = phone.post("/__mock__/franceidentite/approve", data={**form, "csrf_token": token})
    assert response.status_code == 303
    done = phone.get(response.headers["Location"]).get_data(as_text=True)
    assert escape(words["approved"]) in done
    assert browser.client.get(f"/attente/{request_id}/statut").get_json() == {"status": "approved"}
    # A form error comes back as the page, with the message.
    again = phone.post("/__mock__/franceidentite/approve", data={**form, "csrf_token": token})
    assert again.status_code == 409 and "already approved" in again.get_data(as_text=True)


def test_cancel_on_the_waiting_page_closes_the_approval(idps, phone) -> None:
    browser, request_id, html, code = _waiting(idps)
    params = browser.back_params(browser.post(f"/connexion/{request_id}/annuler", html))
    assert params["error"] == "access_denied"
    assert phone.get("/__mock__/franceidentite/pending").get_json() == []


def test_status_of_someone_elses_request_is_unknown(idps) -> None:
    _, request_id, _, _ = _waiting(idps)
    stranger = Browser(idps, "franceidentite")
    response = stranger.client.get(f"/attente/{request_id}/statut")
    assert response.status_code == 404 and response.get_json()["status"] == "unknown"


def test_waiting_routes_only_at_france_identite(idps) -> None:
    browser = Browser(idps, "ameli")
    path, _ = browser.open_login()
    request_id = path.rsplit("/", 1)[1]
    assert browser.client.get(f"/attente/{request_id}/statut").status_code == 404
    assert browser.client.get(f"/attente/{request_id}/suite").status_code == 404


def test_approval_board_reset_forgets_everything(idps, phone) -> None:
    _waiting(idps)
    board = idps.store.approvals
    assert len(board.pending()) == 1
    board.reset()
    assert board.pending() == []
    assert phone.get("/__mock__/franceidentite/pending").get_json() == []


@pytest.mark.parametrize("usage_name", ["Martin-Durand", None])
def test_usage_name_is_released_as_preferred_username_when_asked(idps, add_persona, usage_name) -> None:
    persona = add_persona(preferred_username=usage_name) if usage_name else add_persona()
    browser = Browser(idps, "impots")
    token = browser.exchange(browser.code_for(persona, scope=SCOPE + " preferred_username")).get_json()
    claims = browser.userinfo(token["access_token"])
    assert claims.get("preferred_username") == usage_name
    # Not asked for: not given, whatever the persona has.
    browser = Browser(idps, "impots")
    token = browser.exchange(browser.code_for(persona)).get_json()
    assert "preferred_username" not in browser.userinfo(token["access_token"])
