"""The network fails under a call between servers — FranceConnect's to ameli's
token, userinfo and keys (and discovery), Mon Compte's to FranceConnect's — or
the called site answers in a broken shape. The person signs in through
FranceConnect as the help page says, meets the page the README's fault table
names, and once the fault is cleared the login goes through."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from fixtures.providers import BY_ID
from mock_server import texts
from mock_server.french import fill
from mock_server.personas import Persona
from mock_server.simulation.faults import CALL_KINDS
from pytest_franceconnect_mock.control import ControlClient

from .pages import (AccountPage, ChooserPage, ConnectedPage, FcRefusedPage, FcUnavailablePage, LoginPage,
                    TechnicalErrorPage)

pytestmark = pytest.mark.simulation

AMELI = BY_ID["ameli"]
FC = texts.FRANCECONNECT
# FranceConnect's patience in the timed-out scenarios: the page comes after it.
SHORT_PATIENCE_SECONDS = 1.0


@dataclass(frozen=True)
class Call:
    """A call between servers: who makes it, to which site and route, at which step."""

    id: str
    caller: str  # "franceconnect" or "moncompte"
    site: str
    route: str
    at_chooser: bool = False  # made at ①/② (discovery), not after ③


CALLS = [
    Call("fc-ameli-token", "franceconnect", "ameli", "/oidc/token"),
    Call("fc-ameli-jwks", "franceconnect", "ameli", "/oidc/jwks"),
    Call("fc-ameli-userinfo", "franceconnect", "ameli", "/oidc/userinfo"),
    Call("moncompte-fc-token", "moncompte", "franceconnect", "/api/v2/token"),
    Call("moncompte-fc-jwks", "moncompte", "franceconnect", "/api/v2/jwks"),
    Call("moncompte-fc-userinfo", "moncompte", "franceconnect", "/api/v2/userinfo"),
]
# Discovery, read afresh at each login: once, with the network's commonest failure.
DISCOVERY = [
    Call("fc-ameli-discovery", "franceconnect", "ameli", "/oidc/.well-known/openid-configuration", at_chooser=True),
    Call("moncompte-fc-discovery", "moncompte", "franceconnect", "/api/v2/.well-known/openid-configuration",
         at_chooser=True),
]

# What the caller makes of each kind (README's fault table): the provider or FranceConnect
# out of reach, too slow, or its answer unreadable.
FAILURE = {
    **{kind: "unavailable" for kind in CALL_KINDS},
    "connection_timed_out": "timeout",
    "truncated_body": "unavailable",
    "malformed_body": "invalid",
}
KINDS = [*CALL_KINDS, "malformed_body", "truncated_body"]
# FranceConnect's error page for a provider's failure: its code and message.
FC_PAGE = {"unavailable": ("Y020001", "idp_unavailable"), "timeout": ("Y020004", "idp_timeout"),
           "invalid": ("Y020026", "idp_invalid")}

# Each kind once, on one side or the other, so that each side meets each page of the
# README's table (out of reach, too slow, unreadable) and each call a fault; the whole
# kind × call grid is the fast tests' (tests/test_network_faults.py: every kind through the
# mock's client, and what FranceConnect's client makes of it).
FC_TOKEN, FC_JWKS, FC_USERINFO, MC_TOKEN, MC_JWKS, MC_USERINFO = CALLS
CASES = [
    ("connection_reset", FC_TOKEN),
    ("connection_timed_out", FC_USERINFO),
    ("malformed_body", FC_JWKS),
    ("empty_reply", MC_USERINFO),
    ("connection_refused", MC_JWKS),
    ("offline", MC_TOKEN),
    ("truncated_body", MC_TOKEN),
    ("malformed_body", MC_USERINFO),
    *(("connection_reset", call) for call in DISCOVERY),
]


def expect_the_callers_page(page: Page, call: Call, failure: str) -> None:
    if call.caller == "franceconnect":
        error = TechnicalErrorPage(page)
        code, message = FC_PAGE[failure]
        expect(error.code(code)).to_be_visible()
        expect(error.message(fill(FC["error_messages"][message], provider=AMELI.in_text))).to_be_visible()
        expect(error.back_to_service).to_be_visible()
    elif failure == "invalid":
        expect(FcRefusedPage(page).title).to_be_visible()
    else:
        unavailable = FcUnavailablePage(page)
        expect(unavailable.title).to_be_visible()
        expect(unavailable.retry_link).to_be_visible()


def start_again(page: Page, call: Call, failure: str) -> None:
    """What the person does from the page they met to try again, by the way it offers,
    up to FranceConnect's chooser or, past it, wherever the path goes on by itself."""
    if call.caller == "franceconnect":
        TechnicalErrorPage(page).back_to_service.click()
        LoginPage(page).franceconnect_button.click()
        ChooserPage(page).choose(AMELI.name)
    elif failure == "invalid":
        FcRefusedPage(page).link(texts.HELP["back_to_login"]).click()
        LoginPage(page).franceconnect_button.click()
    else:
        FcUnavailablePage(page).retry()


@pytest.mark.title("Le réseau fait défaut entre les serveurs ({call.id}, {kind}) : la page d'erreur prévue, "
                   "puis la connexion passe une fois la panne levée")
@pytest.mark.parametrize(("kind", "call"), CASES, ids=[f"{call.id}-{kind}" for kind, call in CASES])
def test_a_call_between_servers_fails_then_the_login_goes_through(
        page: Page, chooser: ChooserPage, at_provider, authenticate, continue_to_service, persona: Persona,
        faults: ControlClient, control: ControlClient, mock_settings, kind: str, call: Call) -> None:
    failure = FAILURE[kind]
    patience = control.settings()["upstream_timeout_seconds"]
    if kind == "connection_timed_out":
        mock_settings(upstream_timeout_seconds=SHORT_PATIENCE_SECONDS)
    faults.add_fault(kind=kind, site=call.site, route=call.route)

    if call.at_chooser and call.caller == "moncompte":
        # Mon Compte reads FranceConnect's discovery at « S'identifier avec FranceConnect »:
        # the chooser fixture met it already; the button again shows the page.
        LoginPage(page).open().franceconnect_button.click()
    elif call.at_chooser:
        chooser.choose(AMELI.name)
    else:
        at_provider(chooser, AMELI)
        authenticate(AMELI, persona)
        if call.caller == "moncompte":
            continue_to_service()
    expect_the_callers_page(page, call, failure)
    assert faults.faults()[0]["hits"] >= 1

    faults.clear_faults()
    mock_settings(upstream_timeout_seconds=patience)
    start_again(page, call, failure)
    if call.at_chooser:
        # Nobody reached the provider: the path starts over, at the chooser or at ameli.
        if call.caller == "moncompte":
            at_provider(ChooserPage(page), AMELI)
        authenticate(AMELI, persona)
    # Otherwise ameli (and FranceConnect, once it answered) remember the person: straight
    # to « Vous êtes connecté ! ».
    expect(ConnectedPage(page).title).to_be_visible()
    continue_to_service()
    expect(AccountPage(page).greeting_for(persona.display_name)).to_be_visible()


# The same shapes met by the browser: the site writes them for any request of the route.
SHAPES_IN_THE_BROWSER = {
    # kind: whether Chromium reports the document failed (the bytes stop short of Content-Length)
    "malformed_body": None,
    "truncated_body": "net::ERR_CONTENT_LENGTH_MISMATCH",
}


@pytest.mark.title("La page de connexion arrive à moitié ({kind}) : le haut seulement, puis la page entière "
                   "une fois la panne levée")
@pytest.mark.parametrize("kind", SHAPES_IN_THE_BROWSER)
def test_a_page_cut_in_half_shows_its_top_only(page: Page, faults: ControlClient, kind: str) -> None:
    faults.add_fault(kind=kind, site="moncompte", route=LoginPage.path, method="GET")
    failure = SHAPES_IN_THE_BROWSER[kind]
    if failure:
        # Not until `load`: a document whose bytes stop short never fires it.
        with page.expect_event("requestfailed", lambda request: request.url.endswith(LoginPage.path)) as failed:
            page.goto(LoginPage.path, wait_until="commit")
        assert failed.value.failure == failure
    else:
        page.goto(LoginPage.path)  # a whole answer: `load` comes
    login = LoginPage(page)
    expect(login.title).to_be_visible()  # the top half: the heading...
    expect(login.submit_button).to_have_count(0)  # ...not the end of the form

    faults.clear_faults()
    login.open()
    expect(login.submit_button).to_be_visible()
