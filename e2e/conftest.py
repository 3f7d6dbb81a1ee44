"""Page fixtures for the scenarios: each starts from a fresh browser context."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Request, expect

from mock_server.personas import Persona

from fixtures import guide
from fixtures.control import ControlClient

from .pages import AccountPage, HomePage, LoginPage
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
