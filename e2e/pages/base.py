"""What every Mon Compte page shares: the blue menu bar."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from mock_server import texts


class SitePage:
    path = "/"

    def __init__(self, page: Page) -> None:
        self.page = page
        self.menu = page.get_by_role("navigation", name=texts.MAIN_MENU)
        self.mon_compte_icon = self.menu.get_by_role("link", name=texts.MON_COMPTE, exact=True)
        self.logout_button = self.menu.get_by_role("button", name=texts.ACCOUNT["logout"])
        self.heading = page.get_by_role("heading", level=1)

    def open(self) -> "SitePage":
        self.page.goto(self.path)
        return self

    def link(self, name: str) -> Locator:
        return self.page.get_by_role("link", name=name, exact=True)
