"""An identity provider's login page, driven by the provider catalogue
(fixtures/providers.py): the same steps for each, in each one's own words;
and France Identité's page, which waits for the phone instead of a password."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from fixtures.providers import FieldCase, ProviderCase
from mock_server import texts
from mock_server.personas import Persona


class ProviderLoginPage:
    def __init__(self, page: Page, case: ProviderCase) -> None:
        self.page = page
        self.case = case
        self.title = page.get_by_role("heading", name=case.title, exact=True)
        self.submit_button = page.get_by_role("button", name=case.submit, exact=True)
        self.cancel_button = page.get_by_role("button", name=case.cancel, exact=True)
        self.alert = page.get_by_role("alert")

    @staticmethod
    def of(page: Page, case: ProviderCase) -> ProviderLoginPage:
        """The page the provider shows after the chooser: its login form, or the waiting page."""
        return ApprovalWaitingPage(page, case) if case.approval else ProviderLoginPage(page, case)

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


class ApprovalWaitingPage(ProviderLoginPage):
    """France Identité: a pairing code to compare with the phone's, and a status that
    waits for the approval there; once approved the page goes on by itself
    (or by « J'ai validé sur mon téléphone », its submit button)."""

    def __init__(self, page: Page, case: ProviderCase) -> None:
        super().__init__(page, case)
        words = texts.PROVIDERS[case.id]
        self.waiting = page.get_by_role("status").filter(has_text=words["waiting"])
        # Changes with every login: what a picture of the page must mask.
        self.pairing_code = page.get_by_role("main").get_by_role("definition")
        self.pairing_label = page.get_by_role("main").get_by_role("term").filter(has_text=words["code_label"])
