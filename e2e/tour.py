"""The pages the happy paths visit, for audits that look at each page.

    for stop in walk("franceconnect-ameli", page, make_persona=make_persona, control=control, sites=sites):
        audit(page, stop)

`walk` drives the page with the page objects, as the scenario suites do, and
yields a `Stop` each time a new page is showing: loaded (stylesheets applied,
so colours can be judged) and its heading visible. Every tour creates its own
personas, so tours are independent of each other and of the order they run in.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from playwright.sync_api import Locator, Page, expect

from pytest_franceconnect_mock.control import ControlClient
from fixtures.providers import BY_ID, PROVIDERS, ProviderCase
from mock_server import texts
from mock_server.personas import Persona
from mock_server.rules.password import generate_password

from .pages import (
    AccountPage,
    ChooserPage,
    ConnectedPage,
    FcLoggedOutPage,
    HelpPage,
    HomePage,
    IdentifyStep,
    Inbox,
    LoggedOutPage,
    LoginPage,
)
from .pages.identity_provider import ProviderLoginPage


@dataclass(frozen=True)
class Stop:
    name: str  # short stable id: "moncompte-login", "ameli-login", "franceconnect-connected"...
    site: str  # key of the `sites` mapping: "moncompte", "franceconnect", "ameli"...


TOURS: tuple[str, ...] = (
    "moncompte",
    "reset-sms",
    "reset-mail",
    "signup",
    *(f"franceconnect-{case.id}" for case in PROVIDERS),
)

# The help pages the login page links to: (link text, page heading, stop name).
HELP_PAGES = (
    (texts.LOGIN["nir_help"], texts.HELP["where_title"], "moncompte-help-nir"),
    (texts.LOGIN["what_is_franceconnect"], texts.HELP["franceconnect_title"], "moncompte-help-franceconnect"),
    (texts.LOGIN["tutorial"], texts.HELP["tutorial_title"], "moncompte-help-tutorial"),
    (texts.HELP["forgot_title"], texts.HELP["forgot_title"], "moncompte-help-forgot"),
)

MakePersona = Callable[..., Persona]
Steps = Iterator[tuple[Stop, Locator]]  # each page reached, with what shows it has loaded


def walk(tour: str, page: Page, *, make_persona: MakePersona, control: ControlClient,
         sites: dict[str, str]) -> Iterator[Stop]:
    """Drive `page` along the tour with the page objects; yield a Stop each time a new page is showing."""
    if tour == "moncompte":
        steps = _moncompte(page, make_persona, sites)
    elif tour in ("reset-sms", "reset-mail"):
        steps = _verify_flow(page, "reset", tour.removeprefix("reset-"), make_persona(), control, sites)
    elif tour == "signup":
        steps = _verify_flow(page, "signup", "sms", make_persona(has_account=False), control, sites)
    elif tour.startswith("franceconnect-") and tour.removeprefix("franceconnect-") in BY_ID:
        steps = _franceconnect(page, BY_ID[tour.removeprefix("franceconnect-")], make_persona(), control, sites)
    else:
        raise ValueError(f"unknown tour {tour!r}; known tours: {', '.join(TOURS)}")
    for stop, heading in steps:
        expect(heading).to_be_visible()
        # "load" waits for the stylesheets too: an audit of colours needs them.
        page.wait_for_load_state("load")
        assert page.url.startswith(sites[stop.site]), f"{stop.name}: expected a page of {sites[stop.site]}, got {page.url}"
        yield stop


def _moncompte(page: Page, make_persona: MakePersona, sites: dict[str, str]) -> Steps:
    """Home → login → each help page and back → account and its pages → Déconnexion."""
    persona = make_persona()
    home = HomePage(page)
    page.goto(sites["moncompte"] + home.path)
    yield Stop("moncompte-home", "moncompte"), home.heading

    login = home.go_to_mon_compte()
    yield Stop("moncompte-login", "moncompte"), login.title

    for link, title, name in HELP_PAGES:
        login.link(link).click()
        help_page = HelpPage(page)
        yield Stop(name, "moncompte"), help_page.titled(title)
        help_page.back_to_login.click()
        expect(login.title).to_be_visible()

    login.login_with_nir(persona.nir, persona.password)
    account = AccountPage(page)
    yield Stop("moncompte-account", "moncompte"), account.title

    # Each page links back to the account page under the same words as the menu's icon.
    back_to_account = page.get_by_role("main").get_by_role("link", name=texts.ACCOUNT["title"], exact=True)
    account.profile_link.click()
    yield Stop("moncompte-profile", "moncompte"), page.get_by_role("heading", name=texts.ACCOUNT["profile_title"])
    back_to_account.click()
    expect(account.title).to_be_visible()

    account.payments_link.click()
    yield Stop("moncompte-payments", "moncompte"), page.get_by_role("heading", name=texts.ACCOUNT["payments_title"])
    back_to_account.click()
    expect(account.title).to_be_visible()

    logged_out = account.logout()
    yield Stop("moncompte-logged-out", "moncompte"), logged_out.title


def _verify_flow(page: Page, flow: str, channel: str, persona: Persona, control: ControlClient,
                 sites: dict[str, str]) -> Steps:
    """Mot de passe oublié ? or Créer Mon Compte: identify → channel → code → password → done."""
    inbox = Inbox(control, persona, channel)
    login = LoginPage(page)
    page.goto(sites["moncompte"] + login.path)
    expect(login.title).to_be_visible()

    identify = IdentifyStep.from_login(login, flow)
    yield Stop(f"{flow}-identify", "moncompte"), identify.title

    channel_step = identify.identify(persona)
    yield Stop(f"{flow}-channel", "moncompte"), channel_step.title

    code_step = channel_step.choose(channel)
    yield Stop(f"{flow}-code", "moncompte"), code_step.sent_to(persona, channel)

    new_password = code_step.enter(inbox.next_code())
    yield Stop(f"{flow}-new-password", "moncompte"), new_password.title

    # A new password of the persona's own: the same on every replay of the run.
    password = generate_password(random.Random(persona.id))
    if flow == "reset":
        yield Stop("reset-done", "moncompte"), new_password.finish_reset(password).title
    else:
        account = new_password.finish_signup(password)
        yield Stop("signup-account", "moncompte"), account.greeting_for(persona.display_name)


def _franceconnect(page: Page, case: ProviderCase, persona: Persona, control: ControlClient,
                   sites: dict[str, str]) -> Steps:
    """Login → chooser → the provider → "Vous êtes connecté !" → account → Déconnexion
    → FranceConnect's logout page → back to Mon Compte."""
    login = LoginPage(page)
    page.goto(sites["moncompte"] + login.path)
    yield Stop("moncompte-login", "moncompte"), login.title

    login.franceconnect_button.click()
    chooser = ChooserPage(page)
    yield Stop("franceconnect-chooser", "franceconnect"), chooser.title

    chooser.choose(case.name)
    provider = ProviderLoginPage(page, case)
    if case.approval:
        # France Identité: the page waits for the phone, whose approval comes
        # through the control API; the page then goes on by itself.
        expect(page.get_by_role("status")).to_have_text(texts.PROVIDERS[case.id]["waiting"])
        yield Stop(f"{case.id}-waiting", case.host_site), provider.title
        control.approve_on_phone(persona.id)
    else:
        yield Stop(f"{case.id}-login", case.host_site), provider.title
        provider.log_in(persona)

    connected = ConnectedPage(page)
    yield Stop("franceconnect-connected", "franceconnect"), connected.title

    connected.continue_to_service()
    account = AccountPage(page)
    expect(account.title).to_be_visible()
    # The account page after FranceConnect also shows the identity it transmitted.
    yield Stop("moncompte-account-franceconnect", "moncompte"), account.fc_identity

    account.logout_button.click()
    fc_logged_out = FcLoggedOutPage(page)
    yield Stop("franceconnect-logged-out", "franceconnect"), fc_logged_out.title

    fc_logged_out.back_to_service.click()
    yield Stop("moncompte-logged-out", "moncompte"), LoggedOutPage(page).title
