"""The simulator's hands-on client page (/__mock__/client): its form, the result
of a login (checks, decoded id_token and userinfo, HTTP calls) and the page back
from FranceConnect's logout."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

from mock_server import texts

WORDS = texts.CLIENT_PAGE


class ClientPage:
    path = "/__mock__/client"

    def __init__(self, page: Page) -> None:
        self.page = page
        self.title = page.get_by_role("heading", name=WORDS["title"], level=1)
        self.claims = page.get_by_label(WORDS["claims"], exact=True)
        self.extra_scope = page.get_by_label(WORDS["extra_scope"], exact=True)
        self.acr_values = page.get_by_label(WORDS["acr_values"], exact=True)
        self.prompt = page.get_by_label(WORDS["prompt"], exact=True)
        self.idp_hint = page.get_by_label(WORDS["idp_hint"], exact=True)
        self.max_age = page.get_by_label(WORDS["max_age"], exact=True)
        self.pkce = page.get_by_role("checkbox", name=WORDS["pkce"], exact=True)
        self.sign_in_button = page.get_by_role("button", name=WORDS["submit"], exact=True)
        self.send_anyway_button = page.get_by_role("button", name=WORDS["send_anyway"], exact=True)
        self.alert = page.get_by_role("alert")

    def scope(self, name: str) -> Locator:
        return self.page.get_by_role("checkbox", name=name, exact=True)

    def choose_scopes(self, *names: str) -> "ClientPage":
        """Tick exactly these scopes."""
        for box in self.page.get_by_role("group", name=WORDS["scope_legend"]).get_by_role("checkbox").all():
            box.set_checked(box.get_attribute("value") in names)
        return self

    def sign_in(self) -> None:
        self.sign_in_button.click()


class ClientResultPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.title = page.get_by_role("heading", name=WORDS["result_title"], exact=True)
        self.signed_in = page.get_by_role("status").filter(has_text=WORDS["signed_in"])
        self.failure = page.get_by_role("alert")
        self.checks = page.get_by_role("table", name=WORDS["checks_title"], exact=True)
        self.id_token = page.get_by_role("region", name=WORDS["id_token_title"], exact=True)
        self.userinfo = page.get_by_role("region", name=WORDS["userinfo_title"], exact=True)
        self.calls = page.get_by_role("region", name=WORDS["calls_title"], exact=True)
        self.logout_button = page.get_by_role("button", name=WORDS["logout"], exact=True)
        self.start_again = page.get_by_role("main").get_by_role("link", name=WORDS["start_again"], exact=True)

    def check(self, name: str) -> Locator:
        """The row of one check (a key of texts.CLIENT_PAGE["checks"])."""
        return self.checks.get_by_role("row", name=WORDS["checks"][name])

    def claims_of(self, region: Locator) -> Locator:
        return region.get_by_label(WORDS["claims_title"], exact=True)

    def log_out(self) -> None:
        self.logout_button.click()


class ClientLoggedOutPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.title = page.get_by_role("heading", name=WORDS["logged_out_title"], exact=True)
        self.state_check = page.get_by_role("row", name=WORDS["logged_out_state"])
