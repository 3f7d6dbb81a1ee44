"""All mutable state of one mock instance, behind one small interface.

Each live server owns its own store, so parallel test workers share nothing.
Everything is in memory and guarded by one lock: the mock is a test double,
its state is small, and a reset must be instant.
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .clock import MockClock
from .personas import Persona


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
class StoredSession:
    data: dict[str, Any]
    last_seen: datetime


class MemoryStore:
    def __init__(self, clock: MockClock | None = None, *, session_idle: timedelta = timedelta(minutes=30)) -> None:
        self.clock = clock or MockClock()
        self.session_idle = session_idle
        self._lock = threading.RLock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._personas: dict[str, Persona] = {}
            self._by_identifier: dict[str, str] = {}
            self._sessions: dict[str, StoredSession] = {}
            self._failures: dict[str, FailedLogins] = {}
            self.clock.reset()

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

    def find_persona(self, identifier: str) -> Persona | None:
        with self._lock:
            persona_id = self._by_identifier.get(identifier)
            return self._personas.get(persona_id) if persona_id else None

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
            self._sessions[sid] = StoredSession(dict(data), self.clock.now())

    def delete_session(self, sid: str) -> None:
        with self._lock:
            self._sessions.pop(sid, None)

    # Failed logins and lockout, by identifier whether or not an account
    # exists, so a lockout never reveals which identifiers are registered.

    def locked_until(self, identifier: str) -> datetime | None:
        with self._lock:
            state = self._failures.get(identifier)
            if state and state.locked_until and state.locked_until > self.clock.now():
                return state.locked_until
            return None

    def record_failed_login(self, identifier: str, *, threshold: int, lock_for: timedelta) -> FailedLogins:
        with self._lock:
            state = self._failures.setdefault(identifier, FailedLogins())
            now = self.clock.now()
            if state.locked_until and state.locked_until <= now:
                # The previous lock has run out: counting starts again.
                state.count, state.locked_until = 0, None
            state.count += 1
            if state.count >= threshold:
                state.locked_until = now + lock_for
            return dataclasses.replace(state)

    def clear_failed_logins(self, identifier: str) -> None:
        with self._lock:
            self._failures.pop(identifier, None)
