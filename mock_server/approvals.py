"""France Identité's pending approvals: the login waits until the person
approves (or refuses) it in the app on their phone.

The phone is simulated by the control API (/__mock__/franceidentite); the
waiting page long-polls the board. Each approval shows a 6-digit pairing code
and lasts 5 minutes on the mock clock.
"""

from __future__ import annotations

import dataclasses
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from .bounded import BoundedMap
from .clock import MockClock

APPROVAL_LIFETIME = timedelta(minutes=5)
CODE_DIGITS = 6
# An approval is only reached through its authorization request, which lives 10
# minutes (ProviderSpec.request_lifetime) and began before it: 10 minutes after its
# creation nobody can see it any more, answered or not, and it is forgotten. An
# abandoned login leaves one. Each waits for a person at a phone: past a thousand at
# once, the oldest goes (its page then shows a new code).
KEPT_FOR = timedelta(minutes=10)
MAX_APPROVALS = 1_000

PENDING, APPROVED, REFUSED, EXPIRED = "pending", "approved", "refused", "expired"


@dataclass
class Approval:
    request_id: str  # the authorization request waiting for it
    code: str
    created_at: datetime
    expires_at: datetime
    status: str = PENDING
    persona_id: str | None = None

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "created_at": self.created_at.isoformat(), "expires_at": self.expires_at.isoformat()}


class ApprovalProblem(Exception):
    """Why an approval or refusal cannot be recorded: (status, field, message)."""

    def __init__(self, status: int, field: str, message: str) -> None:
        super().__init__(message)
        self.status, self.field, self.message = status, field, message


class ApprovalBoard:
    def __init__(self, clock: MockClock, lifetime: timedelta = APPROVAL_LIFETIME) -> None:
        self.clock = clock
        self.lifetime = lifetime
        self._lock = threading.Lock()
        # Wakes the waiting pages' long polls when an approval is answered.
        self._answered = threading.Condition(self._lock)
        self._by_request: BoundedMap[str, Approval] = BoundedMap(
            clock, MAX_APPROVALS, lambda approval: approval.created_at + KEPT_FOR)

    def reset(self) -> None:
        with self._lock:
            self._by_request.clear()
            self._answered.notify_all()

    # Inside the lock -----------------------------------------------------

    def _status(self, approval: Approval) -> str:
        if approval.status == PENDING and approval.expires_at <= self.clock.now():
            return EXPIRED
        return approval.status

    def _new_code(self) -> str:
        taken = {approval.code for approval in self._by_request.values()}
        while True:
            code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
            if code not in taken:
                return code

    def _live_pending(self) -> list[Approval]:
        return sorted((approval for approval in self._by_request.values() if self._status(approval) == PENDING),
                      key=lambda approval: approval.created_at)

    # The waiting page ----------------------------------------------------

    def open(self, request_id: str) -> Approval:
        """The approval this request waits for: the pending one, else a new one (new code)."""
        with self._lock:
            approval = self._by_request.get(request_id)
            if approval is None or self._status(approval) == EXPIRED:
                now = self.clock.now()
                approval = Approval(request_id, self._new_code(), now, now + self.lifetime)
                self._by_request.put(request_id, approval)
            return dataclasses.replace(approval, status=self._status(approval))

    def get(self, request_id: str) -> Approval | None:
        with self._lock:
            approval = self._by_request.get(request_id)
            return dataclasses.replace(approval, status=self._status(approval)) if approval else None

    def wait(self, request_id: str, timeout: float) -> Approval | None:
        """The approval once it is no longer pending, or as it is after `timeout` seconds."""
        with self._lock:
            def answered() -> bool:
                approval = self._by_request.get(request_id)
                return approval is None or self._status(approval) != PENDING

            if timeout > 0:
                self._answered.wait_for(answered, timeout=timeout)
            approval = self._by_request.get(request_id)
            return dataclasses.replace(approval, status=self._status(approval)) if approval else None

    def close(self, request_id: str) -> None:
        """Forget the approval of a request that is over (completed, denied, cancelled)."""
        with self._lock:
            self._by_request.pop(request_id, None)
            self._answered.notify_all()

    # The phone (control API) -----------------------------------------------

    def pending(self) -> list[Approval]:
        with self._lock:
            return [dataclasses.replace(approval) for approval in self._live_pending()]

    def _find(self, code: str | None) -> Approval:
        if code is None:
            pending = self._live_pending()
            if not pending:
                raise ApprovalProblem(409, "code", "no login is waiting for approval")
            if len(pending) > 1:
                raise ApprovalProblem(409, "code", f"{len(pending)} logins are waiting: give the code of one of them")
            return pending[0]
        for approval in self._by_request.values():
            if approval.code == code:
                status = self._status(approval)
                if status == EXPIRED:
                    raise ApprovalProblem(409, "code", f"the login with code {code} has expired")
                if status != PENDING:
                    raise ApprovalProblem(409, "code", f"the login with code {code} was already {status}")
                return approval
        raise ApprovalProblem(404, "code", f"no login is waiting with code {code}")

    def approve(self, persona_id: str, code: str | None = None) -> Approval:
        with self._lock:
            approval = self._find(code)
            approval.status, approval.persona_id = APPROVED, persona_id
            self._answered.notify_all()
            return dataclasses.replace(approval)

    def refuse(self, code: str | None = None) -> Approval:
        with self._lock:
            approval = self._find(code)
            approval.status = REFUSED
            self._answered.notify_all()
            return dataclasses.replace(approval)
