"""The network drops between the person's browser and a site, at each step of the help
page: what the person sees (Chromium's own error page with the error's code, or the
site's own handling where it has some), then that, the network back, reloading the
page gets them through. The faults are Playwright's routing (e2e/plugin/network.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Locator, Page, expect

from fixtures.providers import BY_ID
from mock_server.personas import Persona
from pytest_franceconnect_mock.control import ControlClient

from .pages import AccountPage, ChooserPage, CodeStep, ConnectedPage, HomePage, IdentifyStep, Inbox, LoginPage, NewPasswordStep
from .pages.identity_provider import ProviderLoginPage
from .journey import FranceConnectJourney
from .pages.network_error import NetworkErrorPage
from .plugin.network import KINDS, BrowserNetwork, NetworkKind

pytestmark = pytest.mark.simulation

AMELI, FRANCE_IDENTITE = BY_ID["ameli"], BY_ID["franceidentite"]
# France Identité's waiting page polls for the phone's answer, and after a failed poll
# tries again 2 s later (mock_server/providers/static/approval.js): room for one retry.
POLL_RETRY_MS = 10_000


class Walk:
    """The person of a scenario on the help page's path, in this test's browser: `reach`
    takes them to the page a step starts from (FranceConnect's part by the journey), and
    each other method does the one click of a step whose request the network fails."""

    def __init__(self, page: Page, persona: Persona, control: ControlClient, journey: FranceConnectJourney) -> None:
        self.page, self.persona, self.control, self.journey = page, persona, control, journey
        self.code: str | None = None  # the reset code the SMS brought

    def at_home(self) -> None:
        expect(HomePage(self.page).open().title).to_be_visible()

    def at_login(self) -> None:
        expect(LoginPage(self.page).open().title).to_be_visible()

    def at_chooser(self) -> ChooserPage:
        return self.journey.open_chooser()

    def at_provider(self) -> None:
        self.journey.choose(AMELI, self.at_chooser())

    def connected(self) -> None:
        self.at_provider()
        expect(self.journey.authenticate(AMELI, self.persona).title).to_be_visible()

    def at_code_step(self) -> None:
        channel = IdentifyStep(self.page).open().identify_with_nir(self.persona.nir)
        expect(channel.title).to_be_visible()
        inbox = Inbox(self.control, self.persona, "sms")
        expect(channel.choose("sms").title).to_be_visible()
        self.code = inbox.next_code()

    # What each step does ------------------------------------------------------------------

    def open_mon_compte(self) -> None:
        HomePage(self.page).mon_compte_icon.click()

    def sign_in(self) -> None:
        LoginPage(self.page).login_with_nir(self.persona.nir, self.persona.password)

    def franceconnect_button(self) -> None:
        LoginPage(self.page).franceconnect_button.click()

    def choose_ameli(self) -> None:
        ChooserPage(self.page).choose(AMELI.name)

    def log_in_at_ameli(self) -> None:
        ProviderLoginPage(self.page, AMELI).log_in(self.persona)

    def continue_to_service(self) -> None:
        ConnectedPage(self.page).continue_to_service()

    def enter_code(self) -> None:
        step = CodeStep(self.page)
        step.code.fill(self.code)
        step.validate_button.click()


@dataclass(frozen=True)
class HelpStep:
    """A step of the help page, and the request of it the network fails."""

    id: str
    label: str  # the step in the scenario's title
    site: str
    route: str
    method: str
    reach: Callable[[Walk], object]  # to the page the step starts from
    act: Callable[[Walk], None]  # the click whose request fails
    through: Callable[[Page], Locator]  # what shows once the step has gone through


STEPS = [
    HelpStep("login_page", "« Mon Compte » depuis l'accueil (la page de connexion)", "moncompte", "/connexion", "GET",
         Walk.at_home, Walk.open_mon_compte, lambda page: LoginPage(page).title),
    HelpStep("login_post", "« Se connecter »", "moncompte", "/connexion", "POST",
         Walk.at_login, Walk.sign_in, lambda page: AccountPage(page).title),
    HelpStep("franceconnect_button", "« S'identifier avec FranceConnect » (FranceConnect injoignable)", "franceconnect",
         "/api/v2/authorize", "GET", Walk.at_login, Walk.franceconnect_button, lambda page: ChooserPage(page).title),
    HelpStep("provider_choice", "le choix d'ameli sur FranceConnect", "ameli", "/oidc/authorize", "GET",
         Walk.at_chooser, Walk.choose_ameli, lambda page: ProviderLoginPage(page, AMELI).title),
    HelpStep("provider_login", "« Me connecter » chez ameli", "ameli", "/connexion/*", "POST",
         Walk.at_provider, Walk.log_in_at_ameli, lambda page: ConnectedPage(page).title),
    HelpStep("back_to_service", "« J'accède à mon service » (retour sur Mon Compte)", "moncompte",
         "/connexion/franceconnect/retour", "GET", Walk.connected, Walk.continue_to_service,
         lambda page: AccountPage(page).title),
    HelpStep("sms_code", "le code reçu par SMS (mot de passe oublié)", "moncompte", "/mot-de-passe-oublie/code", "POST",
         Walk.at_code_step, Walk.enter_code, lambda page: NewPasswordStep(page).title),
]
KIND_LIST = list(KINDS.values())
# Each step of the help page once, the kinds taken in turn: every kind at two steps or one.
# What a person sees depends on the kind (Chromium's error code), not on the step; the
# plugin's own tests check every kind's code and scope without a browser.
CASES = list(zip(STEPS, KIND_LIST * 2))


@pytest.fixture
def walk(page: Page, persona: Persona, control: ControlClient, journey: FranceConnectJourney) -> Walk:
    return Walk(page, persona, control, journey)


@pytest.mark.title("Réseau coupé ({kind.shows}) à l'étape {help_step.label} : la page d'erreur de Chromium, "
                   "puis, le réseau revenu, la page rechargée passe")
@pytest.mark.parametrize(("help_step", "kind"), CASES, ids=[f"{help_step.id}-{kind.name}" for help_step, kind in CASES])
def test_network_error_at_a_step_then_reload(page: Page, walk: Walk, browser_network: BrowserNetwork,
                                             help_step: HelpStep, kind: NetworkKind) -> None:
    help_step.reach(walk)
    error = NetworkErrorPage(page)
    fault = browser_network.fail(kind.name, site=help_step.site, route=help_step.route, method=help_step.method)
    help_step.act(walk)
    error.expect_shown(kind.shows)
    assert fault.hits == 1

    browser_network.restore()
    error.reload()
    expect(help_step.through(page)).to_be_visible()


@pytest.mark.title("France Identité : la page d'attente ne bouge pas quand sa vérification échoue ({kind.shows}), "
                   "et la connexion aboutit une fois le réseau revenu")
@pytest.mark.parametrize("kind", [KINDS["connection_timed_out"]], ids=["connection_timed_out"])
def test_france_identite_waiting_page_rides_out_the_network(page: Page, walk: Walk, browser_network: BrowserNetwork,
                                                            authenticate, persona: Persona, kind: NetworkKind) -> None:
    chooser = walk.at_chooser()
    fault = browser_network.fail(kind.name, site="franceidentite", route="/attente/*/statut")
    error = NetworkErrorPage(page)
    walk.journey.choose(FRANCE_IDENTITE, chooser)
    browser_network.wait_for_hits(fault)  # the page's first poll
    # The page's script keeps the person on the waiting page: no error page.
    waiting = ProviderLoginPage(page, FRANCE_IDENTITE)
    expect(waiting.title).to_be_visible()
    assert error.failed_loads == []

    browser_network.restore()
    authenticate(FRANCE_IDENTITE, persona)  # approved on the phone
    expect(ConnectedPage(page).title).to_be_visible(timeout=POLL_RETRY_MS)


@pytest.mark.title("La connexion Internet tombe sur la page de connexion : « Se connecter » mène à la page "
                   "« hors ligne » de Chromium (ERR_INTERNET_DISCONNECTED) ; reconnecté, la page rechargée connecte la personne")
def test_whole_browser_offline_then_back(page: Page, walk: Walk, browser_network: BrowserNetwork) -> None:
    walk.at_login()
    error = NetworkErrorPage(page)
    fault = browser_network.fail("offline")
    walk.sign_in()
    error.expect_shown(KINDS["offline"].shows)
    assert page.evaluate("() => navigator.onLine") is False
    assert fault.hits == 1

    browser_network.restore()
    error.reload()
    expect(AccountPage(page).title).to_be_visible()


@pytest.mark.title("FranceConnect refuse une seule connexion (marqueur network_fault, times=1) : "
                   "ERR_CONNECTION_REFUSED, puis la page rechargée affiche le choix du compte")
@pytest.mark.network_fault("connection_refused", site="franceconnect", route="/api/v2/authorize", times=1)
def test_marker_fails_the_next_request_only(page: Page, walk: Walk) -> None:
    walk.at_login()
    error = NetworkErrorPage(page)
    walk.franceconnect_button()
    error.expect_shown(KINDS["connection_refused"].shows)
    error.reload()  # the fault took its one request: nothing restored
    expect(ChooserPage(page).title).to_be_visible()
