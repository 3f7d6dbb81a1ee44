"""The CAF's SMS and mail gateways: every message lands in the mock's outbox,
where tests and people read it as they would read a phone or a webmail.

Message faults (mock_server/simulation/faults.py) are met here, one per message:
"sms_down" refuses the SMS (GatewayUnavailable, nothing sent), "sms_delay" has
it reach the phone `seconds` later on the mock clock, "mail_bounce" has the
mailbox refuse the mail (kept in the outbox, marked bounced, never received).
"""

from __future__ import annotations

from datetime import timedelta

from jinja2 import Environment, PackageLoader, select_autoescape

from .. import texts
from ..personas import Persona
from ..store import MemoryStore, Message

_mails = Environment(loader=PackageLoader("mock_server.messages"), autoescape=select_autoescape())

SUBJECTS = {"reset": texts.RESET["mail_subject"], "signup": texts.SIGNUP["mail_subject"]}


class GatewayUnavailable(Exception):
    """The gateway of this channel ("sms") refused the message: nothing was sent."""

    def __init__(self, channel: str) -> None:
        super().__init__(f"the {channel} gateway is unavailable")
        self.channel = channel


def _meet_fault(store: MemoryStore, channel: str, persona_id: str | None) -> tuple[timedelta | None, bool]:
    """Take the fault this message meets: raise for "sms_down"; else (delay, bounced)."""
    fault = store.faults.take_message(channel, persona_id)
    if fault is None:
        return None, False
    if fault.kind == "sms_down":
        raise GatewayUnavailable(channel)
    if fault.kind == "sms_delay":
        return timedelta(seconds=fault.seconds), False
    return None, fault.kind == "mail_bounce"


def send_nothing(store: MemoryStore, *, channel: str) -> None:
    """What an identifier without account meets instead of a send: the faults set
    for everyone on this channel (one of their `times` is used), so an outage
    looks the same whether the account exists; nothing is sent.
    Raises GatewayUnavailable when the SMS gateway is down for everyone."""
    _meet_fault(store, channel, None)


def send_code(store: MemoryStore, persona: Persona, *, channel: str, code: str, purpose: str) -> Message:
    """Send `code` to the persona's phone ("sms") or mailbox ("mail").

    Raises GatewayUnavailable (and sends nothing) when an "sms_down" fault applies.
    """
    delay, bounced = _meet_fault(store, channel, persona.id)
    if channel == "sms":
        subject, text, html = None, texts.MESSAGES["sms"].format(code=code), None
    else:
        M = texts.MESSAGES
        subject = SUBJECTS[purpose]
        text = "\n\n".join(
            [M["mail_greeting"].format(name=persona.display_name), M["mail_body"].format(code=code),
             M["mail_warning"], M["mail_signature"]]
        )
        html = _mails.get_template("code_mail.html").render(
            texts=texts, name=persona.display_name, code=code, subject=subject
        )
    return store.send(
        channel=channel, to=persona.contacts[channel], subject=subject, text=text, html=html, code=code,
        purpose=purpose, delay=delay, bounced=bounced,
    )
