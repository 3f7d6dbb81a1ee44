"""All mutable state of one mock instance, behind one small interface.

Each live server owns its own store, so parallel test workers share nothing.
Everything is in memory and guarded by one lock: the mock is a test double,
its state is small (what traffic adds expires or is capped: see MAX_* below),
and a reset must be instant.
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
import time
import unicodedata
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .approvals import ApprovalBoard
from .bounded import BoundedMap
from .clock import MockClock
from .identity_providers import ProviderAvailability
from .oidc.state import OidcState
from .simulation.faults import FaultBoard
from .simulation.journal import Journal
from .personas import Persona
from .rules.nir import normalize_nir

# Bounds on what traffic adds to the store. The mock may serve for hours under load
# (`make load`, a dashboard left open), and each of these grows with every visitor:
# past its expiry (mock clock) or its cap, the oldest entry is forgotten (bounded.py).
#
# Sessions: every visitor of a form page gets one, for its CSRF token. They expire
# after `session_idle`; past the cap, the least recently seen goes first.
MAX_SESSIONS = 10_000
# Failed logins not (yet) locking: a count never expires (it only restarts when a
# lock runs out), and anyone can post made-up identifiers. So the counts are capped,
# the oldest failure dropped first whether or not the identifier has an account
# (dropping only unknown ones would tell the two apart).
MAX_FAILED_LOGINS = 10_000
# Locks in force are kept apart from the counts, so that failing with thousands of
# made-up identifiers cannot push a victim's lock out and buy more guesses. They
# expire with the lock; each takes `lockout_threshold` failures to make, so the cap
# is only reached by hundreds of thousands of requests.
MAX_LOCKS = 100_000
# One-time codes stay known a while after their 15 minutes, to tell a used or a
# replaced code from a wrong one; one forgotten since reads as expired.
MAX_CODES = 10_000
CODE_KEPT_AFTER_EXPIRY = timedelta(hours=1)
# When codes were asked, per identifier (account or not): the resend cooldown (60 s)
# reads the last one, the daily limit those of the last 24 hours.
MAX_CODE_REQUESTS = 10_000
CODE_REQUEST_KEPT_FOR = timedelta(hours=24)
# Messages have no expiry (a phone keeps its SMS); a test or a person reads the
# newest ones, and a mail with its HTML weighs a few kB: the newest 1,000 are kept.
MAX_OUTBOX_MESSAGES = 1_000


def _comparable_name(name: str) -> str:
    """'  Éléonore ' -> 'eleonore': what two spellings of one name have in common."""
    stripped = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def _credential_key(key: str, value: str) -> str:
    if key == "nir":
        return normalize_nir(value)
    if key in ("email", "identifier"):
        return value.strip().casefold()
    return value


class DuplicateIdentifier(Exception):
    """Another persona already holds this NIR or provisional identifier."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass
class FailedLogins:
    count: int = 0
    locked_until: datetime | None = None


@dataclass
class IssuedCode:
    """A one-time verification code sent to a persona."""

    id: int
    purpose: str  # "reset" or "signup"
    persona_id: str
    channel: str  # "sms" or "mail"
    code: str
    created_at: datetime
    expires_at: datetime
    attempts: int = 0
    # "active", then "used" (verified once), "voided" (a newer code was sent)
    # or "exhausted" (too many wrong entries).
    state: str = "active"


@dataclass(frozen=True)
class Message:
    """An SMS or a mail the CAF's gateways sent, as the recipient gets it."""

    id: int
    channel: str  # "sms" or "mail"
    to: str
    sent_at: datetime
    subject: str | None
    text: str
    html: str | None
    code: str | None
    purpose: str | None
    # When it reaches the phone or mailbox (mock clock): later than sent_at when
    # the SMS gateway is slow (fault "sms_delay"). None given: sent_at.
    delivered_at: datetime | None = None
    # The mailbox refused it (fault "mail_bounce"): listed, but the persona never gets it.
    bounced: bool = False

    def __post_init__(self) -> None:
        if self.delivered_at is None:
            object.__setattr__(self, "delivered_at", self.sent_at)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["sent_at"] = self.sent_at.isoformat()
        data["delivered_at"] = self.delivered_at.isoformat()
        return data


@dataclass
class StoredSession:
    data: dict[str, Any]
    last_seen: datetime


class MemoryStore:
    def __init__(self, clock: MockClock | None = None, *, session_idle: timedelta = timedelta(minutes=30)) -> None:
        self.clock = clock or MockClock()
        self.session_idle = session_idle
        self._lock = threading.RLock()
        # Wakes up readers waiting for the next message (long polling of the outbox).
        self._new_message = threading.Condition(self._lock)
        # Clients, codes and tokens of the OpenID Connect side (FranceConnect, identity providers).
        self.oidc = OidcState(self.clock)
        # Logins waiting for approval in the France Identité phone app.
        self.approvals = ApprovalBoard(self.clock)
        # Faults set on demand, and every request the sites received.
        self.faults = FaultBoard(self.clock)
        self.journal = Journal(self.clock)
        # FranceConnect's chooser: which identity providers are switched off or hidden now.
        self.fc_providers = ProviderAvailability()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._personas: dict[str, Persona] = {}
            self._by_identifier: dict[str, str] = {}
            self._sessions: BoundedMap[str, StoredSession] = BoundedMap(
                self.clock, MAX_SESSIONS, lambda stored: stored.last_seen + self.session_idle)
            self._failures: BoundedMap[str, FailedLogins] = BoundedMap(
                self.clock, MAX_FAILED_LOGINS, lambda state: None)
            self._locks: BoundedMap[str, datetime] = BoundedMap(self.clock, MAX_LOCKS, lambda until: until)
            self._codes: BoundedMap[int, IssuedCode] = BoundedMap(
                self.clock, MAX_CODES, lambda issued: issued.expires_at + CODE_KEPT_AFTER_EXPIRY)
            self._code_requests: BoundedMap[tuple[str, str], tuple[datetime, ...]] = BoundedMap(
                self.clock, MAX_CODE_REQUESTS, lambda asked: asked[-1] + CODE_REQUEST_KEPT_FOR)
            self._outbox: deque[Message] = deque()
            self._arrived: set[int] = set()  # delayed messages seen delivered
            self._next_id = 1
            self.clock.reset()
            self.oidc.reset()
            self.approvals.reset()
            self.faults.reset()
            self.fc_providers.reset()
            self.journal.reset()

    # Personas ------------------------------------------------------------

    def add_persona(self, persona: Persona) -> Persona:
        with self._lock:
            for field in ("nir", "provisional_id"):
                value = getattr(persona, field)
                if value and value in self._by_identifier:
                    raise DuplicateIdentifier(field)
            if persona.id in self._personas:
                raise DuplicateIdentifier("id")
            self._personas[persona.id] = persona
            self._by_identifier[persona.identifier] = persona.id
            return persona

    def get_persona(self, persona_id: str) -> Persona | None:
        with self._lock:
            return self._personas.get(persona_id)

    def identifier_taken(self, identifier: str) -> bool:
        with self._lock:
            return identifier in self._by_identifier

    def find_persona(self, identifier: str) -> Persona | None:
        """The CAF's record with this NIR or provisional identifier."""
        with self._lock:
            persona_id = self._by_identifier.get(identifier)
            persona = self._personas.get(persona_id) if persona_id else None
            return persona if persona is not None and persona.caf_record else None

    def find_by_credential(self, provider: str, key: str, value: str) -> Persona | None:
        """The persona who logs into this identity provider with this value of this field.

        NIRs are compared normalized, e-mails and identifiers case-insensitively,
        anything else (numéro fiscal, passwords) exactly.
        """
        wanted = _credential_key(key, value)
        with self._lock:
            for persona in self._personas.values():
                held = persona.credentials.get(provider, {}).get(key)
                if held is not None and _credential_key(key, held) == wanted:
                    return persona
            return None

    def find_by_identity(self, pivot: Mapping[str, str]) -> Persona | None:
        """The persona FranceConnect's identity pivot designates, or None.

        Names match ignoring case, accents and surrounding spaces; the given name
        also matches on the pivot's first given name alone. Birthdate and gender
        match exactly, and the birthplace too when both sides have one.
        """
        given_name = _comparable_name(pivot.get("given_name") or "")
        given_names = {given_name, *given_name.split()[:1]}
        family_name = _comparable_name(pivot.get("family_name") or "")
        birthplace = pivot.get("birthplace") or ""
        with self._lock:
            for persona in self._personas.values():
                if (
                    persona.caf_record
                    and _comparable_name(persona.given_name) in given_names
                    and _comparable_name(persona.family_name) == family_name
                    and persona.birthdate == pivot.get("birthdate")
                    and persona.gender == pivot.get("gender")
                    and not (birthplace and persona.birthplace and persona.birthplace != birthplace)
                ):
                    return persona
            return None

    def list_personas(self) -> list[Persona]:
        with self._lock:
            return list(self._personas.values())

    def update_persona(self, persona_id: str, **changes: Any) -> Persona:
        with self._lock:
            persona = dataclasses.replace(self._personas[persona_id], **changes)
            self._personas[persona_id] = persona
            return persona

    def delete_persona(self, persona_id: str) -> bool:
        with self._lock:
            persona = self._personas.pop(persona_id, None)
            if persona is None:
                return False
            self._by_identifier.pop(persona.identifier, None)
            self._failures.pop(persona.identifier, None)
            self._locks.pop(persona.identifier, None)
            return True

    # Sessions (server side: the cookie only carries an opaque id) ---------

    def new_session_id(self) -> str:
        return secrets.token_urlsafe(32)

    def load_session(self, sid: str) -> dict[str, Any] | None:
        with self._lock:
            stored = self._sessions.get(sid)
            if stored is None:
                return None
            if self.clock.now() - stored.last_seen > self.session_idle:
                del self._sessions[sid]
                return None
            return dict(stored.data)

    def save_session(self, sid: str, data: dict[str, Any]) -> None:
        with self._lock:
            self._sessions.put(sid, StoredSession(dict(data), self.clock.now()))

    def touch_session(self, sid: str) -> None:
        """Restart a session's idle timer, its data unchanged (nothing if it is gone)."""
        with self._lock:
            stored = self._sessions.get(sid)
            if stored is not None:
                stored.last_seen = self.clock.now()
                self._sessions.refresh(sid)

    def delete_session(self, sid: str) -> None:
        with self._lock:
            self._sessions.pop(sid, None)

    # Failed logins and lockout, by identifier whether or not an account
    # exists, so a lockout never reveals which identifiers are registered.

    def locked_until(self, identifier: str) -> datetime | None:
        with self._lock:
            until = self._locks.get(identifier)
            return until if until and until > self.clock.now() else None

    def record_failed_login(self, identifier: str, *, threshold: int, lock_for: timedelta) -> FailedLogins:
        with self._lock:
            now = self.clock.now()
            until = self._locks.get(identifier)
            if until and until > now:
                return FailedLogins(threshold, until)
            # No lock, or one that has run out: counting starts again after it.
            self._locks.pop(identifier, None)
            state = self._failures.pop(identifier, None) or FailedLogins()
            state.count += 1
            if state.count >= threshold:
                state.locked_until = now + lock_for
                self._locks.put(identifier, state.locked_until)
            else:
                self._failures.put(identifier, state)
            return dataclasses.replace(state)

    def clear_failed_logins(self, identifier: str) -> None:
        with self._lock:
            self._failures.pop(identifier, None)
            self._locks.pop(identifier, None)

    # One-time codes ------------------------------------------------------

    def _new_id(self) -> int:
        new_id, self._next_id = self._next_id, self._next_id + 1
        return new_id

    def issue_code(self, *, purpose: str, persona_id: str, channel: str, code: str, valid_for: timedelta) -> IssuedCode:
        """A new code for this persona and purpose; any earlier active one is voided."""
        with self._lock:
            for issued in self._codes.values():
                if issued.purpose == purpose and issued.persona_id == persona_id and issued.state == "active":
                    issued.state = "voided"
            now = self.clock.now()
            issued = IssuedCode(self._new_id(), purpose, persona_id, channel, code, now, now + valid_for)
            self._codes.put(issued.id, issued)
            return dataclasses.replace(issued)

    def record_code_request(self, purpose: str, identifier: str) -> None:
        """A code was asked for this identifier now (account or not): the resend cooldown
        reads the last request, the daily limit those of the last 24 hours."""
        with self._lock:
            now, key = self.clock.now(), (purpose, identifier)
            kept = tuple(at for at in self._code_requests.get(key, ()) if at > now - CODE_REQUEST_KEPT_FOR)
            self._code_requests.put(key, (*kept, now))

    def last_code_request(self, purpose: str, identifier: str) -> datetime | None:
        with self._lock:
            asked = self._code_requests.get((purpose, identifier))
            return asked[-1] if asked else None

    def code_requests_since(self, purpose: str, identifier: str, since: datetime) -> int:
        with self._lock:
            return sum(at > since for at in self._code_requests.get((purpose, identifier), ()))

    def get_code(self, code_id: int) -> IssuedCode | None:
        """The code with this id, or None: never issued, or forgotten long after it expired."""
        with self._lock:
            issued = self._codes.get(code_id)
            return dataclasses.replace(issued) if issued else None

    def update_code(self, code_id: int, **changes: Any) -> IssuedCode | None:
        """Change a code; None when it was forgotten meanwhile (MAX_CODES newer ones)."""
        with self._lock:
            issued = self._codes.get(code_id)
            if issued is None:
                return None
            for name, value in changes.items():
                setattr(issued, name, value)
            return dataclasses.replace(issued)

    def earlier_codes(self, *, purpose: str, persona_id: str) -> list[IssuedCode]:
        with self._lock:
            return [
                dataclasses.replace(issued)
                for issued in self._codes.values()
                if issued.purpose == purpose and issued.persona_id == persona_id
            ]

    # Outbox: every SMS and mail the gateways sent -------------------------
    #
    # A message shows once it is delivered (delivered_at <= the mock clock's now):
    # a delayed SMS stays out of sight until real time or a clock move reaches it.
    # Once seen delivered, it stays so, as on a phone, even when the clock is put
    # back on real time (as the test harness does after a test that moved it).

    # How often a reader waiting for a delayed message looks at the clock again:
    # the clock can be moved (or real time pass) without any new message.
    DELIVERY_POLL_SECONDS = 0.05

    def send(self, *, delay: timedelta | None = None, bounced: bool = False, **fields: Any) -> Message:
        """Store a message; with `delay`, it reaches the recipient that much later (mock time)."""
        with self._lock:
            now = self.clock.now()
            message = Message(id=self._new_id(), sent_at=now, delivered_at=now + delay if delay else now,
                              bounced=bounced, **fields)
            self._outbox.append(message)
            while len(self._outbox) > MAX_OUTBOX_MESSAGES:
                self._arrived.discard(self._outbox.popleft().id)
            self._new_message.notify_all()
            return message

    def outbox(self, *, to: str | None = None, channel: str | None = None,
               since: datetime | None = None, after: int | None = None,
               bounced: bool | None = None) -> list[Message]:
        """Delivered messages, newest (sent) first, filtered by recipient, channel,
        delivery time, id, or whether they bounced (None: both)."""
        with self._lock:
            now = self.clock.now()
            for message in self._outbox:
                if message.id not in self._arrived and message.delivered_at <= now:
                    self._arrived.add(message.id)
            return [
                message
                for message in reversed(self._outbox)
                if message.id in self._arrived
                and (to is None or message.to == to)
                and (channel is None or message.channel == channel)
                and (since is None or message.delivered_at >= since)
                and (after is None or message.id > after)
                and (bounced is None or message.bounced == bounced)
            ]

    def _on_the_way(self, *, to: str, after: int | None) -> bool:
        """Whether a message to `to` was sent but is not delivered yet."""
        return any(
            message.to == to and message.id not in self._arrived and not message.bounced
            and (after is None or message.id > after)
            for message in self._outbox
        )

    def wait_for_message(self, *, to: str, after: int | None, timeout: float) -> Message | None:
        """The newest message `to` received (newer than id `after`), waiting up to
        `timeout` seconds. A bounced mail is never received."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = self.outbox(to=to, after=after, bounced=False)
                left = deadline - time.monotonic()
                if found or left <= 0:
                    return found[0] if found else None
                # A new message wakes us up; a delayed one arrives when the clock
                # reaches it, which nothing announces: look again shortly.
                if self._on_the_way(to=to, after=after):
                    left = min(left, self.DELIVERY_POLL_SECONDS)
                self._new_message.wait(timeout=left)

    def clear_outbox(self) -> None:
        with self._lock:
            self._outbox.clear()
            self._arrived.clear()
