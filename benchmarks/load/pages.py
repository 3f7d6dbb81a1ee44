"""What a protocol-level user reads in the mock's pages: forms (where they post,
their hidden fields such as the CSRF token, their buttons) and links."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# France Identité's waiting page shows the code the phone app must approve.
PAIRING_CODE = re.compile(r'data-testid="pairing-code">\s*([0-9]{6})\s*<')


@dataclass
class Form:
    action: str
    attrs: dict[str, str]
    fields: dict[str, str] = field(default_factory=dict)  # hidden inputs: csrf_token...
    inputs: list[str] = field(default_factory=list)  # the name of every input
    buttons: list[tuple[str | None, str | None]] = field(default_factory=list)  # (name, value)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._form = Form(values.get("action", ""), values)
            self.forms.append(self._form)
        elif tag == "a" and values.get("href"):
            self.links.append(values["href"])
        elif self._form is not None and tag == "input" and values.get("name"):
            self._form.inputs.append(values["name"])
            if values.get("type") == "hidden":
                self._form.fields[values["name"]] = values.get("value", "")
        elif self._form is not None and tag == "button":
            self._form.buttons.append((values.get("name"), values.get("value")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


class Page:
    """One HTML answer, parsed once."""

    def __init__(self, html: str) -> None:
        parser = _PageParser()
        parser.feed(html)
        self.html = html
        self.forms = parser.forms
        self.links = parser.links

    def form(self, *, action_ends: str | None = None, form_id: str | None = None,
             button: tuple[str, str] | None = None) -> Form | None:
        """The first form that posts to a path ending so, has this id, or this button."""
        for form in self.forms:
            if action_ends is not None and not form.action.split("?")[0].endswith(action_ends):
                continue
            if form_id is not None and form.attrs.get("id") != form_id:
                continue
            if button is not None and button not in form.buttons:
                continue
            return form
        return None

    def csrf_token(self) -> str | None:
        return next((form.fields["csrf_token"] for form in self.forms if "csrf_token" in form.fields), None)

    def pairing_code(self) -> str | None:
        found = PAIRING_CODE.search(self.html)
        return found.group(1) if found else None
