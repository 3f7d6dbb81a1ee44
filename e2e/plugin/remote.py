"""Remote browsers: every worker drives a browser on a Playwright server instead of
launching one (``--connect WS_URL``, or ``PW_TEST_CONNECT_WS_ENDPOINT`` as Playwright
Test reads it).

The server is ``playwright run-server`` (here, or the official Docker image), or a grid
that speaks Playwright's protocol. pytest-playwright connects through its
``connect_options`` fixture, overridden below; the browser's launch options travel in
the ``x-playwright-launch-options`` header, which the server reads (and filters: without
``run-server --unsafe`` it drops ``executablePath`` and ``args``).

Two decisions, made once per process from the URL and the options (pure functions
below, checked by tests/test_remote_options.py):

- **which build** (``--connect-browser``, ``$CONNECT_BROWSER``): ``local`` names this
  machine's Chromium (fixtures.chromium.find_chromium) as ``executablePath``: the server
  must run here, with ``--unsafe``; ``server`` lets the server launch its own build (the
  Docker image's). ``auto`` (default): ``local`` when the URL's host is loopback, a
  Chromium is found here, and what listens on that port is not known to be anything but
  a run-server of this machine (on Linux, /proc tells a ``docker run -p 3000:3000``
  container, whose port is also loopback, from ``playwright run-server``); else
  ``server``.
- **what of this machine's network the browser reaches** (``--connect-expose-network``,
  ``$PW_TEST_CONNECT_EXPOSE_NETWORK``, Playwright's rule syntax, ``none`` for nothing).
  ``auto`` (default): nothing with a ``local`` build (the browser runs here and reaches
  the mock directly, resolving ``*.localhost`` itself), ``<loopback>`` otherwise (the
  browser's traffic to ``localhost``, ``*.localhost``, ``127.0.0.1`` and ``[::1]`` goes
  through Playwright's SOCKS tunnel and is opened from this machine).

Through that tunnel, Playwright's client opens the connection to the host name the browser
asked for, with Node's resolver (``dns.lookup``, i.e. getaddrinfo): glibc does not know
``moncompte.localhost`` unless nss-myhostname is configured, and every page of the mock
then fails with ``net::ERR_SOCKS_CONNECTION_FAILED``. So when the exposed rules cover
``*.localhost``, the client's driver is given a resolver (``NODE_OPTIONS=--require``, set
in this process before Playwright starts) that answers ``*.localhost`` as it answers
``localhost`` (RFC 6761 §6.3, as browsers do); every other name is left to Node.
"""

from __future__ import annotations

import hashlib
import inspect
import ipaddress
import json
import os
import re
import socket
import tempfile
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from .keys import BROWSER_BUILD

WS_ENDPOINT_ENV = "PW_TEST_CONNECT_WS_ENDPOINT"  # Playwright Test's names
EXPOSE_NETWORK_ENV = "PW_TEST_CONNECT_EXPOSE_NETWORK"
HEADERS_ENV = "PW_TEST_CONNECT_HEADERS"  # JSON object, e.g. an access token for a grid
BROWSER_ENV = "CONNECT_BROWSER"
LAUNCH_OPTIONS_HEADER = "x-playwright-launch-options"

BROWSER_CHOICES = ("auto", "local", "server")
LOOPBACK_RULE = "<loopback>"
NO_EXPOSURE = "none"
# How long the server has to accept a TCP connection before the run starts.
SERVER_CHECK_SECONDS = 3.0
# How long connecting (and the server launching the browser) may take, in ms.
CONNECT_TIMEOUT_MS = 60_000
# A name the mock's sites use: whether the exposed rules cover it decides the resolver.
SITE_PROBE_HOST = "moncompte.localhost"

_PLAN = pytest.StashKey["RemotePlan"]()
_NODE_OPTIONS_BEFORE = pytest.StashKey["str | None"]()


class RemoteOptionError(ValueError):
    """An option or environment variable of --connect that cannot work; said to the user."""


@dataclass(frozen=True)
class RemotePlan:
    """How this run uses the Playwright server."""

    ws_endpoint: str
    browser: str  # "local": this machine's Chromium, named; "server": the server's own build
    expose_network: str | None  # Playwright's rules, or None: none of this machine's network
    headers: Mapping[str, str]
    loopback: bool  # the server's URL names this machine

    @property
    def resolve_localhost(self) -> bool:
        """Whether the client must resolve *.localhost itself (the tunnel carries those names)."""
        return self.expose_network is not None and exposes(self.expose_network, SITE_PROBE_HOST)

    def describe(self, browser_name: str = "chromium", chromium: Any = None) -> str:
        build = (f"{chromium.describe()}" if self.browser == "local" and chromium is not None
                 else f"the server's own {browser_name}")
        network = f", exposing {self.expose_network}" if self.expose_network else ""
        return f"{build}, on the Playwright server at {self.ws_endpoint}{network}"


# Decisions (pure) ------------------------------------------------------------


def parse_endpoint(value: str, source: str = "--connect") -> str:
    """The server's WebSocket URL, checked; RemoteOptionError says what is expected."""
    url = value.strip()
    expected = (f"{source} expects a Playwright server's WebSocket URL, ws://HOST:PORT/ or wss://HOST:PORT/PATH "
                "(e.g. ws://127.0.0.1:3000/ for `playwright run-server --port 3000`)")
    if "://" not in url:
        hint = f" (did you mean ws://{url.rstrip('/')}/ ?)" if re.fullmatch(r"[\w.\-\[\]:]+(/.*)?", url) else ""
        raise RemoteOptionError(f"{expected}; got {value!r}{hint}")
    parts = urlsplit(url)
    if parts.scheme not in ("ws", "wss"):
        hint = ""
        if parts.scheme in ("http", "https"):
            hint = f" (did you mean {'wss' if parts.scheme == 'https' else 'ws'}://{url.split('://', 1)[1]} ?)"
        raise RemoteOptionError(f"{expected}; got {value!r}, whose scheme is {parts.scheme}{hint}")
    try:
        parts.port
    except ValueError:
        raise RemoteOptionError(f"{expected}; got {value!r}, whose port is not a number") from None
    if not parts.hostname:
        raise RemoteOptionError(f"{expected}; got {value!r}, which names no host")
    return url


def is_loopback_host(host: str | None) -> bool:
    """Whether a URL's host names this machine through its loopback interface."""
    if not host:
        return False
    host = host.strip("[]").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


_TCP_LISTEN = "0A"


def playwright_server_here(port: int, proc: Path = Path("/proc"), root: Path = Path("/")) -> bool | None:
    """Whether what listens on this loopback port is a Playwright server running on this
    machine's own filesystem (a `playwright run-server` started here), from /proc (Linux).

    False when something else answers: Docker's port proxy, a server in a container (even
    with --network host: its root is not ours), or nothing this network namespace sees
    listening (Docker forwarding with iptables alone). None when it cannot be told (not
    Linux, or the listening process is not ours to look at)."""
    inodes: set[str] = set()
    readable = False
    for table in ("tcp", "tcp6"):
        try:
            lines = (proc / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        readable = True
        for line in lines:
            fields = line.split()
            if len(fields) > 9 and fields[3] == _TCP_LISTEN and int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    if not readable:
        return None
    if not inodes:
        return False
    targets = {f"socket:[{inode}]" for inode in inodes}
    for pid_dir in proc.iterdir():
        if not pid_dir.name.isdigit():
            continue
        try:
            owns = any(os.readlink(fd) in targets for fd in (pid_dir / "fd").iterdir())
        except OSError:
            continue
        if not owns:
            continue
        try:
            command = (pid_dir / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            here = os.stat(pid_dir / "root")
            ours = os.stat(root)
        except OSError:
            return None
        same_root = (here.st_dev, here.st_ino) == (ours.st_dev, ours.st_ino)
        return same_root and bool(re.search(r"\b(run-server|launch-server)\b", command))
    return None  # a listening socket whose process is not ours to see


def choose_browser(choice: str, loopback: bool, local_chromium_found: bool) -> str:
    """'local' (this machine's Chromium, named) or 'server' (the server's own build)."""
    if choice not in BROWSER_CHOICES:
        raise RemoteOptionError(f"--connect-browser expects one of {', '.join(BROWSER_CHOICES)}; got {choice!r}")
    if choice != "auto":
        return choice
    return "local" if loopback and local_chromium_found else "server"


def normalize_rules(rules: str) -> str | None:
    """Playwright's comma-separated rules, spaces removed; None for 'none' or nothing."""
    tokens = [token.strip() for token in rules.split(",") if token.strip()]
    if not tokens or tokens == [NO_EXPOSURE]:
        return None
    if NO_EXPOSURE in tokens:
        raise RemoteOptionError(f"--connect-expose-network: {NO_EXPOSURE!r} cannot be combined with rules; got {rules!r}")
    return ",".join(tokens)


def choose_expose_network(choice: str, browser: str) -> str | None:
    """The rules given, or by default: nothing for a local build, <loopback> for the server's."""
    if choice != "auto":
        return normalize_rules(choice)
    return None if browser == "local" else LOOPBACK_RULE


def _token_matcher(token: str) -> Callable[[str, int | None], bool]:
    """One rule, as Playwright's client and server match it (socksProxy.ts parsePattern)."""
    match = re.fullmatch(r"(.*?)(?::(\d+))?", token)
    assert match is not None  # the expression matches any string
    token_host, token_port = match.group(1), int(match.group(2)) if match.group(2) else None

    def port_matches(port: int | None) -> bool:
        return token_port is None or port is None or token_port == port

    if token_host == LOOPBACK_RULE:
        return lambda host, port: port_matches(port) and (
            host in ("localhost", "127.0.0.1", "[::1]") or host.endswith(".localhost"))
    if token_host == "*":
        return lambda host, port: port_matches(port)
    if _is_ip(token_host):
        return lambda host, port: host == token_host and port_matches(port)
    if token_host.startswith("."):
        token_host = "*" + token_host
    regex = re.compile("^" + ".*".join(re.escape(part) for part in token_host.split("*")) + "$")
    return lambda host, port: port_matches(port) and not _is_ip(host) and bool(regex.match(host))


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def exposes(rules: str | None, host: str, port: int | None = None) -> bool:
    """Whether the browser's connection to host[:port] goes through this machine under these
    rules (port None: on some port)."""
    if not rules:
        return False
    return any(_token_matcher(token)(host, port) for token in rules.split(","))


def parse_headers(value: str | None, source: str = HEADERS_ENV) -> dict[str, str]:
    if not value:
        return {}
    try:
        headers = json.loads(value)
    except json.JSONDecodeError as error:
        raise RemoteOptionError(f"{source} must be a JSON object of header names to values: {error}") from None
    if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
        raise RemoteOptionError(f'{source} must be a JSON object of header names to strings, e.g. {{"Authorization": "Bearer …"}}')
    return {str(k): v for k, v in headers.items()}


def resolve_plan(
    connect: str | None,
    browser_choice: str | None,
    expose_choice: str | None,
    environ: Mapping[str, str],
    local_chromium_found: Callable[[], bool],
    server_here: Callable[[int], bool | None] | None = None,
) -> RemotePlan | None:
    """The run's plan from the options (None: not given) and the environment; None
    without a server. A flag wins over its environment variable; an empty --connect
    turns an inherited PW_TEST_CONNECT_WS_ENDPOINT off. ``server_here(port)``
    (playwright_server_here) tells a run-server of this machine from a container behind
    a loopback port, for the 'auto' build."""
    if connect is not None:
        value, source = connect, "--connect"
    else:
        value, source = environ.get(WS_ENDPOINT_ENV, ""), WS_ENDPOINT_ENV
    if not value.strip():
        return None
    endpoint = parse_endpoint(value, source)
    loopback = is_loopback_host(urlsplit(endpoint).hostname)
    browser_choice = browser_choice or environ.get(BROWSER_ENV) or "auto"
    # Whether this machine has a Chromium is asked only when the answer matters.
    found = browser_choice == "auto" and loopback and local_chromium_found()
    if found and server_here is not None:
        parts = urlsplit(endpoint)
        # A loopback URL may lead into a container (docker run -p 3000:3000): no.
        found = server_here(parts.port or (443 if parts.scheme == "wss" else 80)) is not False
    browser = choose_browser(browser_choice, loopback, found)
    expose_choice = expose_choice if expose_choice is not None else environ.get(EXPOSE_NETWORK_ENV) or "auto"
    return RemotePlan(
        ws_endpoint=endpoint,
        browser=browser,
        expose_network=choose_expose_network(expose_choice, browser),
        headers=parse_headers(environ.get(HEADERS_ENV)),
        loopback=loopback,
    )


_PYTHON_ONLY_LAUNCH_OPTIONS = {"handle_sigint", "handle_sigterm", "handle_sighup", "env"}


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def server_launch_options(launch_args: Mapping[str, Any], plan: RemotePlan, chromium: Any = None) -> dict[str, Any]:
    """The launch options for the x-playwright-launch-options header, in the server's
    (JavaScript) names: pytest-playwright sends Python's (executable_path, slow_mo), which
    the server does not know and drops without a word.

    ``chromium`` (a fixtures.chromium.Chromium) is this machine's build for a 'local' plan:
    its path and switches are added. A 'server' plan drops any executable path (a path on
    this machine means nothing there)."""
    options: dict[str, Any] = {}
    for key, value in launch_args.items():
        if key in _PYTHON_ONLY_LAUNCH_OPTIONS or value is None:
            continue
        if key == "ignore_default_args" and value is True:
            options["ignoreAllDefaultArgs"] = True
            continue
        options[camel_case(key)] = str(value) if isinstance(value, os.PathLike) else value
    if plan.browser == "server":
        options.pop("executablePath", None)
    elif chromium is not None:
        from fixtures.chromium import launch_options

        local = launch_options(chromium)
        if "executable_path" in local:
            options["executablePath"] = local["executable_path"]
        args = list(options.get("args") or [])
        options["args"] = args + [arg for arg in local.get("args", []) if arg not in args]
    return options


def connect_kwargs(plan: RemotePlan, launch_options: Mapping[str, Any], endpoint_keyword: str = "endpoint") -> dict[str, Any]:
    """What pytest-playwright's launch_browser passes to browser_type.connect(). The launch
    options header is set here, in the server's names: ours come after pytest-playwright's
    own in the headers it sends, so ours win."""
    kwargs: dict[str, Any] = {
        endpoint_keyword: plan.ws_endpoint,
        "timeout": CONNECT_TIMEOUT_MS,
        "headers": {**plan.headers, LAUNCH_OPTIONS_HEADER: json.dumps(dict(launch_options))},
    }
    if plan.expose_network:
        kwargs["expose_network"] = plan.expose_network
    return kwargs


def endpoint_keyword() -> str:
    """BrowserType.connect's first parameter: `endpoint` since Playwright 1.5x, `ws_endpoint` before."""
    from playwright.sync_api import BrowserType

    parameters = list(inspect.signature(BrowserType.connect).parameters)
    return parameters[1] if len(parameters) > 1 else "ws_endpoint"


# The client's resolver for *.localhost --------------------------------------

LOCALHOST_RESOLVER = """\
// Written by the Mon Compte harness (e2e/plugin/remote.py), loaded into Playwright's
// driver with NODE_OPTIONS=--require when a remote browser reaches this machine's
// *.localhost sites through exposeNetwork: Playwright's client opens those connections
// with Node's resolver, which asks getaddrinfo, which does not know *.localhost. Here
// they resolve as "localhost" does (RFC 6761, section 6.3); other names are untouched.
"use strict";
const dns = require("node:dns");
const asLocalhost = (hostname) =>
  typeof hostname === "string" && /\\.localhost\\.?$/i.test(hostname) ? "localhost" : hostname;
const lookup = dns.lookup;
dns.lookup = function (hostname, ...rest) {
  return lookup.call(this, asLocalhost(hostname), ...rest);
};
const promisesLookup = dns.promises.lookup;
dns.promises.lookup = function (hostname, ...rest) {
  return promisesLookup.call(this, asLocalhost(hostname), ...rest);
};
"""


def resolver_script_path(directory: str | None = None) -> Path:
    """The resolver, written once per content (atomically: workers may race)."""
    digest = hashlib.sha256(LOCALHOST_RESOLVER.encode()).hexdigest()[:12]
    folder = Path(directory or tempfile.gettempdir()) / "moncompte-harness"
    path = folder / f"localhost-resolver-{digest}.cjs"
    if not path.is_file() or path.read_text() != LOCALHOST_RESOLVER:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{path.name}.{os.getpid()}"
        partial.write_text(LOCALHOST_RESOLVER)
        os.replace(partial, path)
    return path


def with_require(node_options: str | None, script: Path) -> str:
    """NODE_OPTIONS with `--require script` added once (quoted if the path needs it)."""
    path = str(script)
    require = f'--require="{path}"' if re.search(r'\s', path) else f"--require={path}"
    current = (node_options or "").strip()
    if path in current:
        return current
    return f"{current} {require}".strip()


# pytest ----------------------------------------------------------------------


def _local_chromium_found(config: pytest.Config) -> Callable[[], bool]:
    def found() -> bool:
        from fixtures.chromium import ChromiumError, find_chromium

        try:
            return find_chromium(not config.getoption("--headed", default=False)) is not None
        except ChromiumError as error:
            raise RemoteOptionError(str(error)) from None

    return found


def plan_for(config: pytest.Config) -> RemotePlan | None:
    """This run's plan (None: no --connect), as worked out at configure time."""
    return config.stash.get(_PLAN, None)


def connecting(config: pytest.Config) -> bool:
    """Whether the run drives a browser on a Playwright server: then no Chromium is launched
    here, and none need exist (see browser.py's browser_type_launch_args)."""
    return plan_for(config) is not None


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    try:
        plan = resolve_plan(
            config.getoption("--connect"),
            config.getoption("--connect-browser"),
            config.getoption("--connect-expose-network"),
            os.environ,
            _local_chromium_found(config),
            playwright_server_here,
        )
    except RemoteOptionError as error:
        raise pytest.UsageError(str(error)) from None
    if plan is None:
        return
    config.stash[_PLAN] = plan
    config.pluginmanager.register(_connect_options_plugin(), "moncompte-connect-options")
    if plan.resolve_localhost:
        config.stash[_NODE_OPTIONS_BEFORE] = os.environ.get("NODE_OPTIONS")
        os.environ["NODE_OPTIONS"] = with_require(os.environ.get("NODE_OPTIONS"), resolver_script_path())
    if not hasattr(config, "workerinput") and not (config.getoption("collectonly") or config.getoption("help")):
        _check_server(plan)


def _check_server(plan: RemotePlan) -> None:
    """Said once, before any test: every test's browser would fail the same way."""
    parts = urlsplit(plan.ws_endpoint)
    port = parts.port or (443 if parts.scheme == "wss" else 80)
    try:
        socket.create_connection((parts.hostname, port), timeout=SERVER_CHECK_SECONDS).close()
    except OSError as error:
        raise pytest.UsageError(
            f"No Playwright server answers at {plan.ws_endpoint} (--connect): {error.strerror or error}. "
            "Start one, e.g. `.venv/bin/playwright run-server --host 127.0.0.1 --port 3000 --unsafe`, "
            "or leave --connect out to launch Chromium here.") from None


def pytest_unconfigure(config: pytest.Config) -> None:
    if _NODE_OPTIONS_BEFORE in config.stash:
        before = config.stash[_NODE_OPTIONS_BEFORE]
        if before is None:
            os.environ.pop("NODE_OPTIONS", None)
        else:
            os.environ["NODE_OPTIONS"] = before


def pytest_report_header(config: pytest.Config) -> str | None:
    plan = plan_for(config)
    if plan is None:
        return None
    build = "this machine's Chromium" if plan.browser == "local" else "the server's own browser"
    network = f"exposing {plan.expose_network}" if plan.expose_network else "exposing nothing"
    return f"browser: on the Playwright server at {plan.ws_endpoint} ({build}, {network})"


def _connect_options_plugin() -> types.ModuleType:
    """pytest-playwright's connect_options, overridden. Of two plugins' fixtures the one
    registered later wins: this one is registered at configure time, after pytest-playwright
    (an entry point), whether this module came in through e2e.plugin or through -p."""

    @pytest.fixture(scope="session")
    def connect_options(pytestconfig: pytest.Config, browser_type_launch_args: dict, browser_name: str) -> dict | None:
        """pytest-playwright's hook for remote browsers: None launches here; with --connect,
        browser_type.connect()'s arguments."""
        plan = plan_for(pytestconfig)
        if plan is None:
            return None
        chromium = None
        if plan.browser == "local" and browser_name == "chromium" and not browser_type_launch_args.get("channel"):
            from fixtures.chromium import ChromiumError, find_chromium

            try:
                chromium = find_chromium(browser_type_launch_args.get("headless", True))
            except ChromiumError as error:
                pytest.exit(str(error), returncode=4)
            if chromium is None:
                pytest.exit(f"--connect-browser local: no Chromium found on this machine to name to the server "
                            f"at {plan.ws_endpoint} (set CHROMIUM_PATH, or use --connect-browser server)", returncode=4)
        pytestconfig.stash[BROWSER_BUILD] = plan.describe(browser_name, chromium)
        return connect_kwargs(plan, server_launch_options(browser_type_launch_args, plan, chromium), endpoint_keyword())

    plugin = types.ModuleType(f"{__name__}.connect_options")  # pytest reads a module's fixtures
    plugin.connect_options = connect_options  # type: ignore[attr-defined]
    return plugin
