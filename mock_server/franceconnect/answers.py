"""FranceConnect's answers to "J'accède à mon service", kept a short while.

A double click (or a reload of the POST) sends the form twice, and the browser
shows the answer to the second one. The first answer sent the person back to the
service with a code and forgot the authorization request, so the second would be
an error page: instead it gets the same redirect, the same code. One lock
serialises the answers, so two POSTs at once still give one code.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..bounded import BoundedMap
from ..clock import MockClock

# Longer than a code lives (30 s): past that, the code it repeats is no use anyway.
KEPT_FOR = timedelta(minutes=1)
MAX_ANSWERS = 10_000


@dataclass(frozen=True)
class Answer:
    location: str  # the client's redirect_uri with the code and state
    subject: str  # who signed in: only this person's browser gets the answer again
    expires_at: datetime


class Answers:
    def __init__(self, clock: MockClock) -> None:
        self.clock = clock
        # Held while an answer is made, so a second POST waits for the first one's answer.
        self.lock = threading.RLock()
        self._answers: BoundedMap[str, Answer] = BoundedMap(clock, MAX_ANSWERS, lambda answer: answer.expires_at)

    def remember(self, request_id: str, location: str, subject: str) -> None:
        with self.lock:
            self._answers.put(request_id, Answer(location, subject, self.clock.now() + KEPT_FOR))

    def earlier(self, request_id: str, subject: str | None) -> str | None:
        """Where the first answer to this request sent this same person, if it is recent."""
        with self.lock:
            answer = self._answers.get(request_id)
        if answer is None or subject is None or answer.subject != subject or answer.expires_at <= self.clock.now():
            return None
        return answer.location
