"""The simulator's dashboard (/__mock__/): personas, messages, faults, clock and
journal in one page, live. Only the faults section has actions the suites use."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page

from mock_server import texts

WORDS = texts.DASHBOARD
_DELETE = re.compile("^" + re.escape(WORDS["delete_label"].split("{")[0]))


class DashboardPage:
    path = "/__mock__/"

    def __init__(self, page: Page) -> None:
        self.page = page
        self.title = page.get_by_role("heading", name=WORDS["title"], exact=True, level=1)
        self.notice = page.get_by_role("status")
        self.faults_section = page.get_by_role("region", name=WORDS["faults_title"], exact=True)
        self.no_faults = self.faults_section.get_by_text(WORDS["faults_empty"], exact=True)
        # The active faults: the items with a delete button (the section also lists the named scenarios).
        self.faults = self.faults_section.get_by_role("listitem").filter(
            has=page.get_by_role("button", name=_DELETE))
        self.add_button = page.get_by_role("button", name=WORDS["add"], exact=True)
        self.clear_button = page.get_by_role("button", name=WORDS["clear"], exact=True)

    def open(self, base_url: str = "") -> DashboardPage:
        """`base_url`: the control API's (the dashboard is on every site; the page's own base URL if empty)."""
        self.page.goto(base_url + self.path)
        return self

    def field(self, name: str) -> Locator:
        """A field of « Ajouter une panne », by its key in texts.DASHBOARD["fields"]."""
        return self.page.get_by_label(WORDS["fields"][name], exact=True)

    def add_fault(self, kind: str, **fields: str) -> None:
        """Fill « Ajouter une panne » (choices by value, other fields typed) and submit it."""
        self.field("kind").select_option(kind)
        for name, value in fields.items():
            field = self.field(name)
            if field.evaluate("el => el.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        self.add_button.click()

    def fault(self, text: str) -> Locator:
        return self.faults.filter(has_text=text)

    def delete_button(self, fault_id: int) -> Locator:
        return self.faults_section.get_by_role("button", name=WORDS["delete_label"].format(id=fault_id), exact=True)

    def done(self, key: str, **values: object) -> Locator:
        """The notice after an action, by its key in texts.DASHBOARD["done"]."""
        template = WORDS["done"][key]
        if values:
            return self.notice.filter(has_text=template.format(**values))
        if "{" in template:
            pattern = re.escape(template).replace(re.escape("{n}"), r"\d+")
            return self.notice.filter(has_text=re.compile(pattern))
        return self.notice.filter(has_text=template)

    def clear_all(self) -> None:
        self.clear_button.click()
