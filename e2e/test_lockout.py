"""Five wrong passwords in a row lock the account for 15 minutes.

The rule itself is proved with its five attempts; tests whose subject is what
happens around a lockout lower the threshold to two (`mock_settings`)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mock_server import texts

from .pages import AccountPage, LoginPage

pytestmark = pytest.mark.lockout

LOCKED = texts.LOGIN_ERRORS["locked"].format(attempts=5, minutes=15)
LOCKED_AFTER_TWO = texts.LOGIN_ERRORS["locked"].format(attempts=2, minutes=15)
BAD = texts.LOGIN_ERRORS["bad_credentials"]


def fail(login: LoginPage, identifier: str, password: str, times: int, expected: str) -> None:
    for _ in range(times):
        login.login_with_nir(identifier, password)
        expect(login.alert).to_have_text(expected)


@pytest.mark.title("Après cinq mots de passe erronés, le compte est bloqué 15 minutes, même pour le bon mot de passe")
def test_fifth_failure_locks_the_account_even_for_the_right_password(
    login_page: LoginPage, persona, persona_factory
) -> None:
    wrong = persona_factory.password()
    fail(login_page, persona.nir, wrong, 4, BAD)
    fail(login_page, persona.nir, wrong, 1, LOCKED)
    login_page.login_with_nir(persona.nir, persona.password)
    expect(login_page.alert).to_have_text(LOCKED)
    expect(AccountPage(login_page.page).title).to_be_hidden()


@pytest.mark.title("Un identifiant sans compte est bloqué de la même façon : le blocage ne révèle rien")
def test_unknown_identifier_locks_the_same_way(login_page: LoginPage, persona_factory) -> None:
    # Same messages for an identifier without account: a lockout reveals nothing.
    unknown, wrong = persona_factory.nir(), persona_factory.password()
    fail(login_page, unknown, wrong, 4, BAD)
    fail(login_page, unknown, wrong, 1, LOCKED)


@pytest.mark.title("Une connexion réussie remet à zéro le nombre d'échecs avant le blocage")
def test_a_success_resets_the_count(login_page: LoginPage, log_in, mock_settings, persona, persona_factory) -> None:
    mock_settings(lockout_threshold=2)
    wrong = persona_factory.password()
    fail(login_page, persona.nir, wrong, 1, BAD)
    log_in(persona).logout()
    # Counted from zero again: one more failure is the first of two, not the second.
    login = LoginPage(login_page.page).open()
    fail(login, persona.nir, wrong, 1, BAD)
    fail(login, persona.nir, wrong, 1, LOCKED_AFTER_TWO)


@pytest.mark.title("Le blocage du compte se lève au bout de 15 minutes, pas avant")
def test_lockout_ends_after_15_minutes(login_page: LoginPage, control, mock_settings, persona, persona_factory) -> None:
    # The mock's clock moves instead of the test waiting.
    mock_settings(lockout_threshold=2)
    wrong = persona_factory.password()
    fail(login_page, persona.nir, wrong, 1, BAD)
    fail(login_page, persona.nir, wrong, 1, LOCKED_AFTER_TWO)
    control.advance_clock(minutes=14)
    fail(login_page, persona.nir, persona.password, 1, LOCKED_AFTER_TWO)
    control.advance_clock(minutes=1)
    login_page.login_with_nir(persona.nir, persona.password)
    expect(AccountPage(login_page.page).greeting_for(persona.display_name)).to_be_visible()
