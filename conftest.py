"""The harness: run seed, one mock server per worker, control client, personas, Chromium.

Fixtures are small and layered so each can be overridden, as pytest-playwright's are.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from e2e.stash_keys import BROWSER_BUILD, MOCK_UNREACHABLE, RUN_SEED
from fixtures.control import ControlClient
from fixtures.personas import PersonaFactory
from mock_server.personas import Persona

try:
    from pytest_metadata.plugin import metadata_key
except ImportError:  # pytest-html not installed
    metadata_key = None

# A failed scenario's traced retry; steps, screenshots, journal and environment in the
# reports; the tutorial. (In this order: the reports ask the retry which attempt ran.)
pytest_plugins = ["e2e.traced_retry", "e2e.reporting"]

# How long --mock-url has to answer before any test runs.
MOCK_CHECK_SECONDS = 3.0


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("moncompte", "Mon Compte harness")
    group.addoption("--seed", type=int, default=None, help="run seed for test data (default: random, printed)")
    group.addoption(
        "--mock-url",
        default=os.environ.get("MOCK_URL"),
        help="control URL of an already-running mock (e.g. http://127.0.0.1:8765); "
        "default: start one in each worker",
    )


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
    if config.getoption("--video", default="off") != "off":
        _ensure_video()
    # The seed heads the report's environment table (pytest-metadata, used by pytest-html).
    if metadata_key is not None and metadata_key in config.stash:
        config.stash[metadata_key]["Run seed"] = f"{seed} (replay: --seed {seed})"
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


def pytest_html_report_title(report: Any) -> None:
    report.title = "Mon Compte — scénarios"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        seed = item.config.stash[RUN_SEED]
        report.sections.append(
            ("run seed", f"{seed} — replay with: pytest --seed {seed} '{item.nodeid}'")
        )


# Data -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def run_seed(pytestconfig: pytest.Config, record_testsuite_property: Callable[[str, Any], None]) -> int:
    seed = pytestconfig.stash[RUN_SEED]
    record_testsuite_property("run_seed", seed)
    return seed


@pytest.fixture(scope="session")
def french_faker() -> Any:
    from faker import Faker

    return Faker("fr_FR")


@pytest.fixture
def persona_factory(run_seed: int, request: pytest.FixtureRequest, french_faker: Any) -> PersonaFactory:
    """Test data derived from the run seed and this test's id: a failure replays identically."""
    return PersonaFactory(run_seed, request.node.nodeid, french_faker)


# The mock -------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(pytestconfig: pytest.Config) -> Iterator[Any]:
    """This worker's embedded mock (a LiveServer on a free port), or None with --mock-url."""
    if pytestconfig.getoption("--mock-url"):
        yield None
        return
    from mock_server.server import LiveServer

    with LiveServer() as server:
        yield server


@pytest.fixture(scope="session")
def mock_control_url(pytestconfig: pytest.Config, live_server: Any) -> str:
    """Control URL of this worker's mock: the embedded live server unless --mock-url is given."""
    external = pytestconfig.getoption("--mock-url")
    return external.rstrip("/") if external else live_server.control_url


@pytest.fixture(scope="session")
def worker_control(mock_control_url: str, live_server: Any) -> Iterator[ControlClient]:
    # The embedded mock is called in-process (no socket: a few milliseconds saved on
    # every call of every test); a mock elsewhere over HTTP.
    client = ControlClient(mock_control_url, app=live_server.app if live_server is not None else None)
    yield client
    client.close()


@pytest.fixture
def control(worker_control: ControlClient) -> Iterator[ControlClient]:
    """The control API. A test that moves the mock's clock gets it back on real
    time afterwards: the next test must not start in its future."""
    yield worker_control
    if worker_control.clock_moved:
        worker_control.real_time()


@pytest.fixture
def faults(control: ControlClient) -> Iterator[ControlClient]:
    """Set faults for this test (`faults.add_fault(kind="status", status=503, site="ameli")`);
    all are cleared afterwards, whether the test passed or failed."""
    yield control
    control.clear_faults()


@pytest.fixture
def mock_settings(control: ControlClient) -> Iterator[Callable[..., dict[str, Any]]]:
    """Turn the mock's knobs for this test: `mock_settings(upstream_timeout_seconds=1)`
    (FranceConnect's patience), `lockout_threshold`, `lockout_minutes`; the values from
    before are put back afterwards, whether the test passed or failed."""
    before = control.settings()
    yield control.change_settings
    control.change_settings(**before)


@pytest.fixture(autouse=True)
def scenario(request: pytest.FixtureRequest) -> Iterator[None]:
    """`@pytest.mark.scenario("ameli-down")`: the named scenario is set for the test, then cleared."""
    marker = request.node.get_closest_marker("scenario")
    if marker is None:
        yield
        return
    control: ControlClient = request.getfixturevalue("control")
    for name in marker.args:
        control.apply_scenario(name)
    yield
    control.clear_faults()


@pytest.fixture(scope="session")
def sites(worker_control: ControlClient) -> dict[str, str]:
    return worker_control.sites()


@pytest.fixture
def make_persona(control: ControlClient, persona_factory: PersonaFactory) -> Iterator[Callable[..., Persona]]:
    """Create personas on the mock from this test's data; they are removed afterwards."""
    created: list[Persona] = []

    def make(kind: str = "nir", **overrides: Any) -> Persona:
        spec = {
            "nir": persona_factory.persona,
            "corsican": persona_factory.corsican,
            "provisional": persona_factory.provisional,
        }[kind](**overrides)
        persona = control.create_persona(**spec)
        created.append(persona)
        return persona

    yield make
    for persona in created:
        control.delete_persona(persona.id)


@pytest.fixture
def persona(make_persona: Callable[..., Persona]) -> Persona:
    return make_persona()


# The browser ----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, browser_name: str, pytestconfig: pytest.Config) -> dict:
    """Chromium's headless shell for headless runs, the full Chromium for headed ones:
    Playwright's own builds if installed, else the system's (see fixtures/chromium.py)."""
    if browser_name != "chromium" or pytestconfig.getoption("--browser-channel"):
        return browser_type_launch_args
    from fixtures.chromium import ChromiumError, find_chromium, launch_options

    headless = browser_type_launch_args.get("headless", True)
    try:
        chromium = find_chromium(headless)
    except ChromiumError as error:
        pytest.exit(str(error), returncode=4)
    if chromium is None:
        pytest.exit("No Chromium found: run `make e2e` once, or set CHROMIUM_PATH.", returncode=4)
    pytestconfig.stash[BROWSER_BUILD] = chromium.describe()
    options = launch_options(chromium)
    args = [*browser_type_launch_args.get("args", []), *options.pop("args", [])]
    return {**options, **browser_type_launch_args, "args": args}


@pytest.fixture(scope="session")
def base_url(sites: dict[str, str]) -> str:
    """Pages open relative to Mon Compte: page.goto("/connexion")."""
    return sites["moncompte"]
