"""Mon Compte's pages when a FranceConnect login does not log in: no CAF record,
an answer refused, FranceConnect unreachable."""

from __future__ import annotations

import re

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
        # What to do next: one list item per case (allocataire, no account yet, civil status changed).
        self.advice = page.get_by_role("main").get_by_role("listitem")


class FcRefusedPage(SitePage):
    """FranceConnect's answer failed Mon Compte's checks (state, signature...)."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.title = page.get_by_role("heading", name=F["error_title"], exact=True)
        # "La réponse de FranceConnect n'a pas pu être vérifiée (<reason>). Par sécurité, …"
        before, _, after = F["error_text"].partition("{reason}")
        self.explanation = page.get_by_text(re.compile(f"^{re.escape(before)}.+{re.escape(after)}$"))


class FcUnavailablePage(SitePage):
    """« S'identifier avec FranceConnect » while FranceConnect cannot be reached:
    « Réessayer », or back to the login page."""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.title = page.get_by_role("heading", name=F["unavailable_title"], exact=True)
        self.text = page.get_by_text(F["unavailable_text"], exact=True)
        self.retry_link = self.link(F["retry"])
        self.back_to_login = self.link(texts.HELP["back_to_login"])

    def retry(self) -> None:
        self.retry_link.click()
