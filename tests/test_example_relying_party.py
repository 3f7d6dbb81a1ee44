"""The example application (examples/relying_party/app.py), without a browser:
what it shows of the identity received, and what it says when its back end
cannot reach FranceConnect (e2e/test_external_client.py runs the whole flow)."""

from __future__ import annotations

import importlib.util
import socket
from pathlib import Path
from types import ModuleType

import pytest

APP_FILE = Path(__file__).resolve().parent.parent / "examples" / "relying_party" / "app.py"
SECRET = "s" * 40


@pytest.fixture(scope="module")
def example() -> ModuleType:
    spec = importlib.util.spec_from_file_location("example_relying_party_fast", APP_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def signed_in(example: ModuleType, userinfo: dict) -> str:
    app = example.create_app("http://franceconnect.localhost:8765/api/v2", "service", SECRET, "http://localhost:5000")
    client = app.test_client()
    with client.session_transaction() as session:
        session["user"] = {"id_token": "x", "id_claims": {}, "userinfo": userinfo}
    return client.get("/").get_data(as_text=True)


USERINFO = {"sub": "abc", "given_name": "Véronique", "family_name": "Ollivier", "birthdate": "1965-12-14",
            "gender": "female", "birthplace": "75056", "birthcountry": "99100", "email": "v@example.org"}


def test_the_identity_is_shown_in_french(example) -> None:
    page = signed_in(example, USERINFO)
    assert '<dd data-claim="gender">femme</dd>' in page
    assert '<dd data-claim="birthdate">14/12/1965</dd>' in page
    assert ">female<" not in page and "1965-12-14" not in page


def test_a_man_is_homme(example) -> None:
    page = signed_in(example, {**USERINFO, "gender": "male"})
    assert '<dd data-claim="gender">homme</dd>' in page


# FranceConnect out of reach ----------------------------------------------------------------


@pytest.fixture
def no_localhost_resolution(monkeypatch) -> None:
    """This system's resolver knows no *.localhost name (as many do not); others resolve as usual."""
    real = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        if isinstance(host, str) and host.endswith(".localhost"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_an_unresolvable_franceconnect_is_explained(example, no_localhost_resolution) -> None:
    app = example.create_app("http://franceconnect.localhost:8765/api/v2", "service", SECRET, "http://localhost:5000")
    response = app.test_client().get("/login")
    assert response.status_code == 502
    page = response.get_data(as_text=True)
    assert "franceconnect.localhost" in page
    for remedy in ("RESOLVE_LOCALHOST=1", "/etc/hosts", "--domain"):
        assert remedy in page, remedy
    assert "ConnectionError</code>" not in page


def test_resolve_localhost_reaches_franceconnect_without_the_systems_resolver(example, no_localhost_resolution,
                                                                               closed_port) -> None:
    """With RESOLVE_LOCALHOST's session the call goes to 127.0.0.1: refused here (nothing
    listens on the port), which the page says as such, naming the address it tried."""
    app = example.create_app(f"http://franceconnect.localhost:{closed_port}/api/v2", "service", SECRET,
                             "http://localhost:5000", example.localhost_session())
    page = app.test_client().get("/login").get_data(as_text=True)
    assert f"franceconnect.localhost:{closed_port}" in page
    assert "/etc/hosts" not in page


def test_a_franceconnect_that_refuses_connections_is_named(example, closed_port) -> None:
    app = example.create_app(f"http://127.0.0.1:{closed_port}/api/v2", "service", SECRET, "http://localhost:5000")
    response = app.test_client().get("/login")
    page = response.get_data(as_text=True)
    assert response.status_code == 502
    assert f"127.0.0.1:{closed_port}" in page
