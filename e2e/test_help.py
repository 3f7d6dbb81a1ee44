"""The help pages reachable from the login page, and the services to come."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from mock_server import texts

from .pages import HelpPage, LoginPage

pytestmark = pytest.mark.help

L, H = texts.LOGIN, texts.HELP

HELP_LINKS = [
    (L["nir_help"], H["where_title"], H["where_nir"]),
    (L["what_is_franceconnect"], H["franceconnect_title"], H["franceconnect_text"]),
    (L["tutorial"], H["tutorial_title"], H["tutorial_steps"][0]),
    (H["forgot_title"], H["forgot_title"], H["forgot_text"]),
]


@pytest.mark.title("Le lien « {link} » ouvre sa page d'aide, d'où « Retour à la connexion » me ramène")
@pytest.mark.parametrize("link, title, text", HELP_LINKS, ids=["nir", "franceconnect", "tutorial", "forgot"])
def test_help_link_opens_its_page(login_page: LoginPage, link: str, title: str, text: str) -> None:
    login_page.link(link).click()
    help_page = HelpPage(login_page.page)
    expect(help_page.titled(title)).to_be_visible()
    expect(login_page.page.get_by_text(text)).to_be_visible()
    help_page.back_to_login.click()
    expect(login_page.title).to_be_visible()

