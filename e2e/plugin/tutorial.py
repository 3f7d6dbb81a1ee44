"""``--tutorial DIR``: the help-page steps of the tests marked ``tutorial`` are written to
DIR as they pass, and the illustrated guide DIR/index.html is built from them at the end
(e2e/tutorial.py builds it)."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fixtures import guide

from ..steps import GUIDE, StepRecorder
from ..tutorial import PARTS, build_tutorial, missing_sections, read_parts
from .environment import short_version
from .keys import FAILED, STEPS
from .options import is_worker

_TUTORIAL_LINES = pytest.StashKey[list[str]]()  # what the terminal summary says of the tutorial


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    tutorial = config.getoption("--tutorial")
    if tutorial and not is_worker(config):
        parts = Path(tutorial) / PARTS
        shutil.rmtree(parts, ignore_errors=True)
        parts.mkdir(parents=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    recorder = item.stash.get(STEPS, None)
    if report.when == "teardown" and recorder is not None and item.config.getoption("--tutorial"):
        marker = item.get_closest_marker("tutorial")
        if marker is not None:
            _write_part(item, marker, recorder, passed=not (report.failed or item.stash.get(FAILED, False)))


def _write_part(item: pytest.Item, marker: pytest.Mark, recorder: StepRecorder, *, passed: bool) -> None:
    section = marker.args[0] if marker.args else marker.kwargs.get("section")
    if section not in guide.BY_KEY:
        raise pytest.UsageError(f"{item.nodeid}: tutorial marker needs a section among {sorted(guide.BY_KEY)}")
    part = {
        "nodeid": item.nodeid,
        "section": section,
        "journey": recorder.journey,
        "position": item.session.items.index(item) if item in item.session.items else 0,
        "passed": passed,
        # The tutorial shows the help page's steps, not every click inside them.
        "steps": [{**step.to_dict(), "children": []} for step in recorder.all_steps() if step.kind == GUIDE],
    }
    parts = Path(item.config.getoption("--tutorial")) / PARTS
    parts.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid)[-150:]
    (parts / f"{name}.json").write_text(json.dumps(part), encoding="utf-8")


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Build the tutorial; a section left without its pictures fails the run."""
    config = session.config
    tutorial = config.getoption("--tutorial")
    if not tutorial or is_worker(config):
        return
    folder = Path(tutorial)
    sections = read_parts(folder)
    missing = missing_sections(sections)
    written = build_tutorial(folder, sections=sections, version=short_version(config.rootpath))
    config.stash[_TUTORIAL_LINES] = [f"Tutorial: {written.resolve()}"] + [
        f"Tutorial: section not illustrated: {title}" for title in missing]
    if missing and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    lines = config.stash.get(_TUTORIAL_LINES, [])
    if lines:
        terminalreporter.write_sep("-", lines[0])
    for line in lines[1:]:
        terminalreporter.write_line(line, red=True)
