"""A map that forgets on its own: the state boards' way to stay small over a long run.

The mock may serve for hours (`make load`, a dashboard left open): whatever a
request adds (a session, a code, an authorization request) must go away by
itself. A `BoundedMap` keeps its entries oldest first. Each `put` moves its
entry to the end, then drops entries off the front while the front one has
expired (on the mock clock) or the map holds more than its cap. Every entry is
dropped at most once, so a put costs O(1) amortised and no sweep ever scans
the whole map.

The front is the oldest put, so it expires first when all entries live alike
(a session's idle time, a code's validity). An entry that expired behind a
live one stays until it reaches the front or the cap drops it: reading an
entry still checks its expiry, as every board already does.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from .clock import MockClock

K = TypeVar("K")
V = TypeVar("V")


class BoundedMap(OrderedDict[K, V]):
    """An OrderedDict whose `put` drops expired entries and keeps at most `cap`.

    `expires_at(value)` says when an entry may be forgotten (None: only the cap
    drops it); `on_drop(key, value)` lets the owner forget what it keeps beside.
    Plain item assignment bypasses both: use `put` to add or refresh.
    """

    def __init__(self, clock: MockClock, cap: int, expires_at: Callable[[V], datetime | None],
                 on_drop: Callable[[K, V], None] | None = None) -> None:
        super().__init__()
        if cap < 1:
            raise ValueError("cap must be 1 or more")
        self.clock = clock
        self.cap = cap
        self._expires_at = expires_at
        self._on_drop = on_drop

    def put(self, key: K, value: V) -> V:
        self[key] = value
        self.move_to_end(key)
        self._sweep()
        return value

    def refresh(self, key: K) -> None:
        """Mark an entry as the newest (a session seen again), without sweeping."""
        if key in self:
            self.move_to_end(key)

    def _sweep(self) -> None:
        now = None
        while self:
            key, value = next(iter(self.items()))
            if len(self) <= self.cap:
                now = now or self.clock.now()
                expiry = self._expires_at(value)
                if expiry is None or expiry > now:
                    return
            del self[key]
            if self._on_drop is not None:
                self._on_drop(key, value)
