"""pytest fixtures for an application that signs people in with FranceConnect: the mock
FranceConnect (and Mon Compte, and its identity providers) started in the test process on
a free port, the application registered with it, personas to sign in with, faults, the
clock, the outbox, and a browserless walk through FranceConnect's pages.

Installed with the project (`pip install moncompte-harness`), pytest loads it by itself
(entry point ``pytest11``, named as this package). Every fixture is prefixed ``fc_``, so an
application's own ``client``, ``app`` or ``live_server`` fixtures keep their meaning; each
can be overridden in a conftest.py like any fixture. ``-p no:pytest_franceconnect_mock``
turns the plugin off.

Importing this module imports nothing but pytest: the mock's package is imported by the
fixtures that start it, so a run that uses none of them starts nothing and pays nothing.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # imported by the fixtures that use them
    import requests

    from pytest_franceconnect_mock.control import ControlClient
    from pytest_franceconnect_mock.personas import PersonaFactory
    from mock_server.personas import Persona
    from mock_server.server import LiveServer

    from .clients import RegisteredClient
    from .walker import BrowserLike

MOCK_URL_ENV = "FC_MOCK_URL"
# The application's registration when the test suite does not override fc_client_registration.
DEFAULT_REGISTRATION: dict[str, Any] = {
    "name": "Application testée",
    "redirect_uris": ["http://localhost:8000/callback"],
    "post_logout_redirect_uris": ["http://localhost:8000/"],
}


def pytest_addoption(parser: pytest.Parser) -> None:
    # Named apart from the harness's own --mock-url: an application's suite may have a
    # --mock-url of its own, and both live side by side in this project's runs.
    group = parser.getgroup("franceconnect_mock", "FranceConnect mock (pytest_franceconnect_mock)")
    group.addoption(
        "--fc-mock-url", default=os.environ.get(MOCK_URL_ENV) or None, metavar="URL",
        help=f"control URL of a mock already running (python -m mock_server, e.g. http://127.0.0.1:8765) "
        f"for the fc_* fixtures; default: ${MOCK_URL_ENV}, else one started in the test process",
    )


# The mock -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def fc_external_mock_url(pytestconfig: pytest.Config) -> str | None:
    """The mock to use instead of starting one (--fc-mock-url), or None."""
    url = pytestconfig.getoption("fc_mock_url")
    return url.rstrip("/") if url else None


@pytest.fixture(scope="session")
def fc_live_server(fc_external_mock_url: str | None) -> Iterator[LiveServer | None]:
    """The mock, started in this process on a free port of 127.0.0.1 for the session (one
    per xdist worker); None when an external mock is used."""
    if fc_external_mock_url:
        yield None
        return
    from mock_server.server import LiveServer

    with LiveServer() as server:
        yield server


@pytest.fixture(scope="session")
def fc_mock_url(fc_external_mock_url: str | None, fc_live_server: LiveServer | None) -> str:
    """The mock's control URL, e.g. http://127.0.0.1:41235 (its control API is under /__mock__/)."""
    return fc_external_mock_url or fc_live_server.control_url


@pytest.fixture(scope="session")
def fc_session_control(fc_mock_url: str, fc_live_server: LiveServer | None) -> Iterator[ControlClient]:
    """The control API for the whole session. The in-process mock is called without a socket
    (httpx's WSGI transport); an external one over HTTP, checked once here."""
    from pytest_franceconnect_mock.control import ControlClient

    client = ControlClient(fc_mock_url, app=fc_live_server.app if fc_live_server is not None else None)
    if fc_live_server is None:
        try:
            client.health()
        except Exception as error:  # refused, timed out, not a mock: all say the same
            client.close()
            pytest.fail(f"no mock answers at {fc_mock_url} ({type(error).__name__}): start one "
                        f"(python -m mock_server --port …) or leave --fc-mock-url out", pytrace=False)
    yield client
    client.close()


@pytest.fixture
def fc_control(fc_session_control: ControlClient) -> Iterator[ControlClient]:
    """The control API for one test: personas, outbox, clock, faults, journal. A test that
    moved the mock's clock gets it back on real time afterwards."""
    yield fc_session_control
    if fc_session_control.clock_moved:
        fc_session_control.real_time()


@pytest.fixture
def fc_faults(fc_control: ControlClient) -> Iterator[ControlClient]:
    """Faults for this test (`fc_faults.add_fault(kind=…)`), all cleared afterwards."""
    yield fc_control
    fc_control.clear_faults()


@pytest.fixture
def fc_settings(fc_control: ControlClient) -> Iterator[Callable[..., dict[str, Any]]]:
    """`fc_settings(upstream_timeout_seconds=1)`: change the mock's settings for this test;
    the values from before are put back afterwards."""
    before = fc_control.settings()
    yield fc_control.change_settings
    fc_control.change_settings(**before)


@pytest.fixture(scope="session")
def fc_sites(fc_session_control: ControlClient) -> dict[str, str]:
    """Each site's base URL: {"franceconnect": "http://franceconnect.localhost:41235", "ameli": …}."""
    return fc_session_control.sites()


@pytest.fixture(scope="session")
def fc_issuer(fc_sites: dict[str, str]) -> str:
    """FranceConnect's issuer: its discovery document is at <issuer>/.well-known/openid-configuration."""
    return f"{fc_sites['franceconnect']}/api/v2"


@pytest.fixture
def fc_http() -> Iterator[requests.Session]:
    """A requests.Session that reaches the mock's *.localhost sites on 127.0.0.1 (Host header
    kept): Python's resolver does not resolve *.localhost everywhere, browsers do. Give it to
    the application's OpenID Connect client for its calls to FranceConnect."""
    from .walker import loopback_session

    with loopback_session() as session:
        yield session


# The application, registered with FranceConnect --------------------------------------------


@pytest.fixture
def fc_client_registration() -> dict[str, Any]:
    """What fc_client registers: override it with the application's redirect URIs and kind,
    e.g. {"redirect_uris": [...], "post_logout_redirect_uris": [...], "type": "private"}.
    Any field of POST /__mock__/franceconnect/clients is passed on as it is."""
    return dict(DEFAULT_REGISTRATION)


@pytest.fixture
def fc_register_client(fc_control: ControlClient) -> Iterator[Callable[..., RegisteredClient]]:
    """`fc_register_client(redirect_uris=[...], **fields)`: register an application with the
    mock FranceConnect; client_id and client_secret are made up unless given. Each is
    deleted after the test."""
    from pytest_franceconnect_mock.control import ControlError

    from .clients import RegisteredClient

    registered: list[str] = []

    def register(**fields: Any) -> RegisteredClient:
        body = {"client_id": f"app-{uuid.uuid4().hex[:12]}", **fields}
        if "client_secret" not in body and body.get("token_endpoint_auth_method") != "private_key_jwt":
            body["client_secret"] = secrets.token_urlsafe(32)
        answer = fc_control.register_fc_client(**body)
        registered.append(answer["client_id"])
        return RegisteredClient.from_answer({**answer, "client_secret": body.get("client_secret")})

    yield register
    for client_id in registered:
        try:
            fc_control.delete_fc_client(client_id)
        except ControlError as error:
            if error.status != 404:  # the test deleted it itself
                raise


@pytest.fixture
def fc_client(fc_register_client: Callable[..., RegisteredClient],
              fc_client_registration: dict[str, Any]) -> RegisteredClient:
    """The application registered with the mock FranceConnect (fc_client_registration),
    for this test: client_id, client_secret, issuer, discovery_url, redirect_uris…"""
    return fc_register_client(**fc_client_registration)


# Personas ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def fc_seed() -> int:
    """The seed personas are drawn from, with each test's id: the same test gets the same
    people on every run. Override it to vary them."""
    return 0


@pytest.fixture(scope="session")
def fc_faker() -> Any:
    """A fr_FR Faker, reseeded for each test by fc_persona_factory."""
    from faker import Faker

    return Faker("fr_FR")


@pytest.fixture
def fc_persona_factory(fc_seed: int, request: pytest.FixtureRequest, fc_faker: Any) -> PersonaFactory:
    """Persona data (a dict for the control API) drawn from fc_seed and this test's id."""
    from pytest_franceconnect_mock.personas import PersonaFactory

    return PersonaFactory(fc_seed, request.node.nodeid, fc_faker)


@pytest.fixture
def fc_make_persona(fc_control: ControlClient,
                    fc_persona_factory: PersonaFactory) -> Iterator[Callable[..., Persona]]:
    """`fc_make_persona(**fields)`: a person the identity providers know, created on the mock
    (given_name="Marie", birthplace="75056", fc_error="…", provisional=True…), the other fields
    drawn from the test's seed. Deleted after the test."""
    created: list[Persona] = []

    def make(**fields: Any) -> Persona:
        persona = fc_control.create_persona(**fc_persona_factory.persona(**fields))
        created.append(persona)
        return persona

    yield make
    for persona in created:
        fc_control.delete_persona(persona.id)


@pytest.fixture
def fc_persona(fc_make_persona: Callable[..., Persona]) -> Persona:
    """One persona: .given_name, .family_name, .birthdate…, .credentials[provider] to log in with."""
    return fc_make_persona()


# A person at FranceConnect, without a browser -------------------------------------------------


@pytest.fixture
def fc_browser(fc_session_control: ControlClient) -> Iterator[BrowserLike]:
    """Walks FranceConnect's and the identity provider's pages as a person would, with its
    own cookies: `fc_browser.sign_in(authorization_url, persona)` returns the URL FranceConnect
    sends the browser back to (the redirect URI with code and state), never following it.
    With `idp="franceidentite"` the persona approves on its phone (the control API)."""
    from .walker import BrowserLike

    def approve(persona: Any, code: str) -> None:
        fc_session_control.approve_on_phone(persona.id, code=code or None)

    with BrowserLike(approve=approve) as browser:
        yield browser
