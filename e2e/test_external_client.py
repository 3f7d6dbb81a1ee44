"""An application outside the project signs people in with the mock FranceConnect.

examples/relying_party/app.py knows FranceConnect only by its issuer and the
client_id/client_secret it registers through the control API, and speaks
OpenID Connect with pyoidc. It runs here on waitress (port 0, in a thread),
reached by the browser as http://rp.localhost:<port>.
"""

from __future__ import annotations

import importlib.util
import re
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from playwright.sync_api import Page, expect

from pytest_franceconnect_mock.control import ControlClient
from fixtures.providers import BY_ID
from mock_server import texts
from mock_server.french import french_date
from mock_server.server import ThreadedServer
from mock_server.personas import Persona

from .journey import FranceConnectJourney
from .pages import ChooserPage, FcLoggedOutPage
from .pages.example_service import LOGIN_FAILED, SIGNED_OUT, ExampleServicePage

pytestmark = pytest.mark.franceconnect

APP_FILE = Path(__file__).resolve().parents[1] / "examples" / "relying_party" / "app.py"
SERVICE = "Service exemple"
FC = texts.FRANCECONNECT
AMELI = BY_ID["ameli"]


def load_example() -> ModuleType:
    """The example as its own module, from its file: it is not part of the project's packages."""
    spec = importlib.util.spec_from_file_location("example_relying_party", APP_FILE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class ExampleApp:
    base_url: str
    client_id: str


@pytest.fixture
def example_app(control: ControlClient, sites: dict[str, str]) -> Iterator[ExampleApp]:
    example = load_example()
    server = ThreadedServer(threads=4, ident="example-rp")  # bound now: its URL is known before the app
    base_url = f"http://rp.localhost:{server.port}"
    client_id, client_secret = f"service-exemple-{uuid.uuid4().hex[:8]}", secrets.token_urlsafe(32)
    registered = control.register_fc_client(
        client_id=client_id, client_secret=client_secret, name=SERVICE,
        redirect_uris=[f"{base_url}/callback"], post_logout_redirect_uris=[f"{base_url}/"])
    assert registered["issuer"] == sites["franceconnect"] + "/api/v2"
    try:
        # Python does not resolve *.localhost here: the example's documented way round it.
        server.app = example.create_app(registered["issuer"], client_id, client_secret, base_url,
                                        session=example.localhost_session())
        server.start()
        yield ExampleApp(base_url, client_id)
    finally:
        server.stop()
        control.delete_fc_client(client_id)


@pytest.mark.title("Une application extérieure connecte puis déconnecte une personne avec le FranceConnect simulé et ameli")
def test_external_app_signs_in_and_out_through_the_mock_fc(page: Page, example_app: ExampleApp, persona: Persona,
                                                           journey: FranceConnectJourney) -> None:
    service = ExampleServicePage(page, example_app.base_url).open()
    journey.open_chooser(service.sign_in_button)

    expect(ChooserPage(page, SERVICE).intro).to_be_visible()
    journey.through(AMELI, persona)

    expect(service.greeting(persona.given_name, persona.family_name)).to_be_visible()
    expect(page).to_have_url(f"{example_app.base_url}/")
    for claim in ("birthdate", "family_name", "birthcountry", "email"):
        expect(service.claim(claim)).to_have_text(
            french_date(persona.birthdate) if claim == "birthdate" else str(getattr(persona, claim)))

    service.sign_out_button.click()
    fc_logged_out = FcLoggedOutPage(page, SERVICE)
    expect(fc_logged_out.title).to_be_visible()
    expect(fc_logged_out.logged_out_of(AMELI)).to_be_visible()
    fc_logged_out.back_to_service.click()

    expect(service.notice).to_have_text(SIGNED_OUT)
    expect(page).to_have_url(re.compile(re.escape(f"{example_app.base_url}/?state=") + r"[\w-]{32,}$"))
    # FranceConnect's session is over too: the next sign-in starts at the chooser again.
    journey.open_chooser(service.sign_in_button)


@pytest.mark.title("« Revenir sur Service exemple » depuis FranceConnect : l'application extérieure affiche le refus de connexion")
def test_going_back_from_fc_shows_the_refusal_in_the_app(page: Page, example_app: ExampleApp,
                                                         journey: FranceConnectJourney) -> None:
    service = ExampleServicePage(page, example_app.base_url).open()
    journey.open_chooser(service.sign_in_button)
    ChooserPage(page, SERVICE).back_to_service.click()

    expect(service.error_title).to_have_text(LOGIN_FAILED)
    expect(service.error).to_contain_text("access_denied")
    expect(service.back_home).to_be_visible()
