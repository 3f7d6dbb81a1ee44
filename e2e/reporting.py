"""What the reports show beyond pass and fail (a pytest plugin, loaded by conftest.py).

- Each scenario's steps, in the help page's words, with their screenshots: in
  reports/report.html (pytest-html) and as properties in reports/junit.xml.
- On failure, the mock's journal for that test: every request the sites got.
- The report's header: run seed, browser and version, device, base URL, commit.
- With ``--tutorial DIR``, the steps of the tests marked ``tutorial`` are written to
  DIR, and the illustrated guide DIR/index.html is built from them at the end.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from fixtures import guide

from .steps import SCREENSHOT_MODES, StepRecorder
from .traced_retry import attempt, may_retry
from .tutorial import PARTS, build_tutorial, missing_sections, read_parts

try:
    from pytest_metadata.plugin import metadata_key
except ImportError:  # pytest-html not installed: no HTML report to feed
    metadata_key = None

STEPS = pytest.StashKey[StepRecorder]()
FAILED = pytest.StashKey[bool]()
JOURNAL = pytest.StashKey[tuple[Any, int]]()  # (control client, last journal id before the test)
BROWSER_BUILD = pytest.StashKey[str]()  # which Chromium build this process launched (conftest.py)

_BASE_URLS = pytest.StashKey[dict[str, str]]()  # worker id → its mock's base URL (controller)
_TUTORIAL_LINES = pytest.StashKey[list[str]]()  # what the terminal summary says of the tutorial
_COMMIT = pytest.StashKey[str]()
_LEARNED = pytest.StashKey[bool]()  # this process knows the browser and the base URL

ENVIRONMENT_KEYS = ("Run seed", "Browser", "Device", "Base URL", "Commit", "Step screenshots")
JOURNAL_ROWS = 200  # a failed test's journal, newest kept


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
    if _is_worker(config):
        config.workeroutput["moncompte_environment"] = {}
        return
    tutorial = config.getoption("--tutorial")
    if tutorial:
        parts = Path(tutorial) / PARTS
        shutil.rmtree(parts, ignore_errors=True)
        parts.mkdir(parents=True)
    config.stash[_BASE_URLS] = {}


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
        "Base URL": "(not started: no scenario used the mock)",
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


@pytest.fixture
def step(page: Any, request: pytest.FixtureRequest) -> StepRecorder:
    """Mark the scenario's steps: ``with step(guide.LOGIN_NIR, highlight=login.nir): ...``."""
    config = request.config
    mode = config.getoption("--step-screenshots")
    if config.getoption("--tutorial") and request.node.get_closest_marker("tutorial"):
        mode = "all"  # the tutorial shows every step
    recorder = StepRecorder(page, mode)
    request.node.stash[STEPS] = recorder
    return recorder


def step_properties(recorder: StepRecorder) -> list[tuple[str, str]]:
    """The steps as JUnit properties: ("step 01", "① Je saisis … [passed]")."""
    return [(f"step {index:02d}", f"{step.label} [{step.status}]")
            for index, step in enumerate(recorder.steps, start=1)]


STATUS_WORDS = {"passed": "réussie", "failed": "échouée"}


def render_steps(recorder: StepRecorder, attempt: str = "") -> str:
    items = []
    for step in recorder.steps:
        shot = (f'<img class="mc-shot" alt="{html.escape(step.label)}" '
                'onclick="this.classList.toggle(\'mc-zoom\')" '
                f'src="data:image/png;base64,{step.screenshot}">' if step.screenshot else "")
        items.append(
            f'<li class="mc-step mc-{step.status}">'
            f'<span class="mc-number">{html.escape(step.number)}</span>'
            f'<span class="mc-text">{html.escape(step.text)}</span>'
            f'<span class="mc-status">{STATUS_WORDS[step.status]} · {step.duration:.1f} s</span>'
            f'<span class="mc-url">{html.escape(step.url)}</span>{shot}</li>'
        )
    return f'<section class="mc-steps"><h4>Étapes{html.escape(attempt)}</h4><ol>{"".join(items)}</ol></section>'


def _time(entry: dict[str, Any]) -> str:
    """12:04:31.208 out of the journal's ISO timestamp (the mock's clock)."""
    at = str(entry.get("at", ""))
    return at[11:23] if len(at) >= 23 else at


def render_journal(entries: list[dict[str, Any]], attempt: str = "") -> str:
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(value))}</td>" for value in (
            _time(entry), entry.get("site", ""), entry.get("method", ""), entry.get("path", ""),
            entry.get("status", ""), f"{entry.get('duration_ms', '')}", entry.get("persona") or "",
            entry.get("fault") or "",
        )) + "</tr>"
        for entry in entries
    )
    head = "".join(f"<th>{name}</th>" for name in
                   ("heure (mock)", "site", "méthode", "chemin", "statut", "ms", "persona", "panne"))
    return (f'<section class="mc-journal"><h4>Journal du mock pendant ce test{html.escape(attempt)} ({len(entries)} requêtes)</h4>'
            f'<table class="mc-table"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></section>')


def journal_text(entries: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{_time(entry)}  {entry.get('site', ''):<15} {entry.get('method', ''):<6} "
        f"{entry.get('status', '')}  {entry.get('path', '')}"
        + (f"  persona={entry['persona']}" if entry.get("persona") else "")
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
    """" — tentative 2 (tracée)": which run of a retried scenario a block comes from
    (pytest-html shows every attempt's blocks in each of its rows)."""
    run = attempt(item)
    if run == 1 and (not report.failed or not may_retry(item)):
        return ""
    return f" — tentative {run}" + (" (tracée)" if run > 1 else "")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    config = item.config
    recorder = item.stash.get(STEPS, None)
    if report.when == "call":
        _learn_environment(item)
        if recorder is not None and recorder.steps:
            # Copied into the teardown report, which JUnit XML reads properties from.
            item.user_properties.extend(step_properties(recorder))
            _attach(report, config, render_steps(recorder, attempt_label(item, report)))
    if report.failed:
        item.stash[FAILED] = True
        _attach_journal(item, report)
    if report.when == "teardown" and recorder is not None and config.getoption("--tutorial"):
        marker = item.get_closest_marker("tutorial")
        if marker is not None:
            _write_tutorial_part(item, marker, recorder)


def _attach_journal(item: pytest.Item, report: pytest.TestReport) -> None:
    mark = item.stash.get(JOURNAL, None)
    if mark is None:
        return
    control, after = mark
    try:
        entries = control.journal(after=after, limit=JOURNAL_ROWS)
    except Exception as error:  # the mock itself may be what failed
        report.sections.append(("mock journal", f"unavailable: {error}"))
        return
    report.sections.append(("mock journal", journal_text(entries) or "(no request reached the mock)"))
    _attach(report, item.config, render_journal(entries, attempt_label(item, report)))


# Tutorial -------------------------------------------------------------------


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
        "steps": [step.to_dict() for step in recorder.steps],
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
    written = build_tutorial(folder, sections=sections, commit=_commit(config))
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
