"""Every option of the harness, and the run's configuration read from them.

`pytest --help` lists them under "Mon Compte harness". pytest-playwright's own
(--headed, --slowmo, --browser-channel, --tracing, --device…), pytest-xdist's,
pytest-rerunfailures' (--reruns), pytest-timeout's (--timeout) and pytest-split's
(--splits, --group) keep their meaning; the harness only chooses defaults around them.
"""

from __future__ import annotations

import argparse
import os
import random
import socket
from typing import Any

import pytest

from ..steps import SCREENSHOT_MODES
from .keys import MOCK_UNREACHABLE, RUN_SEED
from .remote import BROWSER_CHOICES, BROWSER_ENV, EXPOSE_NETWORK_ENV, LOOPBACK_RULE, NO_EXPOSURE, WS_ENDPOINT_ENV, plan_for

try:
    from pytest_metadata.plugin import metadata_key
except ImportError:  # pytest-html not installed
    metadata_key = None

# How long --mock-url has to answer before any test runs.
MOCK_CHECK_SECONDS = 3.0
FAILURE_TRACE_MODES = ("retry", "off")
# A test's time limit when pytest-timeout's own --timeout is not given (seconds; 0: none).
BROWSER_TEST_TIMEOUT = 60.0
FAST_TEST_TIMEOUT = 10.0


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("moncompte", "Mon Compte harness")
    group.addoption("--seed", type=int, default=_env_seed(), help="run seed for test data "
                    "(default: $SEED, else random; printed, and the same in every worker and shard)")
    group.addoption(
        "--mock-url",
        default=os.environ.get("MOCK_URL"),
        help="control URL of an already-running mock (e.g. http://127.0.0.1:8765); "
        "default: start one in each worker",
    )
    group.addoption(
        "--failure-trace", choices=FAILURE_TRACE_MODES, default="retry",
        help="'retry' (default): a failed browser scenario runs once more with Playwright's trace "
        "and screenshots, kept in the report, and stays failed; 'off': no retry. "
        "With --reruns N, every attempt is traced and a test that fails then passes is flaky",
    )
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
    group.addoption(
        "--pass-rates", action="store_true", default=False,
        help="print how often each test passed, for tests run many times (pytest-repeat's --count N; "
        "make flaky K=… COUNT=20)",
    )
    group.addoption(
        "--browser-test-timeout", type=_seconds, default=BROWSER_TEST_TIMEOUT, metavar="SECONDS",
        help=f"time limit of a test that uses a browser (default {BROWSER_TEST_TIMEOUT:g}; 0: none); "
        "pytest-timeout's --timeout, when given, sets one limit for every test instead",
    )
    group.addoption(
        "--fast-test-timeout", type=_seconds, default=FAST_TEST_TIMEOUT, metavar="SECONDS",
        help=f"time limit of a test without a browser (default {FAST_TEST_TIMEOUT:g}; 0: none)",
    )
    _add_connect_options(group)


def _add_connect_options(group: Any) -> None:
    """A browser on a Playwright server (e2e/plugin/remote.py)."""
    group.addoption(
        "--connect", metavar="WS_URL", default=None,
        help=f"drive a browser on a Playwright server (playwright run-server, the Docker image "
        f"mcr.microsoft.com/playwright) at WS_URL, e.g. ws://127.0.0.1:3000/, instead of launching one "
        f"(default: ${WS_ENDPOINT_ENV}; an empty value turns it off)",
    )
    group.addoption(
        "--connect-browser", choices=BROWSER_CHOICES, default=None,
        help=f"with --connect: 'local' names this machine's Chromium (the server runs here, "
        f"started with --unsafe), 'server' lets the server use its own build; 'auto' (default, "
        f"or ${BROWSER_ENV}): local when WS_URL's host is loopback and a Chromium is found here",
    )
    group.addoption(
        "--connect-expose-network", metavar="RULES", default=None,
        help=f"with --connect: what of this machine's network the browser reaches, in Playwright's "
        f"exposeNetwork rules ('{LOOPBACK_RULE}', 'host.example:8080,*.test', '*'), or '{NO_EXPOSURE}'; "
        f"'auto' (default, or ${EXPOSE_NETWORK_ENV}): none with a local build, {LOOPBACK_RULE} otherwise",
    )


def _env_seed() -> int | None:
    value = os.environ.get("SEED", "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise pytest.UsageError(f"SEED={value!r}: the run seed is a whole number, e.g. SEED=123456") from None


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if seconds < 0:
        raise argparse.ArgumentTypeError("a time limit cannot be negative (0 means none)")
    return seconds


def is_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


def metadata(config: pytest.Config) -> dict[str, Any] | None:
    """The report's environment table (pytest-metadata), where pytest-html is loaded."""
    if metadata_key is None or metadata_key not in config.stash:
        return None
    return config.stash[metadata_key]


def machine_name() -> str:
    return socket.gethostname() or "unknown"


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    workerinput = getattr(config, "workerinput", None)
    if workerinput is not None:
        seed = workerinput["run_seed"]
        # Each xdist worker writes artifacts to its own folder: pytest-playwright
        # empties its output folder when a worker starts (playwright-pytest #108).
        if getattr(config.option, "output", None):
            config.option.output = os.path.join(config.option.output, workerinput["workerid"])
    else:
        seed = config.getoption("--seed")
        if seed is None:
            seed = random.SystemRandom().randrange(1, 10**6)
    config.stash[RUN_SEED] = seed
    plan = plan_for(config)  # remote.py's configure runs first
    if config.getoption("--video", default="off") != "off" and not (plan and plan.browser == "server"):
        _ensure_video()  # a server's own build records with the server's ffmpeg
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistSeed(), "moncompte-xdist-seed")


def _ensure_video() -> None:
    """--video needs an ffmpeg for Playwright: its own, or the system's lent to it."""
    from fixtures.ffmpeg import VideoUnavailable, ensure_ffmpeg

    try:
        ensure_ffmpeg()
    except VideoUnavailable as error:
        pytest.exit(str(error), returncode=4)


class _XdistSeed:
    """Hands the controller's seed to every worker, so all share one run seed."""

    @pytest.hookimpl(optionalhook=True)
    def pytest_configure_node(self, node: Any) -> None:
        node.workerinput["run_seed"] = node.config.stash[RUN_SEED]


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """A --mock-url that does not answer is said once, before any worker starts: the
    run then collects, runs nothing and exits 2, and the report says what was asked."""
    url = config.getoption("--mock-url")
    if not url or config.getoption("collectonly") or config.getoption("help"):
        return
    from pytest_franceconnect_mock.control import ControlClient  # the mock's package: imported when it is used

    client = ControlClient(url, timeout=MOCK_CHECK_SECONDS)
    try:
        client.health()
    except Exception as error:  # refused, timed out, not a mock: all say the same to a person
        config.stash[MOCK_UNREACHABLE] = f"no answer ({type(error).__name__})"
        config.option.numprocesses = 0  # nothing to share out: no worker is started
    finally:
        client.close()


def pytest_runtestloop(session: pytest.Session) -> bool | None:
    return True if MOCK_UNREACHABLE in session.config.stash else None


def pytest_sessionfinish(session: pytest.Session) -> None:
    if MOCK_UNREACHABLE in session.config.stash:
        session.exitstatus = pytest.ExitCode.INTERRUPTED  # 2, as for any run stopped before its tests


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    if MOCK_UNREACHABLE in config.stash:
        url = config.getoption("--mock-url")
        terminalreporter.write_line(
            f"No mock answers at {url} (--mock-url): start one with `make serve PORT=<its port>`, "
            "or leave --mock-url out and each worker starts its own. No test was run.", red=True, bold=True)


def pytest_report_header(config: pytest.Config) -> str:
    seed = config.stash[RUN_SEED]
    return f"run seed: {seed} (replay with --seed {seed})"
