"""FranceConnect's pages as FranceConnect v2 has them, seen by a person: a provider
switched off on the chooser, idp_hint straight to the provider, a private
service's consent box, a double click that sends once, and an identity that
FranceConnect's checks refuse (its error page, code Y600006).

As FranceConnect's own suite (france-connect/sources quality/fcp/cypress/integration/usager:
fournisseur-identite-selection, connexion-idp_hint, information-consentement,
connexion-rnipp).
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, expect

from pytest_franceconnect_mock.control import ControlClient
from fixtures.providers import BY_ID
from mock_server import texts
from mock_server.federation import MONCOMPTE_CALLBACK_PATH
from mock_server.personas import Persona

from .journey import FranceConnectJourney
from .pages import AccountPage, ChooserPage, LoginPage, ProviderLoginPage, TechnicalErrorPage

pytestmark = pytest.mark.franceconnect

FC = texts.FRANCECONNECT
AMELI = BY_ID["ameli"]
YRIS = BY_ID["yris"]
SERVICE = "Service de test"
SERVICE_PAGE = f"<!doctype html><html lang='fr'><title>{SERVICE}</title><h1>{SERVICE}</h1></html>".encode()


class _ServicePage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(SERVICE_PAGE)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def service_callback() -> Iterator[str]:
    """Another service than Mon Compte: its redirect URI, where a small page answers
    (on a free port); the code FranceConnect sends is read from the address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ServicePage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/callback"
    server.shutdown()
    server.server_close()


@pytest.fixture
def fc_providers(control: ControlClient) -> Iterator[Callable[..., dict[str, Any]]]:
    """`fc_providers("yris", active=False)`: switch a provider on FranceConnect's chooser
    for this test; every provider is put back as its record has it afterwards."""
    touched: list[str] = []

    def switch(idp: str, **flags: bool) -> dict[str, Any]:
        touched.append(idp)
        return control.set_fc_provider(idp, **flags)

    yield switch
    for entry in control.fc_providers():
        if entry["id"] in touched:
            control.set_fc_provider(entry["id"], **entry["default"])


@pytest.fixture
def service(fc_register_client, sites: dict[str, str], service_callback: str) -> Callable[..., str]:
    """Register another service with FranceConnect (kind and providers as given);
    the URL of its "S'identifier avec FranceConnect" (an authorization request)."""

    def authorization_url(*, idp_hint: str | None = None, **registration: Any) -> str:
        client = fc_register_client(redirect_uris=[service_callback], name=SERVICE, **registration)
        params = {"acr_values": "eidas1", "client_id": client.client_id, "redirect_uri": service_callback,
                  "response_type": "code", "scope": "openid given_name family_name birthdate gender",
                  "state": secrets.token_urlsafe(36), "nonce": secrets.token_urlsafe(36)}
        if idp_hint is not None:
            params["idp_hint"] = idp_hint
        return f"{sites['franceconnect']}/api/v2/authorize?{urlencode(params)}"

    return authorization_url


def code_sent_to_service(page: Page, callback: str) -> str:
    expect(page).to_have_url(re.compile("^" + re.escape(callback) + r"\?"))
    return parse_qs(urlsplit(page.url).query)["code"][0]


@pytest.mark.title("Un fournisseur désactivé apparaît grisé « Indisponible » sur le choix du compte, un fournisseur masqué n'apparaît pas")
def test_a_provider_switched_off_is_shown_greyed_out(fc_providers, journey: FranceConnectJourney) -> None:
    fc_providers("yris", active=False)
    fc_providers("msa", display=False)
    chooser = journey.open_chooser()
    expect(chooser.unavailable(YRIS.name)).to_be_disabled()
    expect(chooser.unavailable(YRIS.name)).to_have_attribute("aria-disabled", "true")
    expect(chooser.provider(BY_ID["msa"].name)).to_have_count(0)
    expect(chooser.providers).to_have_count(5)
    # The others still lead to their login page.
    journey.choose(AMELI, chooser)


@pytest.mark.title("Un service qui n'offre que certains fournisseurs : les autres sont grisés « Indisponible »")
def test_a_service_offering_two_providers(page: Page, service) -> None:
    page.goto(service(providers=["impots", "ameli"]))
    chooser = ChooserPage(page, SERVICE)
    expect(chooser.title).to_be_visible()
    expect(chooser.provider(AMELI.name)).to_be_enabled()
    expect(chooser.unavailable(YRIS.name)).to_be_disabled()


@pytest.mark.title("idp_hint : le service m'envoie directement sur la page de connexion du fournisseur, sans choix du compte")
def test_idp_hint_goes_straight_to_the_provider(page: Page, service, service_callback, persona: Persona,
                                                journey: FranceConnectJourney) -> None:
    page.goto(service(idp_hint="ameli"))
    expect(ProviderLoginPage(page, AMELI).title).to_be_visible()
    journey.authenticate(AMELI, persona)
    journey.continue_to_service(lands_on=lambda page: None)
    assert code_sent_to_service(page, service_callback)


@pytest.mark.title("Service privé : « J'accède à mon service » reste inactif tant que je n'ai pas coché mon consentement")
def test_a_private_service_asks_for_consent(page: Page, service, service_callback, persona: Persona,
                                            journey: FranceConnectJourney) -> None:
    page.goto(service(type="private"))
    journey.choose(AMELI, ChooserPage(page, SERVICE))
    connected = journey.authenticate(AMELI, persona)
    expect(connected.title).to_be_visible()
    expect(connected.continue_button).to_be_disabled()
    expect(connected.continue_button).to_have_attribute("aria-disabled", "true")
    connected.consent.check()
    expect(connected.continue_button).to_be_enabled()
    connected.continue_to_service()
    assert code_sent_to_service(page, service_callback)


@pytest.mark.title("Service public (Mon Compte) : pas de case de consentement, la page d'information seulement")
def test_mon_compte_gets_the_information_page(persona: Persona, journey: FranceConnectJourney) -> None:
    journey.choose(AMELI, journey.open_chooser())
    connected = journey.authenticate(AMELI, persona)
    expect(connected.title).to_be_visible()
    expect(connected.consent).to_have_count(0)
    expect(connected.continue_button).to_be_enabled()


@pytest.mark.title("Un double clic sur un fournisseur puis sur « J'accède à mon service » n'envoie qu'une demande chaque fois")
def test_double_clicks_send_once(page: Page, control: ControlClient, persona: Persona,
                                 journey: FranceConnectJourney) -> None:
    chooser = journey.open_chooser()
    control.clear_journal()
    chooser.provider(AMELI.name).dblclick()
    expect(ProviderLoginPage(page, AMELI).title).to_be_visible()
    connected = journey.authenticate(AMELI, persona)
    expect(connected.title).to_be_visible()
    posts = [entry["path"] for entry in control.journal(site="franceconnect", method="POST")]
    assert len([path for path in posts if path.endswith("/fournisseur")]) == 1, posts
    assert len(control.journal(site="ameli", method="GET", path="/oidc/authorize")) == 1

    control.clear_journal()
    connected.continue_button.dblclick()
    expect(AccountPage(page).greeting_for(persona.display_name)).to_be_visible()
    posts = [entry["path"] for entry in control.journal(site="franceconnect", method="POST")]
    assert len([path for path in posts if path.endswith("/continuer")]) == 1, posts
    # One code reached Mon Compte, and it signed the person in.
    assert len(control.journal(site="moncompte", path=MONCOMPTE_CALLBACK_PATH)) == 1


@pytest.mark.title("Identité sans sexe renvoyée par le fournisseur : page d'erreur FranceConnect Y600006, puis Mon Compte annonce l'échec")
def test_an_identity_franceconnect_refuses(page: Page, make_persona, journey: FranceConnectJourney) -> None:
    persona = make_persona(fc_error="no_gender")
    journey.choose(AMELI, journey.open_chooser())
    journey.authenticate(AMELI, persona)
    error = TechnicalErrorPage(page)
    expect(error.title).to_be_visible()
    expect(error.code("Y600006")).to_be_visible()
    expect(error.message(FC["error_messages"]["invalid_identity"])).to_be_visible()
    error.back_to_service.click()
    expect(LoginPage(page).notice).to_have_text(texts.FC_LOGIN["failed"])
