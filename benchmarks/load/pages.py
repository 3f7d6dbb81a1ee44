"""What a protocol-level user reads in the mock's pages: forms (where they post,
their hidden fields such as the CSRF token, their buttons) and links."""

from __future__ import annotations

from pytest_franceconnect_mock.walker import Form, parse_page

__all__ = ["Form", "Page"]


class Page:
    """One HTML answer, parsed once (by the same parser as the plugin's browserless walk)."""

    def __init__(self, html: str) -> None:
        parsed = parse_page(html)
        self.html = html
        self.forms = parsed.forms
        self.links = [link.href for link in parsed.links if link.href]
        self._pairing_code = parsed.pairing_code

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
        """The code France Identité's waiting page shows, which the phone app must approve."""
        return self._pairing_code or None
