"""Bad input to the control API: every refusal a 4xx naming the field, nothing stored changed."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, strategies as st

from mock_server.rules.email import is_email_address

DIGITS = "9" * 5000
DEEP = b"[" * 1000 + b"]" * 1000
JSON_ENDPOINTS = ["/__mock__/personas", "/__mock__/clock", "/__mock__/faults", "/__mock__/settings",
                  "/__mock__/sessions", "/__mock__/franceconnect/clients", "/__mock__/franceidentite/approve"]
# The pattern the mock used before: right on short input, quadratic on long dotted domains.
BACKTRACKING_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
@pytest.mark.parametrize("body", [DEEP, b'{"a": ' + DEEP + b"}", b'{"a": ' + DIGITS.encode() + b"}", b"NaN"],
                         ids=["deep-array", "deep-in-object", "5000-digit-number", "nan"])
def test_every_json_endpoint_refuses_a_body_it_cannot_read(assert_named, api, store, path, body) -> None:
    before = len(store.list_personas()), store.faults.list(), store.clock.offset
    assert_named(api.post(path, data=body, content_type="application/json"), "body", 400)
    assert (len(store.list_personas()), store.faults.list(), store.clock.offset) == before


@pytest.mark.parametrize("query, field", [
    ({"after": DIGITS}, "after"), ({"status": DIGITS}, "status"), ({"limit": DIGITS}, "limit"),
    ({"after": "0" * 5000 + "1"}, "after"),
])
def test_journal_filters_with_thousands_of_digits(assert_named, api, query, field) -> None:
    assert_named(api.get("/__mock__/journal", query_string=query), field)


@pytest.mark.parametrize("path", ["/__mock__/outbox", "/__mock__/outbox/latest"])
def test_outbox_filters_with_thousands_of_digits(assert_named, api, path) -> None:
    assert_named(api.get(path, query_string={"to": "0612345678", "after": DIGITS}), "after")


def test_clock_with_thousands_of_digits(assert_named, api, store) -> None:
    assert_named(api.post("/__mock__/clock", json={"advance": DIGITS + "s"}), "advance")
    assert_named(api.post("/__mock__/clock", json={"advance": DIGITS}), "advance")
    assert store.clock.offset.total_seconds() == 0


@pytest.mark.parametrize("uri", ["http://[::1", "http://host:99999/cb", "http://host:port/cb",
                                 "http://" + "a" * 3000 + ".example/"])
def test_a_client_registration_with_a_malformed_url_is_named(assert_named, api, store, uri) -> None:
    body = {"client_id": "svc", "client_secret": "s" * 32, "redirect_uris": [uri]}
    assert_named(api.post("/__mock__/franceconnect/clients", json=body), "redirect_uris")
    assert_named(api.post("/__mock__/franceconnect/clients",
                          json={**body, "redirect_uris": ["https://svc.example/cb"], "post_logout_redirect_uris": [uri]}),
                 "post_logout_redirect_uris")
    assert store.oidc.get_client("franceconnect", "svc") is None


@pytest.mark.parametrize("body, field", [
    ({"email": "a@" + "." * 16000}, "email"),
    ({"given_name": "É" * 300}, "given_name"),
    ({"credentials": {"laposte": {"email": "a@" + "." * 16000, "password": "x"}}}, "credentials"),
    ({"credentials": {"impots": {"password": "p" * 300}}}, "credentials"),
])
def test_a_persona_field_longer_than_any_real_one_is_refused_before_its_pattern(
        assert_named, api, store, body, field) -> None:
    response = api.post("/__mock__/personas", json=body)
    assert_named(response, field)
    assert "at most 254 characters" in response.get_json()["error"]
    assert len(response.get_data()) < 1000  # the value is not echoed back
    assert store.list_personas() == []


@given(st.text(alphabet="ab.@ \t", max_size=20))
def test_the_linear_email_check_agrees_with_the_pattern_on_short_input(value: str) -> None:
    assert is_email_address(value) == bool(BACKTRACKING_EMAIL.fullmatch(value))


@pytest.mark.parametrize("client_id", ["/lead", "a/b", "a?b", "é", "a%2Fb"])
def test_a_client_id_that_could_not_be_read_back_by_its_url_is_refused(assert_named, api, client_id) -> None:
    body = {"client_id": client_id, "client_secret": "s" * 32, "redirect_uris": ["https://svc.example/cb"]}
    assert_named(api.post("/__mock__/franceconnect/clients", json=body), "client_id")


@pytest.mark.parametrize("path, allowed", [("/__mock__/clock", {"GET", "POST"}), ("/__mock__/reset", {"POST"})])
def test_a_method_a_route_does_not_take_says_which_it_does(api, path, allowed) -> None:
    response = api.open(path, method="PUT")
    assert response.status_code == 405
    assert allowed <= set(response.headers["Allow"].replace(" ", "").split(","))


def test_the_clock_reads_ascii_digits_only(assert_named, api, store) -> None:
    assert_named(api.post("/__mock__/clock", json={"advance": "\u0663m"}), "advance")
    assert store.clock.offset.total_seconds() == 0


@pytest.mark.parametrize("path, body", [
    ("/__mock__/personas", b'{"given_name": "\\ud800"}'),
    ("/__mock__/faults", b'{"kind": "status", "status": 503, "route": "/\\udfff"}'),
    ("/__mock__/franceconnect/clients",
     b'{"client_id": "ab", "client_secret": "cd", "name": "\\udfff", "redirect_uris": ["http://rp.localhost/cb"]}'),
])
def test_a_lone_surrogate_is_refused_and_nothing_is_stored(assert_named, api, store, path, body) -> None:
    assert_named(api.post(path, data=body, content_type="application/json"), "body", 400)
    assert store.list_personas() == [] and store.faults.list() == []
    for listing in ("/__mock__/personas", "/__mock__/faults", "/__mock__/franceconnect/clients"):
        assert api.get(listing).status_code == 200
