"""reports/report.html (pytest-html): scenarios titled in French and filed by the help
page's sections (e2e/scenarios.py), failures first and open. A failure is headed by its
failed step, its error and the replay command; below come the steps (the failed step's
picture, its element outlined in red, beside Playwright's own screenshot), the mock's
journal for that test, the trace with the command that opens it, and last, folded,
pytest-html's raw log."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from .. import report_words as words
from .. import scenarios
from ..steps import RecordedStep, StepRecorder
from .environment import replay_command
from .fragments import html, render
from .journal import journal_block
from .keys import FAILED, STEPS
from .options import is_worker
from .retry import attempt, is_flaky, may_retry
from .steps import render_steps, step_properties

_FIRST_ATTEMPT = pytest.StashKey[str]()  # the first attempt's rendered blocks, for the retry's row
_HEADLINED = pytest.StashKey[bool]()  # this test's failure already heads its report
# Earlier attempts' traces and Playwright screenshots: pytest-html keeps one teardown
# report per test, the last attempt's, so what an earlier one left is carried to it.
_EARLIER = pytest.StashKey[list[Any]]()
NO_LOG = "No log output captured."  # pytest-html's words for an empty log


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if not is_worker(config):
        config.pluginmanager.register(_RowOrder(config), "moncompte-report-order")


def attempt_label(item: pytest.Item, report: pytest.TestReport) -> str:
    """" — tentative 2 (tracée)": which run of a retried scenario a block comes from."""
    run = attempt(item)
    if run == 1 and (not report.failed or not may_retry(item)):
        return ""
    return words.HEADINGS["traced_attempt" if run > 1 else "attempt"].format(number=run)


def render_headline(path: list[RecordedStep], error: str, replay: str, note: str = "") -> str:
    """What heads a failure: the failed step, its error (and a word on it, such as
    which time limit stopped it) and how to replay it. No picture here: pytest-html
    shows Playwright's screenshot in the first <img> of a row, so the failed step's
    own picture is in the steps below (e2e/report.css puts the two side by side)."""
    return render("headline.html", path=path, error=error, replay=replay, note=note)


def render_trace(link: str, path: str, number: int = 2) -> str:
    return render("trace.html", link=link, path=path, number=number)


def _attach(report: pytest.TestReport, config: pytest.Config, content: str) -> None:
    plugin = config.pluginmanager.getplugin("html")
    if plugin is not None:
        report.extras = [*getattr(report, "extras", []), plugin.extras.html(content)]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    config = item.config
    report.mc_title = scenarios.title(item)
    report.mc_group = scenarios.group(item)
    report.mc_scenario = scenarios.is_scenario(item)
    recorder = item.stash.get(STEPS, None)
    # A fast test without a browser has no step to show: its row stays pytest-html's own.
    shows_steps = (report.when == "call" or report.failed) and (report.mc_scenario or bool(recorder and recorder.steps))
    if recorder is not None and shows_steps:
        if report.failed and not recorder.failed_path() and call.excinfo is not None:
            recorder.record_failure(call.excinfo.value, words.AFTER_LAST_STEP)
        if report.when == "call" and recorder.steps:
            # Copied into the teardown report, which JUnit XML reads properties from.
            item.user_properties.extend(step_properties(recorder))
        report.mc_steps = bool(recorder.steps)
        report.mc_log_html = _attempt_blocks(item, report, recorder)
    if report.failed:
        item.stash[FAILED] = True
        if not item.stash.get(_HEADLINED, False) and recorder is not None and call.excinfo is not None:
            item.stash[_HEADLINED] = True
            _attach(report, config, render_headline(
                recorder.failed_path(), call.excinfo.exconly().splitlines()[0],
                replay_command(config, item.nodeid), getattr(report, "mc_failure_note", "")))
    if report.when == "teardown":
        _attach_artifacts(item, report)


def _attempt_blocks(item: pytest.Item, report: pytest.TestReport, recorder: StepRecorder) -> str:
    """This attempt's steps and, if it failed, the mock's journal. A retried test's row
    shows the first attempt's and each later one's below, folded."""
    label = attempt_label(item, report)
    blocks = render_steps(recorder, label) + (journal_block(item, report, label) if report.failed else "")
    if attempt(item) == 1:
        item.stash[_FIRST_ATTEMPT] = blocks
        return blocks
    summary = words.HEADINGS["retry_steps"].format(number=attempt(item))
    return render("retry.html", first=html(item.stash.get(_FIRST_ATTEMPT, "")), summary=summary, blocks=html(blocks))


def link_from_report(config: pytest.Config, path: str) -> str:
    """A file's address relative to report.html's folder (`path` from where pytest was started)."""
    root = config.invocation_params.dir
    report_dir = Path(root, os.path.expandvars(getattr(config.option, "htmlpath", None) or "report.html")).parent
    return Path(os.path.relpath(Path(root, path), report_dir)).as_posix()


def _attach_artifacts(item: pytest.Item, report: pytest.TestReport) -> None:
    """The attempt's trace, with the command that opens it (pytest-playwright links
    the file; a person needs to know how to open it), after what earlier attempts
    left: a flaky test shows its failed attempt's screenshot and trace beside the
    passing one's."""
    plugin = item.config.pluginmanager.getplugin("html")
    html_path = getattr(item.config.option, "htmlpath", None)
    if plugin is None or not html_path:
        return
    earlier = item.stash.setdefault(_EARLIER, [])
    extras = getattr(report, "extras", [])
    traces = [plugin.extras.html(render_trace(link_from_report(item.config, str(value)), str(value), attempt(item)))
              for name, value in report.user_properties if name == "playwright_trace"]
    report.extras = [*earlier, *extras, *traces]
    # Copies: pytest-html turns an extra's file into its content in place when it writes a row.
    earlier.extend([*(dict(extra) for extra in extras if extra.get("format_type") == "image"), *traces])


# pytest-html's table ----------------------------------------------------------------


def pytest_html_results_table_header(cells: list[str]) -> None:
    cells[:] = [
        f'<th class="sortable" data-column-type="result">{words.COLUMNS["result"]}</th>',
        f'<th class="sortable" data-column-type="group">{words.COLUMNS["group"]}</th>',
        f'<th class="sortable" data-column-type="testId">{words.COLUMNS["title"]}</th>',
        f'<th class="sortable" data-column-type="duration">{words.COLUMNS["duration"]}</th>',
        f'<th>{words.COLUMNS["links"]}</th>',
    ]


def pytest_html_results_table_html(report: pytest.TestReport, data: list[str]) -> None:
    """The steps (their pictures among them) before the raw log, which is folded:
    the error's first line already heads the failure."""
    blocks = getattr(report, "mc_log_html", "")
    if not blocks:
        return
    raw = [line for line in data if line != NO_LOG]
    data[:] = [blocks, *([render("raw_log.html", log=html("".join(raw)))] if raw else [])]


def _html_tests(config: pytest.Config) -> dict[str, Any] | None:
    """pytest-html's rows, by test id: its report object is registered without a name
    (getplugin("html") is its module), so it is found among the plugins."""
    for plugin in config.pluginmanager.get_plugins():
        data = getattr(getattr(plugin, "_report", None), "data", None)
        if type(plugin).__module__.startswith("pytest_html") and isinstance(data, dict) and "tests" in data:
            return data["tests"]
    return None


class _RowOrder:
    """The controller's side of the HTML report: rows filed by the help page's sections
    (pytest-html keeps its results in arrival order, which xdist shuffles; its default
    sort puts failures first and keeps that order within each result), and a word on
    scenarios that recorded no step."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.order: dict[str, tuple[int, str, str]] = {}
        self.without_steps: list[str] = []
        # Tests between a failed attempt and their retry. pytest-html draws a test's
        # rows at each teardown, a failed attempt's included: the retry's teardown
        # would draw the first attempt's row a second time.
        self.retrying: set[str] = set()
        self.flaky: set[str] = set()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if is_flaky(report):
            self.flaky.add(report.nodeid)
        if report.outcome == "rerun":
            self.retrying.add(report.nodeid)
        elif report.when == "setup":
            self.retrying.discard(report.nodeid)
        if not hasattr(report, "mc_group"):
            return
        group, _ = report.mc_group
        self.order[report.nodeid] = (scenarios.rank(group), group, report.mc_title)
        if report.when == "call" and getattr(report, "mc_scenario", False) and not getattr(report, "mc_steps", False):
            self.without_steps.append(report.nodeid)

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_table_row(self, report: pytest.TestReport, cells: list[str]) -> None:
        if report.nodeid in self.retrying:
            cells.clear()  # drawn once the retry is over, with its screenshot and trace
            return
        title = getattr(report, "mc_title", report.nodeid)
        group, story = getattr(report, "mc_group", ("", ""))
        test_id = report.nodeid if report.when == "call" else f"{report.nodeid}::{report.when}"
        # The badge goes in the title's cell: pytest-html reads a row's result (its
        # filters) from the text of the Résultat cell.
        cells[1] = render("title_cell.html", title=title, test_id=test_id, flaky=is_flaky(report))
        cells.insert(1, render("group_cell.html", group=group, story=story))

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_summary(self, prefix: list[str], summary: list[str], postfix: list[str]) -> None:
        if self.flaky:
            summary.append(render("flaky_filter.html", count=len(self.flaky)))

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        tests = _html_tests(self.config)
        if tests is None:  # no HTML report, or another pytest-html: its own order stands
            return
        last = (len(scenarios.ORDER) + 1, "", "")
        ordered = sorted(tests.items(), key=lambda pair: self.order.get(pair[0], last))
        tests.clear()
        tests.update(ordered)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.without_steps:
            terminalreporter.write_sep("-", f"{len(self.without_steps)} scenario(s) recorded no step", yellow=True)
            for nodeid in self.without_steps:
                terminalreporter.write_line(f"  {nodeid}: mark one with step(...) or step.action(...)")
