"""pytest plugin for the benchmarks: how long each test's whole run takes.

From the start of its setup to the end of its teardown, every plugin's hooks
included (what pytest's own durations leave out), in the process that ran it.
Written as JSON, one file per process, into the folder ``BENCH_TIMINGS`` names:
``{"<nodeid>": seconds, ...}``. Loaded with ``-p benchmarks.timing``.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

_started: dict[str, float] = {}
_durations: dict[str, float] = {}


def _runs_tests(config: pytest.Config) -> bool:
    """The xdist controller only relays its workers' reports."""
    return hasattr(config, "workerinput") or config.getoption("dist", default="no") == "no"


def pytest_runtest_logstart(nodeid: str, location: tuple) -> None:
    _started.setdefault(nodeid, time.perf_counter())


def pytest_runtest_logfinish(nodeid: str, location: tuple) -> None:
    if nodeid in _started:
        _durations[nodeid] = time.perf_counter() - _started.pop(nodeid)


def pytest_sessionfinish(session: pytest.Session) -> None:
    folder = os.environ.get("BENCH_TIMINGS")
    if not folder or not _runs_tests(session.config):
        return
    worker = getattr(session.config, "workerinput", {}).get("workerid", "main")
    Path(folder, f"{worker}-{os.getpid()}.json").write_text(json.dumps(_durations), encoding="utf-8")
