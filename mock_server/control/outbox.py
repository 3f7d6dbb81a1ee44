"""/__mock__/outbox: every SMS and mail the mock sent. JSON for programs; for a
browser, a page that reads like a phone and a webmail, newest first.

Only delivered messages show: a delayed SMS (fault "sms_delay") once the mock
clock reaches its delivered_at. A bounced mail (fault "mail_bounce") is listed,
marked bounced, but is never anyone's latest message."""

from __future__ import annotations

from datetime import datetime

from flask import Response, jsonify, render_template, request

from .. import texts
from ..context import mock
from . import ControlError, bp
from .inputs import whole_number

CHANNELS = ("sms", "mail")
MAX_WAIT_SECONDS = 10.0
MAX_MESSAGE_ID = 10**12


def _since(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        since = datetime.fromisoformat(value)
    except ValueError:
        raise ControlError(422, f"since: {value!r} is not an ISO 8601 time", "since") from None
    if since.tzinfo is None:
        raise ControlError(422, "since: give a time zone, e.g. 2026-11-27T10:00:00+00:00", "since")
    return since


def _filters() -> dict:
    args = request.args
    unknown = set(args) - {"to", "channel", "since", "after", "wait"}
    if unknown:
        raise ControlError(422, "unknown filter", sorted(unknown)[0])
    channel = args.get("channel")
    if channel is not None and channel not in CHANNELS:
        raise ControlError(422, "channel: 'sms' or 'mail'", "channel")
    after = args.get("after")
    return {"to": args.get("to"), "channel": channel, "since": _since(args.get("since")),
            "after": whole_number("after", after, 0, MAX_MESSAGE_ID) if after is not None else None}


def _wants_page() -> bool:
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


@bp.get("/outbox")
def outbox() -> Response | str:
    messages = mock().store.outbox(**_filters())
    if _wants_page():
        return render_template("outbox.html", messages=messages, texts=texts, to=request.args.get("to"))
    return jsonify([message.to_dict() for message in messages])


@bp.get("/outbox/latest")
def latest() -> Response:
    """The newest message to `to`; with `wait=N`, waits up to N seconds for one
    (newer than id `after`) instead of answering 404 at once."""
    filters = _filters()
    if not filters["to"]:
        raise ControlError(422, "to: the recipient (phone or e-mail) is required", "to")
    wait = request.args.get("wait", "0")
    try:
        seconds = float(wait)
    except ValueError:
        raise ControlError(422, "wait: seconds, at most 10", "wait") from None
    if not 0 <= seconds <= MAX_WAIT_SECONDS:
        raise ControlError(422, "wait: seconds, at most 10", "wait")
    store = mock().store
    if seconds:
        message = store.wait_for_message(to=filters["to"], after=filters["after"], timeout=seconds)
    else:
        # A bounced mail never reached the recipient: it is not their latest.
        found = store.outbox(**filters, bounced=False)
        message = found[0] if found else None
    if message is None:
        raise ControlError(404, f"no message to {filters['to']}", "to")
    return jsonify(message.to_dict())


@bp.delete("/outbox")
def clear() -> tuple[str, int]:
    mock().store.clear_outbox()
    return "", 204
