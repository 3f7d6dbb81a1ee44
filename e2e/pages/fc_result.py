"""Mon Compte's pages at the end of a FranceConnect login that does not log in."""

from __future__ import annotations

from playwright.sync_api import Page

from mock_server import texts

from .base import SitePage

F = texts.FC_LOGIN


class NoAccountPage(SitePage):
    """FranceConnect's identity matches no CAF record."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.title = page.get_by_role("heading", name=F["no_account_title"], exact=True)
        self.back_to_login = self.link(texts.HELP["back_to_login"])


class FcRefusedPage(SitePage):
    """FranceConnect's answer failed Mon Compte's checks (state, signature...)."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.title = page.get_by_role("heading", name=F["error_title"], exact=True)
