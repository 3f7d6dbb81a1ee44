"""Logins through a Playwright server (``--connect``, e2e/plugin/remote.py).

Starts ``playwright run-server --unsafe`` on a free port, runs the login scenarios that
sign a person in (``pytest e2e -m login -k test_login_with --connect ws://127.0.0.1:PORT/``:
with a NIR, typed with spaces, a Corsican NIR, a provisional identifier) in a subprocess,
and checks that every scenario passed
and that the browsers ran under the server, none under the pytest subprocess (the process
tree is watched while it runs). Twice: with the default for a server on this machine (this
machine's Chromium, the mock reached directly), and with ``--connect-expose-network
<loopback>``, the path a server on another machine (the Docker image) takes: the mock's
``*.localhost`` sites reached through Playwright's tunnel, from this machine.

This test is marked ``remote``, not ``login``: the subprocess does not collect it again.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import pytest

from e2e.steps import StepRecorder

pytestmark = [pytest.mark.remote, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[1]
PLAYWRIGHT = Path(sys.executable).with_name("playwright")
# Until the plugin is registered by e2e/plugin/__init__.py (then: remove).
START_SECONDS = 60.0  # for the server to listen
STOP_SECONDS = 10.0  # for the server to close its browsers and exit, before it is killed
SUBPROCESS_SECONDS = 240.0
SAMPLE_SECONDS = 0.05
# Variables that would change what the subprocess is asked.
CONNECT_VARIABLES = ("PW_TEST_CONNECT_WS_ENDPOINT", "PW_TEST_CONNECT_EXPOSE_NETWORK", "PW_TEST_CONNECT_HEADERS",
                     "CONNECT_BROWSER", "PYTEST_ADDOPTS", "DEBUG", "NODE_OPTIONS")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def is_browser(process: psutil.Process) -> bool:
    """A Chromium process (the browser, its renderers, its GPU and utility processes)."""
    try:
        return bool(re.search(r"chrom|headless", process.name(), re.IGNORECASE))
    except psutil.Error:
        return False


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.Error:
        return []


class PlaywrightServer:
    """`playwright run-server` in a session (and process group) of its own."""

    def __init__(self, log: Path) -> None:
        self.port = free_port()
        self.url = f"ws://127.0.0.1:{self.port}/"
        self.log = log
        env = {k: v for k, v in os.environ.items() if k not in CONNECT_VARIABLES}
        with open(log, "wb") as out:
            self.process = subprocess.Popen(
                [str(PLAYWRIGHT), "run-server", "--host", "127.0.0.1", "--port", str(self.port), "--unsafe"],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO,
                start_new_session=True,
            )
        self._seen: dict[int, psutil.Process] = {}

    def wait_listening(self, seconds: float = START_SECONDS) -> None:
        deadline = time.monotonic() + seconds
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1.0).close()
                return
            except OSError:
                pass
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"run-server did not listen on {self.port} in {seconds:g} s:\n{self.output()}")
            try:  # the pause between attempts: the server's own exit, if it comes
                code = self.process.wait(timeout=min(0.05, remaining))
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"run-server exited ({code}) before listening:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def remember_descendants(self) -> list[psutil.Process]:
        """Its processes now; kept, so that browsers in process groups of their own
        (Playwright starts them detached) are found again when stopping."""
        found = descendants(self.process.pid)
        for process in found:
            self._seen.setdefault(process.pid, process)
        return found

    def stop(self) -> None:
        """SIGINT to the server (Playwright's handler closes its browsers, then exits), then
        SIGKILL to its whole process group and to every process of it seen, browsers
        included (Playwright starts them in process groups of their own)."""
        self.remember_descendants()
        servers = [p for p in self._seen.values() if not is_browser(p)]  # the driver (node)
        for process in servers:
            try:
                process.send_signal(signal.SIGINT)
            except psutil.Error:
                pass
        psutil.wait_procs([*servers, *self._seen.values()], timeout=STOP_SECONDS)
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        left = [p for p in self._seen.values() if p.is_running()]
        for process in left:
            try:
                process.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(left, timeout=STOP_SECONDS)
        try:
            self.process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            pass


@pytest.fixture(scope="module")
def playwright_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlaywrightServer]:
    server = PlaywrightServer(tmp_path_factory.mktemp("run-server") / "run-server.log")
    try:
        server.wait_listening()
        yield server
    finally:
        server.stop()
    assert server.process.poll() is not None, "run-server is still running"
    left = [p.pid for p in server._seen.values() if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert not left, f"processes of run-server left running: {left}"


@dataclass
class TreeWatch:
    """Which browser processes were seen under each root, sampled while a run lasts."""

    server: PlaywrightServer
    client_pid: int
    under_server: set[int] = field(default_factory=set)
    under_client: dict[int, str] = field(default_factory=dict)
    samples: int = 0

    def sample(self) -> None:
        self.under_server.update(p.pid for p in self.server.remember_descendants() if is_browser(p))
        for process in descendants(self.client_pid):
            if is_browser(process):
                try:
                    self.under_client[process.pid] = " ".join(process.cmdline()[:2])
                except psutil.Error:
                    self.under_client[process.pid] = "?"
        self.samples += 1


def run_watched(command: list[str], env: dict[str, str], server: PlaywrightServer, log: Path) -> tuple[int, TreeWatch]:
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO,
                                   start_new_session=True)
    watch = TreeWatch(server, process.pid)
    stop = threading.Event()

    def watching() -> None:
        while not stop.is_set():
            watch.sample()
            stop.wait(SAMPLE_SECONDS)

    watcher = threading.Thread(target=watching, daemon=True)
    watcher.start()
    try:
        code = process.wait(timeout=SUBPROCESS_SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
    finally:
        stop.set()
        watcher.join()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    return code, watch


def junit_counts(path: Path) -> dict[str, int]:
    root = ElementTree.parse(path).getroot()
    suite = root if root.tag == "testsuite" else root.find("testsuite")
    assert suite is not None
    return {key: int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped")}


NETWORK_MODES = {
    # This machine's Chromium, on the same network: the mock reached directly.
    "direct": [],
    # As a server elsewhere does: the mock's *.localhost sites through the tunnel.
    "exposed": ["--connect-expose-network", "<loopback>"],
}


@pytest.mark.parametrize("mode", list(NETWORK_MODES))
@pytest.mark.title("Les scénarios de connexion réussissent dans le navigateur d'un serveur Playwright "
                   "(--connect), aucun navigateur n'étant lancé par pytest (réseau : {mode})")
def test_login_scenarios_pass_on_a_playwright_server(mode: str, playwright_server: PlaywrightServer,
                                                     tmp_path: Path, step: StepRecorder) -> None:
    options = ["--connect", playwright_server.url, *NETWORK_MODES[mode]]
    command = [
        # The logins that succeed: what a remote browser changes is where it runs and how it
        # reaches the mock, which they show; the whole -m login is make e2e's with --connect.
        sys.executable, "-m", "pytest", "e2e", "-m", "login", "-k", "test_login_with", "-n", "0", "-p", "no:randomly",
        *options,
        # Its own artifacts, results and cache: the run around this one keeps its own.
        "--output", str(tmp_path / "artifacts"), "--alluredir", str(tmp_path / "allure-results"),
        "-p", "no:cacheprovider", "--junitxml", str(tmp_path / "junit.xml"),
        # The driver's own log goes to the output, not to pytest's capture: the tunnel's
        # connections are read from it.
        "-s",
    ]
    env = {k: v for k, v in os.environ.items() if k not in CONNECT_VARIABLES}
    env["DEBUG"] = "pw:socks"
    log = tmp_path / "pytest.log"

    with step.action(f"Je lance les scénarios de connexion : pytest e2e -m login -k test_login_with {' '.join(options)}"):
        code, watch = run_watched(command, env, playwright_server, log)
    output = log.read_text(errors="replace")

    with step.action("Je vérifie qu'ils ont tous réussi, dans un navigateur du serveur"):
        tail = "\n".join(output.splitlines()[-40:])
        assert code == 0, f"the login scenarios failed through run-server (exit {code}):\n{tail}"
        counts = junit_counts(tmp_path / "junit.xml")
        assert counts["tests"] > 0 and counts["failures"] == counts["errors"] == counts["skipped"] == 0, counts
        assert "browser: on the Playwright server at " + playwright_server.url in output

    with step.action("Je vérifie que les navigateurs tournaient sous run-server, aucun sous pytest"):
        assert watch.under_server, (f"no browser process seen under run-server in {watch.samples} samples:\n"
                                    f"{playwright_server.output()}")
        assert not watch.under_client, f"browsers under the pytest subprocess: {watch.under_client}"

    with step.action("Je vérifie par où passaient les connexions du navigateur vers le simulateur"):
        tunnelled = re.findall(r"pw:socks \[\w+\] => request ([\w.\-]+):\d+", output)
        if mode == "exposed":
            assert any(host.endswith(".localhost") for host in tunnelled), "no *.localhost site went through the tunnel"
            assert "<= connect error" not in output, "a connection through the tunnel failed on this machine"
            assert "ERR_SOCKS_CONNECTION_FAILED" not in output
        else:
            assert not tunnelled, f"connections through the tunnel without --connect-expose-network: {set(tunnelled)}"
