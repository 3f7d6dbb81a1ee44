"""The mock's journal in a failed test's report: every request that reached the mock
from the test's start (the mock's clock, site, method, path, status, persona, fault)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the mock's package is imported by the fixtures that start it
    from pytest_franceconnect_mock.control import ControlClient

from .fragments import render
from .keys import JOURNAL

JOURNAL_ROWS = 200  # a failed test's journal, newest kept


@pytest.fixture(autouse=True)
def journal_mark(request: pytest.FixtureRequest) -> None:
    """Where the mock's journal stands as a test that uses the mock starts (a browser
    scenario does, through base_url): a failure's report shows what came after."""
    if "fc_session_control" not in request.fixturenames:
        return
    control: ControlClient = request.getfixturevalue("fc_session_control")
    newest = control.journal(limit=1)
    request.node.stash[JOURNAL] = (control, newest[-1]["id"] if newest else 0)


def _time(entry: dict[str, Any]) -> str:
    """12:04:31.208 out of the journal's ISO timestamp (the mock's clock)."""
    at = str(entry.get("at", ""))
    return at[11:23] if len(at) >= 23 else at


def _status(entry: dict[str, Any]) -> int:
    status = entry.get("status")
    return status if isinstance(status, int) else 0


def _who(entry: dict[str, Any]) -> str:
    return entry.get("persona_name") or entry.get("persona") or ""


def render_journal(entries: list[dict[str, Any]], attempt: str = "") -> str:
    rows = [{"bad": _status(entry) >= 400, "cells": (
        _time(entry), entry.get("site", ""), entry.get("method", ""), entry.get("path", ""),
        entry.get("status", ""), f"{entry.get('duration_ms', '')}", _who(entry), entry.get("fault") or "",
    )} for entry in entries]
    return render("journal.html", rows=rows, attempt=attempt)


def journal_text(entries: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{_time(entry)}  {entry.get('site', ''):<15} {entry.get('method', ''):<6} "
        f"{entry.get('status', '')}  {entry.get('path', '')}"
        + (f"  persona={_who(entry)}" if _who(entry) else "")
        + (f"  fault={entry['fault']}" if entry.get("fault") else "")
        for entry in entries
    )


def journal_block(item: pytest.Item, report: pytest.TestReport, attempt: str) -> str:
    """The journal since the test started, as a table for report.html and as a text
    section for the terminal and junit.xml ("" if the test did not use the mock)."""
    mark = item.stash.get(JOURNAL, None)
    if mark is None:
        return ""
    control, after = mark
    try:
        entries = control.journal(after=after, limit=JOURNAL_ROWS, static=False)
    except Exception as error:  # the mock itself may be what failed
        report.sections.append(("mock journal", f"unavailable: {error}"))
        return ""
    report.sections.append(("mock journal", journal_text(entries) or "(no request reached the mock)"))
    return render_journal(entries, attempt)
