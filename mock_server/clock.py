"""The mock's clock: real time plus an offset that the control API can move.

Every time-dependent rule reads it, so expiry is tested by moving the clock
instead of waiting.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone


class MockClock:
    def __init__(self) -> None:
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(timezone.utc) + self._offset

    @property
    def offset(self) -> timedelta:
        with self._lock:
            return self._offset

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta():
            raise ValueError("the mock clock only moves forward")
        with self._lock:
            # Refuse (OverflowError) an offset that real time plus it cannot express.
            datetime.now(timezone.utc) + self._offset + delta + timedelta(days=366)
            self._offset += delta
        return self.now()

    def reset(self) -> None:
        with self._lock:
            self._offset = timedelta()
