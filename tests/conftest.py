"""Fast tests: the mock through Flask's test client, no browser, no socket."""

from __future__ import annotations

import dataclasses
import re
import socket
from collections.abc import Callable, Iterator

import pytest
from faker import Faker
from flask.testing import FlaskClient

from mock_server import create_app
from mock_server.config import MockConfig
from mock_server.personas import Persona, generate_persona
from mock_server.sites import SiteDispatcher

# Registers the Hypothesis profiles before pytest reads --hypothesis-profile.
from . import hypothesis_profiles  # noqa: F401,E402

CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def built_mock() -> tuple[SiteDispatcher, MockConfig]:
    """The mock, built once per test process (every site's routes and templates: about
    30 ms, more than most tests take), and a copy of the configuration it was built with."""
    config = MockConfig()
    return create_app(config), dataclasses.replace(config)


@pytest.fixture
def mock_app(built_mock: tuple[SiteDispatcher, MockConfig]) -> SiteDispatcher:
    """The mock as just built: its store emptied (personas, sessions, codes, outbox,
    clients, faults, journal, clock) and its configuration put back, whatever the test
    before did to them."""
    app, built_with = built_mock
    app.store.reset()
    for field in dataclasses.fields(built_with):
        setattr(app.config, field.name, getattr(built_with, field.name))
    return app


@pytest.fixture
def client(mock_app: SiteDispatcher) -> FlaskClient:
    """A browser-like client of the Mon Compte site (keeps cookies)."""
    return mock_app.sites["moncompte"].test_client()


@pytest.fixture
def api(mock_app: SiteDispatcher) -> FlaskClient:
    """A client of the control API on 127.0.0.1."""
    return mock_app.root.test_client()


@pytest.fixture
def add_persona(mock_app: SiteDispatcher) -> Callable[..., Persona]:
    faker = Faker("fr_FR")
    faker.seed_instance(7)

    def add(**fields) -> Persona:
        return mock_app.store.add_persona(generate_persona(faker, **fields))

    return add


@pytest.fixture
def store(mock_app: SiteDispatcher):
    return mock_app.store


@pytest.fixture
def persona(add_persona: Callable[..., Persona]) -> Persona:
    return add_persona()


@pytest.fixture
def unknown_nir(add_persona: Callable[..., Persona], store) -> str:
    """A well-formed NIR the mock does not know."""
    gone = add_persona()
    store.delete_persona(gone.id)
    return gone.nir


def csrf_token(client: FlaskClient, path: str = "/connexion") -> str:
    html = client.get(path).get_data(as_text=True)
    match = CSRF_FIELD.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


def post_login(client: FlaskClient, identifier: str, password: str, *, provisional: bool = False,
               remember: bool = False, path: str = "/connexion", token: str | None = None):
    data = {"csrf_token": token if token is not None else csrf_token(client), "password": password}
    if provisional:
        data.update(provisional="y", provisional_id=identifier)
    else:
        data["nir"] = identifier
    if remember:
        data["remember"] = "y"
    return client.post(path, data=data)


def _assert_named(response, field: str, status: int = 422) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert response.get_json()["field"] == field
    assert response.get_json()["error"]


@pytest.fixture
def assert_named() -> Callable[..., None]:
    """`assert_named(response, "field", status=422)`: the control API refused, naming that field."""
    return _assert_named


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port where nothing listens, held bound (never listening) for the
    test, so no other process takes it meanwhile: a connection to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        yield probe.getsockname()[1]
