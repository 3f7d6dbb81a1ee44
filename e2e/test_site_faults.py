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

from .pages import AccountPage, ChooserPage, ConnectedPage, LoginPage, TechnicalErrorPage
from .pages.identity_provider import ProviderLoginPage
from .pages.reset import IdentifyStep

pytestmark = pytest.mark.simulation

FC = texts.FRANCECONNECT
AMELI = BY_ID["ameli"]


def open_chooser(page: Page) -> ChooserPage:
    LoginPage(page).open().franceconnect_button.click()
    chooser = ChooserPage(page)
    expect(chooser.title).to_be_visible()
    return chooser


def finish_at_provider(page: Page, case: ProviderCase, persona, control: ControlClient) -> AccountPage:
    provider = ProviderLoginPage(page, case)
    expect(provider.title).to_be_visible()
    if case.approval:
        control.approve_on_phone(persona.id)
    else:
        provider.log_in(persona)
    ConnectedPage(page).continue_to_service()
    account = AccountPage(page)
    expect(account.greeting_for(persona.display_name)).to_be_visible()
    return account


@pytest.mark.title("FranceConnect indisponible : un message l'explique, puis « Réessayer » fonctionne une fois la panne levée")
@pytest.mark.scenario("franceconnect-down")
def test_franceconnect_down_at_the_button(page: Page, faults: ControlClient, persona) -> None:
    login = LoginPage(page).open()
    login.franceconnect_button.click()
    expect(page.get_by_role("heading", name=texts.FC_LOGIN["unavailable_title"])).to_be_visible()
    expect(page.get_by_text(texts.FC_LOGIN["unavailable_text"])).to_be_visible()

    faults.clear_faults()
    page.get_by_role("link", name=texts.FC_LOGIN["retry"]).click()
    expect(ChooserPage(page).title).to_be_visible()


@pytest.mark.title("« {case.name} » en panne : code Y020001 chez FranceConnect, puis la connexion passe après réparation")
@pytest.mark.parametrize("case", PROVIDERS, ids=[case.id for case in PROVIDERS])
def test_provider_down_at_the_chooser(page: Page, faults: ControlClient, case: ProviderCase, persona) -> None:
    faults.apply_scenario(f"{case.id}-down")
    chooser = open_chooser(page)
    chooser.choose(case.name)
    error = TechnicalErrorPage(page)
    expect(error.code("Y020001")).to_be_visible()
    expect(page.get_by_text(fill(FC["error_messages"]["idp_unavailable"], provider=case.in_text))).to_be_visible()

    # Cleared: the person goes back to the chooser and gets through.
    faults.clear_faults()
    chooser = open_chooser(page)
    chooser.choose(case.name)
    finish_at_provider(page, case, persona, faults)


@pytest.mark.title("Si ameli répond avec 1,2 s de retard, la connexion FranceConnect aboutit quand même")
def test_slow_provider_still_lets_the_person_through(page: Page, faults: ControlClient, persona) -> None:
    # The answer FranceConnect waits for (the token call) comes 1.2 s late, well
    # within its 3 s: the person gets through.
    fault = faults.add_fault(kind="latency", ms=1200, site="ameli", route="/oidc/token")
    open_chooser(page).choose(AMELI.name)
    finish_at_provider(page, AMELI, persona, faults)
    token_calls = [entry for entry in faults.journal(site="ameli", path="/oidc/token") if entry["fault"] == fault["id"]]
    assert len(token_calls) == 1 and token_calls[0]["duration_ms"] >= 1200


@pytest.mark.title("Si ameli répond trop lentement, FranceConnect affiche une erreur (code Y020004) et Mon Compte annonce l'échec")
def test_provider_too_slow_for_franceconnect_gets_a_clean_timeout_page(
    page: Page, faults: ControlClient, mock_settings, persona
) -> None:
    # Only the server-to-server token call is slow: longer than FranceConnect waits
    # (lowered from 3 s to 1 s for this test, so it gives up sooner).
    mock_settings(upstream_timeout_seconds=1)
    faults.add_fault(kind="latency", ms=2500, site="ameli", route="/oidc/token")
    open_chooser(page).choose(AMELI.name)
    ProviderLoginPage(page, AMELI).log_in(persona)
    error = TechnicalErrorPage(page)
    expect(error.code("Y020004")).to_be_visible()
    error.back_to_service.click()
    expect(LoginPage(page).notice).to_have_text(texts.FC_LOGIN["failed"])


@pytest.mark.title("Erreur du serveur à la connexion : une page d'erreur, puis « Réessayer » fonctionne une fois la panne levée")
@pytest.mark.scenario("login-error")
def test_server_error_on_the_login_post_then_recovery(page: Page, faults: ControlClient, persona) -> None:
    login = LoginPage(page).open()
    login.login_with_nir(persona.nir, persona.password)
    expect(page.get_by_role("heading", name=texts.ERRORS["server_title"])).to_be_visible()
    assert faults.journal(site="moncompte", path="/connexion", method="POST", persona=persona.id)[-1]["status"] == 500

    faults.clear_faults()
    page.get_by_role("link", name=texts.ERRORS["retry"]).click()
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
