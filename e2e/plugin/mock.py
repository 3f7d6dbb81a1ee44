"""The mock: one per worker (a live WSGI server on a free port, in-process), or the one
at --mock-url; its control API, and the knobs a test turns and gets back afterwards.

The fixtures themselves are pytest_franceconnect_mock's (the plugin any application's
suite gets with `pip install`), under the names this project's suites know; this module
points them at the harness's --mock-url and run seed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the mock's package is imported by the fixtures that start it
    from pytest_franceconnect_mock.control import ControlClient


# The plugin's own settings, from the harness's options ----------------------------------


@pytest.fixture(scope="session")
def fc_external_mock_url(pytestconfig: pytest.Config) -> str | None:
    """The harness's --mock-url (checked before any worker starts, options.py), or the plugin's own --fc-mock-url."""
    external = pytestconfig.getoption("--mock-url") or pytestconfig.getoption("fc_mock_url")
    return external.rstrip("/") if external else None


@pytest.fixture(scope="session")
def fc_seed(run_seed: int) -> int:
    """Personas drawn from the run seed: --seed N replays a failure with the same people."""
    return run_seed


# The harness's names ---------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_server(fc_live_server: Any) -> Any:
    """This worker's embedded mock (a LiveServer on a free port), or None with --mock-url."""
    return fc_live_server


@pytest.fixture(scope="session")
def mock_control_url(fc_mock_url: str) -> str:
    """Control URL of this worker's mock: the embedded live server unless --mock-url is given."""
    return fc_mock_url


@pytest.fixture(scope="session")
def worker_control(fc_session_control: ControlClient) -> ControlClient:
    return fc_session_control


@pytest.fixture
def control(fc_control: ControlClient) -> ControlClient:
    """The control API. A test that moves the mock's clock gets it back on real
    time afterwards: the next test must not start in its future."""
    return fc_control


@pytest.fixture
def faults(fc_faults: ControlClient) -> ControlClient:
    """Set faults for this test (`faults.add_fault(kind="status", status=503, site="ameli")`);
    all are cleared afterwards, whether the test passed or failed."""
    return fc_faults


@pytest.fixture
def mock_settings(fc_settings: Callable[..., dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """Turn the mock's knobs for this test: `mock_settings(upstream_timeout_seconds=1)`
    (FranceConnect's patience), `lockout_threshold`, `lockout_minutes`; the values from
    before are put back afterwards, whether the test passed or failed."""
    return fc_settings


@pytest.fixture(scope="session")
def sites(fc_sites: dict[str, str]) -> dict[str, str]:
    return fc_sites


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
