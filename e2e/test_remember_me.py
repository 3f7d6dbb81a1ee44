"""Se souvenir de moi: the identifier, never the password, is kept for next time."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .pages import LoginPage

pytestmark = pytest.mark.remember_me


def remember_cookie(context: BrowserContext) -> dict | None:
    return next((c for c in context.cookies() if c["name"] == "moncompte_identifiant"), None)


@pytest.mark.title("Avec « Se souvenir de moi », mon numéro est prérempli à la visite suivante, jamais mon mot de passe")
def test_identifier_is_prefilled_on_next_visit(page: Page, log_in, persona) -> None:
    log_in(persona, remember=True).logout()
    login = LoginPage(page).open()
    expect(login.nir).to_have_value(persona.nir)
    expect(login.remember_me).to_be_checked()
    expect(login.password).to_have_value("")

    cookie = remember_cookie(page.context)
    assert cookie is not None
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    # Persistent: it outlives the browser session (months, not minutes).
    assert cookie["expires"] > (datetime.now(timezone.utc) + timedelta(days=300)).timestamp()
    assert persona.password not in cookie["value"]


@pytest.mark.title("Si je décoche « Se souvenir de moi » à la connexion suivante, mon numéro est oublié")
def test_unticked_at_next_login_the_identifier_is_forgotten(page: Page, log_in, persona) -> None:
    log_in(persona, remember=True).logout()
    login = LoginPage(page).open()
    expect(login.remember_me).to_be_checked()
    login.remember_me.uncheck()
    login.password.fill(persona.password)
    login.submit()
    from .pages import AccountPage

    AccountPage(page).logout()
    login = LoginPage(page).open()
    expect(login.nir).to_have_value("")
    expect(login.remember_me).not_to_be_checked()
    assert remember_cookie(page.context) is None


@pytest.mark.title("Sans « Se souvenir de moi », rien n'est prérempli à la visite suivante")
def test_without_remember_me_nothing_is_kept(page: Page, log_in, persona) -> None:
    log_in(persona, remember=False).logout()
    login = LoginPage(page).open()
    expect(login.nir).to_have_value("")
    expect(login.remember_me).not_to_be_checked()


@pytest.mark.title("« Se souvenir de moi » retient aussi mon identifiant provisoire")
def test_provisional_identifier_is_remembered_too(page: Page, log_in, make_persona) -> None:
    persona = make_persona("provisional")
    log_in(persona, remember=True).logout()
    login = LoginPage(page).open()
    expect(login.provisional_toggle).to_be_checked()
    expect(login.provisional_id).to_have_value(persona.provisional_id)
    expect(login.nir).to_be_hidden()
