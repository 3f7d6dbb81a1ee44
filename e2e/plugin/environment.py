"""The run's environment, at the head of report.html (pytest-metadata's table, which
pytest-html shows), in the terminal's header and in the Allure report: run seed, shard,
machine, browser and version, device, base URL, commit."""

from __future__ import annotations

import importlib.metadata
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .keys import BROWSER_BUILD, MOCK_UNREACHABLE, RUN_SEED
from .options import is_worker, machine_name, metadata

ENVIRONMENT_KEYS = ("Run seed", "Shard", "Machine", "Browser", "Device", "Base URL", "Commit", "Step screenshots")

_COMMIT = pytest.StashKey[str]()
_LEARNED = pytest.StashKey[bool]()  # this process knows the browser and the base URL
_BASE_URLS = pytest.StashKey[dict[str, str]]()  # worker id → its mock's base URL (controller)


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


def commit(config: pytest.Config) -> str:
    """The commit, asked of git once per run (report header and tutorial both show it)."""
    if _COMMIT not in config.stash:
        config.stash[_COMMIT] = commit_description(config.rootpath)
    return config.stash[_COMMIT]


def replay_command(config: pytest.Config, nodeid: str) -> str:
    return f".venv/bin/pytest --seed {config.stash[RUN_SEED]} '{nodeid}'"


def shard(config: pytest.Config) -> str | None:
    """"2/3" when pytest-split runs one group of the suite (--splits 3 --group 2)."""
    splits = config.getoption("splits", default=None)
    group = config.getoption("group", default=None)
    return f"{group}/{splits}" if splits and group else None


def asked_base_url(config: pytest.Config) -> str:
    """What the header says of the mock before any test has used it."""
    external = config.getoption("--mock-url", default=None)
    if not external:
        return "(not started: no scenario used the mock)"
    problem = config.stash.get(MOCK_UNREACHABLE, None)
    return f"{external} (--mock-url)" + (f": {problem}" if problem else "")


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if is_worker(config):
        config.workeroutput["moncompte_environment"] = {}
    else:
        config.stash[_BASE_URLS] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Our lines head the report's environment table (pytest-html reads it later), and
    junit.xml's test suite carries the seed, shard and machine as properties."""
    config = session.config
    if is_worker(config):
        return
    seed = config.stash[RUN_SEED]
    _junit_properties(config, {"run_seed": seed, "shard": shard(config), "machine": machine_name()})
    table = metadata(config)
    if table is None:
        return
    ours = {
        "Run seed": f"{seed} (replay: --seed {seed})",
        "Shard": shard(config),
        "Machine": machine_name(),
        "Browser": "(not started: no browser scenario ran)",
        "Device": config.getoption("--device", default=None) or "desktop (1280×720)",
        "Base URL": asked_base_url(config),
        "Commit": commit(config),
        "Step screenshots": config.getoption("--step-screenshots"),
    }
    # Ours first, in a fixed order, then what pytest-metadata collected (same dict:
    # pytest-html holds a reference to it and renders it at the end of the run).
    others = {key: value for key, value in table.items() if key not in ENVIRONMENT_KEYS}
    table.clear()
    table.update((key, value) for key, value in ours.items() if value is not None)
    table.update(others)


def _junit_properties(config: pytest.Config, properties: dict[str, Any]) -> None:
    from _pytest.junitxml import xml_key

    xml = config.stash.get(xml_key, None)
    if xml is not None:  # the controller's writer: the workers' own are not written
        for name, value in properties.items():
            if value is not None:
                xml.add_global_property(name, value)


def pytest_report_header(config: pytest.Config) -> str | None:
    where = shard(config)
    return f"shard {where} (pytest-split), machine {machine_name()}" if where else None


def pytest_html_report_title(report: Any) -> None:
    report.title = "Mon Compte — scénarios"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        _learn_environment(item)
    if report.failed:
        seed = item.config.stash[RUN_SEED]
        report.sections.append(("run seed", f"{seed} — replay with: pytest --seed {seed} '{item.nodeid}'"))


def _learn_environment(item: pytest.Item) -> None:
    """Browser and base URL, from the fixtures a test used; sent to the controller.
    Both are the same for every test of a process: learned once, then skipped."""
    config = item.config
    if config.stash.get(_LEARNED, False):
        return
    learned: dict[str, str] = {}
    funcargs = getattr(item, "funcargs", {})
    browser = funcargs.get("browser")
    if browser is not None:
        try:
            build = config.stash.get(BROWSER_BUILD, None)
            learned["Browser"] = f"{browser.browser_type.name} {browser.version}" + (f", {build}" if build else "")
        except Exception:  # a browser closed by the test: keep what we know
            pass
    base_url = funcargs.get("base_url")
    if base_url:
        learned["Base URL"] = str(base_url)
    if not learned:
        return
    config.stash[_LEARNED] = learned.keys() == {"Browser", "Base URL"}
    if is_worker(config):
        config.workeroutput["moncompte_environment"].update(learned)
    else:
        _record_environment(config, learned, worker="")


def _record_environment(config: pytest.Config, learned: dict[str, str], worker: str) -> None:
    table = metadata(config)
    if table is None:
        return
    if "Browser" in learned:
        table["Browser"] = learned["Browser"]
    if "Base URL" in learned:
        urls = config.stash[_BASE_URLS]
        urls[worker] = learned["Base URL"]
        if len(urls) == 1:
            table["Base URL"] = next(iter(urls.values()))
        else:  # one embedded mock per worker, each on its own free port
            table["Base URL"] = ", ".join(f"{url} ({name})" for name, url in sorted(urls.items()))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    learned = getattr(node, "workeroutput", {}).get("moncompte_environment") or {}
    if learned:
        _record_environment(node.config, learned, worker=node.workerinput["workerid"])
