"""Faults set on demand: what goes wrong, where, for whom, how many times.

A fault is data (JSON through /__mock__/faults, or a preset at start-up). HTTP
faults are applied by each site before its own view runs, so the user gets
that site's own error page; message faults by the SMS and mail gateways;
broken answers (mock_server/oidc/broken_answers.py) by FranceConnect when it
signs an id_token or a userinfo answer for the client or persona they name.
"""

from __future__ import annotations

import fnmatch
import threading
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Callable

from ..clock import MockClock
from ..config import SITES, MockConfig
from ..oidc.broken_answers import BROKEN_ANSWERS
from .network import BadNetwork

if TYPE_CHECKING:  # the adapter's hook, which this module's calls_between_sites gives
    from ..oidc.relying_party import Network

HTTP_KINDS = ("latency", "status", "timeout")
# The network failing under a call: the mock's own HTTP client meets them on its
# calls between servers (simulation/network.py), a browser through the harness's routing.
NETWORK_KINDS = ("connection_reset", "connection_refused", "connection_timed_out", "offline")
# An answer of the wrong shape (WireMock's faults): a site writes the last two itself;
# no WSGI application can send an empty reply, so that one is the network's too.
SHAPE_KINDS = ("empty_reply", "malformed_body", "truncated_body")
# What the site applies before (or after) its view, and what the mock's HTTP client applies.
SITE_KINDS = (*HTTP_KINDS, "malformed_body", "truncated_body")
CALL_KINDS = (*NETWORK_KINDS, "empty_reply")
# Message faults, by the channel they affect.
MESSAGE_KINDS = {"sms_down": "sms", "sms_delay": "sms", "mail_bounce": "mail"}
# FranceConnect's answers, wrong in one way each, for a client under test.
ANSWER_KINDS = tuple(BROKEN_ANSWERS)
KINDS = (*HTTP_KINDS, *NETWORK_KINDS, *SHAPE_KINDS, *MESSAGE_KINDS, *ANSWER_KINDS)

MAX_LATENCY_MS = 30_000
MAX_TIMEOUT_SECONDS = 60
DEFAULT_TIMEOUT_SECONDS = 30
MAX_DELAY_SECONDS = 86_400
MAX_TIMES = 1_000
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD")
MAX_CLIENT_ID_LENGTH = 200  # as a registration's

FIELDS = ("kind", "site", "route", "method", "persona", "client", "times", "ms", "status", "seconds")
# The fields that only HTTP faults (site, route, method) or some kinds take.
HTTP_FIELDS = ("site", "route", "method", "ms", "status")


class FaultError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class Fault:
    id: int
    kind: str
    site: str | None = None
    route: str | None = None  # a path, or a glob: "/api/v2/*"
    method: str | None = None
    persona: str | None = None  # a persona id
    client: str | None = None  # a FranceConnect client_id (broken answers)
    times: int | None = None  # matching requests, messages or answers left; None: until cleared
    ms: tuple[int, int] | None = None  # latency, fixed (a, a) or a range
    status: int | None = None
    seconds: float | None = None  # how long a timeout holds, or a message's delay (mock seconds)
    hits: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = {key: value for key, value in asdict(self).items() if value is not None}
        if self.ms is not None:
            data["ms"] = self.ms[0] if self.ms[0] == self.ms[1] else list(self.ms)
        return data

    def matches_request(self, site: str, method: str, path: str, persona: str | None,
                        kinds: tuple[str, ...] = SITE_KINDS) -> bool:
        return (
            self.kind in kinds
            and (self.site is None or self.site == site)
            and (self.method is None or self.method == method)
            and (self.route is None or path == self.route or fnmatch.fnmatchcase(path, self.route))
            and (self.persona is None or self.persona == persona)
        )

    def matches_message(self, channel: str, persona: str | None) -> bool:
        return MESSAGE_KINDS.get(self.kind) == channel and (self.persona is None or self.persona == persona)

    def matches_answer(self, answer: str, client_id: str, is_persona: Callable[[str], bool]) -> bool:
        record = BROKEN_ANSWERS.get(self.kind)
        return (
            record is not None
            and record.answer == answer
            and (self.client is None or self.client == client_id)
            and (self.persona is None or is_persona(self.persona))
        )


def _int(body: dict[str, Any], name: str, low: int, high: int) -> int:
    value = body[name]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise FaultError(name, f"{name} must be a whole number from {low} to {high}")
    return value


def parse_fault(body: Any) -> dict[str, Any]:
    """The fields of a fault from a JSON body, checked; FaultError names the bad field."""
    if not isinstance(body, dict):
        raise FaultError("body", "a fault is a JSON object")
    for name in body:
        if name not in FIELDS:
            raise FaultError(name, f"unknown field {name!r}; a fault has {', '.join(FIELDS)}")
    kind = body.get("kind")
    if kind not in KINDS:
        raise FaultError("kind", f"kind must be one of {', '.join(KINDS)}")
    fields: dict[str, Any] = {"kind": kind}
    if kind in MESSAGE_KINDS or kind in ANSWER_KINDS:
        what = "a message fault" if kind in MESSAGE_KINDS else "a broken answer of FranceConnect"
        for name in (*HTTP_FIELDS, *(("seconds",) if kind in ANSWER_KINDS else ())):
            if name in body:
                raise FaultError(name, f"{name} does not apply to {kind} ({what})")
    else:
        if body.get("site") is not None:
            if body["site"] not in SITES:
                raise FaultError("site", f"site must be one of {', '.join(SITES)}")
            fields["site"] = body["site"]
        if body.get("route") is not None:
            if not isinstance(body["route"], str) or not body["route"].startswith("/"):
                raise FaultError("route", "route must be a path starting with / (globs allowed: /api/v2/*)")
            fields["route"] = body["route"]
        if body.get("method") is not None:
            method = body["method"].upper() if isinstance(body["method"], str) else None
            if method not in METHODS:
                raise FaultError("method", f"method must be one of {', '.join(METHODS)}")
            fields["method"] = method
    if kind in CALL_KINDS and body.get("persona") is not None:
        raise FaultError("persona", f"persona does not apply to {kind}: the network does not know whose call it carries")
    if body.get("persona") is not None:
        if not isinstance(body["persona"], str) or not body["persona"]:
            raise FaultError("persona", "persona must be a persona id")
        fields["persona"] = body["persona"]
    if body.get("client") is not None:
        if kind not in ANSWER_KINDS:
            raise FaultError("client", f"client only applies to broken answers ({', '.join(ANSWER_KINDS)})")
        client = body["client"]
        if not isinstance(client, str) or not client.strip() or len(client) > MAX_CLIENT_ID_LENGTH:
            raise FaultError("client", f"client must be a FranceConnect client_id (at most {MAX_CLIENT_ID_LENGTH} characters)")
        fields["client"] = client
    if body.get("times") is not None:
        fields["times"] = _int(body, "times", 1, MAX_TIMES)
    elif kind in ANSWER_KINDS:
        fields["times"] = 1  # the next login only, unless told

    if kind == "latency":
        ms = body.get("ms")
        if isinstance(ms, list) and len(ms) == 2:
            low, high = (_int({"ms": value}, "ms", 0, MAX_LATENCY_MS) for value in ms)
            if low > high:
                raise FaultError("ms", "a latency range is [lowest, highest]")
            fields["ms"] = (low, high)
        elif "ms" in body and not isinstance(ms, list):
            value = _int(body, "ms", 0, MAX_LATENCY_MS)
            fields["ms"] = (value, value)
        else:
            raise FaultError("ms", f"latency needs ms: a number of milliseconds (up to {MAX_LATENCY_MS}) or [lowest, highest]")
    elif "ms" in body:
        raise FaultError("ms", f"ms only applies to latency, not to {kind}")
    if kind == "status":
        if "status" not in body:
            raise FaultError("status", "status needs an HTTP status from 400 to 599")
        fields["status"] = _int(body, "status", 400, 599)
    elif "status" in body:
        raise FaultError("status", f"status only applies to kind status, not to {kind}")
    if kind == "timeout":
        fields["seconds"] = _int(body, "seconds", 1, MAX_TIMEOUT_SECONDS) if "seconds" in body else DEFAULT_TIMEOUT_SECONDS
    elif kind == "sms_delay":
        if "seconds" not in body:
            raise FaultError("seconds", "sms_delay needs seconds: how much later (mock time) the SMS arrives")
        fields["seconds"] = _int(body, "seconds", 1, MAX_DELAY_SECONDS)
    elif "seconds" in body:
        hint = " (it lasts the caller's own timeout)" if kind == "connection_timed_out" else ""
        raise FaultError("seconds", f"seconds only applies to timeout and sms_delay, not to {kind}{hint}")
    return fields


class FaultBoard:
    """The active faults. The first one added wins when several match."""

    def __init__(self, clock: MockClock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        # The sockets calls meeting a network fault go to (opened on first use; kept across resets).
        self.network = BadNetwork()
        self.reset()

    def close(self) -> None:
        """Release the bad network's sockets and thread (the server stops)."""
        self.network.close()

    def reset(self) -> None:
        with self._lock:
            self._faults: list[Fault] = []
            self._next_id = 1
            # Issuers that rolled their signing keys (jwks_rotated): both sets published until cleared.
            self._rotated: set[str] = set()

    def add(self, body: Any) -> Fault:
        fields = parse_fault(body)
        with self._lock:
            fault = Fault(id=self._next_id, **fields)
            self._next_id += 1
            self._faults.append(fault)
            return fault

    def list(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def remove(self, fault_id: int) -> bool:
        with self._lock:
            before = len(self._faults)
            self._faults = [fault for fault in self._faults if fault.id != fault_id]
            return len(self._faults) < before

    def _take(self, matches) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if matches(fault):
                    fault.hits += 1
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times == 0:
                            self._faults.remove(fault)
                    return fault
            return None

    def take_request(self, site: str, method: str, path: str, persona: str | None) -> Fault | None:
        """The fault this request meets at the site (counted as one of its `times`), or None."""
        return self._take(lambda fault: fault.matches_request(site, method, path, persona))

    def take_call(self, site: str, method: str, path: str) -> Fault | None:
        """The network fault the mock's own call to a site meets (counted), or None."""
        return self._take(lambda fault: fault.matches_request(site, method, path, None, CALL_KINDS))

    def divert(self, site: str, method: str, path: str) -> tuple[str, int] | None:
        """Where the mock's own call to a site must go instead, when a network fault
        names it: a socket of the bad network (or an unreachable address); None: the site."""
        fault = self.take_call(site, method, path)
        return None if fault is None else self.network.address(fault.kind)

    def take_message(self, channel: str, persona: str | None) -> Fault | None:
        """The fault a message to this persona by this channel meets, or None."""
        return self._take(lambda fault: fault.matches_message(channel, persona))

    def take_answer(self, answer: str, client_id: str, is_persona: Callable[[str], bool]) -> Fault | None:
        """The broken-answer fault this id_token or userinfo answer meets, or None.
        `is_persona(persona_id)`: whether the login is that persona's (asked outside
        this board's lock: it reads the store, which has its own)."""
        named = {fault.persona for fault in self.list() if fault.persona is not None}
        logins = {persona_id for persona_id in named if is_persona(persona_id)}
        return self._take(lambda fault: fault.matches_answer(answer, client_id, logins.__contains__))

    def rotate_keys(self, issuer_id: str) -> None:
        with self._lock:
            self._rotated.add(issuer_id)

    def keys_rotated(self, issuer_id: str) -> bool:
        with self._lock:
            return issuer_id in self._rotated


def calls_between_sites(config: MockConfig, board: FaultBoard) -> Network:
    """For a site's HTTP client (LoopbackAdapter's `network`): given the host, method and
    path of a call to one of the mock's sites, the bad socket it must meet instead, if any."""

    def divert(hostname: str, method: str, path: str) -> tuple[str, int] | None:
        site = config.site_of_host(hostname)
        return board.divert(site, method, path) if site is not None else None

    return divert
