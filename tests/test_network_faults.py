"""Network faults on the mock's calls between servers, and answers of the wrong
shape: how a fault is set (and refused), what the bad network's sockets do to a
real client, and which failure each kind becomes for FranceConnect's client."""

from __future__ import annotations

import errno
import http.client
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import urllib3

from mock_server.oidc.relying_party import LoginFailed, mount_loopback
from mock_server.server import LiveServer
from mock_server.simulation.faults import CALL_KINDS, NETWORK_KINDS, SHAPE_KINDS, calls_between_sites
from mock_server.simulation.network import BadNetwork

# A caller's patience here: connection_timed_out lasts this long.
PATIENCE_SECONDS = 0.5
JWKS = "/oidc/jwks"


@dataclass(frozen=True)
class CallFailure:
    """What a real client meets on a call the fault names."""

    kind: str
    raised: type[requests.RequestException]  # what requests raises
    cause: Callable[[BaseException], bool]  # the OS- or HTTP-level reason at the bottom
    login: str  # the LoginFailed kind FranceConnect's and Mon Compte's client turn it into


def _root(error: BaseException) -> BaseException:
    while (error.__cause__ or error.__context__) is not None:
        error = error.__cause__ or error.__context__  # type: ignore[assignment]
    return error


def _reason(error: BaseException) -> BaseException:
    """The deepest reason requests and urllib3 keep: an exception's args hold the next one."""
    for arg in getattr(error, "args", ()):
        if isinstance(arg, BaseException):
            return _reason(arg)
    reason = getattr(error, "reason", None)
    if isinstance(reason, BaseException):
        return _reason(reason)
    return error


CALL_FAILURES = [
    CallFailure("connection_refused", requests.ConnectionError,
                lambda cause: isinstance(cause, ConnectionRefusedError), "unavailable"),
    CallFailure("connection_reset", requests.ConnectionError,
                lambda cause: isinstance(cause, ConnectionResetError), "unavailable"),
    CallFailure("connection_timed_out", requests.ConnectTimeout,
                lambda cause: isinstance(cause, urllib3.exceptions.ConnectTimeoutError), "timeout"),
    CallFailure("offline", requests.ConnectionError,
                lambda cause: isinstance(cause, OSError) and cause.errno == errno.ENETUNREACH, "unavailable"),
    CallFailure("empty_reply", requests.ConnectionError,
                lambda cause: isinstance(cause, http.client.RemoteDisconnected), "unavailable"),
]


def test_every_call_kind_has_its_failure() -> None:
    assert sorted(failure.kind for failure in CALL_FAILURES) == sorted(CALL_KINDS)


# Setting a fault ---------------------------------------------------------------


@pytest.mark.parametrize("kind", [*NETWORK_KINDS, *SHAPE_KINDS])
def test_a_new_kind_is_scoped_like_an_http_fault(api, kind: str) -> None:
    body = {"kind": kind, "site": "ameli", "route": "/oidc/*", "method": "post", "times": 2}
    response = api.post("/__mock__/faults", json=body)
    assert response.status_code == 201, response.get_json()
    assert {key: response.get_json()[key] for key in body} == {**body, "method": "POST"}


@pytest.mark.parametrize(("body", "field"), [
    ({"kind": "connection_reset", "persona": "p-1"}, "persona"),
    ({"kind": "empty_reply", "persona": "p-1"}, "persona"),
    ({"kind": "connection_reset", "ms": 200}, "ms"),
    ({"kind": "malformed_body", "status": 500}, "status"),
    ({"kind": "connection_timed_out", "seconds": 10}, "seconds"),
    ({"kind": "offline", "client": "caf-mon-compte"}, "client"),
    ({"kind": "truncated_body", "site": "nowhere"}, "site"),
    ({"kind": "connection_refused", "route": "oidc/token"}, "route"),
    ({"kind": "empty_reply", "method": "BREW"}, "method"),
    ({"kind": "offline", "times": 0}, "times"),
])
def test_a_bad_combination_is_refused_by_name_and_nothing_is_stored(api, assert_named, body: dict[str, Any],
                                                                     field: str) -> None:
    kept = api.post("/__mock__/faults", json={"kind": "latency", "ms": 10}).get_json()
    assert_named(api.post("/__mock__/faults", json=body), field)
    assert api.get("/__mock__/faults").get_json() == [kept]


def test_a_shape_fault_may_name_a_persona(api) -> None:
    response = api.post("/__mock__/faults", json={"kind": "malformed_body", "persona": "p-1"})
    assert response.status_code == 201
    assert response.get_json()["persona"] == "p-1"


# The bad network's sockets, on their own -------------------------------------------


@pytest.fixture
def bad_network() -> Iterator[BadNetwork]:
    network = BadNetwork()
    yield network
    network.close()


def test_refused_is_a_bound_port_that_does_not_listen(bad_network: BadNetwork) -> None:
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(bad_network.address("connection_refused"), timeout=PATIENCE_SECONDS).close()


def test_timed_out_is_a_connect_that_waits_for_ever(bad_network: BadNetwork) -> None:
    with pytest.raises(TimeoutError):
        socket.create_connection(bad_network.address("connection_timed_out"), timeout=PATIENCE_SECONDS).close()


def test_offline_is_the_kernels_network_unreachable(bad_network: BadNetwork) -> None:
    with pytest.raises(OSError) as raised:
        socket.create_connection(bad_network.address("offline"), timeout=PATIENCE_SECONDS).close()
    assert raised.value.errno == errno.ENETUNREACH


@pytest.mark.parametrize("kind", ["connection_reset", "empty_reply"])
def test_served_sockets_read_the_request_then_answer_nothing(bad_network: BadNetwork, kind: str) -> None:
    with socket.create_connection(bad_network.address(kind), timeout=5) as connection:
        connection.sendall(b"POST /oidc/token HTTP/1.1\r\nHost: ameli.localhost\r\nContent-Length: 5\r\n\r\ncode=")
        if kind == "connection_reset":
            with pytest.raises(ConnectionResetError):
                connection.recv(1024)
        else:
            assert connection.recv(1024) == b""  # an orderly close, not a byte


def test_closing_stops_its_thread_and_frees_its_ports(bad_network: BadNetwork) -> None:
    address = bad_network.address("connection_reset")
    thread = bad_network._thread
    assert thread is not None and thread.daemon and thread.is_alive()
    bad_network.close()
    assert not thread.is_alive()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(address, timeout=PATIENCE_SECONDS).close()
    with pytest.raises(RuntimeError):
        bad_network.address("connection_reset")


# Through the mock's own client, against a live mock --------------------------------


@pytest.fixture(scope="module")
def live() -> Iterator[LiveServer]:
    with LiveServer() as server:
        server.config.upstream_timeout_seconds = PATIENCE_SECONDS
        yield server


@pytest.fixture
def board(live: LiveServer):
    live.store.faults.reset()
    live.store.journal.reset()
    yield live.store.faults
    live.store.faults.reset()


@pytest.fixture
def mock_client(live: LiveServer) -> Iterator[requests.Session]:
    """An HTTP client built as FranceConnect's and Mon Compte's are."""
    config = live.config
    with mount_loopback(requests.Session(), lambda: config.upstream_timeout_seconds,
                        lambda: (config.is_own_host, config.self_address),
                        calls_between_sites(config, live.store.faults)) as session:
        yield session


@pytest.mark.parametrize("failure", CALL_FAILURES, ids=[failure.kind for failure in CALL_FAILURES])
def test_a_call_fails_as_the_network_would_then_gets_through(live: LiveServer, board, mock_client: requests.Session,
                                                             failure: CallFailure) -> None:
    fault = board.add({"kind": failure.kind, "site": "ameli", "route": JWKS, "times": 1})
    with pytest.raises(failure.raised) as raised:
        mock_client.get(live.config.site_url("ameli") + JWKS)
    assert failure.cause(_reason(raised.value)) or failure.cause(_root(raised.value)), repr(raised.value)
    assert fault.hits == 1 and board.list() == []
    assert live.store.journal.entries(site="ameli") == []  # the site never saw the call
    assert mock_client.get(live.config.site_url("ameli") + JWKS).json()["keys"]


def test_a_network_fault_keeps_to_its_site_route_and_method(live: LiveServer, board, mock_client) -> None:
    board.add({"kind": "connection_reset", "site": "ameli", "route": "/oidc/token", "method": "POST"})
    assert mock_client.get(live.config.site_url("ameli") + JWKS).status_code == 200
    assert mock_client.get(live.config.site_url("msa") + JWKS).status_code == 200
    assert mock_client.get(live.config.site_url("ameli") + "/oidc/token").status_code == 405
    with pytest.raises(requests.ConnectionError):
        mock_client.post(live.config.site_url("ameli") + "/oidc/token", data={"grant_type": "authorization_code"})


def test_a_site_does_not_apply_a_network_fault_to_a_request_it_receives(live: LiveServer, board) -> None:
    # A browser's request reaches the site (the harness's routing fails it, not the site).
    board.add({"kind": "connection_reset", "site": "ameli"})
    with mount_loopback(requests.Session(), 5) as plain:
        assert plain.get(live.config.site_url("ameli") + JWKS).status_code == 200
    assert board.list()[0].hits == 0


def test_malformed_body_is_a_whole_answer_that_does_not_parse(live: LiveServer, board, mock_client) -> None:
    whole = mock_client.get(live.config.site_url("ameli") + JWKS)
    board.add({"kind": "malformed_body", "site": "ameli", "route": JWKS, "times": 1})
    broken = mock_client.get(live.config.site_url("ameli") + JWKS)
    assert (broken.status_code, broken.headers["Content-Type"]) == (whole.status_code, whole.headers["Content-Type"])
    assert broken.content == whole.content[: len(whole.content) // 2]
    assert int(broken.headers["Content-Length"]) == len(broken.content)
    with pytest.raises(requests.exceptions.JSONDecodeError):
        broken.json()
    assert live.store.journal.entries(site="ameli", path=JWKS)[-1].fault is not None


def test_truncated_body_ends_before_its_content_length(live: LiveServer, board, mock_client) -> None:
    board.add({"kind": "truncated_body", "site": "ameli", "route": JWKS})
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        mock_client.get(live.config.site_url("ameli") + JWKS)
    # On the wire: the headers promise more bytes than come before the server closes.
    with socket.create_connection((live.host, live.port), timeout=5) as raw:
        raw.sendall(f"GET {JWKS} HTTP/1.1\r\nHost: {live.config.host('ameli')}\r\n\r\n".encode())
        received = b""
        while chunk := raw.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    assert 0 < len(body) < length


@pytest.mark.parametrize("failure", [
    *CALL_FAILURES,
    CallFailure("truncated_body", requests.ConnectionError, lambda cause: True, "unavailable"),
    CallFailure("malformed_body", requests.RequestException, lambda cause: True, "invalid"),
], ids=lambda failure: failure.kind)
def test_franceconnects_client_names_each_failure(live: LiveServer, board, failure: CallFailure) -> None:
    # FranceConnect's own client for ameli, fetching ameli's keys as at a login's end.
    franceconnect = live.app.sites["franceconnect"]
    client = franceconnect.extensions["idp_clients"]["ameli"]
    board.add({"kind": failure.kind, "site": "ameli", "route": JWKS})
    with franceconnect.test_request_context():
        with pytest.raises(LoginFailed) as raised:
            client._call(lambda: client.client.fetch_jwk_set(force=True))
    assert raised.value.kind == failure.login


def test_stopping_the_server_closes_the_bad_network() -> None:
    server = LiveServer().start()
    address = server.store.faults.network.address("empty_reply")
    thread = server.store.faults.network._thread
    server.stop()
    assert thread is not None and not thread.is_alive()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(address, timeout=PATIENCE_SECONDS).close()
