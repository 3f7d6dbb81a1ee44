"""Message faults at the SMS and mail gateways: "sms_down", "sms_delay", "mail_bounce".

Fast: Flask's test client, no browser, no sleeps. Faults are set through the
control API as a suite would; time moves with `store.clock.advance`.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest

from mock_server import texts
from mock_server.messages import GatewayUnavailable, send_code

from .test_verification import (
    MASKED_EMAIL,
    MASKED_PHONE,
    PREFIX,
    assert_refused,
    body,
    choose,
    enter,
    html,
    identify,
    normalized,
    resend,
    walk_to_code,
)

E, V = texts.VERIFY_ERRORS, texts.VERIFY
DOWN, DOWN_RETRY = E["sms_unavailable"], E["sms_unavailable_retry"]
SMS_TICKED = '<input checked id="channel-0" name="channel" type="radio" value="sms">'


@pytest.fixture
def fault(api):
    """Set a fault through the control API; its JSON."""

    def add(**fields) -> dict:
        response = api.post("/__mock__/faults", json=fields)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return add


def faults(api) -> list[dict]:
    return api.get("/__mock__/faults").get_json()


def outbox_json(api, **query) -> list[dict]:
    return api.get("/__mock__/outbox", query_string=query).get_json()


def assert_on_channel_step_with(response, message: str) -> None:
    """The channel step again, the message as an alert, both options offered."""
    assert response.status_code == 503, body(response)
    page = body(response)
    assert html(V["channel_title"]) in page
    assert f'role="alert">{html(message)}</div>' in page
    assert 'value="sms"' in page and 'value="mail"' in page


# The gateways ----------------------------------------------------------------------


def test_sms_down_raises_and_sends_nothing(store, persona, fault) -> None:
    fault(kind="sms_down")
    with pytest.raises(GatewayUnavailable) as error:
        send_code(store, persona, channel="sms", code="111111", purpose="reset")
    assert error.value.channel == "sms"
    assert store.outbox() == []
    # The mail gateway is not concerned.
    assert send_code(store, persona, channel="mail", code="222222", purpose="reset").bounced is False


def test_a_message_without_fault_is_delivered_when_sent(store, persona) -> None:
    message = send_code(store, persona, channel="sms", code="111111", purpose="reset")
    assert message.delivered_at == message.sent_at and message.bounced is False


# SMS gateway down: the channel step ------------------------------------------------


@pytest.mark.parametrize("flow", ["reset", "signup"])
def test_sms_down_keeps_the_person_on_the_channel_step(client, store, add_persona, fault, api, flow) -> None:
    persona = add_persona(has_account=flow == "reset")
    fault(kind="sms_down")
    assert identify(client, persona.nir, flow).status_code == 302
    response = choose(client, "sms", flow)
    assert_on_channel_step_with(response, DOWN)
    assert SMS_TICKED in body(response)  # the choice made is kept
    assert store.outbox() == []
    assert store.earlier_codes(purpose=flow, persona_id=persona.id) == []
    assert faults(api)[0]["hits"] == 1
    # Nothing was sent, so no cooldown: the mail, at once, and its code works.
    response = choose(client, "mail", flow)
    assert response.status_code == 302 and response.headers["Location"] == f"{PREFIX[flow]}/code"
    message = store.outbox()[0]
    assert message.channel == "mail" and message.to == persona.email
    assert enter(client, message.code, flow).status_code == 302


def test_sms_down_without_an_email_says_to_try_again(client, store, add_persona, fault) -> None:
    persona = add_persona(email=None)
    fault(kind="sms_down")
    identify(client, persona.nir)
    response = choose(client, "sms")
    assert response.status_code == 503
    page = body(response)
    assert f'role="alert">{html(DOWN_RETRY)}</div>' in page and html(DOWN) not in page
    assert 'value="sms"' in page and 'value="mail"' not in page
    assert store.outbox() == []
    # Once the gateway is back, trying again works.
    store.faults.reset()
    assert choose(client, "sms").status_code == 302
    assert store.outbox()[0].channel == "sms"


def test_sms_down_for_some_times_only(client, store, persona, fault, api) -> None:
    fault(kind="sms_down", times=2)
    identify(client, persona.nir)
    assert choose(client, "sms").status_code == 503
    assert faults(api)[0]["times"] == 1
    assert choose(client, "sms").status_code == 503
    assert faults(api) == []
    assert choose(client, "sms").status_code == 302
    assert store.outbox()[0].channel == "sms"


def test_sms_down_for_one_persona_only(client, store, add_persona, fault, mock_app) -> None:
    alice, bob = add_persona(), add_persona()
    fault(kind="sms_down", persona=alice.id)
    identify(client, alice.nir)
    assert choose(client, "sms").status_code == 503
    other = mock_app.sites["moncompte"].test_client()
    assert walk_to_code(other, store, bob.nir).to == bob.phone
    assert store.outbox(to=alice.phone) == []


def test_resend_when_the_sms_gateway_goes_down_keeps_the_code_received(client, store, persona, fault) -> None:
    first = walk_to_code(client, store, persona.nir)
    store.clock.advance(timedelta(seconds=60))
    fault(kind="sms_down", times=1)
    response = resend(client)
    assert_on_channel_step_with(response, DOWN)
    assert SMS_TICKED in body(response)
    assert len(store.outbox()) == 1
    # No cooldown started: the mail can be asked at once...
    assert choose(client, "mail").status_code == 302
    mail = store.outbox(to=persona.email)[0]
    # ... and it replaces the SMS code, as any new code does.
    if mail.code != first.code:
        assert_refused(enter(client, first.code), E["code_replaced"])
    assert enter(client, mail.code).status_code == 302


def test_the_code_received_still_works_after_a_refused_resend(client, store, persona, fault) -> None:
    first = walk_to_code(client, store, persona.nir)
    store.clock.advance(timedelta(seconds=60))
    fault(kind="sms_down")
    assert resend(client).status_code == 503
    # Back on the code step (the browser's back button), the first code goes through.
    assert client.get("/mot-de-passe-oublie/code").status_code == 200
    assert enter(client, first.code).status_code == 302


# SMS gateway down: no account enumeration ------------------------------------------------


def test_unknown_identifier_meets_the_outage_too(client, store, persona, unknown_nir, mock_app, fault, api) -> None:
    fault(kind="sms_down")
    identify(client, persona.nir)
    known = choose(client, "sms")
    other = mock_app.sites["moncompte"].test_client()
    identify(other, unknown_nir)
    unknown = choose(other, "sms")
    assert_on_channel_step_with(known, DOWN)
    assert_on_channel_step_with(unknown, DOWN)
    assert normalized(known) == normalized(unknown)
    assert len(MASKED_PHONE.findall(body(unknown))) == 1 and len(MASKED_EMAIL.findall(body(unknown))) == 1
    assert faults(api)[0]["hits"] == 2
    # Choosing the mail goes on, the same way for both.
    assert choose(client, "mail").headers["Location"] == choose(other, "mail").headers["Location"]


def test_unknown_identifier_uses_up_a_limited_outage_like_anyone(client, store, persona, unknown_nir, mock_app,
                                                                fault, api) -> None:
    fault(kind="sms_down", times=1)
    identify(client, unknown_nir)
    assert choose(client, "sms").status_code == 503
    assert faults(api) == []
    # The outage is over for the next person, account or not.
    other = mock_app.sites["moncompte"].test_client()
    assert walk_to_code(other, store, persona.nir) is not None


def test_a_fault_for_one_persona_does_not_reach_unknown_identifiers(client, store, persona, unknown_nir,
                                                                   fault, api) -> None:
    fault(kind="sms_down", persona=persona.id)
    assert walk_to_code(client, store, unknown_nir) is None
    assert faults(api)[0]["hits"] == 0


def test_unknown_identifier_resend_meets_the_outage(client, store, unknown_nir, fault) -> None:
    walk_to_code(client, store, unknown_nir)
    store.clock.advance(timedelta(seconds=60))
    fault(kind="sms_down")
    assert_on_channel_step_with(resend(client), DOWN)


# SMS delayed ---------------------------------------------------------------------------


def test_delayed_sms_arrives_when_the_clock_reaches_it(client, store, persona, fault, api) -> None:
    fault(kind="sms_delay", seconds=120)
    assert walk_to_code(client, store, persona.nir) is None  # nothing on the phone yet
    # The code page says it was sent: it was.
    assert html(V["code_sent_sms"].split("{")[0]) in body(client.get("/mot-de-passe-oublie/code"))
    assert outbox_json(api) == []
    assert api.get("/__mock__/outbox/latest", query_string={"to": persona.phone}).status_code == 404
    store.clock.advance(timedelta(seconds=119))
    assert store.outbox() == []
    store.clock.advance(timedelta(seconds=1))
    [message] = outbox_json(api, to=persona.phone)
    sent_at, delivered_at = (datetime.fromisoformat(message[name]) for name in ("sent_at", "delivered_at"))
    assert delivered_at - sent_at == timedelta(seconds=120)
    assert message["bounced"] is False
    latest = api.get("/__mock__/outbox/latest", query_string={"to": persona.phone}).get_json()
    assert latest["id"] == message["id"]
    assert enter(client, message["code"]).status_code == 302


def test_delay_for_some_times_and_for_one_persona(client, store, add_persona, fault, mock_app) -> None:
    alice, bob = add_persona(), add_persona()
    fault(kind="sms_delay", seconds=60, persona=alice.id, times=1)
    other = mock_app.sites["moncompte"].test_client()
    assert walk_to_code(other, store, bob.nir).to == bob.phone  # not delayed
    assert walk_to_code(client, store, alice.nir) is None  # delayed
    store.clock.advance(timedelta(seconds=60))
    assert store.outbox(to=alice.phone)
    assert resend(client).status_code == 302  # the fault is used up: on time
    assert len(store.outbox(to=alice.phone)) == 2


def test_resend_with_the_delay_still_on(client, store, persona, fault) -> None:
    fault(kind="sms_delay", seconds=120)
    walk_to_code(client, store, persona.nir)
    assert_refused(resend(client), E["cooldown"].format(seconds=60), status=429)
    store.clock.advance(timedelta(seconds=60))
    assert resend(client).status_code == 302
    assert store.outbox() == []
    store.clock.advance(timedelta(seconds=60))  # the first SMS arrives, the second is on its way
    [first] = store.outbox()
    newest = store.earlier_codes(purpose="reset", persona_id=persona.id)[-1]
    if first.code != newest.code:  # one chance in a million that they are equal
        assert_refused(enter(client, first.code), E["code_replaced"])
    store.clock.advance(timedelta(seconds=60))
    second, again = store.outbox()
    assert again == first and second.id > first.id
    assert second.delivered_at - second.sent_at == timedelta(seconds=120)
    assert enter(client, second.code).status_code == 302


def test_a_delayed_code_that_arrives_too_late_has_expired(client, store, persona, fault) -> None:
    fault(kind="sms_delay", seconds=16 * 60)
    walk_to_code(client, store, persona.nir)
    store.clock.advance(timedelta(minutes=16))
    assert_refused(enter(client, store.outbox()[0].code), E["code_expired"])


def test_waiting_for_a_delayed_sms_wakes_up_when_the_clock_moves(api, store, persona, fault) -> None:
    fault(kind="sms_delay", seconds=120)
    send_code(store, persona, channel="sms", code="123456", purpose="reset")
    timer = threading.Timer(0.1, store.clock.advance, args=(timedelta(minutes=2),))
    started = time.monotonic()
    timer.start()
    try:
        response = api.get("/__mock__/outbox/latest", query_string={"to": persona.phone, "wait": "5"})
    finally:
        timer.join()
    assert response.status_code == 200 and response.get_json()["code"] == "123456"
    assert time.monotonic() - started < 2


def test_waiting_gives_up_while_the_sms_is_still_on_its_way(store, persona, fault) -> None:
    fault(kind="sms_delay", seconds=120)
    send_code(store, persona, channel="sms", code="123456", purpose="reset")
    started = time.monotonic()
    assert store.wait_for_message(to=persona.phone, after=None, timeout=0.2) is None
    assert 0.2 <= time.monotonic() - started < 1


def test_outbox_page_shows_when_a_delayed_sms_arrived(api, store, persona, fault) -> None:
    fault(kind="sms_delay", seconds=120)
    send_code(store, persona, channel="sms", code="123456", purpose="reset")
    page = api.get("/__mock__/outbox", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "123456" not in page and texts.OUTBOX["empty"] in page
    store.clock.advance(timedelta(minutes=2))
    page = api.get("/__mock__/outbox", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert "123456" in page and texts.OUTBOX["delivered"] in page


# Mail bounced ----------------------------------------------------------------------------


def test_bounced_mail_is_listed_but_never_received(client, store, persona, fault, api) -> None:
    fault(kind="mail_bounce", persona=persona.id, times=1)
    message = walk_to_code(client, store, persona.nir, channel="mail")  # the site cannot tell
    assert message.bounced is True and message.to == persona.email
    [listed] = outbox_json(api, to=persona.email)
    assert listed["bounced"] is True and listed["delivered_at"] == listed["sent_at"]
    latest = api.get("/__mock__/outbox/latest", query_string={"to": persona.email})
    assert latest.status_code == 404
    assert api.get("/__mock__/outbox/latest", query_string={"to": persona.email, "wait": "0.1"}).status_code == 404
    assert store.wait_for_message(to=persona.email, after=None, timeout=0) is None
    page = api.get("/__mock__/outbox", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert html(texts.OUTBOX["bounced"]) in page
    assert faults(api) == []  # times=1: used up

    # The next mail (times used up) arrives.
    store.clock.advance(timedelta(seconds=60))
    assert resend(client).status_code == 302
    received = api.get("/__mock__/outbox/latest", query_string={"to": persona.email}).get_json()
    assert received["bounced"] is False and received["id"] > listed["id"]
    assert enter(client, received["code"]).status_code == 302


def test_bounce_only_for_the_persona_named(client, store, add_persona, fault, mock_app) -> None:
    alice, bob = add_persona(), add_persona()
    fault(kind="mail_bounce", persona=alice.id)
    assert walk_to_code(client, store, alice.nir, channel="mail").bounced is True
    other = mock_app.sites["moncompte"].test_client()
    assert walk_to_code(other, store, bob.nir, channel="mail").bounced is False


def test_bounce_does_not_touch_sms(client, store, persona, fault) -> None:
    fault(kind="mail_bounce")
    assert walk_to_code(client, store, persona.nir, channel="sms").bounced is False


def test_after_a_bounce_the_person_chooses_the_sms_instead(client, store, persona, fault) -> None:
    fault(kind="mail_bounce")
    walk_to_code(client, store, persona.nir, channel="mail")
    code_page = body(client.get("/mot-de-passe-oublie/code"))
    assert 'href="/mot-de-passe-oublie/canal"' in code_page and html(V["other_channel"]) in code_page
    assert client.get("/mot-de-passe-oublie/canal").status_code == 200
    # Right away, the cooldown applies as to any new code.
    assert_refused(choose(client, "sms"), E["cooldown"].format(seconds=60), status=429)
    store.clock.advance(timedelta(seconds=60))
    assert choose(client, "sms").status_code == 302
    sms = store.outbox(to=persona.phone, bounced=False)[0]
    assert enter(client, sms.code).status_code == 302


def test_unknown_identifier_meets_a_bounce_for_everyone_the_same(client, store, unknown_nir, fault, api) -> None:
    fault(kind="mail_bounce", times=1)
    assert walk_to_code(client, store, unknown_nir, channel="mail") is None
    assert faults(api) == []


def test_a_delivered_sms_stays_delivered_when_the_clock_goes_back(store, persona, fault) -> None:
    fault(kind="sms_delay", seconds=120)
    message = send_code(store, persona, channel="sms", code="123456", purpose="reset")
    store.clock.advance(timedelta(minutes=2))
    assert store.outbox() == [message]
    store.clock.reset()  # back on real time, as the harness does after a test
    assert store.outbox() == [message]
    assert store.wait_for_message(to=persona.phone, after=None, timeout=0) == message
