"""Every request the mock's sites receive, as tests and people read it afterwards."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from ..clock import MockClock

# The newest requests kept; older ones are dropped (the journal is for a test or a session).
CAPACITY = 10_000
# What a page loads besides itself: each site's static files and its icon.
STATIC_PREFIX = "/static/"
ICON_PATH = "/favicon.ico"


def is_static(path: str) -> bool:
    return path.startswith(STATIC_PREFIX) or path == ICON_PATH


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    site: str
    method: str
    path: str
    status: int
    duration_ms: float
    persona: str | None
    # The persona's display name when the request was answered: still there once it is deleted.
    persona_name: str | None
    fault: int | None  # id of the fault the request met

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["at"] = self.at.isoformat()
        return data


class Journal:
    def __init__(self, clock: MockClock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._entries: deque[Entry] = deque(maxlen=CAPACITY)
            self._next_id = 1

    def record(self, **fields: Any) -> Entry:
        with self._lock:
            entry = Entry(id=self._next_id, at=self.clock.now(), **fields)
            self._next_id += 1
            self._entries.append(entry)
            return entry

    def entries(self, *, site: str | None = None, path: str | None = None, method: str | None = None,
                status: int | None = None, persona: str | None = None, since: datetime | None = None,
                after: int | None = None, limit: int | None = None, static: bool = True) -> list[Entry]:
        """Requests, oldest first, filtered; `limit` keeps the newest ones (of those
        left); `static=False` leaves out static files and icons."""
        with self._lock:
            found = [
                entry for entry in self._entries
                if (site is None or entry.site == site)
                and (path is None or entry.path == path)
                and (method is None or entry.method == method)
                and (status is None or entry.status == status)
                and (persona is None or entry.persona == persona)
                and (since is None or entry.at >= since)
                and (after is None or entry.id > after)
                and (static or not is_static(entry.path))
            ]
        return found[-limit:] if limit else found
