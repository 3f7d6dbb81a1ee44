"""Schemathesis hooks for `python -m benchmarks.fuzz_control_api` (loaded through
SCHEMATHESIS_HOOKS by the schemathesis process, not imported by the project).

- The dashboard's and the phone page's forms carry a CSRF token bound to a
  session cookie: a generated form gets the token of a dashboard loaded once, so
  the fuzzing reaches the form handling instead of stopping at 400 every time. A
  form generated without the field (negative data) keeps it missing.
- `GET /__mock__/outbox/latest?wait=N` waits up to N (10) seconds for a message
  that never comes: a valid wait is cut to a few milliseconds, so hundreds of
  examples take seconds, not an hour. Its bounds are still fuzzed.
"""

from __future__ import annotations

import functools
import os
import re

import requests
import schemathesis

BASE_URL_VARIABLE = "FUZZ_CONTROL_URL"
CSRF_FIELD = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
SESSION_COOKIE = "mock_control_session"
LATEST = "/__mock__/outbox/latest"
FUZZ_WAIT = "0.01"


@functools.cache
def dashboard_token() -> tuple[str, str] | None:
    """(CSRF token, session cookie) of the dashboard, or None if it has none."""
    page = requests.get(os.environ[BASE_URL_VARIABLE] + "/__mock__/", timeout=10)
    match = CSRF_FIELD.search(page.text)
    cookie = page.cookies.get(SESSION_COOKIE)
    return (match.group(1), cookie) if match and cookie else None


def _is_form(case) -> bool:
    return (case.media_type or "").startswith("application/x-www-form-urlencoded")


@schemathesis.hook
def before_call(context, case, kwargs) -> None:
    if _is_form(case) and isinstance(case.body, dict) and "csrf_token" in case.body:
        found = dashboard_token()
        if found:
            token, cookie = found
            case.body = {**case.body, "csrf_token": token}
            case.cookies = {**(case.cookies or {}), SESSION_COOKIE: cookie}
    if case.operation.path == LATEST and isinstance(case.query, dict) and "wait" in case.query:
        try:
            seconds = float(case.query["wait"])
        except (TypeError, ValueError):
            return
        if 0 < seconds <= 10:
            case.query = {**case.query, "wait": FUZZ_WAIT}
