"""A failed scenario runs once more with its trace and screenshot; a pass costs no trace.

Runs a small suite of its own in a pytest subprocess (pytester), in Chromium.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from e2e.steps import StepRecorder
from e2e.plugin.retry import FLAKY, FLAKY_PROPERTY
from fixtures import guide

pytest_plugins = ["pytester"]

# Each test runs a small browser suite in a pytest of its own: more than a fast test's 10 s.
pytestmark = pytest.mark.timeout(120)

SUITE = '''
import os
from pathlib import Path

def test_passes(page):
    page.set_content("<h1>ok</h1>")
    assert page.inner_text("h1") == "ok"

def test_fails(page):
    page.set_content("<h1>ok</h1>")
    assert page.inner_text("h1") == "not ok"

def test_fails_once(page):
    page.set_content("<h1>ok</h1>")
    marker = Path(os.environ["FLAKY_MARKER"])
    if not marker.exists():
        marker.touch()
        assert False, "only the first attempt fails"
'''

CONFTEST = '''
import pytest
from fixtures.chromium import find_chromium, launch_options

pytest_plugins = ["e2e.plugin.options", "e2e.plugin.retry"]

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    options = launch_options(find_chromium(browser_type_launch_args.get("headless", True)))
    return {**browser_type_launch_args, **options}
'''


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    pytester.makepyfile(test_suite=SUITE)
    pytester.makeconftest(CONFTEST)
    monkeypatch.setenv("FLAKY_MARKER", str(pytester.path / "flaky-marker"))
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[1]))
    return pytester


HANGS = """
from fixtures import guide

def test_hangs_in_a_step(page, step):
    page.set_content("<h1>ok</h1>")
    with step(guide.LOGIN_NIR):
        page.evaluate("new Promise(() => {})")  # a page that never answers
"""


@pytest.fixture
def run_suite(suite: pytest.Pytester, step: StepRecorder) -> Callable[..., pytest.RunResult]:
    """Run the small suite in its own pytest, as a step of the report."""

    def run_suite(*options: str) -> pytest.RunResult:
        with step.action(f"Je lance une suite d'essai de trois scénarios (réussi, en échec, instable) : "
                         f"pytest {' '.join(options)}"):
            return suite.runpytest_subprocess("-p", "no:cacheprovider", "--output", "out", *options)

    return run_suite


def artifacts(folder: Path) -> dict[str, list[str]]:
    """Artifact file names by test folder."""
    return {test.name: sorted(path.name for path in test.iterdir()) for test in folder.iterdir()} if folder.is_dir() else {}


@pytest.mark.title("Un scénario en échec est rejoué une fois avec sa trace et sa capture d'écran, et reste en échec")
def test_a_failure_is_retried_with_trace_and_screenshot_and_stays_failed(suite: pytest.Pytester, run_suite) -> None:
    result = run_suite()
    outcomes = result.parseoutcomes()
    assert (outcomes.get("passed"), outcomes.get("failed"), outcomes.get("rerun")) == (1, 2, 2)
    result.stdout.fnmatch_lines([f"*{FLAKY[:60]}*"])
    kept = artifacts(suite.path / "out")
    # Only the retries left anything: the passing test and every first attempt cost no trace.
    assert sorted(kept) == ["test-suite-py-test-fails-chromium-retry1", "test-suite-py-test-fails-once-chromium-retry1"]
    for files in kept.values():
        assert "trace.zip" in files and any(name.endswith(".png") for name in files)


@pytest.mark.title("Avec « --failure-trace off », chaque scénario n'est joué qu'une fois et ne laisse aucune trace")
def test_failure_trace_off_runs_each_scenario_once(suite: pytest.Pytester, run_suite) -> None:
    result = run_suite("--failure-trace", "off")
    result.assert_outcomes(passed=1, failed=2)
    assert artifacts(suite.path / "out") == {}


@pytest.mark.title("Avec le traçage demandé à pytest-playwright, le premier essai est tracé et aucun scénario n'est rejoué")
def test_tracing_asked_of_pytest_playwright_traces_the_first_attempt_and_needs_no_retry(suite: pytest.Pytester,
                                                                                         run_suite) -> None:
    result = run_suite("--tracing", "retain-on-failure")
    result.assert_outcomes(passed=1, failed=2)
    assert sorted(artifacts(suite.path / "out")) == ["test-suite-py-test-fails-chromium", "test-suite-py-test-fails-once-chromium"]


@pytest.mark.title("Avec « --reruns 1 », un scénario qui échoue puis réussit est instable : réussi, compté à part, "
                   "les traces de ses deux tentatives gardées")
def test_reruns_make_a_pass_after_a_failure_flaky_with_both_attempts_traces(suite: pytest.Pytester, run_suite) -> None:
    result = run_suite("--reruns", "1", "--junitxml", "junit.xml")
    assert result.ret == pytest.ExitCode.TESTS_FAILED  # test_fails failed twice: still a failure
    outcomes = result.parseoutcomes()
    assert (outcomes.get("passed"), outcomes.get("flaky"), outcomes.get("failed"), outcomes.get("rerun")) == (1, 1, 1, 2)
    result.stdout.fnmatch_lines(["*1 flaky test(s): failed, then passed when run again*",
                                 "FLAKY test_suite.py::test_fails_once[[]chromium[]] - failed 1 time(s), then passed at attempt 2"])
    kept = artifacts(suite.path / "out")
    # The failed first attempt's trace and screenshot, next to the passing retry's.
    assert "trace.zip" in kept["test-suite-py-test-fails-once-chromium"]
    assert "trace.zip" in kept["test-suite-py-test-fails-once-chromium-retry1"]
    assert "test-suite-py-test-passes-chromium" not in kept  # a pass at once keeps nothing
    cases = list(ET.parse(suite.path / "junit.xml").iter("testcase"))
    assert len(cases) == 3  # one per test, not one per attempt
    by_name = {case.get("name"): case for case in cases}
    properties = {prop.get("name"): prop.get("value") for prop in by_name["test_fails_once[chromium]"].iter("property")}
    assert properties[FLAKY_PROPERTY] == "failed 1 time(s), then passed at attempt 2"
    assert properties["attempt 1 playwright_trace"].endswith("test-suite-py-test-fails-once-chromium/trace.zip")
    assert properties["playwright_trace"].endswith("-retry1/trace.zip")
    assert FLAKY_PROPERTY not in {prop.get("name") for prop in by_name["test_passes[chromium]"].iter("property")}


@pytest.mark.title("Un scénario bloqué s'arrête à sa limite de temps, en nommant son étape, et garde sa trace")
def test_a_hung_scenario_stops_at_its_time_limit_naming_its_step_and_keeps_its_trace(suite: pytest.Pytester,
                                                                                      step: StepRecorder) -> None:
    suite.makepyfile(test_hangs=HANGS)
    with step.action("Je lance un scénario qui attend une page qui ne répond jamais, limité à 2 s"):
        result = suite.runpytest_subprocess("-p", "no:cacheprovider", "--output", "out", "-p", "e2e.plugin.steps",
                                            "-p", "e2e.plugin.timeouts", "--browser-test-timeout", "2", "test_hangs.py")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines([
        "*Failed: Timeout (>2.0s) from pytest-timeout*",
        f"Stopped after 2 s (--browser-test-timeout) in the step: {guide.LOGIN_NIR.label.rstrip('.')}. *",
    ])
    # The retry, traced, hung too, and was stopped in its turn: its trace is kept.
    assert "trace.zip" in artifacts(suite.path / "out")["test-hangs-py-test-hangs-in-a-step-chromium-retry1"]
