"""Per-test time limits (pytest-timeout), on by default and generous: a hung test
stops, says which step it was in, and keeps its trace, instead of holding the run.

Without pytest-timeout's own --timeout (or PYTEST_TIMEOUT, or a `timeout` ini value),
a test that uses a browser gets --browser-test-timeout (60 s) and any other test
--fast-test-timeout (10 s); a test's own ``@pytest.mark.timeout(…)`` wins over both.
The limit is pytest-timeout's "signal" method: the test fails where it stood, its
fixtures are torn down (the browser context saves its trace) and the run goes on.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .. import report_words as words
from .keys import STEPS
from .retry import TRACEABLE_FIXTURES, attempt

# A test that drives a browser: it gets the browser's limit.
BROWSER_FIXTURES = TRACEABLE_FIXTURES | {"browser"}
_LIMIT = pytest.StashKey[tuple[float, str]]()  # (seconds, which option set them)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.pluginmanager.hasplugin("timeout"):
        return
    # What pytest-timeout itself reads: its run-wide setting (--timeout, PYTEST_TIMEOUT,
    # ini) and a test's own marker.
    from pytest_timeout import _get_item_settings, get_env_settings

    run_wide = get_env_settings(config).timeout
    for item in items:
        if item.get_closest_marker("timeout") is not None:
            item.stash[_LIMIT] = (_get_item_settings(item).timeout or 0.0, "@pytest.mark.timeout")
        elif run_wide is not None:
            item.stash[_LIMIT] = (run_wide, "--timeout")
        else:
            browser = bool(BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())))
            option = "--browser-test-timeout" if browser else "--fast-test-timeout"
            seconds = config.getoption(option)
            item.stash[_LIMIT] = (seconds, option)
            item.add_marker(pytest.mark.timeout(seconds))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Each retry gets the whole limit again: pytest-timeout arms one timer for all the
    attempts pytest-rerunfailures makes, which a first attempt that hung has spent."""
    if attempt(item) == 1 or not item.config.pluginmanager.hasplugin("timeout"):
        return
    from pytest_timeout import _get_item_settings  # what pytest-timeout itself reads

    settings = _get_item_settings(item)
    if settings.timeout and settings.timeout > 0:
        item.ihook.pytest_timeout_cancel_timer(item=item)
        item.ihook.pytest_timeout_set_timer(item=item, settings=settings)


def is_timeout(error: BaseException) -> bool:
    """pytest-timeout's failure ("Timeout (>60.0s) from pytest-timeout.")."""
    return isinstance(error, pytest.fail.Exception) and str(error).startswith("Timeout")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if call.excinfo is None or not is_timeout(call.excinfo.value):
        return
    seconds, option = item.stash.get(_LIMIT, (0.0, "--timeout"))
    recorder = item.stash.get(STEPS, None)
    path = recorder.failed_path() if recorder is not None else []
    where = " › ".join(step.label for step in path).rstrip(".")
    phase = {"setup": "while setting the test up", "teardown": "while tearing the test down"}.get(call.when, "")
    said = f"in the step: {where}" if where else (phase or "outside any step")
    report.sections.append(("timeout", f"Stopped after {seconds:g} s ({option}) {said}. "
                            f"Raise the limit with {option} SECONDS, or 0 for none."))
    report.mc_failure_note = words.TIMEOUT.format(seconds=f"{seconds:g}", option=option)
