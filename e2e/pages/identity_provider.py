"""An identity provider's login page, driven by the provider catalogue
(fixtures/providers.py): the same steps for each, in each one's own words."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from fixtures.providers import FieldCase, ProviderCase
from mock_server.personas import Persona


class ProviderLoginPage:
    def __init__(self, page: Page, case: ProviderCase) -> None:
        self.page = page
        self.case = case
        self.title = page.get_by_role("heading", name=case.title, exact=True)
        self.submit_button = page.get_by_role("button", name=case.submit, exact=True)
        self.cancel_button = page.get_by_role("button", name=case.cancel, exact=True)
        self.alert = page.get_by_role("alert")

    def field(self, field: FieldCase) -> Locator:
        return self.page.get_by_label(field.label, exact=True)

    def fill(self, credentials: dict[str, str]) -> "ProviderLoginPage":
        for field in self.case.fields:
            self.field(field).fill(credentials[field.credential_key])
        return self

    def log_in(self, persona: Persona, **wrong: str) -> None:
        """Type the persona's credentials at this provider (some replaced by `wrong`), then submit."""
        self.fill({**persona.credentials[self.case.id], **wrong})
        self.submit_button.click()

    def cancel(self) -> None:
        self.cancel_button.click()
