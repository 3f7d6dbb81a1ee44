"""Comment me connecter à Mon Compte ? Steps ① and ② of the help page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from fixtures import guide
from fixtures.bad_inputs import BAD_PASSWORDS, BAD_PROVISIONAL_IDS
from mock_server import texts
from mock_server.rules.nir import format_nir

from .pages import AccountPage, HomePage, LoginPage, PaymentsPage
from .steps import StepRecorder

pytestmark = pytest.mark.login


@pytest.mark.title("L'icône « Mon Compte » de l'accueil mène à la page de connexion, avec tous les éléments de la page d'aide")
@pytest.mark.tutorial(guide.WHERE.key)
def test_mon_compte_icon_leads_to_the_login_page_with_every_seed_element(
    home_page: HomePage, step: StepRecorder
) -> None:
    with step(guide.WHERE_ICON, click=home_page.mon_compte_icon):
        expect(home_page.menu).to_be_visible()
    login = LoginPage(home_page.page)
    expect(login.page).to_have_url(re.compile(r"/connexion$"))
    for element in login.seed_elements():
        expect(element).to_be_visible()


@pytest.mark.title("Je me connecte avec mon numéro de sécurité sociale et j'arrive sur Mon Compte")
@pytest.mark.tutorial(guide.LOGIN.key)
def test_login_with_nir(log_in, persona, step: StepRecorder) -> None:
    step.journey = "Avec mon numéro de sécurité sociale"
    account = log_in(persona)  # steps ① and ②
    with step(guide.LOGGED_IN, highlight=account.title):
        expect(account.title).to_be_visible()
        expect(account.greeting_for(persona.display_name)).to_be_visible()
        expect(account.logout_button).to_be_visible()


@pytest.mark.title("Je me connecte avec mon numéro de sécurité sociale saisi avec des espaces et des points")
def test_login_with_nir_typed_with_spaces_and_dots(login_page: LoginPage, persona) -> None:
    typed = format_nir(persona.nir).replace(" ", ". ", 2)
    login_page.login_with_nir(typed, persona.password)
    expect(AccountPage(login_page.page).greeting_for(persona.display_name)).to_be_visible()


@pytest.mark.title("Je me connecte avec mon numéro de sécurité sociale au département de naissance corse (2A ou 2B), saisi en minuscules")
def test_login_with_corsican_nir(login_page: LoginPage, make_persona) -> None:
    persona = make_persona("corsican")
    assert persona.nir[5:7] in ("2A", "2B")
    login_page.login_with_nir(persona.nir.lower(), persona.password)
    expect(AccountPage(login_page.page).greeting_for(persona.display_name)).to_be_visible()


@pytest.mark.title("Je me connecte avec mon identifiant provisoire et j'arrive sur Mon Compte")
@pytest.mark.tutorial(guide.LOGIN.key)
def test_login_with_provisional_identifier(log_in, make_persona, step: StepRecorder) -> None:
    persona = make_persona("provisional")
    step.journey = "Avec mon identifiant provisoire"
    account = log_in(persona)  # ① with the provisional identifier (the NIR field hidden), then ②
    with step(guide.LOGGED_IN, highlight=account.title):
        expect(account.greeting_for(persona.display_name)).to_be_visible()


@pytest.mark.title("La case « J'ai un identifiant provisoire » remplace le champ du numéro de sécurité sociale, et inversement")
def test_provisional_toggle_swaps_the_identifier_field(login_page: LoginPage) -> None:
    expect(login_page.nir).to_be_visible()
    expect(login_page.provisional_id).to_be_hidden()
    login_page.provisional_toggle.check()
    expect(login_page.provisional_id).to_be_visible()
    expect(login_page.nir).to_be_hidden()
    login_page.provisional_toggle.uncheck()
    expect(login_page.nir).to_be_visible()


@pytest.mark.title("Un mauvais mot de passe et un compte inconnu reçoivent le même message, et le mot de passe est effacé")
def test_wrong_password_and_unknown_account_get_the_same_message(
    login_page: LoginPage, persona, persona_factory
) -> None:
    login_page.login_with_nir(persona.nir, persona_factory.password())
    expect(login_page.alert).to_have_text(texts.LOGIN_ERRORS["bad_credentials"])
    for_known = login_page.alert.inner_text()

    login_page.login_with_nir(persona_factory.nir(), persona_factory.password())
    expect(login_page.alert).to_have_text(texts.LOGIN_ERRORS["bad_credentials"])
    assert login_page.alert.inner_text() == for_known
    expect(login_page.password).to_have_value("")


@pytest.mark.title("Mot de passe trop court ou trop long refusé avant envoi : « {case.message} »")
@pytest.mark.parametrize(
    "case", [c for c in BAD_PASSWORDS if c.code in ("too_short", "too_long")], ids=lambda c: c.id
)
def test_password_of_the_wrong_length_is_refused_before_submit(
    login_page: LoginPage, persona, form_posts, case
) -> None:
    login_page.login_with_nir(persona.nir, case.value)
    expect(login_page.password).to_have_accessible_description(case.message)
    expect(login_page.title).to_be_visible()
    assert form_posts == []


@pytest.mark.title("Avant envoi, le navigateur refuse l'identifiant provisoire : « {case.message} » (saisie : « {case.value} »)")
@pytest.mark.parametrize("case", BAD_PROVISIONAL_IDS, ids=lambda c: c.id)
def test_bad_provisional_identifier(login_page: LoginPage, persona_factory, form_posts, case) -> None:
    login_page.login_with_provisional(case.value, persona_factory.password())
    expect(login_page.provisional_id).to_have_accessible_description(case.message)
    assert form_posts == []


@pytest.mark.title("Sans être connecté, la page « Mes paiements » mène à la connexion, puis s'affiche une fois connecté")
def test_protected_page_sends_to_login_then_back_to_it(page: Page, persona) -> None:
    page.goto("/mon-compte/mes-paiements")
    login = LoginPage(page)
    expect(login.title).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(texts.LOGIN_REQUIRED)
    login.login_with_nir(persona.nir, persona.password)
    expect(page).to_have_url(re.compile(r"/mon-compte/mes-paiements$"))
    expect(PaymentsPage(page).title).to_be_visible()


@pytest.mark.title("Après la connexion, un retour demandé vers un autre site est ignoré : j'arrive sur Mon Compte")
def test_login_never_sends_to_another_site(page: Page, persona, base_url: str) -> None:
    login = LoginPage(page).open(next_path="https://example.org/")
    login.login_with_nir(persona.nir, persona.password)
    expect(page).to_have_url(f"{base_url}/mon-compte/")
