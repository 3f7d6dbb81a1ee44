"""FranceConnect's pages: the provider chooser, "Vous êtes connecté !" (with the
consent box of a private service), its technical error page and its logout
confirmation."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from fixtures.providers import ProviderCase
from mock_server import texts
from mock_server.french import fill

FC = texts.FRANCECONNECT
SERVICE = "Mon Compte"


class ChooserPage:
    """FranceConnect's "Choisissez un compte pour vous connecter", for `service` (Mon Compte unless said)."""

    def __init__(self, page: Page, service: str = SERVICE) -> None:
        self.page = page
        self.title = page.get_by_role("heading", name=FC["choose"], exact=True)
        self.intro = page.get_by_text(FC["intro"].format(service=service), exact=True)
        self.providers = page.get_by_role("list", name=FC["choose"]).get_by_role("button")
        self.what_is = page.get_by_text(FC["what_is"], exact=True)
        self.what_is_text = page.get_by_text(FC["what_is_text"], exact=True)
        self.back_to_service = page.get_by_role("link", name=re.compile(re.escape(FC["back_to_service"].format(service=service))))
        self.alert = page.get_by_role("alert")

    def provider(self, name: str) -> Locator:
        return self.page.get_by_role("button", name=name, exact=True)

    def unavailable(self, name: str) -> Locator:
        """A provider switched off, or not offered by the service: greyed out, "Indisponible"."""
        return self.page.get_by_role("button", name=f"{name} {FC['unavailable']}", exact=True)

    def choose(self, name: str) -> None:
        self.provider(name).click()


class ConnectedPage:
    """Back from the identity provider: "Vous êtes connecté !"."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.title = page.get_by_role("heading", name=FC["connected"], exact=True)
        self.continue_button = page.get_by_role("button", name=FC["continue"], exact=True)
        # A private service only: FranceConnect's consent box, and its message.
        self.consent = page.get_by_role("checkbox", name=FC["consent"], exact=True)
        self.consent_required = page.get_by_text(FC["consent_required"], exact=True)

    def shows(self, text: str) -> Locator:
        return self.page.get_by_text(text, exact=True)

    def continue_to_service(self) -> None:
        self.continue_button.click()


class TechnicalErrorPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.title = page.get_by_role("heading", name=FC["error_title"], exact=True)
        self.back_to_service = page.get_by_role("link", name=FC["back_to_service"].format(service=SERVICE), exact=True)

    def code(self, code: str) -> Locator:
        return self.page.get_by_text(FC["error_code"].format(code=code), exact=True)

    def message(self, text: str) -> Locator:
        return self.page.get_by_text(text, exact=True)


class FcLoggedOutPage:
    """FranceConnect's logout confirmation, with its way back to the service that asked."""

    def __init__(self, page: Page, service: str = SERVICE) -> None:
        self.page = page
        self.title = page.get_by_role("heading", name=FC["logged_out_title"], exact=True)
        self.back_to_service = page.get_by_role("link", name=FC["back_to_service"].format(service=service), exact=True)

    def logged_out_of(self, provider: ProviderCase) -> Locator:
        """"Vous avez été déconnecté de <provider>" (the provider has an end-session endpoint)."""
        return self.page.get_by_text(fill(FC["logged_out_idp"], provider=provider.in_text))

    def still_signed_in_at(self, provider: ProviderCase) -> Locator:
        """The provider has no end-session endpoint: its own session is kept."""
        return self.page.get_by_text(fill(FC["logged_out_idp_kept"], provider=provider.in_text))
