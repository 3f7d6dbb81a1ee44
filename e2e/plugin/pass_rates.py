"""``--pass-rates`` (make flaky): each test run many times (pytest-repeat's ``--count``)
is one line of the terminal summary: how often it passed, and its first failure."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

import pytest

from .options import is_worker

# pytest-repeat's part of a test id: "[chromium-3-20]" or "[3-20]", the 3rd of 20 runs.
_REPEAT = re.compile(r"(?:-|\[)(\d+)-(\d+)\]$")


def repeated_test(nodeid: str) -> str:
    """The test a repetition belongs to: its id without pytest-repeat's part."""
    match = _REPEAT.search(nodeid)
    if match is None:
        return nodeid
    head = nodeid[:match.start()]
    return head + ("]" if match.group(0).startswith("-") else "")


class PassRates:
    def __init__(self) -> None:
        self.runs: dict[str, list[bool]] = defaultdict(list)
        self.first_failure: dict[str, str] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.outcome == "rerun":
            return
        test = repeated_test(report.nodeid)
        if report.when == "call" or (report.failed and report.when == "setup"):
            self.runs[test].append(report.passed)
            if report.failed and test not in self.first_failure:
                crash = getattr(report.longrepr, "reprcrash", None)
                message = str(crash.message if crash is not None else report.longrepr).strip()
                self.first_failure[test] = message.splitlines()[0] if message else ""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.runs:
            return
        terminalreporter.write_sep("=", "pass rates")
        for test, runs in sorted(self.runs.items(), key=lambda pair: (sum(pair[1]) / len(pair[1]), pair[0])):
            passed = sum(runs)
            rate = 100 * passed / len(runs)
            line = f"{rate:5.1f} %  {passed:>3}/{len(runs):<3} {test}"
            failure = self.first_failure.get(test)
            terminalreporter.write_line(line + (f"\n          first failure: {failure}" if failure else ""),
                                        green=passed == len(runs), red=passed < len(runs))


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("--pass-rates") and not is_worker(config):
        config.pluginmanager.register(PassRates(), "moncompte-pass-rates")
