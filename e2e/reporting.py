"""What the reports show beyond pass and fail (a pytest plugin, loaded by conftest.py).

- Each test's steps (e2e/steps.py): the help page's steps a scenario marks, and
  every browser action and check it makes (e2e/actions.py), nested, in French.
- reports/report.html (pytest-html): scenarios titled in French and filed by the
  help page's sections (e2e/scenarios.py), failures first and open, each headed by
  the failed step, the replay command and the trace; the failed step's picture
  (its element outlined in red) beside Playwright's own screenshot; the mock's
  journal for that test; the raw error and page snapshot last.
- reports/junit.xml: the steps as properties of each test case.
- The report's header: run seed, browser and version, device, base URL, commit.
- With ``--tutorial DIR``, the help-page steps of the tests marked ``tutorial`` are
  written to DIR, and the illustrated guide DIR/index.html is built from them.
"""

from __future__ import annotations

import html
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fixtures import guide

from . import actions, allure_results, scenarios
from . import report_words as words
from .stash_keys import BROWSER_BUILD, MOCK_UNREACHABLE, RUN_SEED
from .steps import GUIDE, SCREENSHOT_MODES, RecordedStep, StepRecorder, activate, shown_address
from .traced_retry import attempt, may_retry
from .tutorial import PARTS, build_tutorial, missing_sections, read_parts

try:
    from pytest_metadata.plugin import metadata_key
except ImportError:  # pytest-html not installed: no HTML report to feed
    metadata_key = None

STEPS = pytest.StashKey[StepRecorder]()
FAILED = pytest.StashKey[bool]()
JOURNAL = pytest.StashKey[tuple[Any, int]]()  # (control client, last journal id before the test)

_FIRST_ATTEMPT = pytest.StashKey[str]()  # the first attempt's rendered steps, for the retry's row
_HEADLINED = pytest.StashKey[bool]()  # this test's failure already heads its report
_BASE_URLS = pytest.StashKey[dict[str, str]]()  # worker id → its mock's base URL (controller)
_TUTORIAL_LINES = pytest.StashKey[list[str]]()  # what the terminal summary says of the tutorial
_COMMIT = pytest.StashKey[str]()
_LEARNED = pytest.StashKey[bool]()  # this process knows the browser and the base URL

ENVIRONMENT_KEYS = ("Run seed", "Browser", "Device", "Base URL", "Commit", "Step screenshots")
JOURNAL_ROWS = 200  # a failed test's journal, newest kept
NO_LOG = "No log output captured."  # pytest-html's words for an empty log


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("moncompte")
    group.addoption(
        "--step-screenshots", choices=SCREENSHOT_MODES, default="failures",
        help="which scenario steps get a screenshot in the report: 'failures' (the step that "
        "failed; the default keeps the report small) or 'all'",
    )
    group.addoption(
        "--tutorial", metavar="DIR", default=None,
        help="write the illustrated tutorial to DIR/index.html from the tests marked 'tutorial' "
        "(every step is photographed); make tutorial does it",
    )


# Header ---------------------------------------------------------------------


def commit_description(root: Path) -> str:
    """The checked-out commit, and whether the tree differs from it."""
    try:
        head = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %s"],
                              capture_output=True, text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return f"{head} (with uncommitted changes)" if dirty else head


def short_version(root: Path) -> str:
    """The harness's version and commit, as a reader needs it: "0.1.0 (a027e2c)"."""
    try:
        version = importlib.metadata.version("moncompte-harness")
    except importlib.metadata.PackageNotFoundError:
        version = ""
    try:
        head = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return version
    return f"{version} ({head})" if version else head


def _commit(config: pytest.Config) -> str:
    """The commit, asked of git once per run (report header and tutorial both show it)."""
    if _COMMIT not in config.stash:
        config.stash[_COMMIT] = commit_description(config.rootpath)
    return config.stash[_COMMIT]


def _is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def _metadata(config: pytest.Config) -> dict[str, Any] | None:
    if metadata_key is None or metadata_key not in config.stash:
        return None
    return config.stash[metadata_key]


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    actions.install()
    allure_results.start_run(config)
    if _is_worker(config):
        config.workeroutput["moncompte_environment"] = {}
        return
    tutorial = config.getoption("--tutorial")
    if tutorial:
        parts = Path(tutorial) / PARTS
        shutil.rmtree(parts, ignore_errors=True)
        parts.mkdir(parents=True)
    config.stash[_BASE_URLS] = {}
    config.pluginmanager.register(_RowOrder(config), "moncompte-report-order")


def asked_base_url(config: pytest.Config) -> str:
    """What the header says of the mock before any test has used it."""
    external = config.getoption("--mock-url", default=None)
    if not external:
        return "(not started: no scenario used the mock)"
    problem = config.stash.get(MOCK_UNREACHABLE, None)
    return f"{external} (--mock-url)" + (f": {problem}" if problem else "")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Our lines head the report's environment table (pytest-html reads it later)."""
    config = session.config
    metadata = _metadata(config)
    if metadata is None or _is_worker(config):
        return
    ours = {
        "Browser": "(not started: no browser scenario ran)",
        "Device": config.getoption("--device", default=None) or "desktop (1280×720)",
        "Base URL": asked_base_url(config),
        "Commit": _commit(config),
        "Step screenshots": config.getoption("--step-screenshots"),
    }
    # Ours first, in a fixed order, then what pytest-metadata collected (same dict:
    # pytest-html holds a reference to it and renders it at the end of the run).
    others = {key: value for key, value in metadata.items() if key not in ENVIRONMENT_KEYS}
    seed = metadata.get("Run seed")
    metadata.clear()
    if seed is not None:
        metadata["Run seed"] = seed
    metadata.update(ours)
    metadata.update(others)


def _learn_environment(item: pytest.Item) -> None:
    """Browser and base URL, from the fixtures a test used; sent to the controller.
    Both are the same for every test of a process: learned once, then skipped."""
    config = item.config
    if config.stash.get(_LEARNED, False):
        return
    learned: dict[str, str] = {}
    browser = item.funcargs.get("browser") if hasattr(item, "funcargs") else None
    if browser is not None:
        try:
            build = config.stash.get(BROWSER_BUILD, None)
            learned["Browser"] = f"{browser.browser_type.name} {browser.version}" + (f", {build}" if build else "")
        except Exception:  # a browser closed by the test: keep what we know
            pass
    base_url = item.funcargs.get("base_url") if hasattr(item, "funcargs") else None
    if base_url:
        learned["Base URL"] = str(base_url)
    if not learned:
        return
    config.stash[_LEARNED] = learned.keys() == {"Browser", "Base URL"}
    if _is_worker(config):
        config.workeroutput["moncompte_environment"].update(learned)
    else:
        _record_environment(config, learned, worker="")


def _record_environment(config: pytest.Config, learned: dict[str, str], worker: str) -> None:
    metadata = _metadata(config)
    if metadata is None:
        return
    if "Browser" in learned:
        metadata["Browser"] = learned["Browser"]
    if "Base URL" in learned:
        urls = config.stash[_BASE_URLS]
        urls[worker] = learned["Base URL"]
        if len(urls) == 1:
            metadata["Base URL"] = next(iter(urls.values()))
        else:  # one embedded mock per worker, each on its own free port
            metadata["Base URL"] = ", ".join(f"{url} ({name})" for name, url in sorted(urls.items()))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    learned = getattr(node, "workeroutput", {}).get("moncompte_environment") or {}
    if learned:
        _record_environment(node.config, learned, worker=node.workerinput["workerid"])


# Steps ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def scenario_steps(request: pytest.FixtureRequest) -> Iterator[StepRecorder]:
    """Every test's steps: its browser actions and checks record themselves here
    from the first fixture that opens a page, and ``step(…)`` adds the help page's."""
    config = request.config
    mode = config.getoption("--step-screenshots")
    if config.getoption("--tutorial") and request.node.get_closest_marker("tutorial"):
        mode = "all"  # the tutorial shows every step
    recorder = StepRecorder(None, mode, nest=allure_results.step_nest(config))
    request.node.stash[STEPS] = recorder
    with activate(recorder):
        yield recorder


@pytest.fixture
def step(scenario_steps: StepRecorder, request: pytest.FixtureRequest) -> StepRecorder:
    """Mark the scenario's steps: ``with step(guide.LOGIN_NIR, highlight=login.nir): ...``;
    ``with step.action("…"):`` for one of the harness's own."""
    if "page" in request.fixturenames:
        scenario_steps.page = request.getfixturevalue("page")
    return scenario_steps


def step_properties(recorder: StepRecorder) -> list[tuple[str, str]]:
    """The top-level steps as JUnit properties: ("step 01", "① Je saisis … [passed]")."""
    return [(f"step {index:02d}", f"{step.label} [{step.status}]")
            for index, step in enumerate(recorder.steps, start=1)]


def _shot(step: RecordedStep) -> str:
    if not step.screenshot:
        return ""
    return (f'<img class="mc-shot" alt="{html.escape(step.label)}" '
            'onclick="this.classList.toggle(\'mc-zoom\')" '
            f'src="data:image/png;base64,{step.screenshot}">')


def _render_step(step: RecordedStep) -> str:
    children = "".join(_render_step(child) for child in step.children)
    title = f' title="{html.escape(step.page_title)}"' if step.page_title else ""
    return (
        f'<li class="mc-step mc-{step.status} mc-{step.kind}">'
        f'<span class="mc-number">{html.escape(step.number or "•")}</span>'
        f'<span class="mc-text">{html.escape(step.text)}</span>'
        f'<span class="mc-status">{words.STATUS[step.status]} · {step.duration:.1f} s</span>'
        + (f'<span class="mc-url"{title}>{html.escape(shown_address(step.url))}</span>' if step.url else "")
        + (f'<span class="mc-error">{html.escape(step.error)}</span>' if step.error else "")
        + _shot(step)
        + (f'<ol class="mc-children">{children}</ol>' if children else "")
        + "</li>"
    )


def render_steps(recorder: StepRecorder, attempt: str = "") -> str:
    if not recorder.steps:
        return (f'<section class="mc-steps"><h4>{words.HEADINGS["steps"]}{html.escape(attempt)}</h4>'
                f'<p class="mc-none">{words.NO_STEP}</p></section>')
    items = "".join(_render_step(step) for step in recorder.steps)
    return (f'<section class="mc-steps"><h4>{words.HEADINGS["steps"]}{html.escape(attempt)}</h4>'
            f"<ol>{items}</ol></section>")


def _time(entry: dict[str, Any]) -> str:
    """12:04:31.208 out of the journal's ISO timestamp (the mock's clock)."""
    at = str(entry.get("at", ""))
    return at[11:23] if len(at) >= 23 else at


def _status(entry: dict[str, Any]) -> int:
    status = entry.get("status")
    return status if isinstance(status, int) else 0


def _who(entry: dict[str, Any]) -> str:
    return entry.get("persona_name") or entry.get("persona") or ""


def render_journal(entries: list[dict[str, Any]], attempt: str = "") -> str:
    rows = "".join(
        ('<tr class="mc-bad">' if _status(entry) >= 400 else "<tr>")
        + "".join(f"<td>{html.escape(str(value))}</td>" for value in (
            _time(entry), entry.get("site", ""), entry.get("method", ""), entry.get("path", ""),
            entry.get("status", ""), f"{entry.get('duration_ms', '')}", _who(entry),
            entry.get("fault") or "",
        )) + "</tr>"
        for entry in entries
    )
    head = "".join(f"<th>{name}</th>" for name in words.JOURNAL_COLUMNS)
    count = words.HEADINGS["requests"].format(count=len(entries))
    return (f'<section class="mc-journal"><h4>{words.HEADINGS["journal"]}{html.escape(attempt)} '
            f'({count}, {words.HEADINGS["static_hidden"]})</h4>'
            f'<table class="mc-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></section>')


def journal_text(entries: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{_time(entry)}  {entry.get('site', ''):<15} {entry.get('method', ''):<6} "
        f"{entry.get('status', '')}  {entry.get('path', '')}"
        + (f"  persona={_who(entry)}" if _who(entry) else "")
        + (f"  fault={entry['fault']}" if entry.get("fault") else "")
        for entry in entries
    )


def _html_extra(config: pytest.Config, content: str) -> Any | None:
    plugin = config.pluginmanager.getplugin("html")
    return plugin.extras.html(content) if plugin is not None else None


def _attach(report: pytest.TestReport, config: pytest.Config, content: str) -> None:
    extra = _html_extra(config, content)
    if extra is not None:
        report.extras = [*getattr(report, "extras", []), extra]


def attempt_label(item: pytest.Item, report: pytest.TestReport) -> str:
    """" — tentative 2 (tracée)": which run of a retried scenario a block comes from."""
    run = attempt(item)
    if run == 1 and (not report.failed or not may_retry(item)):
        return ""
    return words.HEADINGS["traced_attempt" if run > 1 else "attempt"].format(number=run)


def replay_command(config: pytest.Config, nodeid: str) -> str:
    return f".venv/bin/pytest --seed {config.stash[RUN_SEED]} '{nodeid}'"


def render_headline(path: list[RecordedStep], error: str, replay: str) -> str:
    """What heads a failure: the failed step, its error and how to replay it. No
    picture here: pytest-html shows Playwright's screenshot in the first <img> of a
    row, so the failed step's own picture is in the steps below (e2e/report.css puts
    the two side by side)."""
    if path:
        where = " › ".join(html.escape(step.label) for step in path)
        heading = words.HEADINGS["failed_step"]
    else:
        where, heading = "", words.HEADINGS["failed"]
    return (
        '<section class="mc-failure">'
        f'<h4>{heading} <span class="mc-where">{where}</span></h4>'
        f'<p class="mc-error">{html.escape(error)}</p>'
        f'<p>{words.HEADINGS["replay"]} <code class="mc-command">{html.escape(replay)}</code></p>'
        f'<p class="mc-note">{words.HEADINGS["pictures"]}</p>'
        "</section>"
    )


def render_trace(link: str, path: str) -> str:
    return (
        f'<p class="mc-trace">{words.HEADINGS["trace"]} <a href="{html.escape(link)}">{html.escape(path)}</a>'
        f' — {words.HEADINGS["trace_open"]} <code class="mc-command">make trace TRACE={html.escape(path)}</code></p>'
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    config = item.config
    report.mc_title = _title(item)
    report.mc_group = scenarios.group(item)
    report.mc_scenario = scenarios.is_scenario(item)
    recorder = item.stash.get(STEPS, None)
    if report.when == "setup":
        allure_results.name_test(item, report.mc_title, replay_command(config, item.nodeid))
    if report.when == "call":
        _learn_environment(item)
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
                replay_command(config, item.nodeid)))
    if report.when == "teardown":
        _attach_trace(item, report)
        allure_results.attach_artifacts(item, report)
        if recorder is not None and config.getoption("--tutorial"):
            marker = item.get_closest_marker("tutorial")
            if marker is not None:
                _write_tutorial_part(item, marker, recorder)


def _title(item: pytest.Item) -> str:
    try:
        return scenarios.title(item)
    except (KeyError, AttributeError, IndexError, ValueError) as error:
        raise pytest.UsageError(f"{item.nodeid}: its title marker cannot be filled in: {error!r}") from error


def _attempt_blocks(item: pytest.Item, report: pytest.TestReport, recorder: StepRecorder) -> str:
    """This attempt's steps and, if it failed, the mock's journal. A traced retry's
    row shows the first attempt's (the verdict) and its own below, folded."""
    label = attempt_label(item, report)
    blocks = render_steps(recorder, label) + (_journal(item, report, label) if report.failed else "")
    if attempt(item) == 1:
        item.stash[_FIRST_ATTEMPT] = blocks
        return blocks
    summary = words.HEADINGS["retry_steps"].format(number=attempt(item))
    return (item.stash.get(_FIRST_ATTEMPT, "")
            + f'<details class="mc-retry"><summary>{summary}</summary>{blocks}</details>')


def _journal(item: pytest.Item, report: pytest.TestReport, label: str) -> str:
    mark = item.stash.get(JOURNAL, None)
    if mark is None:
        return ""
    control, after = mark
    try:
        entries = control.journal(after=after, limit=JOURNAL_ROWS, static=False)
    except Exception as error:  # the mock itself may be what failed
        report.sections.append(("mock journal", f"unavailable: {error}"))
        return ""
    report.sections.append(("mock journal", journal_text(entries) or "(no request reached the mock)"))
    return render_journal(entries, label)


def _attach_trace(item: pytest.Item, report: pytest.TestReport) -> None:
    """The traced attempt's trace, with the command that opens it (pytest-playwright
    links the file; a person needs to know how to open it)."""
    traces = [str(value) for name, value in report.user_properties if name == "playwright_trace"]
    html_path = getattr(item.config.option, "htmlpath", None)
    if not traces or not html_path:
        return
    report_dir = Path(item.config.invocation_params.dir, os.path.expandvars(html_path)).parent
    for trace in traces:
        link = os.path.relpath(Path(item.config.invocation_params.dir, trace), report_dir)
        _attach(report, item.config, render_trace(Path(link).as_posix(), trace))


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
    folded = ([f'<details class="mc-raw"><summary>{words.HEADINGS["full_log"]}</summary>', *raw, "</details>"]
              if raw else [])
    data[:] = [blocks, *folded]


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

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
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
        cells[1] = (f'<td class="col-testId">{html.escape(title)}'
                    f'<span class="mc-nodeid">{html.escape(test_id)}</span></td>')
        cells.insert(1, f'<td class="col-group">{html.escape(group)}'
                        f'<span class="mc-story">{html.escape(story)}</span></td>')

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        allure_results.write_environment(self.config, _metadata(self.config) or {})
        plugin = self.config.pluginmanager.getplugin("html")
        tests = getattr(getattr(plugin, "_report", None), "data", {}).get("tests")
        if tests is None:  # another pytest-html: its own order stands
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


def _write_tutorial_part(item: pytest.Item, marker: pytest.Mark, recorder: StepRecorder) -> None:
    section = marker.args[0] if marker.args else marker.kwargs.get("section")
    if section not in guide.BY_KEY:
        raise pytest.UsageError(f"{item.nodeid}: tutorial marker needs a section among {sorted(guide.BY_KEY)}")
    passed = not item.stash.get(FAILED, False)
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
    if not tutorial or _is_worker(config):
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
