"""The simulator's hands-on client page in a browser: from the dashboard, a developer
picks scopes, signs a persona in through FranceConnect and ameli, reads the decoded
id_token and userinfo, and logs out at FranceConnect."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pytest_franceconnect_mock.control import ControlClient
from fixtures.providers import BY_ID
from mock_server import texts
from mock_server.personas import Persona

from .pages import FcLoggedOutPage
from .pages.client_page import ClientLoggedOutPage, ClientPage, ClientResultPage

pytestmark = pytest.mark.franceconnect

WORDS = texts.CLIENT_PAGE
AMELI = BY_ID["ameli"]
OK = WORDS["verdicts"]["pass"]


@pytest.mark.title("La page client du simulateur connecte une persona par FranceConnect et ameli avec les scopes choisis, "
                   "montre l'id_token et userinfo décodés et vérifiés, puis la déconnecte")
def test_the_client_page_signs_a_persona_in_shows_the_tokens_and_logs_out(
        page: Page, control: ControlClient, persona: Persona, through_franceconnect) -> None:
    page.goto(f"{control.base_url}/__mock__/")
    page.get_by_role("link", name=WORDS["dashboard_link"], exact=True).click()

    client = ClientPage(page)
    expect(client.title).to_be_visible()
    expect(client.scope("openid")).to_be_checked()
    client.choose_scopes("openid", "given_name", "family_name")
    expect(client.scope("email")).not_to_be_checked()
    client.sign_in()

    through_franceconnect(AMELI, persona)

    result = ClientResultPage(page)
    expect(result.title).to_be_visible()
    expect(result.signed_in).to_be_visible()
    for check in ("signature", "nonce", "at_hash", "userinfo_signature", "userinfo_sub"):
        expect(result.check(check)).to_contain_text(OK)
    expect(result.claims_of(result.id_token)).to_contain_text('"acr": "eidas1"')
    userinfo = result.claims_of(result.userinfo)
    expect(userinfo).to_contain_text(f'"given_name": "{persona.given_name}"')
    expect(userinfo).to_contain_text(f'"family_name": "{persona.family_name}"')
    expect(userinfo).not_to_contain_text('"birthdate"')  # a scope not asked for
    expect(result.calls).to_contain_text("/api/v2/token")

    result.log_out()
    fc_logged_out = FcLoggedOutPage(page, WORDS["client_name"])
    expect(fc_logged_out.title).to_be_visible()
    fc_logged_out.back_to_service.click()
    logged_out = ClientLoggedOutPage(page)
    expect(logged_out.title).to_be_visible()
    expect(logged_out.state_check).to_contain_text(OK)
