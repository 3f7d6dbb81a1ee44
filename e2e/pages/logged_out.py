from __future__ import annotations

from playwright.sync_api import Page

from mock_server import texts

from .base import SitePage


class LoggedOutPage(SitePage):
    path = "/deconnecte"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.title = page.get_by_role("heading", name=texts.LOGGED_OUT["title"], exact=True)
        self.login_again = self.link(texts.LOGGED_OUT["login_again"])
