"""FranceConnect's documented path through the browser, written once.

    journey = FranceConnectJourney(page, control, step)   # step: a StepRecorder, or None
    chooser = journey.open_chooser()                        # ① Mon Compte's button (or another service's)
    at_provider = journey.choose(case)                      # ② the provider's page
    connected = journey.authenticate(case, persona)         # ③ password, or approval on the phone
    account = journey.continue_to_service()                 # ③ « J'accède à mon service »

Each method does one step of the help page (marked in the report when a
StepRecorder is given) and returns the page object of the page it leads to. A
method waits for that page only where the path cannot go anywhere else (the
chooser, the provider's page); after authenticating or continuing, a fault may
show another page, so the caller checks what it expects. `log_in` and `through`
chain the steps for scenarios whose subject is elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from playwright.sync_api import Locator, Page, expect

from fixtures import guide
from fixtures.guide import Step
from fixtures.providers import BY_ID, ProviderCase
from mock_server.personas import Persona
from pytest_franceconnect_mock.control import ControlClient

from .pages import AccountPage, ChooserPage, ConnectedPage, LoginPage
from .pages.identity_provider import ApprovalWaitingPage, ProviderLoginPage
from .steps import StepRecorder

Screen = TypeVar("Screen")
AMELI = BY_ID["ameli"]


class FranceConnectJourney:
    def __init__(self, page: Page, control: ControlClient, step: StepRecorder | None = None) -> None:
        self.page = page
        self.control = control  # France Identité's phone: approvals go through the control API
        self.step = step

    # The help page's steps ------------------------------------------------------------------

    def open_chooser(self, button: Locator | None = None) -> ChooserPage:
        """① « S'identifier avec FranceConnect »: `button` is a service's own; Mon Compte's
        login page is opened and its button used when none is given."""
        if button is None:
            button = LoginPage(self.page).open().franceconnect_button
        with self._marked(guide.FC_BUTTON, click=button):
            expect(button).to_be_visible()
        return self._showing(ChooserPage(self.page))

    def choose(self, case: ProviderCase, chooser: ChooserPage | None = None) -> ProviderLoginPage:
        """② The provider's button on the chooser; its page (France Identité's waits for the phone)."""
        chooser = chooser or ChooserPage(self.page)
        with self._marked(guide.FC_CHOOSE, click=chooser.provider(case.name)):
            expect(chooser.title).to_be_visible()
        return self._showing(ProviderLoginPage.of(self.page, case))

    def authenticate(self, case: ProviderCase, persona: Persona) -> ConnectedPage:
        """③ The persona's credentials and « Me connecter »; at France Identité, the approval
        on the phone, after which the page goes on by itself. Returns "Vous êtes connecté !",
        where the path leads unless a fault shows another page: not waited for."""
        at_provider = ProviderLoginPage.of(self.page, case)
        if isinstance(at_provider, ApprovalWaitingPage):
            with self._marked(guide.FC_APPROVE, highlight=at_provider.waiting):
                expect(at_provider.waiting).to_be_visible()
            # The person checks that the phone shows the page's code, and approves that
            # login: another browser's may be waiting at the same time.
            self.control.approve_on_phone(persona.id, code=at_provider.pairing_code.inner_text().strip())
        else:
            with self._marked(guide.FC_CREDENTIALS, click=at_provider.submit_button):
                at_provider.fill(persona.credentials[case.id])
        return ConnectedPage(self.page)

    def continue_to_service(self, lands_on: Callable[[Page], Screen] = AccountPage) -> Screen:
        """③ « J'accède à mon service »; `lands_on` is the page object of the service's page
        (Mon Compte's account page by default), returned not waited for."""
        connected = ConnectedPage(self.page)
        with self._marked(guide.FC_CONTINUE, click=connected.continue_button):
            expect(connected.title).to_be_visible()
        return lands_on(self.page)

    # The whole path ---------------------------------------------------------------------------

    def log_in(self, persona: Persona, case: ProviderCase = AMELI) -> AccountPage:
        """From Mon Compte's login page to its account space, signed in."""
        self.choose(case, self.open_chooser())
        self.authenticate(case, persona)
        return self._showing(self.continue_to_service())

    def through(self, case: ProviderCase, persona: Persona, chooser: ChooserPage | None = None) -> None:
        """② and ③ from the chooser, whichever service sent the browser there, up to
        « J'accède à mon service » clicked: where it leads is the service's."""
        self.choose(case, chooser)
        self.authenticate(case, persona)
        self.continue_to_service(lands_on=lambda page: None)

    # ------------------------------------------------------------------------------------------

    @contextmanager
    def _marked(self, step: Step, *, click: Locator | None = None,
                highlight: Locator | None = None) -> Iterator[None]:
        """The help page's step in the report when there is a recorder; the same actions without."""
        if self.step is None:
            yield
            if click is not None:
                click.click()
        else:
            with self.step(step, click=click, highlight=highlight):
                yield

    @staticmethod
    def _showing(screen: Screen) -> Screen:
        expect(screen.title).to_be_visible()  # type: ignore[attr-defined]
        return screen
