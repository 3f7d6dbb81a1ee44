from __future__ import annotations

from playwright.sync_api import Page

from mock_server import texts

from .base import SitePage


class LoggedOutPage(SitePage):
    path = "/deconnecte"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.title = page.get_by_role("heading", name=texts.LOGGED_OUT["title"], exact=True)
        # Reached by a link while signed in: nothing ended, the Déconnexion button does that.
        self.still_signed_in = page.get_by_role("heading", name=texts.LOGGED_OUT["still_signed_in_title"], exact=True)
        self.login_again = self.link(texts.LOGGED_OUT["login_again"])
