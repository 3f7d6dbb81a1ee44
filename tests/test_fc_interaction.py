"""FranceConnect's pages as FranceConnect v2 has them: providers switched off or
not offered (greyed out, "Indisponible"; forced by URL: its error page and code),
idp_hint, the consent box of a private service, forms sent once, and the checks
on the identity a provider returns (Y600006).

The Flask test client drives FranceConnect's own pages; a trip to a provider (its
discovery document, then its token and userinfo answers) needs a listening
server: those tests walk the live mock with `fc_flow`.
"""

from __future__ import annotations

import html as html_lib
import re
import secrets
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
from flask.testing import FlaskClient

from pytest_franceconnect_mock.control import ControlClient
from mock_server import texts
from mock_server.federation import FRANCECONNECT
from mock_server.franceconnect.identity_check import identity_problems, is_idp_birthdate
from mock_server.identity_providers import BY_ID, PROVIDER_IDS
from mock_server.oidc.clients import OidcClient
from mock_server.personas import BROKEN_IDENTITIES, FC_ERRORS, Persona, broken_identity, validate_persona_input
from mock_server.sites import SiteDispatcher

from .fc_flow import BrowserLike, FlowError, forms_of, loopback_session

pytestmark = pytest.mark.franceconnect

FC = "http://franceconnect.localhost"
CALLBACK = "https://service.example/callback"
FCW = texts.FRANCECONNECT
TECHNICAL_ERROR = "Une erreur technique est survenue, fermez l’onglet de votre navigateur et reconnectez-vous."
SSO_KEY = "oidc:franceconnect:sso"
SCOPE = "openid given_name family_name birthdate"


def a_client(**fields: Any) -> OidcClient:
    return OidcClient(client_id="h2-service", client_secret="h2-secret-" * 4, name="Service de test",
                      redirect_uris=(CALLBACK,), **fields)


@pytest.fixture
def register(mock_app: SiteDispatcher) -> Callable[..., OidcClient]:
    def register(**fields: Any) -> OidcClient:
        return mock_app.store.oidc.register_client(FRANCECONNECT, a_client(**fields))
    return register


@pytest.fixture
def fc(mock_app: SiteDispatcher, register) -> FlaskClient:
    register()
    return mock_app.sites["franceconnect"].test_client()


def authorize(fc: FlaskClient, **changes: str):
    params = {"acr_values": "eidas1", "client_id": "h2-service", "nonce": "n" * 32, "redirect_uri": CALLBACK,
              "response_type": "code", "scope": SCOPE, "state": "s" * 32, **changes}
    return fc.get("/api/v2/authorize", query_string=params, base_url=FC)


def start(fc: FlaskClient, **changes: str) -> str:
    """An authorization request of this browser: its interaction page's path."""
    response = authorize(fc, **changes)
    assert response.status_code == 302, response.get_data(as_text=True)
    return urlsplit(response.headers["Location"]).path


def page(response) -> str:
    return html_lib.unescape(response.get_data(as_text=True))


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def back_params(response) -> dict[str, str]:
    location = response.headers["Location"]
    assert location.startswith(CALLBACK), location
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def assert_error_page(response, status: int, code: str, message: str = TECHNICAL_ERROR) -> None:
    assert response.status_code == status, page(response)[:500]
    html = page(response)
    assert FCW["error_code"].format(code=code) in html
    assert message in html
    assert FCW["back_to_service"].format(service="Service de test") in html


def provider_buttons(html: str) -> dict[str, str]:
    """Each provider's button on the chooser, by id: its whole tag and text."""
    return {match.group(1): match.group(0) for match in
            re.finditer(r'<button type="submit" name="provider" value="([a-z]+)"[^>]*>.*?</button>', html, re.S)}


def sign_in_at_fc(mock_app: SiteDispatcher, fc: FlaskClient, subject: str = "person-1") -> None:
    """A live FranceConnect session in this browser (what a provider trip leaves)."""
    sid = fc.get_cookie("franceconnect_session", domain="franceconnect.localhost").value
    now = mock_app.store.clock.now().timestamp()
    data = mock_app.store.load_session(sid)
    data[SSO_KEY] = {"subject": subject, "idp": "ameli", "idp_id_token": "x", "acr": "eidas1", "amr": ["pwd"],
                     "claims": {"given_name": "Angela", "family_name": "Dubois", "birthdate": "1962-08-24",
                                "gender": "female", "birthplace": "75107", "birthcountry": "99100"},
                     "auth_time": int(now), "expires_at": now + 1800, "clients": []}
    mock_app.store.save_session(sid, data)


# The chooser: providers switched off, hidden, or not offered by the service ---------------------


def test_every_provider_is_selectable_by_default(fc) -> None:
    buttons = provider_buttons(page(fc.get(start(fc), base_url=FC)))
    assert list(buttons) == list(PROVIDER_IDS)
    assert not any("disabled" in button for button in buttons.values())


def test_a_provider_switched_off_is_greyed_out_and_one_hidden_is_gone(fc, mock_app) -> None:
    mock_app.store.fc_providers.set("ameli", active=False)
    mock_app.store.fc_providers.set("yris", display=False)
    buttons = provider_buttons(page(fc.get(start(fc), base_url=FC)))
    assert "yris" not in buttons
    assert 'disabled aria-disabled="true"' in buttons["ameli"] and FCW["unavailable"] in buttons["ameli"]
    assert "disabled" not in buttons["impots"] and FCW["unavailable"] not in buttons["impots"]


def test_providers_a_service_does_not_offer_are_greyed_out(mock_app, register) -> None:
    register(providers=("impots", "ameli"))
    fc = mock_app.sites["franceconnect"].test_client()
    buttons = provider_buttons(page(fc.get(start(fc), base_url=FC)))
    assert [idp for idp, button in buttons.items() if "disabled" not in button] == ["impots", "ameli"]
    assert all(FCW["unavailable"] in buttons[idp] for idp in PROVIDER_IDS if idp not in ("impots", "ameli"))


@pytest.mark.parametrize(("chosen", "status", "code"), [
    ("ameli", 500, "Y020017"),  # switched off
    ("laposte", 403, "Y020023"),  # not offered by the service
    ("nowhere", 403, "Y020023"),  # the service's list first, as FranceConnect
])
def test_forcing_a_provider_by_url_is_franceconnects_error_page(mock_app, register, chosen, status, code) -> None:
    register(providers=("impots", "ameli"))
    mock_app.store.fc_providers.set("ameli", active=False)
    fc = mock_app.sites["franceconnect"].test_client()
    interaction = start(fc)
    token = csrf(page(fc.get(interaction, base_url=FC)))
    response = fc.post(f"{interaction}/fournisseur", data={"csrf_token": token, "provider": chosen}, base_url=FC)
    assert_error_page(response, status, code)
    # "Revenir sur Service de test": server_error back to the service, with its state.
    back = fc.get(f"{interaction}/abandon", base_url=FC)
    assert back_params(back)["error"] == "server_error"


@pytest.mark.parametrize("chosen", ["nowhere", ""])
def test_an_unknown_provider_is_y020019(fc, chosen) -> None:
    interaction = start(fc)
    token = csrf(page(fc.get(interaction, base_url=FC)))
    response = fc.post(f"{interaction}/fournisseur", data={"csrf_token": token, "provider": chosen}, base_url=FC)
    assert_error_page(response, 400, "Y020019")


# idp_hint -------------------------------------------------------------------------------------


@pytest.mark.parametrize("hint", ["nowhere", "AMELI", "laposte"])
def test_an_idp_hint_not_allowed_goes_back_to_the_service(mock_app, register, hint) -> None:
    register(providers=("impots", "ameli"))
    fc = mock_app.sites["franceconnect"].test_client()
    response = fc.get(start(fc, idp_hint=hint), base_url=FC)
    assert response.status_code == 303
    params = back_params(response)
    assert (params["error"], params["error_description"], params["state"]) == (
        "invalid_idp_hint", "An idp_hint was provided but is not allowed", "s" * 32)


def test_an_idp_hint_switched_off_is_y020017(fc, mock_app) -> None:
    mock_app.store.fc_providers.set("msa", active=False)
    assert_error_page(fc.get(start(fc, idp_hint="msa"), base_url=FC), 500, "Y020017")


def test_an_empty_idp_hint_shows_the_chooser(fc) -> None:
    response = fc.get(start(fc, idp_hint=""), base_url=FC)
    assert response.status_code == 200 and provider_buttons(page(response))


def test_single_sign_on_wins_over_idp_hint_even_an_unknown_one(fc, mock_app) -> None:
    """As FranceConnect: a live session skips the hint altogether (shouldAbortIdpHint)."""
    start(fc)  # this browser's session
    sign_in_at_fc(mock_app, fc)
    interaction = start(fc, idp_hint="nowhere")
    response = fc.get(interaction, base_url=FC)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{interaction}/connecte")


# Public and private services: the consent box -------------------------------------------------


def connected_page(mock_app: SiteDispatcher, **changes: str) -> tuple[FlaskClient, str, str]:
    fc = mock_app.sites["franceconnect"].test_client()
    start(fc)
    sign_in_at_fc(mock_app, fc)
    interaction = start(fc, **changes)
    html = page(fc.get(f"{interaction}/connecte", base_url=FC))
    return fc, interaction, html


def test_a_private_service_asks_for_consent_with_the_button_off(mock_app, register) -> None:
    register(type="private")
    fc, interaction, html = connected_page(mock_app)
    assert FCW["consent"] in html and 'name="consent"' in html
    assert re.search(r'<button type="submit" class="fc-primary" disabled aria-disabled="true">', html)
    # Sent without the box ticked anyway: FranceConnect's message, and nothing for the service.
    refused = fc.post(f"{interaction}/continuer", data={"csrf_token": csrf(html)}, base_url=FC)
    assert refused.status_code == 422 and FCW["consent_required"] in page(refused)
    assert 'aria-invalid="true"' in page(refused)
    accepted = fc.post(f"{interaction}/continuer", data={"csrf_token": csrf(html), "consent": "1"}, base_url=FC)
    assert accepted.status_code == 303 and "code" in back_params(accepted)


@pytest.mark.parametrize(("kind", "scope"), [("public", SCOPE), ("private", "openid")])
def test_a_public_service_or_no_data_gets_the_information_page(mock_app, register, kind, scope) -> None:
    register(type=kind)
    fc, interaction, html = connected_page(mock_app, scope=scope)
    assert FCW["consent"] not in html and "disabled" not in html
    response = fc.post(f"{interaction}/continuer", data={"csrf_token": csrf(html)}, base_url=FC)
    assert response.status_code == 303 and "code" in back_params(response)


def test_mon_compte_is_a_public_service(mock_app) -> None:
    from mock_server.federation import MONCOMPTE_CLIENT_ID
    assert mock_app.store.oidc.get_client(FRANCECONNECT, MONCOMPTE_CLIENT_ID).type == "public"


# Sent once: "J'accède à mon service" twice gives one code ---------------------------------------


def test_continue_sent_twice_gives_the_same_code_once(mock_app, register) -> None:
    register()
    fc, interaction, html = connected_page(mock_app)
    first = fc.post(f"{interaction}/continuer", data={"csrf_token": csrf(html)}, base_url=FC)
    again = fc.post(f"{interaction}/continuer", data={"csrf_token": csrf(html)}, base_url=FC)
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    # The code is still single-use: the replay did not issue another.
    codes = mock_app.store.oidc._codes
    assert len([code for code in codes.values() if code.grant.client_id == "h2-service"]) == 1


def test_someone_elses_browser_cannot_replay_the_answer(mock_app, register) -> None:
    register()
    fc, interaction, html = connected_page(mock_app)
    fc.post(f"{interaction}/continuer", data={"csrf_token": csrf(html)}, base_url=FC)
    other = mock_app.sites["franceconnect"].test_client()
    other.get(start(other), base_url=FC)
    response = other.post(f"{interaction}/continuer", data={"csrf_token": csrf(page(other.get(start(other), base_url=FC)))},
                          base_url=FC)
    assert response.status_code == 400 and "Y150003" in page(response)


def test_the_pages_carry_the_send_once_script(fc, mock_app) -> None:
    html = page(fc.get(start(fc), base_url=FC))
    assert "data-prevent-double-submit" in html and "franceconnect.js" in html
    script = fc.get("/static/franceconnect.js", base_url=FC)
    assert script.status_code == 200 and b"data-prevent-double-submit" in script.data


# The control API: switching a provider off at run time ------------------------------------------


def test_control_api_switches_a_provider_and_reset_puts_it_back(api, assert_named) -> None:
    listed = api.get("/__mock__/franceconnect/providers").get_json()
    assert [entry["id"] for entry in listed] == list(PROVIDER_IDS)
    assert listed[0] == {"id": "impots", "name": BY_ID["impots"].name, "active": True, "display": True,
                         "default": {"active": True, "display": True}}
    changed = api.put("/__mock__/franceconnect/providers/ameli", json={"active": False})
    assert changed.status_code == 200 and changed.get_json()["active"] is False
    assert changed.get_json()["display"] is True
    api.post("/__mock__/reset")
    assert all(entry["active"] for entry in api.get("/__mock__/franceconnect/providers").get_json())


@pytest.mark.parametrize(("path", "body", "status", "field"), [
    ("/__mock__/franceconnect/providers/nowhere", {"active": False}, 404, "provider"),
    ("/__mock__/franceconnect/providers/ameli", {}, 422, "body"),
    ("/__mock__/franceconnect/providers/ameli", {"active": "no"}, 422, "active"),
    ("/__mock__/franceconnect/providers/ameli", {"display": None}, 422, "display"),
    ("/__mock__/franceconnect/providers/ameli", {"active": False, "colour": "grey"}, 422, "colour"),
])
def test_control_api_names_what_is_wrong_and_changes_nothing(api, assert_named, mock_app, path, body, status, field) -> None:
    assert_named(api.put(path, json=body), field, status)
    assert mock_app.store.fc_providers.get("ameli").active


# FranceConnect's identity checks ------------------------------------------------------------


GOOD = {"sub": "x", "given_name": "Angela Claire", "family_name": "Dubois", "birthdate": "1962-08-24",
        "gender": "female", "birthplace": "75107", "birthcountry": "99100", "email": "a@example.org"}


@pytest.mark.parametrize("changes", [
    {},
    {"birthdate": "1962-08-00"},  # presumed day
    {"birthdate": "1962-00-00"},  # presumed month and day
    {"birthplace": "2A004"},  # Corsica
    {"birthcountry": "99134", "birthplace": ""},  # born abroad
    {"birthcountry": "99134", "birthplace": "Madrid"},  # born abroad, with a birthplace: FranceConnect only logs it
    {"gender": "unspecified"},
    {"extra": "ignored"},
])
def test_identities_franceconnect_accepts(changes) -> None:
    assert identity_problems({**GOOD, **changes}) == {}


@pytest.mark.parametrize(("changes", "claim"), [
    ({"gender": None}, "gender"),
    ({"gender": "f"}, "gender"),
    ({"birthplace": "AAAAA"}, "birthplace"),
    ({"birthplace": ""}, "birthplace"),
    ({"birthplace": None}, "birthplace"),
    ({"birthdate": "1977-00-03"}, "birthdate"),
    ({"birthdate": "1977-02-30"}, "birthdate"),
    ({"birthdate": "1977-13-00"}, "birthdate"),
    ({"birthdate": "03/02/1977"}, "birthdate"),
    ({"birthdate": None}, "birthdate"),
    ({"given_name": ""}, "given_name"),
    ({"family_name": "x" * 257}, "family_name"),
    ({"birthcountry": "France"}, "birthcountry"),
    ({"email": "nobody"}, "email"),
])
def test_identities_franceconnect_refuses(changes, claim) -> None:
    identity = {**GOOD, **changes}
    for name, value in changes.items():
        if value is None:
            del identity[name]
    assert list(identity_problems(identity)) == [claim]


def test_presumed_dates_need_a_real_year_and_month() -> None:
    assert is_idp_birthdate("1990-12-00") and not is_idp_birthdate("0000-00-00") and not is_idp_birthdate("1990-1-01")


@pytest.mark.parametrize("fc_error", list(BROKEN_IDENTITIES))
def test_each_identity_error_persona_is_refused_by_franceconnect(fc_error) -> None:
    assert fc_error in FC_ERRORS
    assert validate_persona_input({"fc_error": fc_error}) is None
    assert identity_problems(broken_identity(GOOD, fc_error))


def test_other_personas_keep_their_identity() -> None:
    assert broken_identity(GOOD, None) == GOOD and broken_identity(GOOD, "idp_503") == GOOD


# Through a provider, on the live mock ----------------------------------------------------------


REDIRECT_URI = "http://rp.localhost:1/callback"  # nothing listens: the redirect is read, not followed


@pytest.fixture
def live_rp(control: ControlClient, sites: dict[str, str]) -> Iterator[Callable[..., str]]:
    """Register an application at the live mock; the URL of an authorization request for it."""
    client_id = "h2-live-" + secrets.token_hex(4)
    control.register_fc_client(client_id=client_id, client_secret=secrets.token_urlsafe(32), name="Service H2",
                               redirect_uris=[REDIRECT_URI])

    def url(**changes: str) -> str:
        params = {"acr_values": "eidas1", "client_id": client_id, "nonce": secrets.token_urlsafe(36),
                  "redirect_uri": REDIRECT_URI, "response_type": "code", "scope": SCOPE,
                  "state": secrets.token_urlsafe(36), **changes}
        return f"{sites['franceconnect']}/api/v2/authorize?{urlencode(params)}"

    yield url
    control.delete_fc_client(client_id)


@pytest.fixture
def live_persona(worker_control: ControlClient) -> Iterator[Callable[..., Persona]]:
    made: list[str] = []

    def make(**fields: Any) -> Persona:
        persona = worker_control.create_persona(**fields)
        made.append(persona.id)
        return persona

    yield make
    for persona_id in made:
        worker_control.delete_persona(persona_id)


def follow(http, url: str, until: str) -> str:
    """Follow redirects from `url` until one leads to a URL starting with `until`."""
    for _ in range(10):
        response = http.get(url, allow_redirects=False)
        assert response.is_redirect, f"HTTP {response.status_code} at {url}: {response.text[:300]}"
        url = urljoin(url, response.headers["Location"])
        if url.startswith(until):
            return url
    raise AssertionError(f"never reached {until}")


def test_idp_hint_goes_straight_to_the_providers_login_page(live_rp, sites) -> None:
    http = loopback_session()
    login = http.get(follow(http, live_rp(idp_hint="ameli"), sites["ameli"] + "/connexion/"))
    assert login.status_code == 200 and 'id="login-form"' in login.text


def test_the_choice_sent_twice_is_one_trip_to_the_provider(live_rp, sites) -> None:
    http = loopback_session()
    interaction = follow(http, live_rp(), sites["franceconnect"] + "/api/v2/interaction/")
    form = next(form for form in forms_of(http.get(interaction).text) if ("provider", "ameli") in form.buttons)
    data = {**form.fields, "provider": "ameli"}
    first = http.post(urljoin(interaction, form.action), data=data, allow_redirects=False)
    again = http.post(urljoin(interaction, form.action), data=data, allow_redirects=False)
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert first.headers["Location"].startswith(sites["ameli"])


@pytest.mark.parametrize("fc_error", ["no_gender", "missing_claim"])
def test_an_identity_franceconnect_refuses_ends_on_its_error_page(live_rp, live_persona, fc_error) -> None:
    persona = live_persona(fc_error=fc_error)
    http = loopback_session()
    answers: list = []
    http.hooks["response"].append(lambda response, *args, **kwargs: answers.append(response))
    with pytest.raises(FlowError):
        BrowserLike("ameli", session=http).log_in(live_rp(), persona, REDIRECT_URI)
    error = answers[-1]
    assert error.status_code == 400 and urlsplit(error.url).path == "/api/v2/oidc-callback"
    text = html_lib.unescape(error.text)
    assert FCW["error_code"].format(code="Y600006") in text and FCW["error_messages"]["invalid_identity"] in text
