"""/__mock__/clock: read the mock's time, move it forward, or back to real time."""

from __future__ import annotations

import math
import re
from datetime import timedelta

from flask import Response, jsonify

from ..context import mock
from . import ControlError, bp, json_body

MAX_ADVANCE = timedelta(days=366)
MAX_DURATION_LENGTH = 32
# "90s", "15m", "2h", "1d", "1h30m"
_DURATION = re.compile(r"(?:([0-9]+)d)?(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?")  # ASCII digits only


def parse_duration(value: object) -> timedelta:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ControlError(422, "advance: a number of seconds or a duration like '15m', '90s', '1h30m'", "advance")
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        # Bounded first: int() of thousands of digits is refused (and slow before that).
        if len(value) > MAX_DURATION_LENGTH:
            raise ControlError(422, f"advance: at most {MAX_DURATION_LENGTH} characters, like '1h30m'", "advance")
        match = _DURATION.fullmatch(value.strip())
        if not value.strip() or match is None:
            raise ControlError(422, f"advance: {value!r} is not a duration like '15m', '90s', '1h30m'", "advance")
        days, hours, minutes, secs = (int(part or 0) for part in match.groups())
        seconds = ((days * 24 + hours) * 60 + minutes) * 60 + secs
    if not math.isfinite(seconds) or seconds <= 0:
        raise ControlError(422, "advance: the mock clock only moves forward", "advance")
    if seconds > MAX_ADVANCE.total_seconds():
        raise ControlError(422, "advance: at most 366 days at a time", "advance")
    return timedelta(seconds=seconds)


def clock_state() -> Response:
    clock = mock().store.clock
    return jsonify(now=clock.now().isoformat(), offset_seconds=clock.offset.total_seconds())


@bp.get("/clock")
def read_clock() -> Response:
    return clock_state()


@bp.post("/clock")
def move_clock() -> Response:
    body = json_body()
    unknown = set(body) - {"advance", "real_time"}
    if unknown:
        raise ControlError(422, "unknown field", sorted(unknown)[0])
    if body.get("real_time") is True and "advance" not in body:
        mock().store.clock.reset()
        return clock_state()
    if "real_time" in body:
        raise ControlError(422, "real_time: true, alone, goes back to real time", "real_time")
    if "advance" not in body:
        raise ControlError(422, "advance: required (or real_time: true)", "advance")
    try:
        mock().store.clock.advance(parse_duration(body["advance"]))
    except OverflowError:
        raise ControlError(422, "advance: that would take the clock past year 9999", "advance") from None
    return clock_state()
