"""A FranceConnect login without a browser, for protocol tests with pyoidc.

`BrowserLike` (the pytest plugin's walk, pytest_franceconnect_mock.walker)
walks FranceConnect's and the identity provider's HTML pages with requests (cookies per host, CSRF tokens from the forms) until FranceConnect
redirects to the client's redirect URI, and returns that URL: its code and
state are what a real client would receive. The redirect itself is never
followed, so nothing needs to listen on the redirect URI.

Python's resolver does not resolve *.localhost here (browsers do by
themselves): every HTTP call, pyoidc's included, goes through the mock's
`LoopbackAdapter`.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from oic.oic import Client
from oic.utils.authn.client import CLIENT_AUTHN_METHOD
from oic.utils.keyio import KeyBundle, KeyJar, UpdateFailed
from oic.utils.settings import OicClientSettings

from mock_server.personas import Persona
from pytest_franceconnect_mock import walker
from pytest_franceconnect_mock.walker import FlowError, Form, loopback_session, parse_page

__all__ = ["BrowserLike", "FlowError", "forms_of", "loopback_session", "pyoidc_client", "redirect_params"]


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


# The browser-like walk: the pytest plugin's, which other applications' suites use too ------


def forms_of(html: str) -> list[Form]:
    return parse_page(html).forms


class BrowserLike(walker.BrowserLike):
    """The plugin's walk, choosing one identity provider for every login."""

    def __init__(self, idp: str = "ameli", session: requests.Session | None = None) -> None:
        super().__init__(session)
        self.idp = idp

    def log_in(self, authorization_url: str, persona: Persona, redirect_uri: str) -> str:
        """From the client's authorization URL to FranceConnect's redirect back; returns that URL."""
        return self.sign_in(authorization_url, persona, idp=self.idp, redirect_uri=redirect_uri)


def redirect_params(url: str) -> dict[str, Any]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
