"""The control plane (control API, dashboard, index) against the pages of other
sites open in the same browser: DNS rebinding, cross-origin requests, forms
without a token, framing. Driven through the whole dispatcher, as a browser's
requests arrive."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from werkzeug.test import Client

from mock_server.config import MockConfig
from mock_server.control.guard import origin_is_own, own_host_names
from mock_server.sites import SiteDispatcher, host_name

CONTROL = "http://127.0.0.1"
NEW_PERSONA = json.dumps({}).encode()


@pytest.fixture
def http(mock_app: SiteDispatcher) -> Client:
    return Client(mock_app)


def persona_count(mock_app: SiteDispatcher) -> int:
    return len(mock_app.store.list_personas())


@pytest.mark.parametrize("host", ["rebound.attacker.example", "attacker.example:8765", "10.0.0.7", "[fe80::1]:80"])
@pytest.mark.parametrize("path", ["/__mock__/personas", "/", "/__mock__/"])
def test_a_foreign_host_name_gets_421_not_the_personas(http, add_persona, host, path) -> None:
    persona = add_persona()
    response = http.get(path, headers={"Host": host})
    assert response.status_code == 421
    assert persona.password not in response.get_data(as_text=True)


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost:1234", "[::1]:8765", "moncompte.localhost:8765",
                                  "AMELI.localhost"])
def test_the_mocks_own_host_names_are_answered(http, host) -> None:
    assert http.get("/__mock__/health", headers={"Host": host}).status_code == 200


def test_another_local_server_is_another_origin_once_the_port_is_known(mock_app) -> None:
    names = own_host_names(mock_app.config)
    assert origin_is_own("http://localhost:8765", names, 8765)
    assert origin_is_own("http://moncompte.localhost:8765", names, 8765)
    assert not origin_is_own("http://localhost:3000", names, 8765)
    assert not origin_is_own("http://127.0.0.1", names, 8765)
    assert origin_is_own("http://127.0.0.1:3000", names, None)  # port not known yet: names only


def test_names_given_at_start_up_are_answered_wildcards_are_not() -> None:
    names = own_host_names(MockConfig(domain="mock.test", allowed_hosts=("0.0.0.0", "laptop.lan")))
    assert {"laptop.lan", "moncompte.mock.test", "mock.test", "127.0.0.1"} <= names and "0.0.0.0" not in names
    assert [host_name(h) for h in ("[::1]:80", "Laptop.LAN:8765", "::1")] == ["::1", "laptop.lan", "::1"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", None])
def test_a_json_body_not_sent_as_json_is_refused(http, mock_app, content_type) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = http.post("/__mock__/personas", base_url=CONTROL, data=NEW_PERSONA, headers=headers)
    assert response.status_code in (400, 415)  # a form without its CSRF token: 400 before anything else
    assert response.mimetype == "application/json" or content_type and "form" in content_type
    assert persona_count(mock_app) == 0
    if content_type in ("text/plain", None):
        assert response.get_json()["field"] == "Content-Type"


@pytest.mark.parametrize("origin", ["https://attacker.example", "null", "http://127.0.0.1.attacker.example",
                                    "http://localhost.attacker.example:8765", "not a url"])
@pytest.mark.parametrize("request_", [
    ("POST", "/__mock__/personas", NEW_PERSONA), ("POST", "/__mock__/reset", b""),
    ("DELETE", "/__mock__/faults", b""), ("POST", "/__mock__/dashboard/faults/clear", b""),
], ids=["personas", "reset", "faults", "dashboard"])
def test_a_page_of_another_origin_cannot_change_the_mock(http, mock_app, add_persona, origin, request_) -> None:
    persona = add_persona()
    method, path, body = request_
    response = http.open(path, method=method, base_url=CONTROL, data=body,
                         headers={"Origin": origin, "Content-Type": "application/json"})
    assert response.status_code == 403
    assert [p.id for p in mock_app.store.list_personas()] == [persona.id]


@pytest.mark.parametrize("origin", ["http://127.0.0.1:8765", "http://moncompte.localhost:8765", "http://localhost"])
def test_the_mocks_own_pages_and_programs_may(http, mock_app, origin) -> None:
    response = http.post("/__mock__/personas", base_url=CONTROL, data=NEW_PERSONA,
                         headers={"Origin": origin, "Content-Type": "application/json"})
    assert response.status_code == 201
    assert http.post("/__mock__/personas", base_url=CONTROL, json={}).status_code == 201  # no Origin: a program


@pytest.mark.parametrize("path", ["/__mock__/dashboard/faults/clear", "/__mock__/dashboard/clock/real-time",
                                  "/__mock__/dashboard/scenarios/ameli-down", "/__mock__/dashboard/faults/1/delete",
                                  "/__mock__/"])
def test_the_dashboards_forms_need_their_token(http, mock_app, path) -> None:
    store = mock_app.store
    fault = store.faults.add({"kind": "status", "site": "msa", "status": 500})
    store.clock.advance(timedelta(minutes=5))
    response = http.post(path, base_url=CONTROL, data={"kind": "status", "site": "ameli", "status": "503"})
    assert response.status_code == 400 and response.mimetype == "text/html"
    assert [f.id for f in store.faults.list()] == [fault.id]
    assert store.clock.offset == timedelta(minutes=5)


def test_the_index_of_passwords_is_never_cached(http, add_persona) -> None:
    persona = add_persona()
    response = http.get("/", base_url=CONTROL)
    assert persona.password in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", [f"{CONTROL}/", f"{CONTROL}/__mock__/", "http://moncompte.localhost/connexion",
                                 "http://franceconnect.localhost/", "http://ameli.localhost/"])
def test_no_page_can_be_framed_by_another_site(http, url) -> None:
    response = http.get(url)
    assert response.headers["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
