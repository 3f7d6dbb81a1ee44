"""A failed browser scenario runs once more, traced.

Recording Playwright's trace costs every test about 40 % of its time, and a
screenshot at the end another 10 to 15 %, whether the test fails or not. So, as
Playwright Test does by default (``trace: 'on-first-retry'``), the first attempt
records neither; a scenario that fails runs once more (pytest-rerunfailures)
with pytest-playwright's ``--tracing on`` and ``--screenshot on``, and the
report links that attempt's trace and screenshot.

The verdict stays the first attempt's: a scenario that fails, then passes when
run again, is reported failed ("flaky"), never passed.

``--failure-trace off`` runs every scenario once, without retry. Asking
pytest-playwright for ``--tracing on`` or ``retain-on-failure`` traces every
first attempt, as it documents, and then no retry is needed.
"""

from __future__ import annotations

from typing import Any

import pytest

# A scenario whose context pytest-playwright makes (and so can trace).
TRACEABLE_FIXTURES = frozenset({"page", "context", "new_context"})
# What the traced attempt asks of pytest-playwright.
RETRY_OPTIONS = {"tracing": "on", "screenshot": "on"}

_FIRST_ATTEMPT = pytest.StashKey[dict[str, Any]]()  # the run's own tracing and screenshot options

FLAKY = (
    "Failed at its first attempt, then passed when run again with tracing: a flaky scenario. "
    "The first attempt's error is in the rerun above; the trace shows the passing attempt."
)


def _enabled(config: pytest.Config) -> bool:
    return (
        config.getoption("--failure-trace") == "retry"
        and config.getoption("--tracing", default="off") == "off"
        and config.pluginmanager.hasplugin("rerunfailures")
        and not config.getoption("usepdb", default=False)
    )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if _enabled(config):
        config.stash[_FIRST_ATTEMPT] = {name: getattr(config.option, name) for name in RETRY_OPTIONS}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _FIRST_ATTEMPT not in config.stash:
        return
    for item in items:
        if TRACEABLE_FIXTURES & set(getattr(item, "fixturenames", ())) and not may_retry(item):
            # pytest-rerunfailures' marker for "run again if it fails".
            item.add_marker(pytest.mark.flaky(reruns=1))


def attempt(item: pytest.Item) -> int:
    """Which run of the test this is: 1, or 2 for its traced retry (pytest-rerunfailures' count)."""
    return getattr(item, "execution_count", 1)


def may_retry(item: pytest.Item) -> bool:
    """Whether a failure of this test is run again (the marker set at collection)."""
    return item.get_closest_marker("flaky") is not None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """pytest-playwright reads its options as each test starts: the retry's are set
    here, and the run's own put back for the next test."""
    first = item.config.stash.get(_FIRST_ATTEMPT, None)
    if first is None:
        return
    options = RETRY_OPTIONS if attempt(item) > 1 else first
    for name, value in options.items():
        setattr(item.config.option, name, value)


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if report.when == "call" and report.passed and attempt(item) > 1 and _FIRST_ATTEMPT in item.config.stash:
        report.outcome = "failed"
        report.longrepr = FLAKY
