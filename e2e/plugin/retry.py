"""What happens when a test fails: a traced retry, or reruns with a flaky verdict.

**By default: a traced retry, the verdict unchanged.** Recording Playwright's trace
costs every test about 40 % of its time, and a screenshot at the end another 10 to
15 %, whether the test fails or not. So, as Playwright Test does by default
(``trace: 'on-first-retry'``), the first attempt records neither; a browser scenario
that fails runs once more (pytest-rerunfailures) with pytest-playwright's
``--tracing on`` and ``--screenshot on``, and the report links that attempt's trace
and screenshot. The verdict stays the first attempt's: a scenario that fails, then
passes when run again, is reported failed, never passed. Our own CI runs this way:
a flake is a bug to fix, not to hide.

**With ``--reruns N``: flaky tests.** Asked for explicitly, as Playwright Test's
``retries``: any test that fails runs up to N more times, and one that fails then
passes is **flaky**: passed, and counted apart in the terminal ("1 flaky"), in
junit.xml (a ``flaky`` property on its test case), in report.html (a filter of its
own) and in the Allure report (its retries, marked flaky). Every attempt is traced:
the first keeps its trace and screenshot if it fails (``retain-on-failure``), the
retries keep theirs whatever happens, so a failed attempt's are kept next to the
passing one's.

``--failure-trace off`` turns the traced retry off. Asking pytest-playwright for
``--tracing on`` or ``retain-on-failure`` traces every first attempt, as it
documents, and then no retry is needed.
"""

from __future__ import annotations

from typing import Any

import pytest

# A scenario whose context pytest-playwright makes (and so can trace).
TRACEABLE_FIXTURES = frozenset({"page", "context", "new_context"})
# What a retry asks of pytest-playwright.
RETRY_OPTIONS = {"tracing": "on", "screenshot": "on"}
# What the first attempt asks of it when reruns may follow (--reruns N).
FIRST_OF_RERUNS = {"tracing": "retain-on-failure", "screenshot": "only-on-failure"}
FLAKY_PROPERTY = "flaky"  # the junit.xml property of a flaky test case

_FIRST_ATTEMPT = pytest.StashKey[dict[str, Any]]()  # what the first attempt asks of pytest-playwright
_RERUNS = pytest.StashKey[bool]()  # --reruns N was asked: a pass after a failure is flaky

FLAKY = (
    "Failed at its first attempt, then passed when run again with tracing: a flaky scenario. "
    "The first attempt's error is in the rerun above; the trace shows the passing attempt."
)


def reruns_asked(config: pytest.Config) -> bool:
    """--reruns N (or a `reruns` ini value) with N > 0, and pytest-rerunfailures there to do it."""
    if not config.pluginmanager.hasplugin("rerunfailures"):
        return False
    from pytest_rerunfailures import _get_global_reruns  # what pytest-rerunfailures itself reads

    return (_get_global_reruns(config) or 0) > 0


def _traced_retry(config: pytest.Config) -> bool:
    return (
        config.getoption("--failure-trace") == "retry"
        and config.getoption("--tracing", default="off") == "off"
        and config.pluginmanager.hasplugin("rerunfailures")
        and not config.getoption("usepdb", default=False)
    )


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if reruns_asked(config):
        config.stash[_RERUNS] = True
        if config.getoption("--tracing", default="off") == "off":
            config.stash[_FIRST_ATTEMPT] = dict(FIRST_OF_RERUNS)
    elif _traced_retry(config):
        config.stash[_FIRST_ATTEMPT] = {name: getattr(config.option, name) for name in RETRY_OPTIONS}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _FIRST_ATTEMPT not in config.stash or config.stash.get(_RERUNS, False):
        return  # with --reruns, pytest-rerunfailures reruns every failed test itself
    for item in items:
        if TRACEABLE_FIXTURES & set(getattr(item, "fixturenames", ())) and not may_retry(item):
            # pytest-rerunfailures' marker for "run again if it fails".
            item.add_marker(pytest.mark.flaky(reruns=1))


def attempt(item: pytest.Item) -> int:
    """Which run of the test this is: 1, then 2, 3… for its retries (pytest-rerunfailures' count)."""
    return getattr(item, "execution_count", 1)


def may_retry(item: pytest.Item) -> bool:
    """Whether a failure of this test is run again (a marker, or --reruns N)."""
    return item.get_closest_marker("flaky") is not None or item.config.stash.get(_RERUNS, False)


def is_flaky(report: pytest.TestReport) -> bool:
    """A test that failed, then passed when run again (with --reruns N)."""
    return bool(getattr(report, "mc_flaky", False))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """pytest-playwright reads its options as each test starts: the retry's are set
    here, and the run's own put back for the next test."""
    if attempt(item) > 1:
        _name_earlier_properties(item)
    first = item.config.stash.get(_FIRST_ATTEMPT, None)
    if first is None:
        return
    options = RETRY_OPTIONS if attempt(item) > 1 else first
    for name, value in options.items():
        setattr(item.config.option, name, value)


def _name_earlier_properties(item: pytest.Item) -> None:
    """junit.xml keeps one test case per test, the last attempt's: the properties an
    earlier attempt left (its steps; its trace and screenshot, which pytest-playwright
    gives its teardown report only) are kept under that attempt's name."""
    earlier = attempt(item) - 1
    teardown = getattr(item, "rep_teardown", None)  # the earlier attempt's (pytest-playwright keeps it)
    carried = [(name, value) for name, value in getattr(teardown, "user_properties", [])
               if name.startswith("playwright_")]
    item.user_properties[:] = [
        (name if name.startswith("attempt ") else f"attempt {earlier} {name}", value)
        for name, value in [*item.user_properties, *carried]
    ]


@pytest.hookimpl(hookwrapper=True, trylast=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if report.when != "call" or not report.passed or attempt(item) == 1:
        return
    if item.config.stash.get(_RERUNS, False):
        report.mc_flaky = True
        said = f"failed {attempt(item) - 1} time(s), then passed at attempt {attempt(item)}"
        # junit.xml reads a test case's properties from its teardown report, made after this.
        item.user_properties.append((FLAKY_PROPERTY, said))
        report.user_properties.append((FLAKY_PROPERTY, said))
    elif _FIRST_ATTEMPT in item.config.stash:
        report.outcome = "failed"
        report.longrepr = FLAKY


def pytest_report_teststatus(report: pytest.TestReport, config: pytest.Config) -> tuple[str, str, Any] | None:
    """A flaky test is counted apart: "3 passed, 1 flaky, 1 rerun"."""
    if report.when == "call" and is_flaky(report):
        return "flaky", "L", ("FLAKY", {"yellow": True})
    return None


def pytest_terminal_summary(terminalreporter: Any) -> None:
    flaky = terminalreporter.stats.get("flaky", [])
    if not flaky:
        return
    terminalreporter.write_sep("=", f"{len(flaky)} flaky test(s): failed, then passed when run again", yellow=True)
    for report in flaky:
        said = next((value for name, value in report.user_properties if name == FLAKY_PROPERTY), "")
        terminalreporter.write_line(f"FLAKY {report.nodeid} - {said}")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """One test case per test in junit.xml, the last attempt's (pytest's junit writer
    makes one per attempt): a merged or published report counts each test once."""
    from _pytest.junitxml import xml_key

    xml = session.config.stash.get(xml_key, None)
    if xml is None:
        return
    # A finished reporter keeps its XML only: the test case is told by its names there.
    cases = [(reporter.to_xml().get("classname"), reporter.to_xml().get("name"))
             for reporter in xml.node_reporters_ordered]
    last = {case: index for index, case in enumerate(cases)}
    xml.node_reporters_ordered[:] = [reporter for index, (reporter, case)
                                     in enumerate(zip(xml.node_reporters_ordered, cases)) if last[case] == index]
