"""Déconnexion ends the session for good, and nothing personal stays behind."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from fixtures import guide
from mock_server import texts

from .pages import AccountPage, LoggedOutPage, LoginPage, ProfilePage
from .steps import StepRecorder

pytestmark = pytest.mark.logout


@pytest.mark.title("« Déconnexion » me déconnecte et affiche la page « Vous êtes déconnecté »")
@pytest.mark.tutorial(guide.LOGOUT.key)
def test_logout_shows_the_logged_out_page(page: Page, signed_in, persona, step: StepRecorder) -> None:
    account = signed_in(persona)
    with step(guide.LOGOUT_BUTTON, click=account.logout_button):
        expect(account.title).to_be_visible()
    logged_out = LoggedOutPage(page)
    with step(guide.LOGGED_OUT, highlight=logged_out.title):
        expect(logged_out.title).to_be_visible()
        expect(logged_out.logout_button).to_be_hidden()


@pytest.mark.title("Un simple lien vers la page de déconnexion ne déconnecte personne : « Vous êtes toujours connecté »")
def test_a_link_to_the_logged_out_page_logs_nobody_out(page: Page, signed_in, persona) -> None:
    # What any page's link or <img src> to /deconnecte would do: a GET, without the button's token.
    account = signed_in(persona)
    logged_out = LoggedOutPage(page)
    logged_out.open()
    expect(logged_out.still_signed_in).to_be_visible()
    expect(logged_out.title).to_have_count(0)
    expect(account.logout_button).to_be_visible()
    page.goto("/mon-compte/")
    expect(account.title).to_be_visible()


@pytest.mark.title("Après « Déconnexion », le retour arrière du navigateur ne montre plus rien de personnel")
def test_back_after_logout_shows_nothing_personal(page: Page, signed_in, persona) -> None:
    account = signed_in(persona)
    page.goto("/mon-compte/mes-informations")
    expect(page.get_by_text(persona.email)).to_be_visible()
    AccountPage(page).logout()
    page.go_back()
    expect(LoginPage(page).title).to_be_visible()
    expect(page.get_by_text(persona.email)).to_have_count(0)
    expect(page.get_by_text(persona.display_name)).to_have_count(0)
    assert account is not None


@pytest.mark.title("Un ancien cookie de session réutilisé après « Déconnexion » mène à la page de connexion")
def test_old_session_cookie_replayed_gets_the_login_page(
    browser: Browser, browser_context_args: dict, page: Page, signed_in, persona
) -> None:
    signed_in(persona)
    stolen = [c for c in page.context.cookies() if c["name"] == "moncompte_session"]
    assert stolen, "the session's cookie is in the browser"
    AccountPage(page).logout()

    replay = browser.new_context(**browser_context_args)
    try:
        replay.add_cookies(stolen)
        other = replay.new_page()
        other.goto("/mon-compte/")
        expect(LoginPage(other).title).to_be_visible()
        expect(other).to_have_url(re.compile(r"/connexion\?next="))
    finally:
        replay.close()


@pytest.mark.title("Le cookie de session est protégé, oublié à la fermeture du navigateur, et renouvelé à la connexion")
def test_session_cookie_flags_and_new_id_at_login(page: Page, log_in, persona) -> None:
    LoginPage(page).open()
    before = {c["name"]: c for c in page.context.cookies()}["moncompte_session"]
    log_in(persona)
    after = {c["name"]: c for c in page.context.cookies()}["moncompte_session"]
    assert after["value"] != before["value"], "a new session id at login"
    assert after["httpOnly"] and after["sameSite"] == "Lax"
    assert after["expires"] == -1, "a browser-session cookie"


@pytest.mark.title("Les pages personnelles de Mon Compte ne sont pas gardées en cache par le navigateur")
def test_personal_pages_are_not_stored(page: Page, signed_in, persona) -> None:
    signed_in(persona)
    response = page.goto("/mon-compte/mes-informations")
    assert response is not None
    assert response.headers["cache-control"] == "no-store"
    expect(ProfilePage(page).title).to_be_visible()


@pytest.mark.title("Après 30 minutes d'inactivité, la session prend fin et la connexion est redemandée")
def test_session_ends_after_30_idle_minutes(page: Page, signed_in, control, persona) -> None:
    # The mock's clock moves instead of the test waiting.
    signed_in(persona)
    control.advance_clock(minutes=31)
    page.reload()
    login = LoginPage(page)
    expect(login.title).to_be_visible()
    expect(login.notice).to_have_text(texts.LOGIN_REQUIRED)
    expect(page.get_by_text(persona.display_name)).to_have_count(0)
