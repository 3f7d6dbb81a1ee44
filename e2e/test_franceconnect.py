"""Comment me connecter avec FranceConnect ? — the help page's steps, through
each identity provider, and what goes wrong around them.

① Sur la page de connexion, je clique sur le bouton S'identifier avec FranceConnect.
② Je clique sur le compte avec lequel je souhaite me connecter.
③ Je complète mes identifiants puis je clique sur Me connecter et J'accède à mon service.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from playwright.sync_api import Page, expect

from fixtures import guide
from fixtures.providers import BY_ID, PASSWORD_PROVIDERS, PROVIDERS, ProviderCase
from mock_server import texts
from mock_server.french import fill, french_date
from mock_server.personas import Persona

from .journey import FranceConnectJourney
from .pages import (
    AccountPage,
    ChooserPage,
    ConnectedPage,
    FcLoggedOutPage,
    FcRefusedPage,
    LoggedOutPage,
    LoginPage,
    NoAccountPage,
    TechnicalErrorPage,
)
from .steps import StepRecorder

pytestmark = pytest.mark.franceconnect

FC = texts.FRANCECONNECT
AMELI = BY_ID["ameli"]


# The documented path, through each provider ------------------------------------------------


@pytest.mark.title("Je me connecte avec FranceConnect via « {case.name} » et j'arrive sur Mon Compte avec mon identité")
@pytest.mark.tutorial(guide.FRANCECONNECT.key)
@pytest.mark.parametrize("case", PROVIDERS, ids=[case.id for case in PROVIDERS])
def test_login_through_each_provider(chooser: ChooserPage, case: ProviderCase, persona: Persona,
                                     journey: FranceConnectJourney, step: StepRecorder) -> None:
    step.journey = f"Avec {case.in_text}"
    expect(chooser.providers).to_have_text([provider.name for provider in PROVIDERS])
    journey.choose(case, chooser)
    connected = journey.authenticate(case, persona)

    expect(connected.shows(fill(FC["connected_as"], name=persona.display_name, provider=case.in_text))).to_be_visible()
    account = journey.continue_to_service()
    with step(guide.FC_LOGGED_IN, highlight=account.fc_identity):
        expect(account.greeting_for(persona.display_name)).to_be_visible()
        expect(account.fc_identity).to_contain_text(french_date(persona.birthdate))
        expect(account.fc_identity).to_contain_text(persona.family_name)


@pytest.mark.title("Sur le choix du compte, « Qu'est-ce que FranceConnect ? » explique FranceConnect")
def test_chooser_explains_franceconnect(chooser: ChooserPage) -> None:
    chooser.what_is.click()
    expect(chooser.what_is_text).to_be_visible()


# Changing one's mind ------------------------------------------------------------------------


@pytest.mark.title("« Revenir sur Mon Compte » depuis le choix du compte annule la connexion FranceConnect, sans me connecter")
def test_back_to_the_service_from_the_chooser(page: Page, chooser: ChooserPage) -> None:
    chooser.back_to_service.click()
    login = LoginPage(page)
    expect(login.title).to_be_visible()
    expect(login.notice).to_have_text(texts.FC_LOGIN["aborted"])
    expect(AccountPage(page).logout_button).to_be_hidden()


@pytest.mark.title("Chez ameli, « Revenir à FranceConnect » me ramène au choix du compte avec un message d'abandon")
def test_cancel_at_the_provider_comes_back_to_the_chooser(chooser: ChooserPage,
                                                           journey: FranceConnectJourney) -> None:
    journey.choose(AMELI, chooser).cancel()
    expect(chooser.title).to_be_visible()
    expect(chooser.alert).to_have_text(fill(FC["login_aborted"], provider=AMELI.in_text))


@pytest.mark.title("Chez « {case.name} », un mot de passe erroné donne le message du fournisseur et est effacé")
@pytest.mark.parametrize("case", PASSWORD_PROVIDERS, ids=[case.id for case in PASSWORD_PROVIDERS])
def test_wrong_credentials_get_the_providers_own_message(chooser: ChooserPage, case: ProviderCase, persona: Persona,
                                                         journey: FranceConnectJourney) -> None:
    provider = journey.choose(case, chooser)
    provider.log_in(persona, password=persona.credentials[case.id]["password"] + "0")
    expect(provider.alert).to_have_text(case.bad_credentials)
    expect(provider.title).to_be_visible()
    expect(provider.field(case.password)).to_have_value("")


# Error personas, as in FranceConnect's own test data ------------------------------------------


@pytest.mark.title("Erreur FranceConnect « {fc_error} » via ameli : page d'erreur avec le code {code}, puis Mon Compte annonce l'échec")
@pytest.mark.parametrize(("fc_error", "code"), [
    ("idp_500", "Y020001"),
    ("idp_503", "Y020001"),
    ("idp_timeout", "Y020004"),
    ("missing_claim", "Y600006"),
])
def test_provider_failure_shows_franceconnects_error_page(page: Page, chooser: ChooserPage, journey: FranceConnectJourney,
                                                          make_persona, mock_settings, fc_error, code) -> None:
    # FranceConnect gives up on a provider that never answers after 1 s instead of 3.
    mock_settings(upstream_timeout_seconds=1)
    persona = make_persona(fc_error=fc_error)
    journey.choose(AMELI, chooser).log_in(persona)
    error = TechnicalErrorPage(page)
    expect(error.title).to_be_visible()
    expect(error.code(code)).to_be_visible()
    error.back_to_service.click()
    login = LoginPage(page)
    expect(login.notice).to_have_text(texts.FC_LOGIN["failed"])


@pytest.mark.title("Si je refuse le partage de mes données, je reviens au choix du compte FranceConnect avec un message d'abandon")
def test_refused_consent_comes_back_to_the_chooser(chooser: ChooserPage, make_persona,
                                                   journey: FranceConnectJourney) -> None:
    persona = make_persona(fc_error="consent_refused")
    journey.choose(AMELI, chooser).log_in(persona)
    expect(chooser.alert).to_have_text(fill(FC["login_aborted"], provider=AMELI.in_text))


@pytest.mark.title("Identité FranceConnect sans dossier Caf : « Aucun compte Caf ne correspond à votre identité » explique quoi faire")
def test_identity_without_caf_record_explains_what_to_do(page: Page, chooser: ChooserPage, make_persona,
                                                         journey: FranceConnectJourney) -> None:
    persona = make_persona(caf_record=False)
    journey.choose(AMELI, chooser)
    journey.authenticate(AMELI, persona)
    journey.continue_to_service()
    no_account = NoAccountPage(page)
    expect(no_account.title).to_be_visible()
    expect(no_account.advice).to_have_text(texts.FC_LOGIN["no_account_steps"])
    expect(no_account.logout_button).to_be_hidden()


@pytest.mark.title("Une réponse de FranceConnect modifiée en chemin est refusée par Mon Compte, qui ne me connecte pas")
def test_tampered_state_is_refused_by_mon_compte(page: Page, chooser: ChooserPage,
                                                 persona, journey: FranceConnectJourney) -> None:
    journey.choose(AMELI, chooser)
    journey.authenticate(AMELI, persona)
    # FranceConnect's answer is a redirect to Mon Compte: change the state it carries
    # on its way (Chromium's own interception, which sees redirect responses).
    cdp = page.context.new_cdp_session(page)

    def tamper(event: dict) -> None:
        headers = [dict(header) for header in event["responseHeaders"]]
        for header in headers:
            if header["name"].lower() == "location":
                parts = urlsplit(header["value"])
                query = [(key, value[::-1] if key == "state" else value) for key, value in parse_qsl(parts.query)]
                header["value"] = urlunsplit(parts._replace(query=urlencode(query)))
        cdp.send("Fetch.fulfillRequest", {"requestId": event["requestId"], "responseCode": event["responseStatusCode"],
                                          "responseHeaders": headers, "body": ""})

    cdp.on("Fetch.requestPaused", tamper)
    cdp.send("Fetch.enable", {"patterns": [{"urlPattern": "*/continuer", "requestStage": "Response"}]})
    ConnectedPage(page).continue_to_service()
    expect(FcRefusedPage(page).title).to_be_visible()
    page.goto("/mon-compte/")
    expect(LoginPage(page).title).to_be_visible()


# Sessions: single sign-on, expiry, logout ----------------------------------------------------


@pytest.mark.title("Tant que ma session FranceConnect dure, je me reconnecte sans repasser par le fournisseur d'identité")
def test_second_login_skips_the_provider_while_the_fc_session_lives(page: Page, persona,
                                                                    journey: FranceConnectJourney) -> None:
    journey.log_in(persona)
    # Mon Compte's session ends (closed tab, expiry) while FranceConnect's lives on.
    page.context.clear_cookies(name="moncompte_session")
    LoginPage(page).open().franceconnect_button.click()
    connected = ConnectedPage(page)
    expect(connected.title).to_be_visible()
    connected.continue_to_service()
    expect(AccountPage(page).greeting_for(persona.display_name)).to_be_visible()


@pytest.mark.title("Après 30 minutes, ma session FranceConnect a pris fin : je dois de nouveau choisir un compte")
def test_fc_session_ends_after_30_minutes(page: Page, journey: FranceConnectJourney, persona, control) -> None:
    journey.log_in(persona)
    page.context.clear_cookies(name="moncompte_session")
    control.advance_clock(minutes=31)
    journey.open_chooser()


@pytest.mark.title("« Déconnexion » me déconnecte de Mon Compte, de FranceConnect et d'ameli, qui redemande mes identifiants")
def test_logout_ends_mon_compte_franceconnect_and_the_provider(page: Page, journey: FranceConnectJourney,
                                                               persona) -> None:
    journey.log_in(persona).logout_button.click()
    fc_logged_out = FcLoggedOutPage(page)
    expect(fc_logged_out.title).to_be_visible()
    expect(fc_logged_out.logged_out_of(AMELI)).to_be_visible()
    fc_logged_out.back_to_service.click()
    expect(LoggedOutPage(page).title).to_be_visible()

    # The next FranceConnect login asks for the provider's credentials again.
    journey.choose(AMELI, journey.open_chooser())


@pytest.mark.title("Avec YRIS, sans déconnexion à distance : après « Déconnexion », FranceConnect me prévient et sa session prend fin")
def test_logout_copes_with_a_provider_without_end_session(page: Page, journey: FranceConnectJourney,
                                                          persona) -> None:
    yris = BY_ID["yris"]
    assert not yris.has_end_session
    journey.log_in(persona, yris).logout_button.click()
    fc_logged_out = FcLoggedOutPage(page)
    expect(fc_logged_out.title).to_be_visible()
    expect(fc_logged_out.still_signed_in_at(yris)).to_be_visible()
    fc_logged_out.back_to_service.click()
    expect(LoggedOutPage(page).title).to_be_visible()
    # FranceConnect's session is gone: the chooser again.
    journey.open_chooser()


@pytest.mark.title("La connexion FranceConnect via impots.gouv.fr fonctionne avec l'horloge du simulateur avancée de 45 minutes")
def test_login_works_on_a_mock_clock_moved_forward(persona, control, journey: FranceConnectJourney) -> None:
    # Every party of the federation reads the mock's clock: tokens issued "later" are still valid.
    control.advance_clock(minutes=45)
    account = journey.log_in(persona, BY_ID["impots"])
    expect(account.greeting_for(persona.display_name)).to_be_visible()
