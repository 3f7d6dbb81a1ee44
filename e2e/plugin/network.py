"""Network faults the browser sees: its requests to a site (or to one route of it) fail
as a network error, or the whole browser context goes offline (`context.set_offline(True)`).

    def test_…(browser_network):
        fault = browser_network.fail("connection_reset", site="franceconnect", route="/api/v2/authorize")
        …                                   # the person meets Chromium's error page
        browser_network.restore()           # the network is back

    @pytest.mark.network_fault("connection_refused", site="moncompte", route="/connexion", times=1)
    def test_…(page): …

The kinds bear the names of the mock's own network faults (mock_server/simulation/
faults.py: the same kinds between its servers); each is one record below: the error
the request is failed with and what Chromium then shows. The scope is the mock's
server-side faults' too: `site` (a key of the `sites` fixture), `route` (a path, or a
glob: "/api/v2/*"), `method`, `times` (the next N matching requests only). A fault
lasts until `restore()`, or until the test ends.

How: Chromium's request interception (the DevTools protocol's Fetch domain, which
Playwright's own routing is built on), through a CDP session per page. Playwright's
`route()` would be the natural tool, but its handlers never see the hops of a redirect
(microsoft/playwright#33882): FranceConnect's authorize URL, a provider's, and Mon
Compte's way back are all reached by a redirect, so a route could not fail them. The
Fetch domain pauses every hop; the fault fails it with the same error `route.abort()`
would (Playwright's abort codes are names of these errors).
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, CDPSession, Error, Page, Request

# Methods a route can be narrowed to (as the mock's own faults).
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD")


@dataclass(frozen=True)
class NetworkKind:
    name: str
    error_code: str  # the same error as Playwright's route.abort(error_code), for a route of one's own
    reason: str  # the DevTools protocol's Network.ErrorReason the request is failed with
    shows: str  # the net error Chromium reports, and prints on its error page
    what: str  # what happened to the connection, as a person would put it


KINDS = {kind.name: kind for kind in (
    NetworkKind("connection_reset", "connectionreset", "ConnectionReset", "ERR_CONNECTION_RESET",
                "the connection was cut while the answer was awaited"),
    NetworkKind("connection_refused", "connectionrefused", "ConnectionRefused", "ERR_CONNECTION_REFUSED",
                "nothing listens where the site should be"),
    NetworkKind("connection_timed_out", "timedout", "TimedOut", "ERR_TIMED_OUT",
                "the site never answered (reported at once: nothing makes Chromium wait)"),
    NetworkKind("offline", "internetdisconnected", "InternetDisconnected", "ERR_INTERNET_DISCONNECTED",
                "the computer lost its connection (the whole browser when no scope is given)"),
    # A real server that closes without a byte makes Chromium say ERR_EMPTY_RESPONSE;
    # interception has no such error, and its nearest is a connection closed.
    NetworkKind("empty_reply", "connectionclosed", "ConnectionClosed", "ERR_CONNECTION_CLOSED",
                "the connection closed without an answer"),
)}


@dataclass
class NetworkFault:
    """One fault in the browser, and how many requests it has failed (`hits`)."""

    kind: NetworkKind
    origin: str | None  # scheme://host:port of the site; None: every site
    route: str | None
    method: str | None
    times: int | None  # requests left to fail; None: until restored
    hits: int = 0
    whole_browser: bool = False  # offline without a scope: context.set_offline(True)

    def covers(self, url: str) -> bool:
        """Whether a request to `url` is in this fault's scope (its method aside)."""
        parts = urlsplit(url)
        if self.origin is not None and f"{parts.scheme}://{parts.netloc}" != self.origin:
            return False
        path = parts.path or "/"
        return self.route is None or path == self.route or fnmatch.fnmatchcase(path, self.route)

    def takes(self, method: str, url: str) -> bool:
        """Whether this fault fails a request now (in scope, its method, times left)."""
        return (
            (self.times is None or self.times > 0)
            and (self.method is None or method == self.method)
            and self.covers(url)
        )

    def pattern(self) -> str:
        """The Fetch domain's URL pattern (wildcards * and ?) of the requests to pause:
        a superset of this fault's scope, which `covers` then decides."""
        return f"{self.origin or '*'}{self.route or '/'}*"


class BrowserNetwork:
    """The network between this test's browser context and the mock's sites."""

    def __init__(self, context: BrowserContext, sites: dict[str, str]) -> None:
        self.context = context
        self.sites = sites
        self.faults: list[NetworkFault] = []
        self._sessions: dict[Page, CDPSession] = {}
        self._offline = False
        # A page opened while a fault holds (a popup) is intercepted too.
        context.on("page", self._page_opened)
        # Requests the whole-browser offline fault failed: Chromium fails them itself.
        context.on("requestfailed", self._count_offline)

    def fail(self, kind: str, *, site: str | None = None, route: str | None = None,
             method: str | None = None, times: int | None = None) -> NetworkFault:
        """Make the browser's requests in this scope fail as `kind`; the first fault set
        wins where several match, as on the mock."""
        fault = self._fault(kind, site=site, route=route, method=method, times=times)
        self.faults.append(fault)
        if fault.whole_browser:
            self.context.set_offline(True)
            self._offline = True
        else:
            for page in self.context.pages:
                self._intercept(page)
        return fault

    def restore(self) -> None:
        """The network is back: every fault of this test removed."""
        self.faults.clear()
        for session in self._sessions.values():
            try:
                session.detach()  # its interception ends with it
            except Error:
                pass  # the page is closed
        self._sessions.clear()
        if self._offline:
            self.context.set_offline(False)
            self._offline = False

    def wait_for_hits(self, fault: NetworkFault, count: int = 1, timeout: float = 5_000) -> None:
        """Wait until `fault` has failed `count` requests (a page's script may send them later)."""
        if fault.hits < count:
            self.context.wait_for_event("requestfailed", predicate=lambda _: fault.hits >= count, timeout=timeout)

    # ----------------------------------------------------------------------------------

    def _fault(self, kind: str, *, site: str | None, route: str | None, method: str | None,
               times: int | None) -> NetworkFault:
        """The fault asked for, or a ValueError naming what is wrong with it."""
        if kind not in KINDS:
            raise ValueError(f"unknown network fault kind {kind!r}: one of {', '.join(KINDS)}")
        if site is not None and site not in self.sites:
            raise ValueError(f"unknown site {site!r}: one of {', '.join(sorted(self.sites))}")
        if route is not None and (not isinstance(route, str) or not route.startswith("/")):
            raise ValueError(f"route {route!r}: a path starting with '/', globs allowed ('/api/v2/*')")
        if method is not None:
            if not isinstance(method, str) or method.upper() not in METHODS:
                raise ValueError(f"method {method!r}: one of {', '.join(METHODS)}")
            method = method.upper()
        if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
            raise ValueError(f"times {times!r}: a whole number of requests, 1 or more")
        origin = None
        if site is not None:
            parts = urlsplit(self.sites[site])
            origin = f"{parts.scheme}://{parts.netloc}"
        unscoped = site is None and route is None and method is None and times is None
        return NetworkFault(KINDS[kind], origin, route, method, times, whole_browser=kind == "offline" and unscoped)

    def _page_opened(self, page: Page) -> None:
        if any(not fault.whole_browser for fault in self.faults):
            self._intercept(page)

    def _intercept(self, page: Page) -> None:
        """Pause the page's requests some fault may cover (every hop of a redirect too)."""
        session = self._sessions.get(page)
        if session is None:
            session = self.context.new_cdp_session(page)
            session.on("Fetch.requestPaused", lambda event: self._paused(session, event))
            self._sessions[page] = session
        patterns = sorted({fault.pattern() for fault in self.faults if not fault.whole_browser})
        session.send("Fetch.enable", {"patterns": [{"urlPattern": pattern, "requestStage": "Request"}
                                                   for pattern in patterns]})

    def _paused(self, session: CDPSession, event: dict[str, Any]) -> None:
        request = event["request"]
        for fault in self.faults:
            if not fault.whole_browser and fault.takes(request["method"], request["url"]):
                fault.hits += 1
                if fault.times is not None:
                    fault.times -= 1
                self._answer(session, "Fetch.failRequest", {"requestId": event["requestId"], "errorReason": fault.kind.reason})
                return
        self._answer(session, "Fetch.continueRequest", {"requestId": event["requestId"]})

    @staticmethod
    def _answer(session: CDPSession, command: str, params: dict[str, Any]) -> None:
        try:
            session.send(command, params)
        except Error:
            pass  # the page navigated away or closed meanwhile: the request is gone

    def _count_offline(self, request: Request) -> None:
        if not self._offline:
            return
        for fault in self.faults:
            if fault.whole_browser and request.failure == f"net::{fault.kind.shows}":
                fault.hits += 1
                return


@pytest.fixture
def browser_network(context: BrowserContext, sites: dict[str, str]) -> Iterator[BrowserNetwork]:
    """Network faults in this test's browser context (`browser_network.fail("offline")`),
    all removed afterwards, whether the test passed or failed."""
    network = BrowserNetwork(context, sites)
    yield network
    network.restore()


@pytest.fixture(autouse=True)
def network_fault(request: pytest.FixtureRequest) -> None:
    """`@pytest.mark.network_fault("connection_reset", site="franceconnect", route=…)`: the
    fault is set in the test's browser before it starts (each marker, nearest first)."""
    markers = list(request.node.iter_markers("network_fault"))
    if not markers:
        return
    network: BrowserNetwork = request.getfixturevalue("browser_network")
    for marker in markers:
        try:
            network.fail(*marker.args, **marker.kwargs)
        except (TypeError, ValueError) as error:
            pytest.fail(f"@pytest.mark.network_fault{_call(marker.args, marker.kwargs)}: {error}", pytrace=False)


def _call(args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    return "(" + ", ".join([*map(repr, args), *(f"{key}={value!r}" for key, value in kwargs.items())]) + ")"

