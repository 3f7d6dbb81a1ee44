"""A FranceConnect login without a browser, for protocol tests with pyoidc.

`BrowserLike` walks FranceConnect's and the identity provider's HTML pages
with requests (cookies per host, CSRF tokens from the forms) until FranceConnect
redirects to the client's redirect URI, and returns that URL: its code and
state are what a real client would receive. The redirect itself is never
followed, so nothing needs to listen on the redirect URI.

Python's resolver does not resolve *.localhost here (browsers do by
themselves): every HTTP call, pyoidc's included, goes through the mock's
`LoopbackAdapter`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import requests
from oic.oic import Client
from oic.utils.authn.client import CLIENT_AUTHN_METHOD
from oic.utils.keyio import KeyBundle, KeyJar, UpdateFailed
from oic.utils.settings import OicClientSettings

from mock_server.oidc.relying_party import mount_loopback
from mock_server.personas import Persona

TIMEOUT = 5.0
MAX_STEPS = 20


def loopback_session(timeout: float = TIMEOUT) -> requests.Session:
    """A requests.Session that reaches *.localhost on 127.0.0.1 (Host header kept)."""
    return mount_loopback(requests.Session(), timeout)


def session_keyjar(session: requests.Session) -> KeyJar:
    """A pyoidc KeyJar whose remote key sets (jwks_uri) are fetched with `session`.

    pyoidc's KeyBundle fetches a jwks_uri with the module-level `requests.get`,
    not with the client's `requests_session`: this bundle uses the session.
    """

    class SessionKeyBundle(KeyBundle):
        def do_remote(self) -> bool:
            if self.source is None:
                return False
            try:
                response = session.get(self.source, timeout=self.timeout)
            except requests.RequestException as error:
                raise UpdateFailed(f"fetching {self.source} failed: {error}") from error
            if response.status_code != 200:
                raise UpdateFailed(f"fetching {self.source} answered HTTP {response.status_code}")
            jwks = response.json()
            if not isinstance(jwks, dict) or "keys" not in jwks:
                raise UpdateFailed(f"{self.source} is not a JWKS")
            self.imp_jwks = jwks
            self.do_keys(jwks["keys"])
            self.time_out = time.time() + self.cache_time
            self.last_updated = time.time()
            return True

    return KeyJar(keybundle_cls=SessionKeyBundle)


def pyoidc_client(issuer: str, client_id: str, client_secret: str, redirect_uri: str,
                  session: requests.Session) -> Client:
    """A pyoidc client of `issuer`, configured from its discovery document."""
    client = Client(client_id=client_id, client_authn_method=CLIENT_AUTHN_METHOD,
                    keyjar=session_keyjar(session), settings=OicClientSettings(requests_session=session))
    client.client_secret = client_secret
    client.redirect_uris = [redirect_uri]
    client.provider_config(issuer)
    return client


# HTML forms ------------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    attrs: dict[str, str]
    fields: dict[str, str] = field(default_factory=dict)  # hidden and pre-filled inputs
    inputs: list[str] = field(default_factory=list)  # names of every input
    buttons: list[tuple[str | None, str | None]] = field(default_factory=list)  # (name, value)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._current: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._current = Form(values.get("action", ""), values.get("method", "get").lower(), values)
            self.forms.append(self._current)
        elif self._current is not None and tag == "input" and values.get("name"):
            self._current.inputs.append(values["name"])
            if values.get("type") in ("hidden", "text", None) and "value" in values:
                self._current.fields[values["name"]] = values["value"]
        elif self._current is not None and tag == "button":
            self._current.buttons.append((values.get("name"), values.get("value")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


# The browser-like walk ---------------------------------------------------------


class FlowError(AssertionError):
    pass


class BrowserLike:
    """Follows FranceConnect's pages as a person would, choosing one identity provider."""

    def __init__(self, idp: str = "ameli", session: requests.Session | None = None) -> None:
        self.idp = idp
        self.http = session or loopback_session()
        self.history: list[tuple[int, str]] = []

    def _send(self, method: str, url: str, data: dict[str, str] | None = None) -> requests.Response:
        response = self.http.request(method, url, data=data, allow_redirects=False)
        self.history.append((response.status_code, f"{method} {url}"))
        return response

    def log_in(self, authorization_url: str, persona: Persona, redirect_uri: str) -> str:
        """From the client's authorization URL to FranceConnect's redirect back; returns that URL."""
        method, url, data = "GET", authorization_url, None
        for _ in range(MAX_STEPS):
            response = self._send(method, url, data)
            if response.is_redirect:
                # Resolved against the URL asked for: the adapter rewrote response.url to 127.0.0.1.
                target = urljoin(url, response.headers["Location"])
                if target.startswith(redirect_uri):
                    return target
                method, url, data = "GET", target, None
                continue
            if response.status_code != 200:
                raise FlowError(f"HTTP {response.status_code} at {url}: {response.text[:500]}\n{self.history}")
            method, url, data = self._next_step(url, response.text, persona)
        raise FlowError(f"no redirect to {redirect_uri} after {MAX_STEPS} steps: {self.history}")

    def _next_step(self, url: str, html: str, persona: Persona) -> tuple[str, str, dict[str, str]]:
        for form in forms_of(html):
            # FranceConnect's chooser: one form per provider, the button carries its id.
            if ("provider", self.idp) in form.buttons:
                return "POST", urljoin(url, form.action), {**form.fields, "provider": self.idp}
            # The identity provider's login form: the field names are the credential keys.
            if form.attrs.get("id") == "login-form":
                credentials = persona.credentials[self.idp]
                return "POST", urljoin(url, form.action), {**form.fields, **{
                    name: credentials[name] for name in form.inputs if name in credentials}}
            # "Vous êtes connecté !" → "J'accède à mon service".
            if form.action.endswith("/continuer"):
                return "POST", urljoin(url, form.action), dict(form.fields)
        raise FlowError(f"no form to go on with at {url}: {html[:800]}")


def redirect_params(url: str) -> dict[str, Any]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
