"""Mot de passe oublié ? when the CAF's SMS or mail gateway fails: the SMS gateway
is down, an SMS comes two minutes late, a mail bounces. What a person sees,
and how they still get a new password.

Faults are set through the control API (the `faults` fixture clears them after
each test); time moves with the mock's clock, never by waiting.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pytest_franceconnect_mock.control import ControlClient, ControlError
from mock_server import texts
from mock_server.personas import Persona

from .pages import AccountPage, ChannelStep, CodeStep, IdentifyStep, Inbox, LoginPage

pytestmark = pytest.mark.simulation

E, V = texts.VERIFY_ERRORS, texts.VERIFY


def open_channel_step(page: Page, persona: Persona) -> ChannelStep:
    """From the login page's "Mot de passe oublié ?" to "Comment souhaitez-vous recevoir votre code ?"."""
    channel_step = IdentifyStep.from_login(LoginPage(page).open()).identify(persona)
    expect(channel_step.title).to_be_visible()
    return channel_step


def finish_reset(code_step: CodeStep, code: str, password: str) -> None:
    new_step = code_step.enter(code)
    expect(new_step.title).to_be_visible()
    done = new_step.finish_reset(password)
    expect(done.status).to_have_text(texts.RESET["done_text"])


def log_in_with(page: Page, persona: Persona, password: str) -> None:
    LoginPage(page).open().login_with_nir(persona.nir, password)
    expect(AccountPage(page).greeting_for(persona.display_name)).to_be_visible()


@pytest.mark.title("SMS en panne : le mail m'est proposé, et le code reçu par mail me permet de changer de mot de passe")
def test_sms_gateway_down_offers_the_mail_and_the_code_by_mail_works(
    page: Page, faults: ControlClient, persona: Persona, persona_factory
) -> None:
    fault = faults.add_fault(kind="sms_down")
    phone, mailbox = Inbox(faults, persona, "sms"), Inbox(faults, persona, "mail")
    channel_step = open_channel_step(page, persona)
    channel_step.option("sms").check()
    channel_step.send_button.click()

    # Still on the channel step, told why, with both ways still offered.
    expect(channel_step.alert).to_have_text(E["sms_unavailable"])
    expect(channel_step.title).to_be_visible()
    expect(channel_step.options).to_have_count(2)
    expect(channel_step.option_for(persona, "sms")).to_be_checked()
    expect(channel_step.option_for(persona, "mail")).to_be_enabled()
    assert phone.messages() == [], "no SMS went out"
    assert [f["hits"] for f in faults.faults() if f["id"] == fault["id"]] == [1]

    # By mail, at once: nothing was sent, so there is no 60 s wait.
    code_step = channel_step.choose("mail")
    expect(code_step.sent_to(persona, "mail")).to_be_visible()
    new_password = persona_factory.password()
    finish_reset(code_step, mailbox.next_code(), new_password)
    log_in_with(page, persona, new_password)


@pytest.mark.title("Un SMS en retard de deux minutes arrive quand l'horloge avance, et son code fonctionne")
def test_late_sms_arrives_when_the_clock_moves_on(
    page: Page, faults: ControlClient, persona: Persona, persona_factory
) -> None:
    faults.add_fault(kind="sms_delay", seconds=120)
    phone = Inbox(faults, persona, "sms")
    code_step = open_channel_step(page, persona).choose("sms")
    expect(code_step.sent_to(persona, "sms")).to_be_visible()
    assert faults.outbox(to=persona.phone) == [], "the SMS has not reached the phone yet"

    faults.advance_clock(minutes=2)
    message = phone.next()
    assert message.delivered_at > message.sent_at and message.bounced is False
    assert message.text == texts.MESSAGES["sms"].format(code=message.code)
    finish_reset(code_step, message.code, persona_factory.password())


@pytest.mark.title("SMS en retard et « Renvoyer le code » : seul le dernier code reçu est accepté")
def test_resend_while_the_sms_is_late_the_last_code_counts(
    faults: ControlClient, page: Page, persona: Persona, persona_factory
) -> None:
    faults.add_fault(kind="sms_delay", seconds=120)
    phone = Inbox(faults, persona, "sms")
    code_step = open_channel_step(page, persona).choose("sms")

    # A minute and no SMS: "Renvoyer le code", late as well.
    faults.advance_clock(minutes=1)
    assert faults.outbox(to=persona.phone) == []
    code_step.resend()
    expect(code_step.status).to_have_text(V["resent"])

    # A minute on, the first SMS arrives: its code was replaced.
    faults.advance_clock(minutes=1)
    first = phone.next_code()
    code_step.enter(first)
    expect(code_step.code).to_have_accessible_description(E["code_replaced"])

    # Another minute, the second one: it works.
    faults.advance_clock(minutes=1)
    second = phone.next_code()
    assert len(phone.messages()) == 2
    finish_reset(code_step, second, persona_factory.password())


@pytest.mark.title("Mail rejeté deux fois : je passe au SMS avec « Recevoir le code par un autre moyen » et change mon mot de passe")
def test_bounced_mail_then_the_code_by_sms(
    faults: ControlClient, page: Page, persona: Persona, persona_factory
) -> None:
    faults.add_fault(kind="mail_bounce", persona=persona.id)
    phone, mailbox = Inbox(faults, persona, "sms"), Inbox(faults, persona, "mail")
    code_step = open_channel_step(page, persona).choose("mail")
    expect(code_step.sent_to(persona, "mail")).to_be_visible()  # the site cannot know

    # The mail never arrives (the page was shown once it was sent: no need to wait);
    # the outbox shows it bounced.
    with pytest.raises(ControlError) as error:
        faults.wait_for_message(persona.email, timeout=0)
    assert error.value.status == 404
    [bounced] = mailbox.messages()
    assert bounced.bounced is True and bounced.to == persona.email

    # A minute later, "Renvoyer le code": by mail again, and it bounces again.
    faults.advance_clock(minutes=1)
    code_step.resend()
    expect(code_step.status).to_have_text(V["resent"])
    assert [m.bounced for m in mailbox.messages()] == [True, True]

    # Another minute, then the SMS instead.
    faults.advance_clock(minutes=1)
    code_step.link(V["other_channel"]).click()
    channel_step = ChannelStep(page)
    expect(channel_step.title).to_be_visible()
    code_step = channel_step.choose("sms")
    expect(code_step.sent_to(persona, "sms")).to_be_visible()
    new_password = persona_factory.password()
    finish_reset(code_step, phone.next_code(), new_password)
    log_in_with(page, persona, new_password)
