"""FranceConnect answers wrongly on purpose (a broken-answer fault for the persona):
Mon Compte refuses each broken answer with its error page and the person is not
signed in; across a key rotation, Mon Compte fetches the new keys and signs the
person in. One login each, through ameli, as the help page's steps go."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pytest_franceconnect_mock.control import ControlClient
from fixtures.providers import BY_ID
from mock_server.personas import Persona
from mock_server.simulation.faults import ANSWER_KINDS

from .pages import AccountPage, ChooserPage, FcRefusedPage, LoginPage

pytestmark = pytest.mark.franceconnect

REFUSED = [kind for kind in ANSWER_KINDS if kind != "jwks_rotated"]
AMELI = BY_ID["ameli"]


@pytest.mark.title("FranceConnect renvoie une réponse défectueuse ({kind}) : Mon Compte la refuse et ne me connecte pas")
@pytest.mark.parametrize("kind", REFUSED)
def test_mon_compte_refuses_a_broken_answer(page: Page, chooser: ChooserPage, persona: Persona, faults: ControlClient,
                                            through_franceconnect, kind: str) -> None:
    faults.add_fault(kind=kind, persona=persona.id)
    through_franceconnect(AMELI, persona)
    refused = FcRefusedPage(page)
    expect(refused.title).to_be_visible()
    expect(refused.explanation).to_be_visible()
    assert faults.faults() == []  # the fault was met, by this login
    page.goto("/mon-compte/")
    expect(LoginPage(page).title).to_be_visible()


@pytest.mark.title("FranceConnect renouvelle ses clés de signature pendant ma connexion : Mon Compte lit les nouvelles et me connecte")
def test_mon_compte_signs_in_across_a_key_rotation(page: Page, chooser: ChooserPage, persona: Persona,
                                                   faults: ControlClient, through_franceconnect) -> None:
    faults.add_fault(kind="jwks_rotated", persona=persona.id)
    through_franceconnect(AMELI, persona)
    expect(AccountPage(page).greeting_for(persona.display_name)).to_be_visible()
    assert faults.faults() == []
