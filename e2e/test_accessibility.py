"""Accessibility: axe-core on every page the happy paths visit, and the sign-in
done with the keyboard alone (Tab, Shift+Tab, Space, Enter, and typing).

Critical and serious violations fail; moderate and minor ones are listed in the
report's table for each tour.
"""

from __future__ import annotations

import pytest
import pytest_html
from playwright.sync_api import Locator, Page, expect

from fixtures.providers import BY_ID
from mock_server.personas import Persona

from .accessibility import PageAudit, audit, failure_message, summary_table
from .pages import AccountPage, ChooserPage, ConnectedPage, LoginPage
from .pages.identity_provider import ProviderLoginPage
from .tour import TOURS, each_page_once, walk

pytestmark = pytest.mark.a11y

AMELI = BY_ID["ameli"]


# axe-core on every page of each tour ------------------------------------------------------------


@pytest.mark.title("Aucune violation d'accessibilité critique ou grave (axe-core) sur les pages du parcours « {tour} »")
@pytest.mark.parametrize("tour", TOURS)
def test_no_critical_or_serious_violation_along_the_tour(
    tour: str, page: Page, make_persona, control, sites: dict[str, str], extras: list, record_property
) -> None:
    audits: list[PageAudit] = []
    try:
        # Each page once: a page several tours pass by is audited in one of them (tour.py).
        for stop in each_page_once(tour, walk(tour, page, make_persona=make_persona, control=control, sites=sites)):
            page_audit = audit(page, stop.name)
            audits.append(page_audit)
            record_property(f"a11y {stop.name}", page_audit.property_value())
    finally:
        # The pages audited before a failure still make their table.
        if audits:
            extras.append(pytest_html.extras.html(summary_table(audits)))
    assert audits, f"tour {tour} showed no page"
    message = failure_message(audits)
    assert not message, message


# Keyboard only -----------------------------------------------------------------------------------


def is_focused(locator: Locator) -> bool:
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page: Page, locator: Locator, max_presses: int = 40, *, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab backwards) until `locator` has the focus: proves the focus order reaches it."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(max_presses):
        if is_focused(locator):
            return
        page.keyboard.press(key)
    if not is_focused(locator):
        focused = page.evaluate(
            "() => { const el = document.activeElement;"
            " return el ? el.outerHTML.slice(0, 200) : 'nothing'; }"
        )
        pytest.fail(f"{locator} not reached after {max_presses} presses of {key}; the focus is on: {focused}")


def expect_focus_visible(locator: Locator) -> None:
    """The focused element shows where the focus is: an outline or a box-shadow."""
    assert is_focused(locator), f"{locator} does not have the focus"
    style = locator.evaluate(
        "el => { const s = getComputedStyle(el);"
        " return {outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; }"
    )
    outlined = style["outline"] != "none" and style["width"] not in ("0px", "")
    assert outlined or style["shadow"] != "none", f"no visible focus indicator on {locator}: {style}"


def tab_and_press(page: Page, target: Locator, key: str = "Enter") -> None:
    """Tab to a control, see where the focus is, activate it with the keyboard."""
    tab_to(page, target)
    expect_focus_visible(target)
    page.keyboard.press(key)


def tab_and_type(page: Page, field: Locator, text: str) -> None:
    tab_to(page, field)
    expect_focus_visible(field)
    page.keyboard.type(text)
    expect(field).to_have_value(text)


@pytest.mark.title("Je me connecte au clavier seul avec mon numéro de sécurité sociale, et le focus reste visible")
def test_keyboard_only_login_with_nir(page: Page, persona: Persona) -> None:
    login = LoginPage(page).open()
    expect(login.title).to_be_visible()

    tab_and_type(page, login.nir, persona.nir)
    tab_and_press(page, login.remember_me, "Space")
    expect(login.remember_me).to_be_checked()
    tab_and_type(page, login.password, persona.password)
    tab_to(page, login.submit_button)
    expect_focus_visible(login.submit_button)
    # Back and forth: Shift+Tab reaches the password field again, then Tab the button.
    tab_to(page, login.password, backwards=True)
    tab_to(page, login.submit_button)
    page.keyboard.press("Enter")

    account = AccountPage(page)
    expect(account.title).to_be_visible()
    expect(account.greeting_for(persona.display_name)).to_be_visible()


@pytest.mark.title("Je me connecte au clavier seul avec FranceConnect et ameli, et le focus reste visible")
def test_keyboard_only_login_with_franceconnect_and_ameli(page: Page, persona: Persona) -> None:
    login = LoginPage(page).open()
    expect(login.title).to_be_visible()
    tab_and_press(page, login.franceconnect_button)

    chooser = ChooserPage(page)
    expect(chooser.title).to_be_visible()
    tab_and_press(page, chooser.provider(AMELI.name))

    provider = ProviderLoginPage(page, AMELI)
    expect(provider.title).to_be_visible()
    for field in AMELI.fields:
        tab_and_type(page, provider.field(field), persona.credentials[AMELI.id][field.credential_key])
    tab_and_press(page, provider.submit_button)

    connected = ConnectedPage(page)
    expect(connected.title).to_be_visible()
    tab_and_press(page, connected.continue_button)

    account = AccountPage(page)
    expect(account.title).to_be_visible()
    expect(account.greeting_for(persona.display_name)).to_be_visible()
