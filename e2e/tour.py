"""The pages the happy paths visit, for audits that look at each page.

    for stop in walk("franceconnect-ameli", page, make_persona=make_persona, control=control, sites=sites):
        audit(page, stop)

`walk` drives the page with the page objects, as the scenario suites do, and
yields a `Stop` each time a new page is showing: loaded (stylesheets applied,
so colours can be judged) and its heading visible; `stop.screen` is the page
object of that page (what a picture of it masks). Every tour creates its own
personas, so tours are independent of each other and of the order they run in.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Locator, Page, expect

from pytest_franceconnect_mock.control import ControlClient
from fixtures.providers import BY_ID, PROVIDERS, ProviderCase
from mock_server import texts
from mock_server.personas import Persona
from mock_server.rules.password import generate_password

from .journey import FranceConnectJourney
from .pages import (
    AccountPage,
    ApprovalWaitingPage,
    FcLoggedOutPage,
    HelpPage,
    HomePage,
    IdentifyStep,
    Inbox,
    LoggedOutPage,
    LoginPage,
)


@dataclass(frozen=True)
class Stop:
    name: str  # short stable id: "moncompte-login", "ameli-login", "franceconnect-connected"...
    site: str  # key of the `sites` mapping: "moncompte", "franceconnect", "ameli"...
    # The page object of the page now showing (its locators: what to mask in a picture...).
    screen: Any = field(default=None, compare=False, repr=False)


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


# Pages several tours pass by alike, and the tour that shows them to audits that look at
# each page once (the visual baselines, the accessibility audit). The tour through ameli
# shows FranceConnect's pages after the provider's, and Mon Compte's account page with the
# identity FranceConnect sent; through the other providers they are the same pages with
# another provider's name.
FULL_FRANCECONNECT_TOUR = "franceconnect-ameli"
SHOWN_IN = {
    "moncompte-login": "moncompte",
    "moncompte-logged-out": "moncompte",
    **{name: "reset-sms" for name in ("reset-identify", "reset-new-password", "reset-done")},
    **{name: FULL_FRANCECONNECT_TOUR for name in (
        "franceconnect-chooser", "franceconnect-connected", "moncompte-account-franceconnect",
        "franceconnect-logged-out")},
}


def last_page(tour: str) -> str | None:
    """Where a tour has shown every page of its own: the provider's page, in the tours
    through another provider than ameli; None: at its end."""
    case = BY_ID.get(tour.removeprefix("franceconnect-"))
    if case is None or tour == FULL_FRANCECONNECT_TOUR:
        return None
    return f"{case.id}-waiting" if case.approval else f"{case.id}-login"


def each_page_once(tour: str, stops: Iterator[Stop]) -> Iterator[Stop]:
    """The stops of `tour` that no other tour shows: `for stop in each_page_once(tour, walk(...))`.
    The walk stops once the tour has no page of its own left."""
    for stop in stops:
        if SHOWN_IN.get(stop.name, tour) == tour:
            yield stop
        if stop.name == last_page(tour):
            return


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
        assert stop.screen is not None, f"{stop.name}: no page object for the page showing"
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
    yield Stop("moncompte-home", "moncompte", home), home.title

    login = home.go_to_mon_compte()
    yield Stop("moncompte-login", "moncompte", login), login.title

    for link, title, name in HELP_PAGES:
        login.link(link).click()
        help_page = HelpPage(page)
        yield Stop(name, "moncompte", help_page), help_page.titled(title)
        help_page.back_to_login.click()
        expect(login.title).to_be_visible()

    login.login_with_nir(persona.nir, persona.password)
    account = AccountPage(page)
    yield Stop("moncompte-account", "moncompte", account), account.title

    profile = account.open_profile()
    yield Stop("moncompte-profile", "moncompte", profile), profile.title
    profile.back_to_account()

    payments = account.open_payments()
    yield Stop("moncompte-payments", "moncompte", payments), payments.title
    payments.back_to_account()

    logged_out = account.logout()
    yield Stop("moncompte-logged-out", "moncompte", logged_out), logged_out.title


def _verify_flow(page: Page, flow: str, channel: str, persona: Persona, control: ControlClient,
                 sites: dict[str, str]) -> Steps:
    """Mot de passe oublié ? or Créer Mon Compte: identify → channel → code → password → done."""
    inbox = Inbox(control, persona, channel)
    login = LoginPage(page)
    page.goto(sites["moncompte"] + login.path)
    expect(login.title).to_be_visible()

    identify = IdentifyStep.from_login(login, flow)
    yield Stop(f"{flow}-identify", "moncompte", identify), identify.title

    channel_step = identify.identify(persona)
    yield Stop(f"{flow}-channel", "moncompte", channel_step), channel_step.title

    code_step = channel_step.choose(channel)
    yield Stop(f"{flow}-code", "moncompte", code_step), code_step.sent_to(persona, channel)

    new_password = code_step.enter(inbox.next_code())
    yield Stop(f"{flow}-new-password", "moncompte", new_password), new_password.title

    # A new password of the persona's own: the same on every replay of the run.
    password = generate_password(random.Random(persona.id))
    if flow == "reset":
        done = new_password.finish_reset(password)
        yield Stop("reset-done", "moncompte", done), done.title
    else:
        account = new_password.finish_signup(password)
        yield Stop("signup-account", "moncompte", account), account.greeting_for(persona.display_name)


def _franceconnect(page: Page, case: ProviderCase, persona: Persona, control: ControlClient,
                   sites: dict[str, str]) -> Steps:
    """Login → chooser → the provider → "Vous êtes connecté !" → account → Déconnexion
    → FranceConnect's logout page → back to Mon Compte. The path is the journey's."""
    journey = FranceConnectJourney(page, control)
    login = LoginPage(page)
    page.goto(sites["moncompte"] + login.path)
    yield Stop("moncompte-login", "moncompte", login), login.title

    chooser = journey.open_chooser(login.franceconnect_button)
    yield Stop("franceconnect-chooser", "franceconnect", chooser), chooser.title

    at_provider = journey.choose(case, chooser)
    if isinstance(at_provider, ApprovalWaitingPage):
        # France Identité: the page waits for the phone (approved next, through the
        # control API); the page then goes on by itself.
        yield Stop(f"{case.id}-waiting", case.host_site, at_provider), at_provider.waiting
    else:
        yield Stop(f"{case.id}-login", case.host_site, at_provider), at_provider.title

    connected = journey.authenticate(case, persona)
    yield Stop("franceconnect-connected", "franceconnect", connected), connected.title

    account = journey.continue_to_service()
    expect(account.title).to_be_visible()
    # The account page after FranceConnect also shows the identity it transmitted.
    yield Stop("moncompte-account-franceconnect", "moncompte", account), account.fc_identity

    account.logout_button.click()
    fc_logged_out = FcLoggedOutPage(page)
    yield Stop("franceconnect-logged-out", "franceconnect", fc_logged_out), fc_logged_out.title

    fc_logged_out.back_to_service.click()
    logged_out = LoggedOutPage(page)
    yield Stop("moncompte-logged-out", "moncompte", logged_out), logged_out.title
