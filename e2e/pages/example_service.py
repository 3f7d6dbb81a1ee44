"""The example relying party's page (examples/relying_party/app.py): an application
outside the project, so its words are its own, written here as it writes them,
not in mock_server.texts."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

SIGN_IN = "S'identifier avec FranceConnect"
SIGN_OUT = "Se déconnecter"
SIGNED_OUT = "Vous êtes déconnecté."
BACK_HOME = "Retour à l'accueil"
LOGIN_FAILED = "La connexion avec FranceConnect n'a pas abouti."
GREETING = "Bonjour {given_name} {family_name}"


class ExampleServicePage:
    path = "/"

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.sign_in_button = page.get_by_role("button", name=SIGN_IN, exact=True)
        self.sign_out_button = page.get_by_role("button", name=SIGN_OUT, exact=True)
        self.notice = page.get_by_role("status")
        self.error = page.get_by_role("alert")
        self.error_title = self.error.get_by_role("heading")
        self.back_home = page.get_by_role("link", name=BACK_HOME, exact=True)

    def open(self) -> ExampleServicePage:
        self.page.goto(self.base_url + self.path)
        return self

    def greeting(self, given_name: str, family_name: str) -> Locator:
        return self.page.get_by_role("heading", name=GREETING.format(given_name=given_name, family_name=family_name),
                                     exact=True)

    def claim(self, name: str) -> Locator:
        """A claim FranceConnect sent, as the example shows it; the example marks each with its name."""
        return self.page.locator(f'dd[data-claim="{name}"]')
