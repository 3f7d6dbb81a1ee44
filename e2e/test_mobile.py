"""Every page the happy paths visit, on a small phone (360 px wide): nothing cut
off, every tap target big enough and not covered; and a login done by tapping.

The checks themselves are in e2e/layout.py; the pages come from e2e/tour.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mock_server.personas import Persona

from .layout import Problem, describe, layout_problems
from .pages import AccountPage, LoggedOutPage, LoginPage
from .tour import TOURS, walk

pytestmark = pytest.mark.mobile

# A small phone: 360 px is the narrowest width in common use, where layouts break first.
SMALL_PHONE = {
    "viewport": {"width": 360, "height": 740},
    "screen": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """The small phone over whatever else is set (base URL, --device's user agent, video)."""
    return {**browser_context_args, **SMALL_PHONE}


@pytest.mark.title("Parcours « {tour} » sur un téléphone de 360 px : rien de coupé, boutons assez grands et dégagés")
@pytest.mark.parametrize("tour", TOURS)
def test_every_page_fits_a_small_phone(tour: str, page: Page, make_persona, control, sites: dict[str, str]) -> None:
    shown: list[str] = []
    problems: list[Problem] = []
    try:
        for stop in walk(tour, page, make_persona=make_persona, control=control, sites=sites):
            shown.append(stop.name)
            problems += layout_problems(page, stop.name)
    except Exception as error:
        # A tour that cannot go on is often stopped by what the checks found
        # (a button pushed off the screen): show both.
        if not problems:
            raise
        first_line = str(error).splitlines()[0] if str(error) else ""
        pytest.fail(f"tour {tour} stopped after {shown[-1]}: {type(error).__name__}: {first_line}\n" + describe(problems))
    assert shown, f"tour {tour} showed no page"
    # Every page of the tour is checked before failing: one run lists all there is to fix.
    assert not problems, f"tour {tour} ({', '.join(shown)}): " + describe(problems)


@pytest.mark.title("Sur téléphone, je me connecte et me déconnecte en touchant l'écran")
def test_log_in_and_out_by_tapping(page: Page, persona: Persona) -> None:
    login = LoginPage(page).open()
    expect(login.title).to_be_visible()

    # A tap gives the field the focus; the phone's keyboard then types into it.
    login.nir.tap()
    expect(login.nir).to_be_focused()
    page.keyboard.type(persona.nir)
    login.remember_me.tap()
    expect(login.remember_me).to_be_checked()
    login.password.tap()
    expect(login.password).to_be_focused()
    page.keyboard.type(persona.password)
    login.submit_button.tap()

    account = AccountPage(page)
    expect(account.title).to_be_visible()
    expect(account.greeting_for(persona.display_name)).to_be_visible()

    # "Déconnexion" sits in the menu bar, which must stay within reach on a phone.
    account.logout_button.tap()
    expect(LoggedOutPage(page).title).to_be_visible()
