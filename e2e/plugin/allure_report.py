"""What the Allure report gets beyond allure-pytest's own results (written with
``--alluredir``; ``make e2e`` and ``make test`` write reports/allure-results, ``make
report`` builds reports/allure from them).

- Each test's steps, nested as they happen, the failed step's picture attached to it
  (e2e/steps.py feeds Allure's steps as it records its own).
- Its French title, filed by feature (the help page's section) and story (the suite),
  as parentSuite and suite too, so any grouping of Allure's shows the same tree.
- Playwright's screenshot and trace of a traced retry, the replay command.
- The run's environment (run seed, browser, base URL, commit), written once by the
  controller at the end of the run. (The categories of failure, the language and the
  grouping are the report's own settings: allurerc.mjs.)
"""

from __future__ import annotations

import base64
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ContextManager

import pytest

from .. import scenarios
from ..steps import RecordedStep
from .environment import replay_command
from .options import is_worker, metadata
from .retry import is_flaky

try:
    import allure
    from allure_commons.model2 import StatusDetails
except ImportError:  # allure-pytest not installed: nothing to feed
    allure = None

# What Allure 3 shows as a trace, with a button that opens it in Playwright's viewer.
PLAYWRIGHT_TRACE = "application/vnd.allure.playwright-trace"
_FLAKY = pytest.StashKey[bool]()  # this attempt failed before and passed now
FLAKY_MESSAGE = "Instable : en échec, puis réussi en le rejouant (--reruns)"
CASE_PARAMETER = "identifiant pytest"  # a parametrised test case's id, as pytest writes it


def results_dir(config: pytest.Config) -> Path | None:
    folder = getattr(config.option, "allure_report_dir", None)
    return Path(folder) if allure is not None and folder else None


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    start_run(config)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if report.when == "setup":
        name_test(item, scenarios.title(item), replay_command(item.config, item.nodeid))
    elif report.when == "call" and is_flaky(report):
        item.stash[_FLAKY] = True
    elif report.when == "teardown":
        attach_artifacts(item, report)
        if item.stash.get(_FLAKY, False):
            # At teardown: allure-pytest sets a passed call's details (none) after this hook.
            mark_flaky(item)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    if not is_worker(session.config):
        write_environment(session.config, metadata(session.config) or {})


def mark_flaky(item: pytest.Item) -> None:
    """Allure's own flaky mark on a test that failed, then passed (--reruns N): its
    earlier attempts are already there as retries (same history id). allure-pytest has
    no call for it, so the mark is set on the result it is writing."""
    listener = item.config.pluginmanager.getplugin("allure_listener")
    try:
        result = listener.allure_logger.get_test(listener._cache.get(item.nodeid))
    except AttributeError:  # another allure-pytest: the retries still show
        return
    if result is not None:
        result.statusDetails = StatusDetails(flaky=True, message=FLAKY_MESSAGE)


def start_run(config: pytest.Config) -> None:
    """Each run's results replace the last run's, as its artifacts do: emptied once, by
    the controller, before any worker writes (allure-pytest's --clean-alluredir would
    empty it in each worker, a restarted one included). Gather several runs by giving
    each its own --alluredir and the report all of them."""
    folder = results_dir(config)
    if folder is None or is_worker(config) or config.option.collectonly:
        return
    for path in folder.iterdir() if folder.is_dir() else ():
        shutil.rmtree(path) if path.is_dir() else path.unlink()


def step_nest(config: pytest.Config) -> Callable[[RecordedStep], ContextManager[Any]] | None:
    """Each recorded step is an Allure step too, its picture attached to it."""
    if results_dir(config) is None:
        return None

    @contextmanager
    def nest(step: RecordedStep) -> Iterator[None]:
        with allure.step(step.label):
            try:
                yield
            finally:
                if step.screenshot:
                    allure.attach(base64.b64decode(step.screenshot), name=step.label,
                                  attachment_type=allure.attachment_type.PNG)
    return nest


def name_test(item: pytest.Item, title: str, replay: str) -> None:
    """Title and place, once allure-pytest has named the test (after its setup) and
    before it files it by module (at teardown), so ours stand alone."""
    if results_dir(item.config) is None:
        return
    group, story = scenarios.group(item)
    allure.dynamic.title(title)
    for label, value in (("feature", group), ("parentSuite", group), ("story", story), ("suite", story)):
        if value:
            allure.dynamic.label(label, value)
    allure.dynamic.description(f"`{item.nodeid}`\n\nRejouer : `{replay}`")
    callspec = getattr(item, "callspec", None)
    if callspec is not None:
        # Allure tells a test's cases apart by their parameters, which allure-pytest
        # writes as repr() cut short, or as "<class 'bytes'>" for every bytes value:
        # cases differing there would show as retries of one test. pytest's case id
        # is unique in a test.
        allure.dynamic.parameter(CASE_PARAMETER, callspec.id)


def attach_artifacts(item: pytest.Item, report: pytest.TestReport) -> None:
    """Playwright's screenshot, trace and video of the attempt (on its teardown report)."""
    if results_dir(item.config) is None:
        return
    for name, value in report.user_properties:
        if name == "playwright_screenshot":
            allure.attach.file(value, name="Capture de Playwright (tentative tracée)",
                               attachment_type=allure.attachment_type.PNG)
        elif name == "playwright_trace":
            allure.attach.file(value, name="Trace Playwright", attachment_type=PLAYWRIGHT_TRACE, extension="zip")
        elif name == "playwright_video":
            allure.attach.file(value, name="Vidéo", attachment_type=allure.attachment_type.WEBM)


def write_environment(config: pytest.Config, environment: dict[str, Any]) -> None:
    """environment.properties beside the results: the report's environment (controller)."""
    folder = results_dir(config)
    if folder is None:
        return
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"{_escape(key, ' =:')}={_escape(_flat(value), '')}" for key, value in environment.items()]
    (folder / "environment.properties").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _flat(value: Any) -> str:
    """pytest-metadata's nested tables (packages, plugins) as one line."""
    if isinstance(value, dict):
        return ", ".join(f"{key} {item}" for key, item in value.items())
    return str(value).replace("\n", " ")


def _escape(text: str, specials: str) -> str:
    """Java properties' escapes: backslash, then the characters special where it stands."""
    text = text.replace("\\", "\\\\")
    for special in specials:
        text = text.replace(special, "\\" + special)
    return text
