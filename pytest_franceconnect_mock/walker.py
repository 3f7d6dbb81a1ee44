"""A person signing in at the mock FranceConnect, without a browser.

`BrowserLike` walks FranceConnect's and the identity provider's HTML pages with requests
(its own cookies, as a browser keeps them; CSRF tokens from the forms) and stops at the
redirect back to the application: the URL with code and state that a real browser would
open. It never follows that redirect, so nothing has to listen on the redirect URI: hand
the URL to the application (its test client, or an HTTP call).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Callable
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

from mock_server.oidc.relying_party import mount_loopback

TIMEOUT = 10.0
MAX_STEPS = 20


def loopback_session(timeout: float = TIMEOUT) -> requests.Session:
    """A requests.Session that reaches *.localhost on 127.0.0.1 (Host header kept), with a timeout."""
    return mount_loopback(requests.Session(), timeout)


@dataclass
class Form:
    action: str
    attrs: dict[str, str]
    fields: dict[str, str] = field(default_factory=dict)  # hidden and pre-filled inputs
    inputs: list[str] = field(default_factory=list)  # every input's name
    checkboxes: dict[str, str] = field(default_factory=dict)  # name: value a person ticks
    buttons: list[tuple[str | None, str | None]] = field(default_factory=list)  # (name, value)


@dataclass
class Link:
    href: str
    text: str = ""


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[Link] = []
        self._form: Form | None = None
        self._link: Link | None = None
        # France Identité's waiting page: the code the phone app shows too.
        self.pairing_code = ""
        self._in_pairing_code = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self._in_pairing_code = values.get("data-testid") == "pairing-code"
        if tag == "form":
            self._form = Form(values.get("action", ""), values)
            self.forms.append(self._form)
        elif tag == "a" and "href" in values:
            self._link = Link(values["href"])
            self.links.append(self._link)
        elif self._form is not None and tag == "input" and values.get("name"):
            name, kind = values["name"], values.get("type", "text")
            self._form.inputs.append(name)
            if kind == "checkbox":
                self._form.checkboxes[name] = values.get("value") or "on"
            elif kind in ("hidden", "text") and "value" in values:
                self._form.fields[name] = values["value"]
        elif self._form is not None and tag == "button":
            self._form.buttons.append((values.get("name"), values.get("value")))

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link.text += data
        if self._in_pairing_code:
            self.pairing_code += data.strip()

    def handle_endtag(self, tag: str) -> None:
        self._in_pairing_code = False
        if tag == "form":
            self._form = None
        elif tag == "a":
            self._link = None


def parse_page(html: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(html)
    return parser


class FlowError(AssertionError):
    """The walk could not go on: the page it stopped at, and the requests made."""


def _query_param(url: str, name: str) -> str | None:
    values = parse_qs(urlsplit(url).query).get(name)
    return values[0] if values else None


class BrowserLike:
    """Follows FranceConnect's pages as a person would: the provider chooser (the
    provider given), the provider's login form (the persona's credentials there), the
    "J'accède à mon service" page (its consent box ticked, for a private service)."""

    def __init__(self, session: requests.Session | None = None, *,
                 approve: Callable[[Any, str], None] | None = None) -> None:
        self.http = session or loopback_session()
        # France Identité: how the persona approves the login on its phone, given the
        # pairing code the page shows (the fc_browser fixture approves through the control API).
        self.approve = approve
        # (status, "METHOD url") of every request, for the error message of a walk that stops.
        self.history: list[tuple[int, str]] = []

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> BrowserLike:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(self, method: str, url: str, data: dict[str, str] | None = None) -> requests.Response:
        response = self.http.request(method, url, data=data, allow_redirects=False)
        self.history.append((response.status_code, f"{method} {url}"))
        return response

    def sign_in(self, authorization_url: str, persona: Any, *, idp: str = "ameli",
                redirect_uri: str | None = None) -> str:
        """From the application's authorization URL to FranceConnect's redirect back to it
        (redirect_uri: the authorization URL's own, by default); returns that URL."""
        target = redirect_uri or _query_param(authorization_url, "redirect_uri")
        if not target:
            raise FlowError(f"no redirect_uri in {authorization_url}")
        return self._walk("GET", authorization_url, None, target, persona, idp)

    def sign_out(self, end_session_url: str) -> str:
        """From FranceConnect's end_session URL to the way back to the application
        (post_logout_redirect_uri, with its state): returns that URL, not followed."""
        target = _query_param(end_session_url, "post_logout_redirect_uri")
        if not target:
            raise FlowError(f"no post_logout_redirect_uri in {end_session_url}")
        return self._walk("GET", end_session_url, None, target, None, None)

    def _walk(self, method: str, url: str, data: dict[str, str] | None, target: str, persona: Any,
              idp: str | None) -> str:
        for _ in range(MAX_STEPS):
            response = self._send(method, url, data)
            if response.is_redirect:
                # Resolved against the URL asked for: the loopback adapter rewrote response.url.
                location = urljoin(url, response.headers["Location"])
                if location.startswith(target):
                    return location
                method, url, data = "GET", location, None
                continue
            if response.status_code != 200:
                raise FlowError(f"HTTP {response.status_code} at {url}: {response.text[:800]}\n{self.history}")
            page = parse_page(response.text)
            # FranceConnect's logged-out page: "Revenir sur <service>" is a link.
            for link in page.links:
                if urljoin(url, link.href).startswith(target):
                    return urljoin(url, link.href)
            if persona is None:
                raise FlowError(f"no way back to {target} at {url}: {response.text[:800]}\n{self.history}")
            method, url, data = self._next_step(url, page, persona, idp)
        raise FlowError(f"no redirect to {target} after {MAX_STEPS} steps: {self.history}")

    def _next_step(self, url: str, page: _PageParser, persona: Any, idp: str) -> tuple[str, str, dict[str, str]]:
        for form in page.forms:
            # FranceConnect's chooser: one form per provider, its button carries the provider's id.
            if ("provider", idp) in form.buttons:
                return "POST", urljoin(url, form.action), {**form.fields, "provider": idp}
            # The identity provider's login form: its field names are the credentials' keys.
            if form.attrs.get("id") == "login-form":
                credentials = persona.credentials.get(idp)
                if credentials is None:
                    raise FlowError(f"the persona has no credentials at {idp}: {sorted(persona.credentials)}")
                return "POST", urljoin(url, form.action), {
                    **form.fields, **{name: credentials[name] for name in form.inputs if name in credentials}}
            # France Identité waits for the phone: approved there, then "J'ai validé sur mon téléphone".
            if form.attrs.get("id") == "approval-form":
                if self.approve is None:
                    raise FlowError(f"{idp} waits for an approval on the phone: give BrowserLike an approve "
                                    "callback (the fc_browser fixture has one)")
                self.approve(persona, page.pairing_code)
                return "POST", urljoin(url, form.action), dict(form.fields)
            # "Vous êtes connecté !" → "J'accède à mon service" (a private service's consent ticked).
            if form.action.endswith("/continuer"):
                return "POST", urljoin(url, form.action), {**form.fields, **form.checkboxes}
        raise FlowError(f"no form to go on with at {url}\n{self.history}")
