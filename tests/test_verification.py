"""The code rules of "Mot de passe oublié ?" and "Créer Mon Compte", on the mock clock.

Fast: Flask's test client, no browser, no sleeps. Time moves with
`mock_app.store.clock.advance`, codes are read from the mock's outbox.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from markupsafe import escape

from mock_server import texts
from mock_server.store import Message
from mock_server.moncompte.verification import MAX_CODES_PER_DAY

from .conftest import csrf_token, post_login

E = texts.VERIFY_ERRORS
PREFIX = {"reset": "/mot-de-passe-oublie", "signup": "/creer-mon-compte"}
NEW_PASSWORD = "nouveau2motdepasse"
TOKEN = re.compile(r'value="[\w.-]{40,}"')
MASKED_PHONE = re.compile(r"0[67] •• •• •• \d\d")
MASKED_EMAIL = re.compile(r"[a-z0-9]•••@example\.(?:org|com|net)")


def html(text: str) -> str:
    """A message as the HTML page shows it (Jinja escapes ' as &#39;)."""
    return str(escape(text))


def body(response) -> str:
    return response.get_data(as_text=True)


# The walk: identify -> channel -> code -> password ---------------------------


def identify(client, identifier: str, flow: str = "reset", *, provisional: bool = False):
    path = PREFIX[flow]
    data = {"csrf_token": csrf_token(client, path)}
    if provisional:
        data.update(provisional="y", provisional_id=identifier)
    else:
        data["nir"] = identifier
    return client.post(path, data=data)


def choose(client, channel: str | None, flow: str = "reset"):
    path = f"{PREFIX[flow]}/canal"
    data = {"csrf_token": csrf_token(client, PREFIX[flow])}
    if channel is not None:
        data["channel"] = channel
    return client.post(path, data=data)


def enter(client, code: str, flow: str = "reset"):
    return client.post(f"{PREFIX[flow]}/code", data={"csrf_token": csrf_token(client, PREFIX[flow]), "code": code})


def resend(client, flow: str = "reset"):
    return client.post(f"{PREFIX[flow]}/renvoyer", data={"csrf_token": csrf_token(client, PREFIX[flow])})


def new_password(client, password: str, confirm: str | None = None, flow: str = "reset"):
    data = {"csrf_token": csrf_token(client, PREFIX[flow]), "password": password,
            "confirm": password if confirm is None else confirm}
    return client.post(f"{PREFIX[flow]}/mot-de-passe", data=data)


def walk_to_code(client, store, identifier: str, *, flow: str = "reset", channel: str = "sms") -> Message | None:
    """Identify and choose a channel; the message sent (None when nothing was sent)."""
    before = len(store.outbox())
    response = identify(client, identifier, flow)
    assert response.status_code == 302, body(response)
    assert response.headers["Location"] == f"{PREFIX[flow]}/canal"
    response = choose(client, channel, flow)
    assert response.status_code == 302, body(response)
    assert response.headers["Location"] == f"{PREFIX[flow]}/code"
    sent = store.outbox()
    assert len(sent) - before in (0, 1)
    return sent[0] if len(sent) > before else None


def wrong_code(right: str) -> str:
    return f"{(int(right) + 1) % 10**6:06d}"


def assert_refused(response, message: str, status: int = 422) -> None:
    assert response.status_code == status, body(response)
    assert html(message) in body(response)


# Right code, wrong codes ------------------------------------------------------


@pytest.mark.parametrize("channel", ["sms", "mail"])
def test_right_code_leads_to_the_password_step(client, store, persona, channel) -> None:
    message = walk_to_code(client, store, persona.nir, channel=channel)
    page = client.get("/mot-de-passe-oublie/code")
    assert page.status_code == 200 and html(texts.VERIFY["code_title"]) in body(page)
    response = enter(client, message.code)
    assert response.status_code == 302
    assert response.headers["Location"] == "/mot-de-passe-oublie/mot-de-passe"
    step = client.get("/mot-de-passe-oublie/mot-de-passe")
    assert step.status_code == 200 and html(texts.RESET["password_title"]) in body(step)


def test_spaces_inside_the_code_are_ignored(client, store, persona) -> None:
    code = walk_to_code(client, store, persona.nir).code
    assert enter(client, f" {code[:3]} {code[3:]} ").status_code == 302


def test_wrong_codes_count_down_then_void_the_code(client, store, persona) -> None:
    code = walk_to_code(client, store, persona.nir).code
    assert_refused(enter(client, wrong_code(code)), E["code_wrong"].format(left=2))
    assert_refused(enter(client, wrong_code(code)), E["code_wrong"].format(left=1))
    assert_refused(enter(client, wrong_code(code)), E["code_exhausted"])
    # Voided: even the right code is refused now.
    assert_refused(enter(client, code), E["code_exhausted"])
    assert client.get("/mot-de-passe-oublie/mot-de-passe").status_code == 302


def test_wrong_code_page_shows_the_message_next_to_the_field(client, store, persona) -> None:
    code = walk_to_code(client, store, persona.nir).code
    page = body(enter(client, wrong_code(code)))
    assert re.search(rf'id="code-error"\s*>{re.escape(html(E["code_wrong"].format(left=2)))}</p>', page)
    assert 'aria-invalid="true"' in page


def test_code_expires_after_15_minutes(client, store, persona) -> None:
    code = walk_to_code(client, store, persona.nir).code
    store.clock.advance(timedelta(minutes=15))
    assert_refused(enter(client, code), E["code_expired"])


def test_code_still_works_at_14_minutes_59(client, store, persona) -> None:
    code = walk_to_code(client, store, persona.nir).code
    store.clock.advance(timedelta(minutes=14, seconds=59))
    assert enter(client, code).status_code == 302


def test_code_works_only_once(client, store, persona) -> None:
    code = walk_to_code(client, store, persona.nir).code
    assert enter(client, code).status_code == 302
    assert_refused(enter(client, code), E["code_used"])


# Resend ------------------------------------------------------------------------


def test_resend_waits_60_seconds_then_replaces_the_code(client, store, persona) -> None:
    old = walk_to_code(client, store, persona.nir)
    assert_refused(resend(client), E["cooldown"].format(seconds=60), status=429)
    store.clock.advance(timedelta(seconds=30))
    assert_refused(resend(client), E["cooldown"].format(seconds=30), status=429)
    assert len(store.outbox()) == 1
    store.clock.advance(timedelta(seconds=30))
    response = resend(client)
    assert response.status_code == 302 and response.headers["Location"] == "/mot-de-passe-oublie/code"
    assert html(texts.VERIFY["resent"]) in body(client.get("/mot-de-passe-oublie/code"))
    messages = store.outbox(to=persona.phone)
    assert len(messages) == 2
    new = messages[0]
    assert new.id != old.id and new.channel == old.channel == "sms"
    if new.code != old.code:  # one chance in a million that they are equal
        assert_refused(enter(client, old.code), E["code_replaced"])
    assert enter(client, new.code).status_code == 302


def test_cooldown_restarts_with_each_resend(client, store, persona) -> None:
    walk_to_code(client, store, persona.nir)
    store.clock.advance(timedelta(seconds=60))
    assert resend(client).status_code == 302
    assert_refused(resend(client), E["cooldown"].format(seconds=60), status=429)


@pytest.mark.parametrize("who", ["persona", "unknown"])
def test_five_codes_a_day_at_most_known_identifier_or_not(client, store, persona, unknown_nir, who) -> None:
    identifier = persona.nir if who == "persona" else unknown_nir
    walk_to_code(client, store, identifier)
    for _ in range(MAX_CODES_PER_DAY - 1):
        store.clock.advance(timedelta(seconds=61))
        assert resend(client).status_code == 302
    sent = len(store.outbox())
    store.clock.advance(timedelta(seconds=61))
    limit = E["too_many_codes"].format(count=MAX_CODES_PER_DAY)
    assert_refused(resend(client), limit, status=429)
    assert_refused(choose(client, "sms"), limit, status=429)  # the channel step again: the same limit
    assert len(store.outbox()) == sent
    # A day after the first code, a new walk gets one again.
    store.clock.advance(timedelta(hours=24))
    identify(client, identifier)
    assert choose(client, "sms").status_code == 302


def test_resend_gives_a_fresh_code_after_exhaustion_or_expiry(client, store, persona) -> None:
    code = walk_to_code(client, store, persona.nir).code
    for _ in range(3):
        enter(client, wrong_code(code))
    store.clock.advance(timedelta(seconds=60))
    assert resend(client).status_code == 302
    fresh = store.outbox()[0].code
    assert_refused(enter(client, wrong_code(fresh)), E["code_wrong"].format(left=2))
    store.clock.advance(timedelta(minutes=15))
    assert_refused(enter(client, fresh), E["code_expired"])
    assert resend(client).status_code == 302
    assert enter(client, store.outbox()[0].code).status_code == 302


def test_choosing_the_channel_again_does_not_bypass_the_cooldown(client, store, persona) -> None:
    walk_to_code(client, store, persona.nir)
    choose(client, "sms")
    choose(client, "mail")
    assert len(store.outbox()) == 1


# The outbox ---------------------------------------------------------------------


def test_one_sms_per_send_with_the_code_as_its_own_field(client, store, persona) -> None:
    message = walk_to_code(client, store, persona.nir, channel="sms")
    assert len(store.outbox()) == 1
    assert message.channel == "sms" and message.to == persona.phone and message.purpose == "reset"
    assert re.fullmatch(r"[0-9]{6}", message.code)
    assert message.text == texts.MESSAGES["sms"].format(code=message.code)
    assert message.subject is None and message.html is None


@pytest.mark.parametrize("flow, subject", [("reset", texts.RESET["mail_subject"]),
                                           ("signup", texts.SIGNUP["mail_subject"])])
def test_one_mail_per_send_with_subject_text_and_html(client, store, add_persona, flow, subject) -> None:
    persona = add_persona(has_account=flow == "reset")
    message = walk_to_code(client, store, persona.nir, flow=flow, channel="mail")
    assert len(store.outbox()) == 1
    assert message.channel == "mail" and message.to == persona.email and message.purpose == flow
    assert re.fullmatch(r"[0-9]{6}", message.code)
    assert message.subject == subject
    M = texts.MESSAGES
    for part in (M["mail_greeting"].format(name=persona.display_name), M["mail_body"].format(code=message.code),
                 M["mail_warning"], M["mail_signature"]):
        assert part in message.text
    for part in (M["mail_greeting"].format(name=persona.display_name), M["mail_body"].format(code=message.code),
                 M["mail_warning"], subject):
        assert html(part) in message.html
    assert f">{message.code}</p>" in message.html
    store.clock.advance(timedelta(seconds=60))
    resend(client, flow)
    assert len(store.outbox()) == 2


def test_wrong_entries_send_nothing(client, store, persona) -> None:
    code = walk_to_code(client, store, persona.nir).code
    for _ in range(4):
        enter(client, wrong_code(code))
    enter(client, "abc")
    assert len(store.outbox()) == 1


# No account enumeration ------------------------------------------------------------


def normalized(response) -> str:
    page = TOKEN.sub("", body(response))
    return MASKED_EMAIL.sub("MAIL", MASKED_PHONE.sub("PHONE", page))


def test_unknown_identifier_sees_the_same_channel_page(client, store, persona, unknown_nir, mock_app) -> None:
    identify(client, persona.nir)
    known = client.get("/mot-de-passe-oublie/canal")
    other = mock_app.sites["moncompte"].test_client()
    identify(other, unknown_nir)
    unknown = other.get("/mot-de-passe-oublie/canal")
    assert known.status_code == unknown.status_code == 200
    assert normalized(known) == normalized(unknown)
    assert len(MASKED_PHONE.findall(body(unknown))) == 1 and len(MASKED_EMAIL.findall(body(unknown))) == 1
    # The look-alike destinations are stable for one identifier.
    assert MASKED_PHONE.findall(body(other.get("/mot-de-passe-oublie/canal"))) == MASKED_PHONE.findall(body(unknown))


@pytest.mark.parametrize("channel", ["sms", "mail"])
def test_unknown_identifier_code_page_and_messages_look_the_same(
    client, store, persona, unknown_nir, mock_app, channel
) -> None:
    code = walk_to_code(client, store, persona.nir, channel=channel).code
    other = mock_app.sites["moncompte"].test_client()
    assert walk_to_code(other, store, unknown_nir, channel=channel) is None

    known_page, unknown_page = client.get("/mot-de-passe-oublie/code"), other.get("/mot-de-passe-oublie/code")
    mask = MASKED_PHONE if channel == "sms" else MASKED_EMAIL
    parts = re.split(r"\{(?:phone|email)\}", html(texts.VERIFY[f"code_sent_{channel}"]))
    sentence = mask.pattern.join(re.escape(part) for part in parts)
    assert re.search(sentence, body(known_page)) and re.search(sentence, body(unknown_page))
    assert normalized(known_page) == normalized(unknown_page)

    for expected in (E["code_wrong"].format(left=2), E["code_wrong"].format(left=1), E["code_exhausted"],
                     E["code_exhausted"]):
        known, unknown = enter(client, wrong_code(code)), enter(other, wrong_code(code))
        assert known.status_code == unknown.status_code == 422
        assert html(expected) in body(known) and html(expected) in body(unknown)
        assert normalized(known) == normalized(unknown)
    # A format error does not count, for either.
    assert enter(client, "12345").status_code == enter(other, "12345").status_code == 422
    assert len(store.outbox()) == 1


def test_unknown_identifier_cooldown_and_expiry_look_the_same(client, store, unknown_nir) -> None:
    walk_to_code(client, store, unknown_nir)
    assert_refused(resend(client), E["cooldown"].format(seconds=60), status=429)
    store.clock.advance(timedelta(minutes=15))
    assert_refused(enter(client, "123456"), E["code_expired"])
    assert resend(client).status_code == 302
    assert_refused(enter(client, "123456"), E["code_wrong"].format(left=2))
    assert store.outbox() == []


def test_exhausted_then_expired_looks_the_same_for_known_and_unknown(
    client, store, persona, unknown_nir, mock_app
) -> None:
    code = walk_to_code(client, store, persona.nir).code
    other = mock_app.sites["moncompte"].test_client()
    walk_to_code(other, store, unknown_nir)
    for _ in range(3):
        enter(client, wrong_code(code))
        enter(other, wrong_code(code))
    store.clock.advance(timedelta(minutes=15))
    known, unknown = enter(client, wrong_code(code)), enter(other, wrong_code(code))
    assert normalized(known) == normalized(unknown)


def test_reset_for_a_persona_without_account_sends_nothing(client, store, add_persona) -> None:
    persona = add_persona(has_account=False)
    assert walk_to_code(client, store, persona.nir) is None
    assert MASKED_PHONE.search(body(client.get("/mot-de-passe-oublie/code")))
    assert_refused(enter(client, "123456"), E["code_wrong"].format(left=2))
    assert client.get("/mot-de-passe-oublie/mot-de-passe").status_code == 302


def test_a_code_voided_from_another_session_is_refused(client, store, persona, mock_app) -> None:
    first = walk_to_code(client, store, persona.nir).code
    other = mock_app.sites["moncompte"].test_client()
    store.clock.advance(timedelta(seconds=60))  # past the resend cooldown, kept per identifier
    assert walk_to_code(other, store, persona.nir) is not None
    assert_refused(enter(client, first), E["code_replaced"])


# Steps out of order, channel and code format -----------------------------------------


@pytest.mark.parametrize("flow", ["reset", "signup"])
@pytest.mark.parametrize("step", ["/canal", "/code", "/mot-de-passe"])
def test_steps_out_of_order_go_back_to_the_identify_step(client, flow, step) -> None:
    response = client.get(PREFIX[flow] + step)
    assert response.status_code == 302 and response.headers["Location"] == PREFIX[flow]
    assert html(texts.VERIFY["restart"]) in body(client.get(PREFIX[flow]))


@pytest.mark.parametrize("flow", ["reset", "signup"])
def test_posts_out_of_order_go_back_to_the_identify_step(client, flow) -> None:
    for response in (choose(client, "sms", flow), enter(client, "123456", flow), resend(client, flow),
                     new_password(client, NEW_PASSWORD, flow=flow)):
        assert response.status_code == 302 and response.headers["Location"] == PREFIX[flow]


def test_password_step_needs_the_right_code_first(client, store, persona) -> None:
    code = walk_to_code(client, store, persona.nir).code
    assert client.get("/mot-de-passe-oublie/mot-de-passe").status_code == 302
    enter(client, wrong_code(code))
    response = new_password(client, NEW_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/mot-de-passe-oublie"
    assert store.get_persona(persona.id).password == persona.password


def test_no_channel_chosen(client, persona) -> None:
    identify(client, persona.nir)
    assert_refused(choose(client, None), E["channel_required"])
    assert_refused(choose(client, ""), E["channel_required"])


@pytest.mark.parametrize("fields, refused, offered", [({"phone": None}, "sms", "mail"),
                                                      ({"email": None}, "mail", "sms")])
def test_a_channel_not_offered_is_refused(client, store, add_persona, fields, refused, offered) -> None:
    persona = add_persona(**fields)
    identify(client, persona.nir)
    page = body(client.get("/mot-de-passe-oublie/canal"))
    assert f'value="{offered}"' in page and f'value="{refused}"' not in page
    # The only channel is ticked already.
    assert re.search(rf'<input checked[^>]*value="{offered}"', page)
    assert_refused(choose(client, refused), E["channel_required"])
    assert_refused(choose(client, "fax"), E["channel_required"])
    assert store.outbox() == []
    assert choose(client, offered).status_code == 302
    assert store.outbox()[0].channel == offered


def test_no_channel_at_all(client, store, persona) -> None:
    store.update_persona(persona.id, phone=None, email=None)
    identify(client, persona.nir)
    assert_refused(client.get("/mot-de-passe-oublie/canal"), texts.VERIFY["no_channel"])
    assert_refused(choose(client, "sms"), texts.VERIFY["no_channel"])
    assert store.outbox() == []


@pytest.mark.parametrize("submitted, message", [
    ("", E["code_required"]),
    ("   ", E["code_required"]),
    ("12345", E["code_format"]),
    ("1234567", E["code_format"]),
    ("abcdef", E["code_format"]),
    ("12a456", E["code_format"]),
    ("１２３４５６", E["code_format"]),
])
def test_code_format_errors_do_not_count_as_attempts(client, store, persona, submitted, message) -> None:
    code = walk_to_code(client, store, persona.nir).code
    for _ in range(4):
        assert_refused(enter(client, submitted), message)
    assert_refused(enter(client, wrong_code(code)), E["code_wrong"].format(left=2))
    assert enter(client, code).status_code == 302


# New password ---------------------------------------------------------------------------


@pytest.fixture
def verified(client, store, persona):
    """A client at the password step of a reset."""
    assert enter(client, walk_to_code(client, store, persona.nir).code).status_code == 302
    return client


@pytest.mark.parametrize("password, message", [
    ("", texts.PASSWORD_ERRORS["required"]),
    ("court1", texts.PASSWORD_ERRORS["too_short"]),
    ("a1" * 33, texts.PASSWORD_ERRORS["too_long"]),
    ("12345678", texts.PASSWORD_ERRORS["no_letter"]),
    ("seulementdeslettres", texts.PASSWORD_ERRORS["no_digit"]),
])
def test_new_password_rules(verified, store, persona, password, message) -> None:
    assert_refused(new_password(verified, password), message)
    assert store.get_persona(persona.id).password == persona.password
    # Still at the password step.
    assert verified.get("/mot-de-passe-oublie/mot-de-passe").status_code == 200


def test_confirmation_required_and_must_match(verified, store, persona) -> None:
    assert_refused(new_password(verified, NEW_PASSWORD, confirm=""), E["confirm_required"])
    assert_refused(new_password(verified, NEW_PASSWORD, confirm=NEW_PASSWORD + "x"), E["mismatch"])
    assert store.get_persona(persona.id).password == persona.password


def test_successful_reset_changes_the_password(verified, store, persona, mock_app) -> None:
    response = new_password(verified, NEW_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/mot-de-passe-oublie/termine"
    done = verified.get("/mot-de-passe-oublie/termine")
    assert done.status_code == 200 and html(texts.RESET["done_text"]) in body(done)
    # The flow is over: its steps send back to the start.
    assert verified.get("/mot-de-passe-oublie/mot-de-passe").status_code == 302
    login = mock_app.sites["moncompte"].test_client()
    assert post_login(login, persona.nir, persona.password).status_code == 401
    assert post_login(login, persona.nir, NEW_PASSWORD).status_code == 302
    assert login.get("/mon-compte/").status_code == 200


def test_successful_reset_clears_a_lockout(client, store, persona, mock_app) -> None:
    login = mock_app.sites["moncompte"].test_client()
    for _ in range(5):
        post_login(login, persona.nir, "mauvais1234")
    assert post_login(login, persona.nir, persona.password).status_code == 423
    code = walk_to_code(client, store, persona.nir).code
    enter(client, code)
    assert new_password(client, NEW_PASSWORD).status_code == 302
    assert post_login(login, persona.nir, NEW_PASSWORD).status_code == 302


def test_reset_with_a_provisional_identifier(client, store, add_persona) -> None:
    persona = add_persona(provisional=True)
    response = identify(client, persona.provisional_id.lower(), provisional=True)
    assert response.status_code == 302
    choose(client, "mail")
    enter(client, store.outbox()[0].code)
    assert new_password(client, NEW_PASSWORD).status_code == 302
    assert store.get_persona(persona.id).password == NEW_PASSWORD


def test_identify_step_checks_the_identifier(client) -> None:
    response = identify(client, "123")
    assert_refused(response, texts.NIR_ERRORS["too_short"])
    assert html(texts.LOGIN_ERRORS["form_errors"]) in body(response)


# Signup --------------------------------------------------------------------------------


def test_signup_creates_the_account_and_logs_in(client, store, add_persona, mock_app) -> None:
    persona = add_persona(has_account=False)
    assert persona.password is None
    page = client.get("/creer-mon-compte")
    assert page.status_code == 200 and html(texts.SIGNUP["intro"]) in body(page)
    message = walk_to_code(client, store, persona.nir, flow="signup")
    assert message.purpose == "signup" and message.to == persona.phone
    response = enter(client, message.code, "signup")
    assert response.status_code == 302 and response.headers["Location"] == "/creer-mon-compte/mot-de-passe"
    assert html(texts.SIGNUP["password_title"]) in body(client.get("/creer-mon-compte/mot-de-passe"))
    response = new_password(client, NEW_PASSWORD, flow="signup")
    assert response.status_code == 302 and response.headers["Location"] == "/mon-compte/"
    home = client.get("/mon-compte/")
    assert home.status_code == 200
    assert html(texts.SIGNUP["welcome"]) in body(home)
    assert html(texts.ACCOUNT["greeting"].format(name=persona.display_name)) in body(home)
    stored = store.get_persona(persona.id)
    assert stored.has_account is True and stored.password == NEW_PASSWORD
    other = mock_app.sites["moncompte"].test_client()
    assert post_login(other, persona.nir, NEW_PASSWORD).status_code == 302


def test_signup_code_rules_are_the_same(client, store, add_persona) -> None:
    persona = add_persona(has_account=False)
    code = walk_to_code(client, store, persona.nir, flow="signup", channel="mail").code
    assert_refused(enter(client, wrong_code(code), "signup"), E["code_wrong"].format(left=2))
    assert_refused(resend(client, "signup"), E["cooldown"].format(seconds=60), status=429)
    store.clock.advance(timedelta(minutes=15))
    assert_refused(enter(client, code, "signup"), E["code_expired"])
    assert resend(client, "signup").status_code == 302
    fresh = store.outbox()[0].code
    assert enter(client, fresh, "signup").status_code == 302
    assert_refused(enter(client, fresh, "signup"), E["code_used"])


def test_signup_with_an_existing_account(client, store, persona) -> None:
    response = identify(client, persona.nir, "signup")
    assert_refused(response, texts.SIGNUP["already"])
    assert client.get("/creer-mon-compte/canal").status_code == 302
    assert store.outbox() == []


def test_signup_with_an_unknown_identifier(client, store, unknown_nir) -> None:
    response = identify(client, unknown_nir, "signup")
    assert_refused(response, texts.SIGNUP["unknown"])
    assert client.get("/creer-mon-compte/canal").status_code == 302
    assert store.outbox() == []


# CSRF -----------------------------------------------------------------------------------


def reach(client, store, identifier: str, flow: str, step: str) -> None:
    """Put the client where a POST to `step` would be accepted."""
    if step == "":
        return
    assert identify(client, identifier, flow).status_code == 302
    if step == "/canal":
        return
    assert choose(client, "sms", flow).status_code == 302
    if step in ("/code", "/renvoyer"):
        store.clock.advance(timedelta(seconds=60))
        return
    assert enter(client, store.outbox()[0].code, flow).status_code == 302


@pytest.mark.parametrize("flow", ["reset", "signup"])
@pytest.mark.parametrize("step", ["", "/canal", "/code", "/renvoyer", "/mot-de-passe"])
@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_flow_posts_without_a_valid_csrf_token_get_a_400(client, store, add_persona, flow, step, token) -> None:
    persona = add_persona(has_account=flow == "reset")
    reach(client, store, persona.nir, flow, step)
    sent = len(store.outbox())
    data = {"nir": persona.nir, "channel": "sms", "code": "123456", "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD}
    if token is not None:
        data["csrf_token"] = token
    response = client.post(PREFIX[flow] + step, data=data)
    assert response.status_code == 400
    assert html(texts.ERRORS["csrf_title"]) in body(response)
    assert len(store.outbox()) == sent
    assert store.get_persona(persona.id) == persona
