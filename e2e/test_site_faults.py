"""What a person meets when a site breaks — FranceConnect down, an identity
provider down or slow, Mon Compte failing at login, a double click — and that
everything works again once the fault is cleared."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pytest_franceconnect_mock.control import ControlClient
from fixtures.providers import BY_ID, PROVIDERS, ProviderCase
from mock_server import texts
from mock_server.french import fill

from .journey import FranceConnectJourney
from .pages import AccountPage, ChooserPage, ErrorPage, FcUnavailablePage, LoginPage, TechnicalErrorPage
from .pages.reset import IdentifyStep

pytestmark = pytest.mark.simulation

FC = texts.FRANCECONNECT
AMELI = BY_ID["ameli"]


@pytest.mark.title("FranceConnect indisponible : un message l'explique, puis « Réessayer » fonctionne une fois la panne levée")
@pytest.mark.scenario("franceconnect-down")
def test_franceconnect_down_at_the_button(page: Page, faults: ControlClient) -> None:
    LoginPage(page).open().franceconnect_button.click()
    unavailable = FcUnavailablePage(page)
    expect(unavailable.title).to_be_visible()
    expect(unavailable.text).to_be_visible()

    faults.clear_faults()
    unavailable.retry()
    expect(ChooserPage(page).title).to_be_visible()


@pytest.mark.title("« {case.name} » en panne : code Y020001 chez FranceConnect, puis la connexion passe après réparation")
@pytest.mark.parametrize("case", PROVIDERS, ids=[case.id for case in PROVIDERS])
def test_provider_down_at_the_chooser(page: Page, faults: ControlClient, journey: FranceConnectJourney,
                                      case: ProviderCase, persona) -> None:
    faults.apply_scenario(f"{case.id}-down")
    journey.open_chooser().choose(case.name)
    error = TechnicalErrorPage(page)
    expect(error.code("Y020001")).to_be_visible()
    expect(error.message(fill(FC["error_messages"]["idp_unavailable"], provider=case.in_text))).to_be_visible()

    # Cleared: the person goes back to the chooser and gets through.
    faults.clear_faults()
    expect(journey.log_in(persona, case).greeting_for(persona.display_name)).to_be_visible()


@pytest.mark.title("Si ameli répond avec 1,2 s de retard, la connexion FranceConnect aboutit quand même")
def test_slow_provider_still_lets_the_person_through(faults: ControlClient, journey: FranceConnectJourney,
                                                     persona) -> None:
    # The answer FranceConnect waits for (the token call) comes 1.2 s late, well
    # within its 3 s: the person gets through.
    fault = faults.add_fault(kind="latency", ms=1200, site="ameli", route="/oidc/token")
    expect(journey.log_in(persona, AMELI).greeting_for(persona.display_name)).to_be_visible()
    token_calls = [entry for entry in faults.journal(site="ameli", path="/oidc/token") if entry["fault"] == fault["id"]]
    assert len(token_calls) == 1 and token_calls[0]["duration_ms"] >= 1200


@pytest.mark.title("Si ameli répond trop lentement, FranceConnect affiche une erreur (code Y020004) et Mon Compte annonce l'échec")
def test_provider_too_slow_for_franceconnect_gets_a_clean_timeout_page(
    page: Page, faults: ControlClient, mock_settings, journey: FranceConnectJourney, persona
) -> None:
    # Only the server-to-server token call is slow: longer than FranceConnect waits
    # (lowered from 3 s to 1 s for this test, so it gives up sooner).
    mock_settings(upstream_timeout_seconds=1)
    faults.add_fault(kind="latency", ms=2500, site="ameli", route="/oidc/token")
    journey.choose(AMELI, journey.open_chooser())
    journey.authenticate(AMELI, persona)
    error = TechnicalErrorPage(page)
    expect(error.code("Y020004")).to_be_visible()
    error.back_to_service.click()
    expect(LoginPage(page).notice).to_have_text(texts.FC_LOGIN["failed"])


@pytest.mark.title("Erreur du serveur à la connexion : une page d'erreur, puis « Réessayer » fonctionne une fois la panne levée")
@pytest.mark.scenario("login-error")
def test_server_error_on_the_login_post_then_recovery(page: Page, faults: ControlClient, persona) -> None:
    login = LoginPage(page).open()
    login.login_with_nir(persona.nir, persona.password)
    error = ErrorPage(page, 500)
    expect(error.title).to_be_visible()
    expect(error.text).to_be_visible()
    assert faults.journal(site="moncompte", path="/connexion", method="POST", persona=persona.id)[-1]["status"] == 500

    faults.clear_faults()
    error.retry()
    LoginPage(page).login_with_nir(persona.nir, persona.password)
    expect(AccountPage(page).greeting_for(persona.display_name)).to_be_visible()


@pytest.mark.title("Un double clic sur « Recevoir mon code » n'envoie qu'un seul code")
def test_double_click_sends_one_code(page: Page, control: ControlClient, persona) -> None:
    IdentifyStep(page).open()
    channel = IdentifyStep(page).identify_with_nir(persona.nir)
    expect(channel.title).to_be_visible()
    control.clear_journal()
    channel.option("sms").check()
    channel.send_button.dblclick()
    control.wait_for_message(persona.phone)
    posts = control.journal(site="moncompte", method="POST")
    assert [entry["path"] for entry in posts] == ["/mot-de-passe-oublie/canal"]
    assert len(control.outbox(to=persona.phone)) == 1
