"""Mon Compte's error page, one template for every HTTP error the site answers
with a page: « Service momentanément indisponible » (500) and « Le service met trop
de temps à répondre » (504) offer « Réessayer »; every one leads back home.

Which heading and text go with which status is the site's own record
(mock_server.errors.PAGES), read here rather than written a second time."""

from __future__ import annotations

from playwright.sync_api import Page

from mock_server import texts
from mock_server.errors import PAGES

from .base import SitePage

E = texts.ERRORS


class ErrorPage(SitePage):
    def __init__(self, page: Page, status: int = 500) -> None:
        super().__init__(page)
        title_key, text_key = PAGES[status]
        self.status = status
        self.title = page.get_by_role("heading", name=E[title_key], exact=True, level=1)
        self.text = page.get_by_text(E[text_key], exact=True)
        self.retry_link = self.link(E["retry"])  # a 5xx page only: the request may work again
        self.back_home = self.link(E["back_home"])

    def retry(self) -> None:
        """« Réessayer »: the same address again."""
        self.retry_link.click()
