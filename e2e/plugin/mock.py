"""The mock: one per worker (a live WSGI server on a free port, in-process), or the one
at --mock-url; its control API, and the knobs a test turns and gets back afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the mock's package is imported by the fixtures that start it
    from fixtures.control import ControlClient


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
    from fixtures.control import ControlClient

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
