"""Première connexion ? Créer Mon Compte — for people the Caf knows who have
no online account yet: a code by SMS or mail proves who they are, they choose
a password and are in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pytest_franceconnect_mock.control import ControlClient
from mock_server import texts
from mock_server.personas import Persona

from .pages import AccountPage, IdentifyStep, Inbox, LoginPage

pytestmark = pytest.mark.signup

S = texts.SIGNUP


@pytest.mark.title("« Première connexion ? Créer Mon Compte » : avec le code reçu par {channel}, je crée mon compte et je m'y connecte")
@pytest.mark.parametrize("channel", ["sms", "mail"])
def test_create_mon_compte_with_the_code_received(
    page: Page, login_page: LoginPage, control: ControlClient, make_persona, persona_factory, channel: str
) -> None:
    persona: Persona = make_persona(has_account=False)
    inbox = Inbox(control, persona, channel)
    identify = IdentifyStep.from_login(login_page, "signup")
    expect(identify.title).to_be_visible()
    expect(page).to_have_url(re.compile(r"/creer-mon-compte$"))

    code_step = identify.identify(persona).choose(channel)
    expect(code_step.sent_to(persona, channel)).to_be_visible()
    code = inbox.next_code()
    if channel == "mail":
        assert inbox.last.subject == S["mail_subject"]

    new_step = code_step.enter(code)
    expect(new_step.title).to_be_visible()
    password = persona_factory.password()
    account = new_step.finish_signup(password)
    expect(account.title).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(S["welcome"])
    expect(account.greeting_for(persona.display_name)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/mon-compte/$"))

    account.logout()
    login = LoginPage(page).open()
    login.login_with_nir(persona.nir, password)
    expect(AccountPage(page).greeting_for(persona.display_name)).to_be_visible()


@pytest.mark.title("« Créer Mon Compte » est refusé pour un identifiant qui a déjà un compte, et aucun code n'est envoyé")
def test_signup_is_refused_for_an_existing_account(
    login_page: LoginPage, control: ControlClient, persona: Persona
) -> None:
    before = control.outbox()
    identify = IdentifyStep.from_login(login_page, "signup")
    identify.identify(persona)
    expect(identify.alert).to_have_text(S["already"])
    expect(identify.title).to_be_visible()
    assert control.outbox() == before


@pytest.mark.title("« Créer Mon Compte » est refusé pour un identifiant inconnu de la Caf, et aucun code n'est envoyé")
def test_signup_is_refused_for_an_unknown_identifier(
    login_page: LoginPage, control: ControlClient, persona_factory
) -> None:
    before = control.outbox()
    identify = IdentifyStep.from_login(login_page, "signup")
    identify.identify_with_nir(persona_factory.nir())
    expect(identify.alert).to_have_text(S["unknown"])
    expect(identify.title).to_be_visible()
    assert control.outbox() == before
