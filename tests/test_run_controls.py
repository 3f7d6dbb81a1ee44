"""How a run is controlled from the command line and the Makefile: shards, the seed,
--last-failed, flaky verdicts, time limits and pass rates. Small suites of their own
run in a pytest subprocess, without a browser."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from e2e.plugin.pass_rates import repeated_test

ROOT = Path(__file__).resolve().parents[1]

SUITE = '''
import os, time
from pathlib import Path

def test_passes():
    assert True

def test_fails_once():
    marker = Path(os.environ["FLAKY_MARKER"])
    if not marker.exists():
        marker.touch()
        assert False, "only the first attempt fails"

def test_always_fails():
    assert False, "every attempt fails"
'''

HANGS = '''
import time
from fixtures import guide

def test_hangs_in_a_step(step):
    with step.action("J'attends une réponse qui ne vient pas"):
        time.sleep(300)
'''


def pytest_run(folder: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """pytest in `folder` with the harness's plugin, as the project's own runs load it."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "FLAKY_MARKER": str(folder / "flaky-marker")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "e2e.plugin", "-p", "no:randomly", "-p", "no:schemathesis",
         "-p", "no:locust", "-p", "no:hypothesispytest", "-p", "no:faker", "--rootdir", str(folder), *options],
        cwd=folder, env=environment, capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    (tmp_path / "test_suite.py").write_text(SUITE, encoding="utf-8")
    return tmp_path


# A pytest run in a subprocess: more than a fast test's 10 s on a loaded machine.
@pytest.mark.timeout(60)
def test_reruns_give_a_flaky_verdict_counted_apart_in_the_terminal_junit_and_report(suite: Path) -> None:
    run = pytest_run(suite, "--reruns", "1", "--junitxml", "junit.xml", "--html", "report.html", "--alluredir", "allure")
    assert run.returncode == 1, run.stdout  # test_always_fails is still a failure
    summary = run.stdout.strip().splitlines()[-1]
    assert "1 failed" in summary and "1 passed" in summary and "1 flaky" in summary and "2 rerun" in summary
    assert "FLAKY test_suite.py::test_fails_once - failed 1 time(s), then passed at attempt 2" in run.stdout
    cases = list(ET.parse(suite / "junit.xml").iter("testcase"))
    assert sorted(case.get("name") for case in cases) == ["test_always_fails", "test_fails_once", "test_passes"]
    flaky = {case.get("name"): {p.get("name") for p in case.iter("property")} for case in cases}
    assert "flaky" in flaky["test_fails_once"] and "flaky" not in flaky["test_always_fails"]
    report = (suite / "report.html").read_text(encoding="utf-8")
    assert report.count("mc-flaky-only") == 1 and "N&#39;afficher que les 1 scénarios instables" in report
    # Allure: both attempts (its retries, one history id), the last marked flaky.
    attempts = [json.loads(path.read_text(encoding="utf-8")) for path in (suite / "allure").glob("*-result.json")]
    fails_once = [result for result in attempts if result["name"] == "test_fails_once"]
    assert sorted(result["status"] for result in fails_once) == ["failed", "passed"]
    assert len({result["historyId"] for result in fails_once}) == 1
    assert [result["statusDetails"].get("flaky") for result in fails_once if result["status"] == "passed"] == [True]


@pytest.mark.timeout(60)
def test_without_reruns_nothing_is_flaky_and_last_failed_reruns_only_what_failed(suite: Path) -> None:
    run = pytest_run(suite)
    summary = run.stdout.strip().splitlines()[-1]
    assert "2 failed, 1 passed" in summary and "flaky" not in summary and "rerun" not in summary
    # pytest's cache is on: --lf runs the two failures again, and only them.
    assert (suite / ".pytest_cache" / "v" / "cache" / "lastfailed").is_file()
    again = pytest_run(suite, "--lf")
    assert "2 deselected" not in again.stdout  # pytest says "run-last-failure: rerun previous 2 failures"
    assert "rerun previous 2 failures" in again.stdout
    assert again.stdout.strip().splitlines()[-1].startswith("=") and "1 passed" in again.stdout.splitlines()[-1]


@pytest.mark.timeout(60)
def test_a_hung_test_stops_at_its_limit_and_says_which_step_and_which_limit(tmp_path: Path) -> None:
    """pytest-timeout's own --timeout wins over the harness's default limits, and the
    failure names the step the test was in and the option that set the limit."""
    (tmp_path / "test_hangs.py").write_text(HANGS, encoding="utf-8")
    run = pytest_run(tmp_path, "--timeout", "1", "--fast-test-timeout", "100")
    assert run.returncode == 1
    assert "Failed: Timeout (>1.0s) from pytest-timeout" in run.stdout
    assert ("Stopped after 1 s (--timeout) in the step: J'attends une réponse qui ne vient pas. "
            "Raise the limit with --timeout SECONDS, or 0 for none.") in run.stdout


def test_a_bad_time_limit_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    run = pytest_run(tmp_path, "--browser-test-timeout", "-3")
    assert run.returncode == 4 and "a time limit cannot be negative (0 means none)" in run.stderr


@pytest.mark.parametrize(("nodeid", "test"), [
    ("e2e/test_login.py::test_login_with_nir[chromium-3-20]", "e2e/test_login.py::test_login_with_nir[chromium]"),
    ("tests/test_x.py::test_y[3-20]", "tests/test_x.py::test_y"),
    ("tests/test_x.py::test_y[a-b-12-20]", "tests/test_x.py::test_y[a-b]"),
    ("tests/test_x.py::test_y", "tests/test_x.py::test_y"),
])
def test_repetitions_are_counted_under_the_test_they_repeat(nodeid: str, test: str) -> None:
    assert repeated_test(nodeid) == test


@pytest.mark.timeout(60)
def test_pass_rates_are_printed_per_test_over_its_repetitions(suite: Path) -> None:
    run = pytest_run(suite, "--count", "3", "--pass-rates", "-k", "fails_once or passes")
    lines = run.stdout.splitlines()
    start = next(index for index, line in enumerate(lines) if "pass rates" in line)
    rates = [line.split() for line in lines[start + 1:] if line[:1] == " " or line[:1].isdigit()][:3]
    rates = [row for row in rates if row[0] != "first"]
    assert [(row[0], row[2], row[3]) for row in rates] == [("66.7", "2/3", "test_suite.py::test_fails_once"),
                                                          ("100.0", "3/3", "test_suite.py::test_passes")]
    assert "first failure: AssertionError: only the first attempt fails" in run.stdout


def make_dry_run(*variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["make", "-n", "e2e", *variables], cwd=ROOT, capture_output=True, text=True, timeout=30)


def test_a_shard_runs_its_group_with_the_seed_and_writes_its_own_reports() -> None:
    run = make_dry_run("SHARD=2/3", "SEED=421337", "LF=1")
    command = next(line for line in run.stdout.splitlines() if "pytest e2e" in line)
    for part in ("--splits 3 --group 2", "--durations-path .test_durations", "--seed 421337", "--last-failed",
                 "--html=reports/shard-2-of-3/report.html", "--junitxml=reports/shard-2-of-3/junit.xml",
                 "--alluredir reports/shard-2-of-3/allure-results", "--output reports/shard-2-of-3/artifacts", "-n auto"):
        assert part in command


@pytest.mark.parametrize("shard", ["3/2", "0/2", "1", "a/b", "1/2/3"])
def test_a_shard_that_does_not_exist_is_refused_before_anything_runs(shard: str) -> None:
    run = make_dry_run(f"SHARD={shard}")
    assert run.returncode != 0
    assert f"SHARD={shard}: a shard is i/n with 1 <= i <= n, for example SHARD=1/3" in run.stderr


def test_the_recorded_durations_cover_every_suite() -> None:
    """The shards balance on .test_durations (make durations): every test module is in it."""
    durations = json.loads((ROOT / ".test_durations").read_text(encoding="utf-8"))
    assert all(isinstance(seconds, (int, float)) and seconds >= 0 for seconds in durations.values())
    recorded = {nodeid.split("::")[0] for nodeid in durations}
    modules = {path.relative_to(ROOT).as_posix() for folder in ("tests", "e2e") for path in (ROOT / folder).glob("test_*.py")}
    assert modules - recorded == set(), "run make durations and commit .test_durations"
