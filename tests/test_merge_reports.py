"""e2e.merge_reports: two real shards' reports (pytest-html, JUnit XML, Allure results,
written by a tiny suite run once per module in two pytest processes side by side)
merged into one."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from e2e import merge_reports, scenarios

HELP, LOGIN, LOGOUT = scenarios.ORDER[0], scenarios.ORDER[1], scenarios.ORDER[4]
TRACE = "artifacts/gw0/test-a-py-test-login-fails-retry1/trace.zip"
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC"

# What the harness adds to pytest-html's rows, in small: the section column
# (e2e/reporting.py's col-group cell, the story in a span), and a failure's trace,
# linked from the shard's report as pytest-playwright and the harness link it.
CONFTEST = f'''
import html
from pathlib import Path

import pytest
from pytest_html import extras

GROUPS = {{"help": {HELP!r}, "login": {LOGIN!r}, "logout": {LOGOUT!r}}}


def pytest_html_results_table_header(cells):
    cells.insert(1, '<th class="sortable" data-column-type="group">Section</th>')


RETRYING = set()  # as e2e/reporting.py: pytest-html would draw a retried test's first attempt twice


def pytest_runtest_logreport(report):
    if report.outcome == "rerun":
        RETRYING.add(report.nodeid)
    elif report.when == "setup":
        RETRYING.discard(report.nodeid)


def pytest_html_results_table_row(report, cells):
    if report.nodeid in RETRYING:
        cells.clear()
        return
    group = next((title for word, title in GROUPS.items() if f"test_{{word}}" in report.nodeid), "")
    cells.insert(1, f'<td class="col-group">{{html.escape(group)}}<span class="mc-story">story</span></td>')


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        trace = Path(item.config.option.htmlpath).parent / {TRACE!r}
        trace.parent.mkdir(parents=True, exist_ok=True)
        trace.write_bytes(b"PK")
        report.extras = [
            extras.url({TRACE!r}, name="Trace"),
            extras.html('<p class="mc-trace">Trace: <a href="{TRACE}">{TRACE}</a> '
                        '<a href="https://trace.playwright.dev">viewer</a></p>'),
            extras.png({PNG!r}, name="Screenshot"),  # embedded: a data URI
        ]
'''

SHARD_1 = '''
import pytest

def test_help_page():
    pass

@pytest.mark.flaky(reruns=1)
def test_login_fails():
    assert 1 == 2
'''

SHARD_2 = '''
import pytest

def test_login_ok():
    pass

def test_logout_ok():
    pass

def test_logout_skipped():
    pytest.skip("not today")
'''

NODE = {name: f"test_{'a' if name in ('test_help_page', 'test_login_fails') else 'b'}.py::{name}"
        for name in ("test_help_page", "test_login_fails", "test_login_ok", "test_logout_ok", "test_logout_skipped")}


def _run_shard(suite: Path, index: int, machine: str, base_url: str) -> subprocess.Popen[bytes]:
    out = f"reports/shard-{index}-of-2"
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", f"test_{'ab'[index - 1]}.py", "-q", "-p", "no:cacheprovider",
         # Only the plugins the reports need (importing every installed one takes seconds).
         "-p", "pytest_metadata.plugin", "-p", "pytest_html.plugin", "-p", "allure_pytest.plugin",
         "-p", "pytest_rerunfailures",
         f"--html={out}/report.html", "--self-contained-html", f"--junitxml={out}/junit.xml",
         f"--alluredir={out}/allure-results",
         "--metadata", "Run seed", "421337 (replay: --seed 421337)", "--metadata", "Shard", f"{index}/2",
         "--metadata", "Machine", machine, "--metadata", "Base URL", base_url],
        cwd=suite, env={**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.fixture(scope="module")
def built_shards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """reports/shard-1-of-2 and shard-2-of-2 of a tiny suite, made once for the module."""
    suite = tmp_path_factory.mktemp("suite")
    (suite / "pytest.ini").write_text("[pytest]\njunit_family = xunit1\n", encoding="utf-8")
    (suite / "conftest.py").write_text(CONFTEST, encoding="utf-8")
    (suite / "test_a.py").write_text(SHARD_1, encoding="utf-8")
    (suite / "test_b.py").write_text(SHARD_2, encoding="utf-8")
    runs = [_run_shard(suite, 1, "runner-a", "http://a:1"), _run_shard(suite, 2, "runner-b", "http://b:2")]
    for run, expected in zip(runs, (1, 0)):
        output = run.communicate(timeout=60)[0].decode()
        assert run.returncode == expected, output
    return suite / "reports"


@pytest.fixture
def reports(built_shards: Path, tmp_path: Path) -> Path:
    """A copy of the two shards' folders, for this test to merge (or spoil)."""
    folder = tmp_path / "reports"
    shutil.copytree(built_shards, folder)
    return folder


def merge(reports: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = merge_reports.main(["--reports", str(reports)])
    out, err = capsys.readouterr()
    return status, out, err


def report_data(page: str) -> dict[str, Any]:
    blob = re.search(r'<div id="data-container" data-jsonblob="([^"]*)"', page)
    assert blob, "no pytest-html data in the page"
    return json.loads(html.unescape(blob.group(1)))


def summary_counts(page: str) -> dict[str, tuple[int, bool]]:
    """result → (count, box disabled), as the page's summary shows them."""
    found = re.findall(r'<input ([^>]*)data-test-result="(\w+)"([^>]*)>\s*<span class="\2">(\d+) ', page)
    return {result: (int(count), "disabled" in before + after) for before, result, after, count in found}


def test_the_merged_report_has_each_test_once_failures_first_then_the_sections(reports, capsys) -> None:
    status, out, err = merge(reports, capsys)
    assert status == 0, err
    data = report_data((reports / "report.html").read_text(encoding="utf-8"))
    assert list(data["tests"]) == [NODE["test_login_fails"], NODE["test_help_page"], NODE["test_login_ok"],
                                   NODE["test_logout_ok"], NODE["test_logout_skipped"]]
    assert [row["result"] for row in data["tests"][NODE["test_login_fails"]]] == ["Rerun", "Failed"]
    first = report_data((reports / "shard-1-of-2" / "report.html").read_text(encoding="utf-8"))
    assert {key: data[key] for key in ("renderCollapsed", "initialSort", "title")} == \
        {key: first[key] for key in ("renderCollapsed", "initialSort", "title")}
    # What it printed: the shards, the counts, the failure, where the files are.
    assert "shard 1/2" in out and "shard 2/2" in out
    assert "5 tests, 1 failed" in out
    assert f"failed: {NODE['test_login_fails']} (shard 1/2, seed 421337)" in out
    assert f"Report: {(reports / 'report.html').resolve()}" in out
    assert f"JUnit: {(reports / 'junit.xml').resolve()}" in out


def test_the_summary_counts_and_time_are_the_union_s(reports, capsys) -> None:
    merge(reports, capsys)
    page = (reports / "report.html").read_text(encoding="utf-8")
    counts = summary_counts(page)
    assert counts["failed"] == (1, False) and counts["passed"] == (3, False)
    assert counts["skipped"] == (1, False) and counts["rerun"] == (1, False)
    assert counts["error"] == (0, True) and counts["xfailed"] == (0, True)
    # pytest-html counts passed, failed, xpassed and xfailed in "N tests took …".
    assert re.search(r'<p class="run-count">4 tests took [^<]* in 2 shards run side by side', page)
    # The page is the first shard's, but for its data and summary.
    first = (reports / "shard-1-of-2" / "report.html").read_text(encoding="utf-8")
    assert page.split('<div class="summary">')[0] == first.split('<div class="summary">')[0]
    assert page.split("<footer>")[1].split('data-jsonblob="')[0] == first.split("<footer>")[1].split('data-jsonblob="')[0]


def test_trace_links_lead_into_the_shard_s_folder_and_the_rest_is_untouched(reports, capsys) -> None:
    merge(reports, capsys)
    merged = report_data((reports / "report.html").read_text(encoding="utf-8"))["tests"][NODE["test_login_fails"]]
    shard = report_data((reports / "shard-1-of-2" / "report.html").read_text(encoding="utf-8"))["tests"][
        NODE["test_login_fails"]]
    failed, before = merged[-1], shard[-1]
    link = f"shard-1-of-2/{TRACE}"
    assert (reports / link).is_file()
    assert {extra["content"] for extra in failed["extras"] if extra["format_type"] == "url"} == {link}
    assert f'href="{link}"' in failed["resultsTableRow"][-1]
    trace_html = next(extra["content"] for extra in failed["extras"] if extra["format_type"] == "html")
    assert f'<a href="{link}">{TRACE}</a>' in trace_html  # the link moves, the text stays
    assert 'href="https://trace.playwright.dev"' in trace_html
    # Everything but the links is the shard's own: the log, the picture, the cells' text.
    assert failed["log"] == before["log"]
    assert [extra for extra in failed["extras"] if extra["format_type"] == "image"] == \
        [extra for extra in before["extras"] if extra["format_type"] == "image"]
    assert json.dumps(failed).replace("shard-1-of-2/", "") == json.dumps(before)


def test_the_environment_names_each_shard_with_its_seed_and_machine(reports, capsys) -> None:
    merge(reports, capsys)
    environment = report_data((reports / "report.html").read_text(encoding="utf-8"))["environment"]
    assert list(environment)[:3] == ["Run seed", "Shard 1/2", "Shard 2/2"]
    assert environment["Run seed"] == "421337 (replay: --seed 421337)"
    assert environment["Shard 1/2"] == "seed 421337 · machine runner-a · 2 tests · 1 failed"
    assert environment["Shard 2/2"] == "seed 421337 · machine runner-b · 3 tests · 0 failed"
    assert environment["Base URL"] == {"Shard 1/2": "http://a:1", "Shard 2/2": "http://b:2"}
    assert "Shard" not in environment and "Machine" not in environment
    assert "Python" in environment  # what every shard shares, once


def test_the_merged_junit_has_one_suite_per_shard_and_each_case_once(reports, capsys) -> None:
    shard_1 = ET.parse(reports / "shard-1-of-2" / "junit.xml").getroot()
    assert len(shard_1.findall(".//testcase[@name='test_login_fails']")) == 2  # pytest writes the rerun too
    merge(reports, capsys)
    root = ET.parse(reports / "junit.xml").getroot()
    names = [case.get("name") for case in root.iter("testcase")]
    assert sorted(names) == sorted(node.split("::")[1] for node in NODE.values())
    assert (root.get("tests"), root.get("failures"), root.get("skipped"), root.get("errors")) == ("5", "1", "1", "0")
    suites = root.findall("testsuite")
    assert [suite.get("name") for suite in suites] == ["pytest (shard 1/2)", "pytest (shard 2/2)"]
    assert [suite.get("tests") for suite in suites] == ["2", "3"]
    assert [suite.get("time") for suite in suites] == [s.get("time") for s in (
        shard_1.find("testsuite"), ET.parse(reports / "shard-2-of-2" / "junit.xml").getroot().find("testsuite"))]
    properties = {prop.get("name"): prop.get("value") for prop in suites[0].find("properties")}
    assert properties == {"run_seed": "421337", "shard": "1/2", "machine": "runner-a"}
    assert suites[0][0].tag == "properties"
    failing = root.find(".//testcase[@name='test_login_fails']")
    assert failing.find("failure") is not None


def test_the_allure_results_are_gathered_with_one_environment_naming_each_shard(reports, capsys) -> None:
    merge(reports, capsys)
    merged = {path.name for path in (reports / "allure-results").iterdir()}
    for index in (1, 2):
        shard = {path.name for path in (reports / f"shard-{index}-of-2" / "allure-results").iterdir()}
        assert shard - {"environment.properties"} <= merged
    assert sum(name.endswith("-result.json") for name in merged) == 6  # the failed test's two attempts
    environment = (reports / "allure-results" / "environment.properties").read_text(encoding="utf-8")
    assert "Shard\\ 1/2=seed 421337 · machine runner-a · 2 tests · 1 failed\n" in environment
    assert "Base\\ URL\\ (shard\\ 2/2)=http://b:2\n" in environment


def test_a_test_in_two_shards_stops_the_merge(reports, capsys) -> None:
    shutil.copy(reports / "shard-1-of-2" / "report.html", reports / "shard-2-of-2" / "report.html")
    status, out, err = merge(reports, capsys)
    assert status == 2 and out == ""
    assert f"{NODE['test_help_page']} (in shard-1-of-2 and shard-2-of-2)" in err
    assert not (reports / "report.html").exists()


def test_a_shard_without_its_junit_stops_the_merge(reports, capsys) -> None:
    (reports / "shard-2-of-2" / "junit.xml").unlink()
    status, out, err = merge(reports, capsys)
    assert status == 2
    assert err.strip() == (f"merge-reports: {reports / 'shard-2-of-2'} has no junit.xml: that shard did not "
                           "finish, or its files were not downloaded")


def test_no_shard_folder_stops_the_merge(tmp_path, capsys) -> None:
    status, out, err = merge(tmp_path, capsys)
    assert status == 2
    assert "no shard folder" in err and err.count("\n") == 1


def test_a_missing_shard_is_said_and_the_others_merged(reports, capsys) -> None:
    shutil.rmtree(reports / "shard-2-of-2")
    (reports / "shard-1-of-2").rename(reports / "shard-1-of-3")
    status, out, err = merge(reports, capsys)
    assert status == 0, err
    assert "shard 2/3: MISSING" in out and "shard 3/3: MISSING" in out
    environment = report_data((reports / "report.html").read_text(encoding="utf-8"))["environment"]
    assert environment["Shard 3/3"].startswith("missing")


@pytest.mark.parametrize(("link", "expected"), [
    ("artifacts/gw0/t/trace.zip", "shard-1-of-2/artifacts/gw0/t/trace.zip"),
    ("assets/t_0_0.png", "shard-1-of-2/assets/t_0_0.png"),
    ("../elsewhere/trace.zip", "elsewhere/trace.zip"),
    ("data:image/png;base64,AAAA", "data:image/png;base64,AAAA"),
    ("https://trace.playwright.dev", "https://trace.playwright.dev"),
    ("/abs/trace.zip", "/abs/trace.zip"),
    ("#section", "#section"),
])
def test_only_links_relative_to_the_shard_s_report_change(link: str, expected: str) -> None:
    assert merge_reports.relink(link, "shard-1-of-2") == expected


def test_the_flaky_filter_counts_every_shards_flaky_tests() -> None:
    from e2e.merge_reports import flaky_filter

    page = ('<div class="additional-summary summary"><p class="mc-flaky-filter"><label>'
            '<input type="checkbox" id="mc-flaky-only"> 1 (shard 1 only)</label></p></div>')
    flaky_row = {"resultsTableRow": ['<td class="col-result">Passed</td>',
                                     '<td class="col-testId">T<span class="mc-flaky">instable (flaky)</span></td>']}
    plain_row = {"resultsTableRow": ['<td class="col-result">Passed</td>', '<td class="col-testId">T</td>']}
    merged = flaky_filter(page, {"a": [flaky_row], "b": [plain_row], "c": [{"resultsTableRow": []}, flaky_row]})
    assert merged.count("mc-flaky-filter") == 1 and "les 2 scénarios instables" in merged and "shard 1 only" not in merged
    assert "mc-flaky-filter" not in flaky_filter(page, {"b": [plain_row]})
