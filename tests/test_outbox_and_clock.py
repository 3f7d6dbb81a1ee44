"""The control API's outbox and clock: filters, long polling, bad input named,
and the ControlClient against a real LiveServer."""

from __future__ import annotations

import re
import threading
import time
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from werkzeug.test import Client
from markupsafe import escape

from pytest_franceconnect_mock.control import ControlClient, ControlError
from mock_server import texts
from mock_server.messages import send_code
from mock_server.server import LiveServer

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def store(mock_app):
    return mock_app.store


@pytest.fixture
def two(add_persona):
    return add_persona(), add_persona()


def ids(response) -> list[int]:
    return [message["id"] for message in response.get_json()]


# GET /__mock__/outbox -------------------------------------------------------------


def test_outbox_is_empty_at_first(api) -> None:
    response = api.get("/__mock__/outbox")
    assert response.status_code == 200 and response.get_json() == []
    assert response.headers["Cache-Control"] == "no-store"


def test_outbox_lists_every_message_newest_first(api, store, two) -> None:
    alice, bob = two
    first = send_code(store, alice, channel="sms", code="111111", purpose="reset")
    second = send_code(store, bob, channel="mail", code="222222", purpose="signup")
    third = send_code(store, alice, channel="mail", code="333333", purpose="reset")
    messages = api.get("/__mock__/outbox").get_json()
    assert [m["id"] for m in messages] == [third.id, second.id, first.id]
    assert messages[-1] == {
        "id": first.id, "channel": "sms", "to": alice.phone, "sent_at": first.sent_at.isoformat(),
        "subject": None, "text": texts.MESSAGES["sms"].format(code="111111"), "html": None,
        "code": "111111", "purpose": "reset", "delivered_at": first.sent_at.isoformat(), "bounced": False,
    }
    assert messages[0]["subject"] == texts.RESET["mail_subject"] and "333333" in messages[0]["html"]
    assert datetime.fromisoformat(messages[0]["sent_at"]).tzinfo is not None


def test_outbox_filters_by_recipient_and_channel(api, store, two) -> None:
    alice, bob = two
    a_sms = send_code(store, alice, channel="sms", code="111111", purpose="reset")
    b_mail = send_code(store, bob, channel="mail", code="222222", purpose="reset")
    a_mail = send_code(store, alice, channel="mail", code="333333", purpose="reset")
    assert ids(api.get("/__mock__/outbox", query_string={"to": alice.phone})) == [a_sms.id]
    assert ids(api.get("/__mock__/outbox", query_string={"to": alice.email})) == [a_mail.id]
    assert ids(api.get("/__mock__/outbox", query_string={"channel": "mail"})) == [a_mail.id, b_mail.id]
    assert ids(api.get("/__mock__/outbox", query_string={"channel": "sms", "to": bob.phone})) == []
    assert ids(api.get("/__mock__/outbox", query_string={"to": "nobody@example.org"})) == []


def test_outbox_filters_by_time_with_a_zone_and_by_id(api, store, two) -> None:
    alice, bob = two
    old = send_code(store, alice, channel="sms", code="111111", purpose="reset")
    store.clock.advance(timedelta(minutes=10))
    since = store.clock.now()
    newer = send_code(store, bob, channel="sms", code="222222", purpose="reset")
    newest = send_code(store, alice, channel="mail", code="333333", purpose="reset")
    assert ids(api.get("/__mock__/outbox", query_string={"since": since.isoformat()})) == [newest.id, newer.id]
    # The same instant written in another zone, or with Z.
    paris = since.astimezone(timezone(timedelta(hours=1))).isoformat()
    assert ids(api.get("/__mock__/outbox", query_string={"since": paris})) == [newest.id, newer.id]
    zulu = since.isoformat().replace("+00:00", "Z")
    assert ids(api.get("/__mock__/outbox", query_string={"since": zulu})) == [newest.id, newer.id]
    later = (store.clock.now() + timedelta(seconds=1)).isoformat()
    assert ids(api.get("/__mock__/outbox", query_string={"since": later})) == []
    assert ids(api.get("/__mock__/outbox", query_string={"after": str(old.id)})) == [newest.id, newer.id]
    assert ids(api.get("/__mock__/outbox", query_string={"after": str(newer.id), "to": alice.email})) == [newest.id]


def test_outbox_gets_what_a_real_reset_sends(api, client, store, add_persona) -> None:
    from .conftest import csrf_token

    persona = add_persona()
    token = csrf_token(client, "/mot-de-passe-oublie")
    client.post("/mot-de-passe-oublie", data={"csrf_token": token, "nir": persona.nir})
    client.post("/mot-de-passe-oublie/canal", data={"csrf_token": token, "channel": "mail"})
    messages = api.get("/__mock__/outbox", query_string={"to": persona.email}).get_json()
    assert len(messages) == 1 and messages[0]["purpose"] == "reset"
    assert re.fullmatch(r"[0-9]{6}", messages[0]["code"])


# GET /__mock__/outbox/latest --------------------------------------------------------


def test_latest_is_the_newest_message_to_the_recipient(api, store, two) -> None:
    alice, bob = two
    send_code(store, alice, channel="sms", code="111111", purpose="reset")
    newest = send_code(store, alice, channel="sms", code="222222", purpose="reset")
    send_code(store, bob, channel="sms", code="333333", purpose="reset")
    response = api.get("/__mock__/outbox/latest", query_string={"to": alice.phone})
    assert response.status_code == 200
    assert response.get_json()["id"] == newest.id and response.get_json()["code"] == "222222"


def test_latest_without_any_message_is_a_json_404_naming_to(assert_named, api, store, two) -> None:
    alice, _ = two
    response = api.get("/__mock__/outbox/latest", query_string={"to": alice.phone})
    assert_named(response, "to", 404)
    assert alice.phone in response.get_json()["error"]
    sent = send_code(store, alice, channel="sms", code="111111", purpose="reset")
    assert_named(api.get("/__mock__/outbox/latest", query_string={"to": alice.phone, "after": sent.id}), "to", 404)
    assert_named(api.get("/__mock__/outbox/latest"), "to")


def test_latest_waits_for_a_message_sent_meanwhile(api, store, two) -> None:
    alice, _ = two
    earlier = send_code(store, alice, channel="sms", code="111111", purpose="reset")
    timer = threading.Timer(0.1, send_code, args=(store, alice), kwargs=dict(channel="sms", code="222222",
                                                                             purpose="reset"))
    started = time.monotonic()
    timer.start()
    try:
        response = api.get("/__mock__/outbox/latest",
                           query_string={"to": alice.phone, "after": earlier.id, "wait": "0.5"})
    finally:
        timer.join()
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["code"] == "222222"
    assert time.monotonic() - started < 0.5


def test_latest_gives_up_after_the_wait(assert_named, api, store, two) -> None:
    alice, bob = two
    started = time.monotonic()
    # A message to someone else does not end the wait.
    timer = threading.Timer(0.05, send_code, args=(store, bob), kwargs=dict(channel="sms", code="111111",
                                                                            purpose="reset"))
    timer.start()
    try:
        response = api.get("/__mock__/outbox/latest", query_string={"to": alice.phone, "wait": "0.3"})
    finally:
        timer.join()
    assert_named(response, "to", 404)
    assert time.monotonic() - started >= 0.3


# DELETE /__mock__/outbox, the HTML page ------------------------------------------------


def test_delete_empties_the_outbox(assert_named, api, store, two) -> None:
    alice, _ = two
    send_code(store, alice, channel="sms", code="111111", purpose="reset")
    response = api.delete("/__mock__/outbox")
    assert response.status_code == 204
    assert api.get("/__mock__/outbox").get_json() == []
    assert_named(api.get("/__mock__/outbox/latest", query_string={"to": alice.phone}), "to", 404)


def test_outbox_page_for_a_browser(api, store, two) -> None:
    alice, bob = two
    send_code(store, alice, channel="sms", code="123456", purpose="reset")
    send_code(store, bob, channel="mail", code="654321", purpose="signup")
    response = api.get("/__mock__/outbox", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert texts.OUTBOX["title"] in page
    for shown in ("123456", "654321", alice.phone, bob.email, str(escape(texts.SIGNUP["mail_subject"]))):
        assert shown in page, shown
    assert page.index("654321") < page.index("123456")  # newest first
    filtered = api.get("/__mock__/outbox", query_string={"to": alice.phone}, headers={"Accept": "text/html"})
    assert "123456" in filtered.get_data(as_text=True) and "654321" not in filtered.get_data(as_text=True)


def test_outbox_page_when_empty(api) -> None:
    page = api.get("/__mock__/outbox", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert texts.OUTBOX["empty"] in page


def test_outbox_page_leads_back_to_the_dashboard_and_refreshes_itself(api, store, two) -> None:
    alice, _ = two
    page = api.get("/__mock__/outbox", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f'<a href="/__mock__/">{escape(texts.OUTBOX["back"])}</a>' in page
    assert texts.OUTBOX["back"] == "Retour au tableau de bord"
    assert f'<a href="/__mock__/outbox">{escape(texts.OUTBOX["refresh"])}</a>' in page
    assert texts.OUTBOX["refresh"] == "Actualiser"
    # Refreshing a filtered page keeps its filter.
    filtered = api.get("/__mock__/outbox", query_string={"to": alice.phone}, headers={"Accept": "text/html"})
    to = alice.phone.replace("+", "%2B")
    assert f'<a href="/__mock__/outbox?to={to}">{escape(texts.OUTBOX["refresh"])}</a>' in filtered.get_data(as_text=True)


def test_json_is_the_default(api) -> None:
    assert api.get("/__mock__/outbox", headers={"Accept": "*/*"}).mimetype == "application/json"
    assert api.get("/__mock__/outbox").mimetype == "application/json"


# Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("path, query, field", [
    ("/__mock__/outbox", {"channel": "fax"}, "channel"),
    ("/__mock__/outbox", {"since": "yesterday"}, "since"),
    ("/__mock__/outbox", {"since": "2026-11-27T10:00:00"}, "since"),
    ("/__mock__/outbox", {"after": "abc"}, "after"),
    ("/__mock__/outbox", {"after": "-1"}, "after"),
    ("/__mock__/outbox", {"from": "x"}, "from"),
    ("/__mock__/outbox/latest", {"to": "0612345678", "wait": "99"}, "wait"),
    ("/__mock__/outbox/latest", {"to": "0612345678", "wait": "-1"}, "wait"),
    ("/__mock__/outbox/latest", {"to": "0612345678", "wait": "soon"}, "wait"),
    ("/__mock__/outbox/latest", {"to": "0612345678", "wait": "nan"}, "wait"),
    ("/__mock__/outbox/latest", {"to": "0612345678", "channel": "fax"}, "channel"),
    ("/__mock__/outbox/latest", {"to": "0612345678", "colour": "blue"}, "colour"),
    ("/__mock__/outbox/latest", {"to": ""}, "to"),
    ("/__mock__/outbox", {"after": "²"}, "after"),
])
def test_bad_outbox_filters_are_named(assert_named, api, path, query, field) -> None:
    assert_named(api.get(path, query_string=query), field)


@pytest.mark.parametrize("body, field", [
    ({"advance": "-5m"}, "advance"),
    ({"advance": -5}, "advance"),
    ({"advance": "soon"}, "advance"),
    ({"advance": ""}, "advance"),
    ({"advance": "0m"}, "advance"),
    ({"advance": 0}, "advance"),
    ({"advance": True}, "advance"),
    ({"advance": None}, "advance"),
    ({"advance": ["15m"]}, "advance"),
    ({"when": "15m"}, "when"),
    ({"advance": "15m", "real_time": True}, "real_time"),
    ({"real_time": False}, "real_time"),
    ({"real_time": "yes"}, "real_time"),
    ({}, "advance"),
])
def test_bad_clock_moves_are_named_and_change_nothing(assert_named, api, store, body, field) -> None:
    store.clock.advance(timedelta(minutes=1))
    response = api.post("/__mock__/clock", json=body)
    assert_named(response, field)
    assert store.clock.offset == timedelta(minutes=1)


def test_clock_body_must_be_a_json_object(assert_named, api) -> None:
    assert_named(api.post("/__mock__/clock", data=b"15m", content_type="application/json"), "body", 400)
    assert_named(api.post("/__mock__/clock", json=["15m"]), "body", 400)


@pytest.mark.parametrize("body", [
    pytest.param(b'{"advance": "4000000d"}', id="days-past-year-9999"),
    pytest.param(b'{"advance": 1e20}', id="too-many-seconds"),
    pytest.param(b'{"advance": "' + b"9" * 5000 + b's"}', id="5000-digits"),
])
def test_clock_advance_out_of_range_is_named_and_changes_nothing(assert_named, api, store, body) -> None:
    response = api.post("/__mock__/clock", data=body, content_type="application/json")
    assert_named(response, "advance")
    assert api.get("/__mock__/clock").status_code == 200
    assert store.clock.offset == timedelta()


@pytest.mark.parametrize("body", [
    # Python's json reads these; JSON has no NaN, no Infinity, no integer past 4,300 digits here.
    pytest.param(b'{"advance": NaN}', id="nan"),
    pytest.param(b'{"advance": Infinity}', id="infinity"),
    pytest.param(b'{"advance": ' + b"9" * 5000 + b"}", id="5000-digit-number"),
    pytest.param(b'{"advance": ' + b"[" * 1000 + b"]" * 1000 + b"}", id="nested-1000-deep"),
    pytest.param(b'{"advance": "15m"' + b"\xff" + b"}", id="not-utf-8"),
])
def test_a_body_that_is_not_json_is_refused_and_changes_nothing(assert_named, api, store, body) -> None:
    response = api.post("/__mock__/clock", data=body, content_type="application/json")
    assert_named(response, "body", 400)
    assert store.clock.offset == timedelta()


# POST / GET /__mock__/clock, reset --------------------------------------------------------


def test_clock_reads_real_time_at_first(api) -> None:
    state = api.get("/__mock__/clock").get_json()
    assert state["offset_seconds"] == 0
    now = datetime.fromisoformat(state["now"])
    assert now.tzinfo is not None
    assert abs(now - datetime.now(timezone.utc)) < timedelta(seconds=5)


@pytest.mark.parametrize("advance, seconds", [
    ("15m", 900), (90, 90), (0.5, 0.5), ("90s", 90), ("2h", 7200), ("1d", 86400), ("1h30m", 5400),
    (" 15m ", 900),
])
def test_clock_moves_forward(api, advance, seconds) -> None:
    response = api.post("/__mock__/clock", json={"advance": advance})
    assert response.status_code == 200
    state = response.get_json()
    assert state["offset_seconds"] == seconds
    expected = datetime.now(timezone.utc) + timedelta(seconds=seconds)
    assert abs(datetime.fromisoformat(state["now"]) - expected) < timedelta(seconds=5)
    assert api.get("/__mock__/clock").get_json()["offset_seconds"] == seconds


def test_clock_moves_add_up_and_real_time_goes_back(api, store) -> None:
    api.post("/__mock__/clock", json={"advance": "15m"})
    assert api.post("/__mock__/clock", json={"advance": 90}).get_json()["offset_seconds"] == 990
    assert store.clock.offset == timedelta(seconds=990)
    state = api.post("/__mock__/clock", json={"real_time": True}).get_json()
    assert state["offset_seconds"] == 0
    assert abs(datetime.fromisoformat(state["now"]) - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_clock_is_also_on_the_site_host(mock_app, store) -> None:
    client = Client(mock_app)
    response = client.post("http://moncompte.localhost/__mock__/clock", json={"advance": "1m"})
    assert response.get_json()["offset_seconds"] == 60
    assert store.clock.offset == timedelta(minutes=1)


def test_reset_puts_the_clock_back_and_empties_the_outbox(api, store, two) -> None:
    alice, _ = two
    send_code(store, alice, channel="sms", code="111111", purpose="reset")
    api.post("/__mock__/clock", json={"advance": "2h"})
    assert api.post("/__mock__/reset").status_code == 200
    assert api.get("/__mock__/clock").get_json()["offset_seconds"] == 0
    assert api.get("/__mock__/outbox").get_json() == []


# The ControlClient against a real server ------------------------------------------------------


def site_client(server: LiveServer) -> httpx.Client:
    """A browser of the Mon Compte site, reached through 127.0.0.1 with the site's Host."""
    return httpx.Client(base_url=server.control_url, headers={"Host": f"moncompte.localhost:{server.port}"},
                        timeout=10)


def ask_for_a_code(site: httpx.Client, nir: str, channel: str) -> str:
    """Identify and choose a channel, as a person would; the CSRF token for the next steps."""
    page = site.get("/mot-de-passe-oublie")
    token = CSRF_FIELD.search(page.text).group(1)
    assert site.post("/mot-de-passe-oublie", data={"csrf_token": token, "nir": nir}).status_code == 302
    chosen = site.post("/mot-de-passe-oublie/canal", data={"csrf_token": token, "channel": channel})
    assert chosen.status_code == 302 and chosen.headers["Location"] == "/mot-de-passe-oublie/code"
    return token


def test_wait_for_message_returns_the_code_a_reset_sends() -> None:
    with LiveServer() as server, site_client(server) as site:
        control = ControlClient(server.control_url)
        try:
            persona = control.create_persona()
            result: dict[str, str] = {}
            worker = threading.Thread(target=lambda: result.update(token=ask_for_a_code(site, persona.nir, "sms")))
            worker.start()
            message = control.wait_for_message(persona.phone, timeout=5)
            worker.join(timeout=10)
            assert message.channel == "sms" and message.to == persona.phone and message.purpose == "reset"
            assert message.text == texts.MESSAGES["sms"].format(code=message.code)
            assert control.outbox(to=persona.phone) == [message]
            assert control.outbox(channel="mail") == []

            # Nothing newer comes: an error naming "to", after the timeout.
            with pytest.raises(ControlError) as error:
                control.wait_for_message(persona.phone, after=message, timeout=0.3)
            assert error.value.status == 404 and error.value.field == "to"

            entered = site.post("/mot-de-passe-oublie/code", data={"csrf_token": result["token"], "code": message.code})
            assert entered.status_code == 302
            assert entered.headers["Location"] == "/mot-de-passe-oublie/mot-de-passe"
            control.clear_outbox()
            assert control.outbox() == []
        finally:
            control.close()


def test_advance_clock_expires_a_code_on_the_live_site() -> None:
    with LiveServer() as server, site_client(server) as site:
        control = ControlClient(server.control_url)
        try:
            persona = control.create_persona()
            token = ask_for_a_code(site, persona.nir, "mail")
            message = control.wait_for_message(persona.email, timeout=5)
            before = control.clock()
            moved = control.advance_clock(minutes=15)
            assert timedelta(minutes=15) <= moved - before < timedelta(minutes=15, seconds=5)
            assert abs(control.clock() - moved) < timedelta(seconds=5)
            expired = site.post("/mot-de-passe-oublie/code", data={"csrf_token": token, "code": message.code})
            assert expired.status_code == 422
            assert str(escape(texts.VERIFY_ERRORS["code_expired"])) in expired.text
            back = control.real_time()
            assert abs(back - datetime.now(timezone.utc)) < timedelta(seconds=5)
            assert server.store.clock.offset == timedelta()
            assert control.advance_clock(seconds=90) - control.real_time() > timedelta(seconds=85)
        finally:
            control.close()


def test_control_client_names_bad_clock_input() -> None:
    with LiveServer() as server:
        control = ControlClient(server.control_url)
        try:
            with pytest.raises(ControlError) as error:
                control.advance_clock()
            assert error.value.status == 422 and error.value.field == "advance"
            with pytest.raises(ControlError) as error:
                control.outbox(channel="fax")
            assert error.value.field == "channel"
            with pytest.raises(ControlError) as error:
                control.outbox(since=datetime(2026, 1, 1))
            assert error.value.field == "since"
        finally:
            control.close()
