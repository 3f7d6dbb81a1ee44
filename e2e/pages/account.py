"""Mon Compte's account space: the account page, and the two pages it links to,
« Mes informations personnelles » and « Mes paiements »."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from mock_server import texts

from .base import SitePage
from .logged_out import LoggedOutPage

A = texts.ACCOUNT


class AccountPage(SitePage):
    path = "/mon-compte/"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.title = page.get_by_role("heading", name=A["title"], exact=True)
        self.profile_link = self.link(A["profile_link"])
        self.payments_link = self.link(A["payments_link"])
        self.fc_identity = page.get_by_role("region", name=texts.FC_LOGIN["identity_title"])

    def greeting_for(self, name: str):
        return self.page.get_by_text(A["greeting"].format(name=name), exact=True)

    def logout(self) -> LoggedOutPage:
        """Click "Déconnexion" and wait for the page that confirms it, as a person does."""
        self.logout_button.click()
        logged_out = LoggedOutPage(self.page)
        expect(logged_out.title).to_be_visible()
        return logged_out

    def open_profile(self) -> ProfilePage:
        self.profile_link.click()
        return ProfilePage(self.page)

    def open_payments(self) -> PaymentsPage:
        self.payments_link.click()
        return PaymentsPage(self.page)


class AccountSubPage(SitePage):
    """What the account's pages share: a heading, the person's name, the way back,
    a link under the same words as the menu's icon (so looked for in the main content)."""

    title_text = ""

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.title = page.get_by_role("heading", name=self.title_text, exact=True, level=1)
        self.main = page.get_by_role("main")
        self.back_to_account_link = self.main.get_by_role("link", name=A["title"], exact=True)

    def name_shown(self, name: str) -> Locator:
        return self.main.get_by_text(name, exact=True)

    def back_to_account(self) -> AccountPage:
        self.back_to_account_link.click()
        account = AccountPage(self.page)
        expect(account.title).to_be_visible()
        return account


class ProfilePage(AccountSubPage):
    path = "/mon-compte/mes-informations"
    title_text = A["profile_title"]

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        # The person's details (NIR, birth date, e-mail, phone): the values of a description list.
        self.facts = self.main.get_by_role("definition")


class PaymentsPage(AccountSubPage):
    path = "/mon-compte/mes-paiements"
    title_text = A["payments_title"]

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.empty = page.get_by_text(A["payments_empty"], exact=True)
