"""The CAF's SMS and mail gateways: every message lands in the mock's outbox,
where tests and people read it as they would read a phone or a webmail."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from .. import texts
from ..personas import Persona
from ..store import MemoryStore, Message

_mails = Environment(loader=PackageLoader("mock_server.messages"), autoescape=select_autoescape())

SUBJECTS = {"reset": texts.RESET["mail_subject"], "signup": texts.SIGNUP["mail_subject"]}


def send_code(store: MemoryStore, persona: Persona, *, channel: str, code: str, purpose: str) -> Message:
    """Send `code` to the persona's phone ("sms") or mailbox ("mail")."""
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
        purpose=purpose,
    )
