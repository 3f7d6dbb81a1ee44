"""Page fixtures for the scenarios: each starts from a fresh browser context."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Request, expect

from mock_server.personas import Persona

from fixtures import guide
from fixtures.providers import ProviderCase
from pytest_franceconnect_mock.control import ControlClient

from .journey import FranceConnectJourney
from .pages import AccountPage, ChooserPage, ConnectedPage, HomePage, LoginPage, ProviderLoginPage
from .steps import StepRecorder

# Auto-waiting assertions give up after 5 s by default; the mock answers in
# milliseconds, so a slower answer is a failure worth seeing quickly.
expect.set_options(timeout=5_000)


@pytest.fixture
def home_page(page: Page) -> HomePage:
    return HomePage(page).open()


@pytest.fixture
def login_page(page: Page) -> LoginPage:
    return LoginPage(page).open()


@pytest.fixture
def log_in(page: Page, step: StepRecorder) -> Callable[[Persona], AccountPage]:
    """Log a persona in through the login page, as a user does: steps ① and ②."""

    def log_in(persona: Persona, *, remember: bool = False) -> AccountPage:
        login = LoginPage(page).open()
        if persona.provisional_id:
            with step(guide.LOGIN_PROVISIONAL, highlight=login.provisional_id):
                login.provisional_toggle.check()
                expect(login.nir).to_be_hidden()
                login.provisional_id.fill(persona.provisional_id)
        else:
            with step(guide.LOGIN_NIR, highlight=login.nir):
                login.nir.fill(persona.nir)
        with step(guide.LOGIN_PASSWORD, click=login.submit_button):
            login.password.fill(persona.password)
            login.remember_me.set_checked(remember)
        account = AccountPage(page)
        expect(account.title).to_be_visible()
        return account

    return log_in


@pytest.fixture
def signed_in(page: Page, control: ControlClient) -> Callable[[Persona], AccountPage]:
    """Open Mon Compte's account space already signed in as a persona, without the login
    page: the control API opens the session a login would, and the browser context takes
    its cookie (Playwright's storage state). For scenarios whose subject is not the login."""

    def signed_in(persona: Persona) -> AccountPage:
        page.context.add_cookies(control.sign_in(persona.id)["cookies"])
        account = AccountPage(page).open()
        expect(account.title).to_be_visible()
        return account

    return signed_in


@pytest.fixture
def form_posts(page: Page) -> list[Request]:
    """The POST requests the page sends: proves a check happened in the browser."""
    posts: list[Request] = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    return posts


# FranceConnect's documented path (the help page's ① ② ③), written once in e2e/journey.py ------


@pytest.fixture
def journey(page: Page, control: ControlClient, step: StepRecorder) -> FranceConnectJourney:
    """The FranceConnect path in this test's page, each step marked in the report."""
    return FranceConnectJourney(page, control, step)


@pytest.fixture
def chooser(login_page: LoginPage, journey: FranceConnectJourney) -> ChooserPage:
    """① From Mon Compte's login page, « S'identifier avec FranceConnect »: the chooser."""
    return journey.open_chooser(login_page.franceconnect_button)


@pytest.fixture
def at_provider(journey: FranceConnectJourney) -> Callable[[ChooserPage, ProviderCase], ProviderLoginPage]:
    """② Je clique sur le compte avec lequel je souhaite me connecter."""

    def at_provider(chooser: ChooserPage, case: ProviderCase) -> ProviderLoginPage:
        return journey.choose(case, chooser)

    return at_provider


@pytest.fixture
def authenticate(journey: FranceConnectJourney) -> Callable[[ProviderCase, Persona], ConnectedPage]:
    """③ Je complète mes identifiants puis je clique sur « Me connecter »
    (France Identité: je valide dans l'application sur mon téléphone)."""
    return journey.authenticate


@pytest.fixture
def continue_to_service(journey: FranceConnectJourney) -> Callable[[], AccountPage]:
    """③ … et « J'accède à mon service »: Mon Compte's account page (not waited for)."""

    def continue_to_service() -> AccountPage:
        return journey.continue_to_service()

    return continue_to_service


@pytest.fixture
def fc_login(journey: FranceConnectJourney) -> Callable[..., AccountPage]:
    """The whole documented path, from the login page to Mon Compte's account space."""
    return journey.log_in


@pytest.fixture
def through_franceconnect(journey: FranceConnectJourney) -> Callable[[ProviderCase, Persona], None]:
    """② and ③ from FranceConnect's chooser, whichever service sent the browser there, up to
    « J'accède à mon service » clicked: where it leads is the service's."""

    def through_franceconnect(case: ProviderCase, persona: Persona) -> None:
        journey.through(case, persona)

    return through_franceconnect
