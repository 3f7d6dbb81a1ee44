from __future__ import annotations

from playwright.sync_api import Locator, Page

from mock_server import texts

from .base import SitePage

L = texts.LOGIN


class LoginPage(SitePage):
    path = "/connexion"

    def __init__(self, page: Page) -> None:
        super().__init__(page)
        self.title = page.get_by_role("heading", name=L["title"], exact=True)
        self.nir = page.get_by_label(L["nir_label"], exact=True)
        self.provisional_toggle = page.get_by_role("checkbox", name=L["provisional_toggle"], exact=True)
        self.provisional_id = page.get_by_label(L["provisional_label"], exact=True)
        self.password = page.get_by_label(L["password_label"], exact=True)
        self.remember_me = page.get_by_role("checkbox", name=L["remember_me"], exact=True)
        self.submit_button = page.get_by_role("button", name=L["submit"], exact=True)
        self.franceconnect_button = page.get_by_role("button", name=L["franceconnect"], exact=True)
        self.alert = page.get_by_role("alert")
        self.notice = page.get_by_role("status")

    def open(self, next_path: str | None = None) -> "LoginPage":
        self.page.goto(self.path if next_path is None else f"{self.path}?next={next_path}")
        return self

    def fill_nir(self, nir: str, password: str, *, remember: bool | None = None) -> "LoginPage":
        if self.provisional_toggle.is_checked():
            self.provisional_toggle.uncheck()
        self.nir.fill(nir)
        self.password.fill(password)
        if remember is not None:
            self.remember_me.set_checked(remember)
        return self

    def fill_provisional(self, provisional_id: str, password: str, *, remember: bool | None = None) -> "LoginPage":
        self.provisional_toggle.check()
        self.provisional_id.fill(provisional_id)
        self.password.fill(password)
        if remember is not None:
            self.remember_me.set_checked(remember)
        return self

    def submit(self) -> None:
        self.submit_button.click()

    def login_with_nir(self, nir: str, password: str, *, remember: bool | None = None) -> None:
        self.fill_nir(nir, password, remember=remember).submit()

    def login_with_provisional(self, provisional_id: str, password: str, *, remember: bool | None = None) -> None:
        self.fill_provisional(provisional_id, password, remember=remember).submit()

    def seed_elements(self) -> list[Locator]:
        """Every element of the help page's login screen, in its words."""
        page = self.page
        return [
            self.title,
            page.get_by_text(L["required_notice"], exact=True),
            self.nir,
            self.link(L["nir_help"]),
            self.remember_me,
            self.provisional_toggle,
            self.password,
            self.link(L["forgot_password"]),
            self.submit_button,
            page.get_by_text(L["or"], exact=True),
            self.franceconnect_button,
            self.link(L["what_is_franceconnect"]),
            self.link(L["signup"]),
            self.link(L["tutorial"]),
        ]
