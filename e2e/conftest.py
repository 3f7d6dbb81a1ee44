"""Page fixtures for the scenarios: each starts from a fresh browser context."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Request, expect

from mock_server.personas import Persona

from fixtures import guide
from pytest_franceconnect_mock.control import ControlClient

from fixtures.providers import BY_ID as PROVIDERS_BY_ID
from fixtures.providers import ProviderCase
from mock_server import texts

from .pages import AccountPage, ChooserPage, ConnectedPage, HomePage, LoginPage
from .pages.identity_provider import ProviderLoginPage
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


# FranceConnect's documented path (the help page's ① ② ③) -------------------------------------


def open_chooser(login: LoginPage, step: StepRecorder) -> ChooserPage:
    """① Sur la page de connexion, je clique sur « S'identifier avec FranceConnect »."""
    with step(guide.FC_BUTTON, click=login.franceconnect_button):
        expect(login.title).to_be_visible()
    chooser = ChooserPage(login.page)
    expect(chooser.title).to_be_visible()
    return chooser


@pytest.fixture
def chooser(login_page: LoginPage, step: StepRecorder) -> ChooserPage:
    return open_chooser(login_page, step)


@pytest.fixture
def at_provider(step: StepRecorder) -> Callable[[ChooserPage, ProviderCase], ProviderLoginPage]:
    """② Je clique sur le compte avec lequel je souhaite me connecter."""

    def at_provider(chooser: ChooserPage, case: ProviderCase) -> ProviderLoginPage:
        with step(guide.FC_CHOOSE, click=chooser.provider(case.name)):
            expect(chooser.title).to_be_visible()
        provider = ProviderLoginPage(chooser.page, case)
        expect(provider.title).to_be_visible()
        return provider

    return at_provider


@pytest.fixture
def authenticate(page: Page, control: ControlClient, step: StepRecorder) -> Callable[[ProviderCase, Persona], None]:
    """③ Je complète mes identifiants puis je clique sur « Me connecter »
    (France Identité: je valide dans l'application sur mon téléphone)."""

    def authenticate(case: ProviderCase, persona: Persona) -> None:
        provider = ProviderLoginPage(page, case)
        if case.approval:
            waiting = page.get_by_text(texts.PROVIDERS[case.id]["waiting"], exact=False).first
            with step(guide.FC_APPROVE, highlight=waiting):
                expect(waiting).to_be_visible()
            control.approve_on_phone(persona.id)
        else:
            with step(guide.FC_CREDENTIALS, click=provider.submit_button):
                provider.fill(persona.credentials[case.id])

    return authenticate


@pytest.fixture
def continue_to_service(page: Page, step: StepRecorder) -> Callable[[], AccountPage]:
    """③ … et « J'accède à mon service »."""

    def continue_to_service() -> AccountPage:
        connected = ConnectedPage(page)
        with step(guide.FC_CONTINUE, click=connected.continue_button):
            expect(connected.title).to_be_visible()
        return AccountPage(page)

    return continue_to_service


@pytest.fixture
def fc_login(page: Page, step: StepRecorder, at_provider, authenticate, continue_to_service) -> Callable[..., AccountPage]:
    """The whole documented path, from the login page to Mon Compte's account space."""

    def fc_login(persona: Persona, case: ProviderCase = PROVIDERS_BY_ID["ameli"]) -> AccountPage:
        at_provider(open_chooser(LoginPage(page).open(), step), case)
        authenticate(case, persona)
        account = continue_to_service()
        expect(account.title).to_be_visible()
        return account

    return fc_login


@pytest.fixture
def through_franceconnect(page: Page, step: StepRecorder, at_provider, authenticate) -> Callable[[ProviderCase, Persona], None]:
    """② and ③ from FranceConnect's chooser, whichever service sent the browser there, up to
    « J'accède à mon service » clicked: where it leads is the service's."""

    def through_franceconnect(case: ProviderCase, persona: Persona) -> None:
        at_provider(ChooserPage(page), case)
        authenticate(case, persona)
        connected = ConnectedPage(page)
        with step(guide.FC_CONTINUE, click=connected.continue_button):
            expect(connected.title).to_be_visible()

    return through_franceconnect
