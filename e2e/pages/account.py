from __future__ import annotations

from playwright.sync_api import Page, expect

from mock_server import texts

from .base import SitePage
from .logged_out import LoggedOutPage

A = texts.ACCOUNT


class AccountPage(SitePage):
    path = "/mon-compte/"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.title = page.get_by_role("heading", name=A["title"], exact=True)
        self.profile_link = self.link(A["profile_link"])
        self.payments_link = self.link(A["payments_link"])
        self.fc_identity = page.get_by_role("region", name=texts.FC_LOGIN["identity_title"])

    def greeting_for(self, name: str):
        return self.page.get_by_text(A["greeting"].format(name=name), exact=True)

    def logout(self) -> LoggedOutPage:
        """Click "Déconnexion" and wait for the page that confirms it, as a person does."""
        self.logout_button.click()
        logged_out = LoggedOutPage(self.page)
        expect(logged_out.title).to_be_visible()
        return logged_out
