from __future__ import annotations

from playwright.sync_api import Page

from mock_server import texts

from .base import SitePage
from .login import LoginPage


class HomePage(SitePage):
    path = "/"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.title = page.get_by_role("heading", name=texts.HOME_TITLE, exact=True, level=1)

    def go_to_mon_compte(self) -> LoginPage:
        self.mon_compte_icon.click()
        return LoginPage(self.page)
