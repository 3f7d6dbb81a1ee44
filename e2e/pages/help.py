from __future__ import annotations

from playwright.sync_api import Page

from mock_server import texts

from .base import SitePage


class HelpPage(SitePage):
    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.back_to_login = self.link(texts.HELP["back_to_login"])

    def titled(self, title: str):
        return self.page.get_by_role("heading", name=title, exact=True, level=1)
