"""--connect (e2e/plugin/remote.py): the options' resolution and the decisions about the
remote browser (which build, what network), without a browser."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from e2e.plugin import remote
from e2e.plugin.remote import (
    LAUNCH_OPTIONS_HEADER,
    RemoteOptionError,
    RemotePlan,
    choose_browser,
    choose_expose_network,
    connect_kwargs,
    exposes,
    is_loopback_host,
    parse_endpoint,
    resolve_plan,
    server_launch_options,
    with_require,
)
from fixtures.chromium import Chromium

ROOT = Path(__file__).resolve().parents[1]
PLAYWRIGHT_PACKAGE = Path(__import__("playwright").__file__).resolve().parent
NODE = PLAYWRIGHT_PACKAGE / "driver" / "node"
CORE_BUNDLE = PLAYWRIGHT_PACKAGE / "driver" / "package" / "lib" / "coreBundle.js"


def never_asked() -> bool:
    raise AssertionError("whether this machine has a Chromium was asked for a remote server")


def plan(**overrides) -> RemotePlan:
    fields = dict(ws_endpoint="ws://127.0.0.1:3000/", browser="local", expose_network=None, headers={}, loopback=True)
    return RemotePlan(**{**fields, **overrides})


# The server's URL ------------------------------------------------------------


@pytest.mark.parametrize("url", ["ws://127.0.0.1:3000/", "wss://grid.example/playwright?token=x", "ws://[::1]:3000/"])
def test_a_websocket_url_is_taken_as_given(url: str) -> None:
    assert parse_endpoint(url) == url


def test_a_url_without_its_scheme_says_what_is_expected_and_what_was_meant() -> None:
    with pytest.raises(RemoteOptionError) as error:
        parse_endpoint("localhost:3000")
    message = str(error.value)
    assert message.startswith("--connect expects a Playwright server's WebSocket URL, ws://HOST:PORT/")
    assert "got 'localhost:3000'" in message and "did you mean ws://localhost:3000/ ?" in message


@pytest.mark.parametrize(("url", "said"), [
    ("http://127.0.0.1:3000/", "did you mean ws://127.0.0.1:3000/ ?"),
    ("https://grid.example/pw", "did you mean wss://grid.example/pw ?"),
    ("ftp://host/", "whose scheme is ftp"),
    ("ws://:3000/", "which names no host"),
    ("ws://host:port/", "whose port is not a number"),
])
def test_a_url_that_cannot_work_is_refused_with_its_reason(url: str, said: str) -> None:
    with pytest.raises(RemoteOptionError, match=re.escape(said)):
        parse_endpoint(url, "PW_TEST_CONNECT_WS_ENDPOINT")


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST", "moncompte.localhost", "127.0.0.1", "127.5.6.7",
                                  "::1", "[::1]", "0.0.0.0", "localhost."])
def test_loopback_hosts_name_this_machine(host: str) -> None:
    assert is_loopback_host(host)


@pytest.mark.parametrize("host", ["playwright", "grid.example", "10.0.0.5", "192.168.1.20", "::2", "", None,
                                  "localhost.example"])
def test_other_hosts_are_elsewhere(host: str | None) -> None:
    assert not is_loopback_host(host)


# Which build, what network ------------------------------------------------------


@pytest.mark.parametrize(("choice", "loopback", "found", "expected"), [
    ("auto", True, True, "local"),
    ("auto", True, False, "server"),  # nothing here to name: the server's own
    ("auto", False, True, "server"),  # a path on this machine means nothing elsewhere
    ("local", False, False, "local"),
    ("server", True, True, "server"),
])
def test_which_build_the_server_launches(choice: str, loopback: bool, found: bool, expected: str) -> None:
    assert choose_browser(choice, loopback, found) == expected


def test_an_unknown_build_choice_is_refused() -> None:
    with pytest.raises(RemoteOptionError, match="auto, local, server"):
        choose_browser("docker", True, True)


@pytest.mark.parametrize(("choice", "browser", "expected"), [
    ("auto", "local", None),  # same machine, same network: the mock is reached directly
    ("auto", "server", "<loopback>"),
    ("none", "server", None),
    ("", "server", None),
    (" <loopback> , *.test:8080 ", "local", "<loopback>,*.test:8080"),
])
def test_what_of_this_machine_the_browser_reaches(choice: str, browser: str, expected: str | None) -> None:
    assert choose_expose_network(choice, browser) == expected


def test_none_with_rules_is_refused() -> None:
    with pytest.raises(RemoteOptionError, match="cannot be combined"):
        choose_expose_network("none,<loopback>", "server")


@pytest.mark.parametrize(("rules", "host", "port", "expected"), [
    ("<loopback>", "moncompte.localhost", 8765, True),
    ("<loopback>", "localhost", 8765, True),
    ("<loopback>", "127.0.0.1", 8765, True),
    ("<loopback>", "[::1]", 8765, True),
    ("<loopback>", "example.com", 80, False),
    ("127.0.0.1,localhost", "moncompte.localhost", 8765, False),
    ("*.localhost", "franceconnect.localhost", 8765, True),
    (".localhost", "ameli.localhost", 8765, True),
    ("*", "anything.example", 1, True),
    ("<loopback>:8765", "moncompte.localhost", 8765, True),
    ("<loopback>:8765", "moncompte.localhost", 9000, False),
    ("*.localhost", "127.0.0.1", 8765, False),  # a host-name rule never covers an address
    ("127.0.0.1", "localhost", 8765, False),  # nor an address rule a name
])
def test_exposed_rules_match_as_playwright_matches_them(rules: str, host: str, port: int, expected: bool) -> None:
    assert exposes(rules, host, port) is expected


def _playwright_parse_pattern() -> str:
    source = CORE_BUNDLE.read_text(encoding="utf-8") if CORE_BUNDLE.is_file() else ""
    found = {}
    for name in ("starMatchToRegex", "parsePattern"):
        match = re.search(rf"^function {name}\(.*?^}}$", source, re.S | re.M)
        if match is None:
            pytest.skip(f"{name} not found in Playwright's driver ({CORE_BUNDLE}): the comparison needs updating")
        found[name] = match.group(0)
    return "\n".join(found.values())


def test_the_rules_match_as_in_playwrights_own_driver() -> None:
    """The port above against the function the driver runs (its tunnel's matcher)."""
    cases = [(rules, host, port) for rules in ("<loopback>", "127.0.0.1,localhost", "*.localhost", ".localhost",
                                               "*", "<loopback>:8765", "x.*.y.com", "*foo.org", "[::1]")
             for host in ("moncompte.localhost", "localhost", "127.0.0.1", "[::1]", "x.a.y.com", "barfoo.org",
                          "example.com")
             for port in (8765, 9000)]
    script = _playwright_parse_pattern() + """
const net = require("net");
const import_net2 = { default: net };
const cases = JSON.parse(process.argv[1]);
console.log(JSON.stringify(cases.map(([rules, host, port]) => parsePattern(rules)(host, port))));
"""
    answer = subprocess.run([str(NODE), "-e", script, json.dumps(cases)], capture_output=True, text=True, timeout=20)
    assert answer.returncode == 0, answer.stderr
    theirs = json.loads(answer.stdout)
    ours = [exposes(rules, host, port) for rules, host, port in cases]
    assert [case for case, a, b in zip(cases, ours, theirs) if a != b] == []


# Who listens on a loopback port --------------------------------------------------


def fake_proc(tmp_path: Path, *, listening: bool = True, owner: bool = True, command: str = "run-server",
              container: bool = False) -> tuple[Path, Path]:
    """A /proc with one TCP table, and a process owning the listening socket of port 3000."""
    proc, root, elsewhere = tmp_path / "proc", tmp_path / "root", tmp_path / "container-root"
    for folder in (proc / "net", root, elsewhere):
        folder.mkdir(parents=True)
    header = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    state = "0A" if listening else "01"
    (proc / "net" / "tcp").write_text(
        header + f"   0: 0100007F:0BB8 00000000:0000 {state} 00000000:00000000 00:00000000 00000000     0        0 4242 1\n")
    (proc / "self").mkdir()  # not a pid: skipped
    pid = proc / "77"
    (pid / "fd").mkdir(parents=True)
    (pid / "fd" / "1").symlink_to("pipe:[1]")
    if owner:
        (pid / "fd" / "5").symlink_to("socket:[4242]")
    (pid / "cmdline").write_bytes(f"/usr/bin/node\0cli.js\0{command}\0--port\0003000\0".encode())
    (pid / "root").symlink_to(elsewhere if container else root)
    return proc, root


def test_a_run_server_of_this_machine_is_told_from_its_listening_socket(tmp_path: Path) -> None:
    proc, root = fake_proc(tmp_path)
    assert remote.playwright_server_here(3000, proc, root) is True
    assert remote.playwright_server_here(3001, proc, root) is False  # nothing listens there


@pytest.mark.parametrize("setup", [dict(container=True), dict(command="docker-proxy"), dict(listening=False)])
def test_a_container_or_a_proxy_behind_the_port_is_not_a_server_here(tmp_path: Path, setup: dict) -> None:
    proc, root = fake_proc(tmp_path, **setup)
    assert remote.playwright_server_here(3000, proc, root) is False


def test_what_cannot_be_seen_is_unknown(tmp_path: Path) -> None:
    proc, root = fake_proc(tmp_path, owner=False)  # another user's process
    assert remote.playwright_server_here(3000, proc, root) is None
    assert remote.playwright_server_here(3000, tmp_path / "no-proc", root) is None


@pytest.mark.parametrize(("here", "expected"), [(True, "local"), (None, "local"), (False, "server")])
def test_a_loopback_port_that_leads_into_a_container_gets_the_servers_build(here: bool | None, expected: str) -> None:
    asked: list[int] = []

    def server_here(port: int) -> bool | None:
        asked.append(port)
        return here

    found = resolve_plan("ws://localhost:3000/", None, None, {}, lambda: True, server_here)
    assert found is not None and found.browser == expected and asked == [3000]
    assert found.expose_network == (None if expected == "local" else "<loopback>")


def test_who_listens_is_not_asked_when_the_build_is_chosen() -> None:
    def never(port: int) -> bool:
        raise AssertionError("asked")

    assert resolve_plan("ws://localhost:3000/", "local", None, {}, never_asked, never).browser == "local"
    assert resolve_plan("ws://pw.example:3000/", None, None, {}, never_asked, never).browser == "server"


# The options, the environment and their precedence ------------------------------


def test_no_server_no_plan() -> None:
    assert resolve_plan(None, None, None, {}, never_asked) is None


def test_the_environment_variable_gives_the_server() -> None:
    found = resolve_plan(None, None, None, {"PW_TEST_CONNECT_WS_ENDPOINT": "ws://pw.example:3000/"}, never_asked)
    assert found == plan(ws_endpoint="ws://pw.example:3000/", browser="server", expose_network="<loopback>",
                         loopback=False)


def test_the_flag_wins_over_the_environment_variable() -> None:
    environ = {"PW_TEST_CONNECT_WS_ENDPOINT": "ws://pw.example:3000/"}
    found = resolve_plan("ws://127.0.0.1:4000/", None, None, environ, lambda: True)
    assert found is not None and found.ws_endpoint == "ws://127.0.0.1:4000/" and found.browser == "local"
    assert found.expose_network is None and not found.resolve_localhost


def test_an_empty_flag_turns_an_inherited_server_off() -> None:
    assert resolve_plan("", None, None, {"PW_TEST_CONNECT_WS_ENDPOINT": "ws://pw.example:3000/"}, never_asked) is None


def test_a_bad_environment_variable_is_named_in_the_error() -> None:
    with pytest.raises(RemoteOptionError, match="^PW_TEST_CONNECT_WS_ENDPOINT expects"):
        resolve_plan(None, None, None, {"PW_TEST_CONNECT_WS_ENDPOINT": "pw.example:3000"}, never_asked)


def test_a_loopback_server_without_a_chromium_here_uses_its_own() -> None:
    found = resolve_plan("ws://localhost:3000/", None, None, {}, lambda: False)
    assert found is not None and found.browser == "server" and found.expose_network == "<loopback>"
    assert found.resolve_localhost


def test_the_build_and_network_from_the_environment_and_the_flags_over_them() -> None:
    environ = {"CONNECT_BROWSER": "server", "PW_TEST_CONNECT_EXPOSE_NETWORK": "*.localhost"}
    from_env = resolve_plan("ws://127.0.0.1:3000/", None, None, environ, never_asked)
    assert from_env is not None and (from_env.browser, from_env.expose_network) == ("server", "*.localhost")
    from_flags = resolve_plan("ws://127.0.0.1:3000/", "local", "none", environ, never_asked)
    assert from_flags is not None and (from_flags.browser, from_flags.expose_network) == ("local", None)


def test_headers_come_from_playwright_tests_variable() -> None:
    environ = {"PW_TEST_CONNECT_HEADERS": '{"Authorization": "Bearer t"}'}
    found = resolve_plan("ws://pw.example/", None, None, environ, never_asked)
    assert found is not None and found.headers == {"Authorization": "Bearer t"}
    with pytest.raises(RemoteOptionError, match="PW_TEST_CONNECT_HEADERS must be a JSON object"):
        resolve_plan("ws://pw.example/", None, None, {"PW_TEST_CONNECT_HEADERS": "Bearer t"}, never_asked)


@pytest.mark.parametrize(("rules", "resolves"), [
    ("<loopback>", True), ("*", True), ("*.localhost", True), ("moncompte.localhost:8765", True),
    ("127.0.0.1,localhost", False), (None, False),
])
def test_the_client_resolves_localhost_names_only_when_the_tunnel_carries_them(rules: str | None, resolves: bool) -> None:
    assert plan(expose_network=rules).resolve_localhost is resolves


# What is sent to the server ---------------------------------------------------


SHELL = Chromium(path="/usr/bin/chromium-headless-shell", source="system", shell=True)


def test_launch_options_are_sent_in_the_servers_names() -> None:
    options = server_launch_options({"headless": False, "slow_mo": 250, "channel": "chrome",
                                     "ignore_default_args": True, "downloads_path": Path("/tmp/d"),
                                     "handle_sigint": False, "env": {"A": "1"}}, plan(browser="server"))
    assert options == {"headless": False, "slowMo": 250, "channel": "chrome", "ignoreAllDefaultArgs": True,
                       "downloadsPath": "/tmp/d"}


def test_a_local_build_is_named_with_its_switches_once() -> None:
    options = server_launch_options({"executable_path": "/usr/bin/chromium-headless-shell",
                                     "args": ["--no-first-run", "--lang=fr-FR"]}, plan(browser="local"), SHELL)
    assert options["executablePath"] == "/usr/bin/chromium-headless-shell"
    assert options["args"][:2] == ["--no-first-run", "--lang=fr-FR"]
    assert len(options["args"]) == len(set(options["args"])) and "--disable-component-update" in options["args"]
    assert "executable_path" not in options


def test_the_servers_own_build_gets_no_path_from_here() -> None:
    options = server_launch_options({"executable_path": "/usr/bin/chromium-headless-shell", "args": ["--x"]},
                                    plan(browser="server"))
    assert "executablePath" not in options and options["args"] == ["--x"]


def test_connect_arguments_carry_the_launch_options_header_and_the_rules() -> None:
    kwargs = connect_kwargs(plan(expose_network="<loopback>", headers={"Authorization": "Bearer t"}),
                            {"headless": True}, remote.endpoint_keyword())
    assert kwargs[remote.endpoint_keyword()] == "ws://127.0.0.1:3000/" and kwargs["expose_network"] == "<loopback>"
    assert kwargs["headers"] == {"Authorization": "Bearer t", LAUNCH_OPTIONS_HEADER: '{"headless": true}'}
    assert "expose_network" not in connect_kwargs(plan(), {})


def test_the_endpoint_keyword_is_the_one_playwright_takes() -> None:
    import inspect

    from playwright.sync_api import BrowserType

    assert remote.endpoint_keyword() in inspect.signature(BrowserType.connect).parameters


# The client's resolver for *.localhost -----------------------------------------


def test_node_options_get_the_resolver_once_after_what_was_there() -> None:
    script = Path("/tmp/x/localhost-resolver.cjs")
    once = with_require("--max-old-space-size=4096", script)
    assert once == "--max-old-space-size=4096 --require=/tmp/x/localhost-resolver.cjs"
    assert with_require(once, script) == once
    assert with_require(None, Path("/tmp/a b/r.cjs")) == '--require="/tmp/a b/r.cjs"'


def test_the_resolver_answers_localhost_names_as_localhost_in_playwrights_node(tmp_path: Path) -> None:
    script = remote.resolver_script_path(str(tmp_path))
    assert remote.resolver_script_path(str(tmp_path)) == script  # written once per content
    probe = """
const dns = require("node:dns");
const ask = (name) => dns.promises.lookup(name, { all: true }).then((a) => a.map((x) => x.address).sort().join(" "), (e) => e.code);
Promise.all(["localhost", "moncompte.localhost", "a.b.localhost", "name.invalid"].map(ask)).then((r) => console.log(JSON.stringify(r)));
"""
    env = {**os.environ, "NODE_OPTIONS": with_require(None, script)}
    answer = subprocess.run([str(NODE), "-e", probe], capture_output=True, text=True, timeout=20, env=env)
    assert answer.returncode == 0, answer.stderr
    localhost, site, deeper, other = json.loads(answer.stdout)
    assert localhost and site == localhost and deeper == localhost
    assert other == "ENOTFOUND"


# The options on pytest's command line ------------------------------------------


def run_pytest(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PW_TEST_CONNECT") and k != "CONNECT_BROWSER"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "e2e/test_login.py", "-k", "no_such_test",
         "-p", "no:faker", "-p", "no:hypothesispytest", "-p", "no:cacheprovider", "-p", "no:randomly", "--alluredir", str(tmp_path / "allure-results"),
         "--output", str(tmp_path / "artifacts"), *args],
        cwd=ROOT, capture_output=True, text=True, timeout=60, env={**environ, **(env or {})},
    )


@pytest.mark.parametrize(("args", "env", "named"), [
    (("--connect", "localhost:3000"), {}, "--connect"),
    ((), {"PW_TEST_CONNECT_WS_ENDPOINT": "localhost:3000"}, "PW_TEST_CONNECT_WS_ENDPOINT"),
])
def test_a_bad_url_is_a_usage_error_that_says_what_is_expected(args: tuple[str, ...], env: dict[str, str],
                                                                named: str, tmp_path: Path) -> None:
    run = run_pytest(tmp_path, *args, env=env)
    output = run.stdout + run.stderr
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert f"ERROR: {named} expects a Playwright server's WebSocket URL, ws://HOST:PORT/" in output
    assert "did you mean ws://localhost:3000/ ?" in output and "Traceback" not in output


def test_a_server_that_does_not_answer_is_said_before_any_test(closed_port: int, tmp_path: Path) -> None:
    run = run_pytest(tmp_path, "--connect", f"ws://127.0.0.1:{closed_port}/")
    output = run.stdout + run.stderr
    assert run.returncode == pytest.ExitCode.USAGE_ERROR, output
    assert f"No Playwright server answers at ws://127.0.0.1:{closed_port}/ (--connect)" in output
    assert "playwright run-server" in output and "Traceback" not in output
