"""The steps "Mot de passe oublié ?" and "Créer Mon Compte" share: identify,
choose where to receive a code, enter it, choose a password.

Rules (all on the mock clock): a code has 6 digits, is valid 15 minutes and
once; 3 wrong entries void it; a new code can be asked 60 seconds after the
last one and voids it, 5 codes in 24 hours at most. An identifier without
account goes through the same screens and messages, and nothing is sent: no
account enumeration.

When the SMS gateway is down (fault "sms_down"), the person stays on the channel
step with a message saying so, and can choose the mail; nothing changes until a
code is actually sent (the earlier code stays valid, no cooldown starts).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
from string import ascii_lowercase
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable

from flask import Blueprint, Response, current_app, flash, redirect, render_template, session, url_for

from .. import texts
from ..context import mock
from ..messages import GatewayUnavailable, send_code, send_nothing
from ..personas import EMAIL_DOMAINS, Persona
from ..rules.phone import mask_phone
from .forms import BROWSER_MESSAGES, ChannelForm, CodeForm, IdentifierForm, NewPasswordForm

CODE_VALIDITY = timedelta(minutes=15)
MAX_ATTEMPTS = 3
RESEND_COOLDOWN = timedelta(seconds=60)
# Without a daily limit, one code a minute is 3 guesses a minute forever, and an SMS a
# minute to the person whose identifier someone typed.
MAX_CODES_PER_DAY = 5
CODES_PER_DAY_WINDOW = timedelta(hours=24)
E = texts.VERIFY_ERRORS


def mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


MASKS = {"sms": mask_phone, "mail": mask_email}


def wrong_code(attempts: int) -> str:
    """The message after `attempts` wrong entries of one code."""
    left = MAX_ATTEMPTS - attempts
    return E["code_wrong"].format(left=left) if left > 0 else E["code_exhausted"]


@dataclass(frozen=True)
class Flow:
    name: str  # blueprint name and session key
    url_prefix: str
    texts: dict[str, Any]
    # Given the persona found for the identifier (or None): an error to show, or
    # None to go on; `accepts` also says which persona the code will go to.
    accepts: Callable[[Persona | None], tuple[str | None, Persona | None]]
    # What a verified person's new password does; returns the response.
    complete: Callable[[Persona, str], Response]


def make_blueprint(flow: Flow) -> Blueprint:
    bp = Blueprint(flow.name, __name__, url_prefix=flow.url_prefix)
    key = f"flow:{flow.name}"

    def state() -> dict[str, Any] | None:
        return session.get(key)

    def save(value: dict[str, Any]) -> None:
        session[key] = value

    def restart() -> Response:
        flash(texts.VERIFY["restart"], "info")
        return redirect(url_for(f"{flow.name}.identify"))

    def page(template: str, status: int = 200, **context: Any):
        return render_template(template, flow=flow.texts, name=flow.name, **context), status

    def persona_of(current: dict[str, Any]) -> Persona | None:
        return mock().store.get_persona(current["persona_id"]) if current.get("persona_id") else None

    def destinations(current: dict[str, Any]) -> dict[str, str]:
        """Masked phone and e-mail, real ones or, for no account, stable look-alikes."""
        persona = persona_of(current)
        if persona is not None:
            return {channel: MASKS[channel](to) for channel, to in persona.contacts.items()}
        digest = hmac.new(current_app.secret_key.encode(), current["identifier"].encode(), hashlib.sha256).digest()
        return {
            "sms": mask_phone(f"0{6 + digest[0] % 2}{digest[1] % 100:02d}0000{digest[2] % 100:02d}"),
            "mail": f"{ascii_lowercase[digest[3] % 26]}•••@{EMAIL_DOMAINS[digest[4] % len(EMAIL_DOMAINS)]}",
        }

    def now() -> datetime:
        return mock().store.clock.now()

    def cooldown(current: dict[str, Any]) -> str | None:
        """The message to show while a new code may not be sent yet, or None."""
        store = mock().store
        if store.code_requests_since(flow.name, current["identifier"], now() - CODES_PER_DAY_WINDOW) >= MAX_CODES_PER_DAY:
            return E["too_many_codes"].format(count=MAX_CODES_PER_DAY)
        last = store.last_code_request(flow.name, current["identifier"])
        wait = last + RESEND_COOLDOWN - now() if last else timedelta()
        return E["cooldown"].format(seconds=math.ceil(wait.total_seconds())) if wait > timedelta() else None

    def send(current: dict[str, Any], channel: str) -> None:
        """Send a new code by `channel`. Raises GatewayUnavailable before anything
        changes: the code sent earlier stays valid and the cooldown does not start."""
        store = mock().store
        persona = persona_of(current)
        code_id = None
        if persona is not None:
            code = f"{secrets.randbelow(10**6):06d}"
            # Sent first, issued once the gateway took it: a refused SMS voids nothing.
            send_code(store, persona, channel=channel, code=code, purpose=flow.name)
            code_id = store.issue_code(
                purpose=flow.name, persona_id=persona.id, channel=channel, code=code, valid_for=CODE_VALIDITY
            ).id
        else:
            # No account: nothing is sent, yet the gateway's faults set for everyone
            # are met as if a message were (one of their `times` used). An SMS outage
            # then shows the same message to every identifier, registered or not;
            # merely looking for an active fault without taking it would tell them
            # apart once a `times`-limited fault is used up by real accounts only.
            # A fault scoped to a persona only ever meets that persona's messages.
            send_nothing(store, channel=channel)
        store.record_code_request(flow.name, current["identifier"])
        current.update(channel=channel, sent_at=now().isoformat(), attempts=0, verified=False, code_id=code_id)
        save(current)

    def check(current: dict[str, Any], submitted: str) -> str | None:
        """None when the code is right; otherwise the message to show."""
        store = mock().store
        if current.get("code_id") is None:
            # No account: every code is wrong, with the same words, counts and
            # order of checks as for an account.
            if current["attempts"] >= MAX_ATTEMPTS:
                return E["code_exhausted"]
            if now() >= datetime.fromisoformat(current["sent_at"]) + CODE_VALIDITY:
                return E["code_expired"]
            current["attempts"] += 1
            save(current)
            return wrong_code(current["attempts"])
        issued = store.get_code(current["code_id"])
        if issued is None:
            # Forgotten by the store, long after it expired (store.CODE_KEPT_AFTER_EXPIRY).
            return E["code_expired"]
        if issued.state == "used":
            return E["code_used"]
        if issued.state == "exhausted":
            return E["code_exhausted"]
        if issued.state == "voided":
            return E["code_replaced"]
        if now() >= issued.expires_at:
            return E["code_expired"]
        if hmac.compare_digest(submitted, issued.code):
            store.update_code(issued.id, state="used")
            return None
        for earlier in store.earlier_codes(purpose=flow.name, persona_id=issued.persona_id):
            if earlier.id != issued.id and hmac.compare_digest(submitted, earlier.code):
                return E["code_used"] if earlier.state == "used" else E["code_replaced"]
        attempts = issued.attempts + 1
        store.update_code(issued.id, attempts=attempts, state="exhausted" if attempts >= MAX_ATTEMPTS else "active")
        return wrong_code(attempts)

    @bp.route("", methods=["GET", "POST"])
    def identify():
        form = IdentifierForm()

        def again(status: int = 200, alert: str | None = None):
            return page("flow_identify.html", status, form=form, browser_messages=BROWSER_MESSAGES, alert=alert)

        if not form.is_submitted():
            return again()
        if not form.validate():
            return again(422, texts.LOGIN_ERRORS["form_errors"])
        identifier = form.identifier()
        error, persona = flow.accepts(mock().store.find_persona(identifier))
        if error:
            return again(422, error)
        save({"identifier": identifier, "persona_id": persona.id if persona else None})
        return redirect(url_for(f"{flow.name}.channel"))

    def channel_form(current: dict[str, Any], **options: Any) -> tuple[ChannelForm, dict[str, str]]:
        offered = destinations(current)
        form = ChannelForm(**options)
        form.channel.choices = [
            (channel, texts.VERIFY[f"channel_{channel}"].format(phone=to, email=to)) for channel, to in offered.items()
        ]
        return form, offered

    def unavailable(form: ChannelForm, offered: dict[str, str]):
        """The channel step again, saying the SMS could not be sent; every option still offered."""
        alert = E["sms_unavailable"] if "mail" in offered else E["sms_unavailable_retry"]
        return page("flow_channel.html", 503, form=form, alert=alert)

    @bp.route("/canal", methods=["GET", "POST"])
    def channel():
        current = state()
        if current is None:
            return restart()
        form, offered = channel_form(current)
        if not offered:
            return page("flow_channel.html", 422, form=form, alert=texts.VERIFY["no_channel"])
        if len(offered) == 1 and not form.is_submitted():
            form.channel.data = next(iter(offered))
        if not form.is_submitted():
            return page("flow_channel.html", form=form)
        if not form.validate():
            return page("flow_channel.html", 422, form=form)
        wait = cooldown(current)
        if wait:
            return page("flow_channel.html", 429, form=form, alert=wait)
        try:
            send(current, form.channel.data)
        except GatewayUnavailable:
            return unavailable(form, offered)
        return redirect(url_for(f"{flow.name}.code"))

    def code_page(current: dict[str, Any], form: CodeForm, status: int = 200, alert: str | None = None):
        to = destinations(current).get(current["channel"], "")
        sent = texts.VERIFY[f"code_sent_{current['channel']}"].format(phone=to, email=to)
        return page("flow_code.html", status, form=form, sent=sent, alert=alert)

    @bp.route("/code", methods=["GET", "POST"])
    def code():
        current = state()
        if current is None or not current.get("channel"):
            return restart()
        form = CodeForm()
        if not form.is_submitted():
            return code_page(current, form)
        if not form.validate():
            return code_page(current, form, 422)
        error = check(current, form.submitted())
        if error:
            form.code.errors = [error]
            return code_page(current, form, 422)
        current["verified"] = True
        save(current)
        return redirect(url_for(f"{flow.name}.password"))

    @bp.post("/renvoyer")
    def resend():
        current = state()
        if current is None or not current.get("channel"):
            return restart()
        wait = cooldown(current)
        if wait:
            return code_page(current, CodeForm(formdata=None), 429, alert=wait)
        try:
            send(current, current["channel"])
        except GatewayUnavailable:
            # Back to the channel step, the channel last chosen still ticked.
            form, offered = channel_form(current, formdata=None, data={"channel": current["channel"]})
            return unavailable(form, offered)
        flash(texts.VERIFY["resent"], "info")
        return redirect(url_for(f"{flow.name}.code"))

    @bp.route("/mot-de-passe", methods=["GET", "POST"])
    def password():
        current = state()
        persona = persona_of(current) if current else None
        if current is None or not current.get("verified") or persona is None:
            return restart()
        form = NewPasswordForm()
        if not form.is_submitted():
            return page("flow_password.html", form=form, browser_messages=BROWSER_MESSAGES)
        if not form.validate():
            return page("flow_password.html", 422, form=form, browser_messages=BROWSER_MESSAGES)
        session.pop(key, None)
        return flow.complete(persona, form.password.data)

    return bp
