"""The browser network faults' arguments (e2e/plugin/network.py): a wrong one is refused
with a message naming it, and nothing is set; a fault covers its site, route and method
only. No browser: the faults' effect is e2e/test_browser_network.py's subject."""

from __future__ import annotations

from typing import Any

import pytest

from e2e.plugin.network import KINDS, BrowserNetwork

SITES = {"moncompte": "http://moncompte.localhost:8765", "franceconnect": "http://franceconnect.localhost:8765"}
FC = SITES["franceconnect"]


class ContextStandIn:
    """What BrowserNetwork asks of a browser context before any request is made."""

    def __init__(self) -> None:
        self.pages: list[Any] = []
        self.offline: list[bool] = []

    def on(self, event: str, handler: Any) -> None:
        pass

    def set_offline(self, offline: bool) -> None:
        self.offline.append(offline)


@pytest.fixture
def network() -> BrowserNetwork:
    return BrowserNetwork(ContextStandIn(), SITES)  # type: ignore[arg-type]


@pytest.mark.parametrize(("arguments", "named"), [
    ({"kind": "connection_lost"}, "unknown network fault kind 'connection_lost': one of connection_reset, "),
    ({"kind": "offline", "site": "caf"}, "unknown site 'caf': one of franceconnect, moncompte"),
    ({"kind": "offline", "route": "connexion"}, "route 'connexion': a path starting with '/'"),
    ({"kind": "offline", "method": "FETCH"}, "method 'FETCH': one of GET, "),
    ({"kind": "offline", "times": 0}, "times 0: a whole number of requests, 1 or more"),
    ({"kind": "offline", "times": True}, "times True: "),
    ({"kind": "offline", "times": "2"}, "times '2': "),
], ids=["kind", "site", "route", "method", "times-zero", "times-bool", "times-text"])
def test_a_wrong_argument_is_named_and_nothing_is_set(network: BrowserNetwork, arguments: dict, named: str) -> None:
    kind = arguments.pop("kind")
    with pytest.raises(ValueError) as refused:
        network.fail(kind, **arguments)
    assert str(refused.value).startswith(named)
    assert network.faults == []
    assert network.context.offline == []


def test_every_kind_names_the_error_chromium_shows() -> None:
    assert {name: kind.shows for name, kind in KINDS.items()} == {
        "connection_reset": "ERR_CONNECTION_RESET",
        "connection_refused": "ERR_CONNECTION_REFUSED",
        "connection_timed_out": "ERR_TIMED_OUT",
        "offline": "ERR_INTERNET_DISCONNECTED",
        "empty_reply": "ERR_CONNECTION_CLOSED",
    }


def test_a_fault_covers_its_site_and_route_only(network: BrowserNetwork) -> None:
    fault = network.fail("connection_reset", site="franceconnect", route="/api/v2/authorize")
    assert fault.covers(f"{FC}/api/v2/authorize?client_id=caf-mon-compte&state=x")
    assert not fault.covers(f"{FC}/api/v2/authorize/more")
    assert not fault.covers(f"{FC}/api/v2/token")
    assert not fault.covers(f"{SITES['moncompte']}/api/v2/authorize")
    assert fault.pattern() == f"{FC}/api/v2/authorize*"


def test_a_glob_route_a_method_and_times(network: BrowserNetwork) -> None:
    fault = network.fail("connection_refused", site="moncompte", route="/connexion/*", method="post", times=1)
    url = f"{SITES['moncompte']}/connexion/franceconnect/retour"
    assert fault.method == "POST"
    assert not fault.takes("GET", url)
    assert fault.takes("POST", url)
    fault.times = 0  # its one request taken
    assert not fault.takes("POST", url)


def test_offline_without_a_scope_takes_the_whole_browser_offline(network: BrowserNetwork) -> None:
    whole = network.fail("offline")
    assert whole.whole_browser and network.context.offline == [True]
    scoped = network.fail("offline", site="franceconnect")
    assert not scoped.whole_browser and scoped.kind.reason == "InternetDisconnected"
    network.restore()
    assert network.faults == [] and network.context.offline == [True, False]
