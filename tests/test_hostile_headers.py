"""Hostile headers on every site and on the control plane: Host, Origin, Cookie,
Content-Type, methods. The dispatcher picks the site by the Host header, so a
hostile one reaches the root app, a site, or the control plane's refusal (421).
"""

from __future__ import annotations


import pytest
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.test import Client

from mock_server.config import SITES
from mock_server.sites import SiteDispatcher

from .hostile import (
    HOSTS,
    ORIGINS,
    Browser,
    ControlAPI,
    assert_handled,
    header_value,
    hostile_text,
    json_bodies,
    personas_survive,
    raw_query,
)

pytestmark = [pytest.mark.hostile, pytest.mark.filterwarnings("ignore:Generating overly large repr")]

PATHS = ("/", "/connexion", "/mot-de-passe-oublie", "/mon-compte/", "/api/v2/authorize", "/oidc/authorize",
         "/api/v2/.well-known/openid-configuration", "/oidc/jwks", "/connexion/x", "/__mock__/", "/__mock__/personas",
         "/__mock__/health", "/__mock__/outbox", "/static/style.css")
CHANGING_CALLS = (("POST", "/__mock__/personas"), ("POST", "/__mock__/clock"), ("POST", "/__mock__/settings"),
                  ("POST", "/__mock__/faults"), ("DELETE", "/__mock__/faults"), ("POST", "/__mock__/sessions"),
                  ("DELETE", "/__mock__/outbox"), ("POST", "/__mock__/franceconnect/clients"),
                  ("POST", "/__mock__/scenarios/sms-down"), ("DELETE", "/__mock__/journal"))


FOREIGN_ORIGINS = tuple(origin for origin in ORIGINS if "127.0.0.1" not in origin)


def hosts() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(HOSTS), st.sampled_from(SITES).map(lambda site: f"{site}.localhost"),
                     hostile_text(huge=False)).map(header_value)


def site_of(app: SiteDispatcher, host: str) -> str | None:
    """The site the dispatcher serves for this Host (None: the root app)."""
    return app.site_for_host(host)


def test_hostile_host_headers_reach_a_site_or_a_refusal_never_a_failure(mock_app: SiteDispatcher) -> None:
    with personas_survive(mock_app):
        @given(host=hosts(), path=st.sampled_from(PATHS), query=st.one_of(st.none(), raw_query()),
               method=st.sampled_from(["GET", "POST", "HEAD"]))
        def attempt(host: str, path: str, query, method: str) -> None:
            response = Client(mock_app).open(path, method=method, headers={"Host": host}, query_string=query)
            assert_handled(response, site_of(mock_app, host))

        attempt()


def test_foreign_origins_cannot_change_the_mock(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        @given(call=st.sampled_from(CHANGING_CALLS), origin=st.sampled_from(FOREIGN_ORIGINS).map(header_value),
               body=json_bodies(("advance", "kind", "persona_id")))
        def attempt(call: tuple[str, str], origin: str, body: bytes) -> None:
            method, path = call
            response = api.open(method, path, body=body, headers={"Origin": origin})
            assert response.status_code == 403, f"{response.status} for {origin!r}"

        attempt()


def test_hostile_cookies_are_no_session_at_all(mock_app: SiteDispatcher) -> None:
    with personas_survive(mock_app):
        @given(site=st.sampled_from(SITES), value=hostile_text(huge=False).map(header_value),
               name=st.one_of(st.sampled_from(SITES).map(lambda site: f"{site}_session"),
                              st.just("moncompte_identifiant"), st.just("mock_control_session")),
               path=st.sampled_from(PATHS))
        def attempt(site: str, value: str, name: str, path: str) -> None:
            browser = Browser(mock_app, site)
            response = browser.get(path, headers={"Cookie": f"{name}={value}"})
            assert response.status_code != 200 or path != "/mon-compte/", "a hostile cookie signed someone in"

        attempt()


def test_hostile_content_types_and_methods_on_every_site(mock_app: SiteDispatcher) -> None:
    with personas_survive(mock_app):
        @given(site=st.sampled_from(SITES), path=st.sampled_from(PATHS),
               method=st.sampled_from(["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "FOO", "get", "POST"]),
               content_type=st.one_of(st.sampled_from([
                   "multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=x",
                   "application/x-www-form-urlencoded; charset=utf-16", "application/json", "text/xml",
                   "application/x-www-form-urlencoded; charset=\x00"]), hostile_text(huge=False)).map(header_value),
               body=st.sampled_from([b"", b"--x\r\nContent-Disposition: form-data; name=\"nir\"\r\n\r\n1\r\n--x--",
                                     b"--x\r\n\r\n", b"a=%ff", b"\xff" * 100, b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>"]))
        def attempt(site: str, path: str, method: str, content_type: str, body: bytes) -> None:
            Browser(mock_app, site).open(method, path, data=body, headers={"Content-Type": content_type})

        attempt()
