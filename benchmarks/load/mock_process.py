"""The mock under load, in a child process of its own: started on a free port of
127.0.0.1, its memory read from /proc, stopped at the end.

A process apart, so its memory is its own (not the load generator's) and the
load's gevent never patches the mock's threads.

It is `python -m mock_server` itself, on port 0, with its thread pool sized for the
load (`--threads`): the mock calls itself server to server (FranceConnect's token
and userinfo calls to a provider, Mon Compte's to FranceConnect) on the pool that
serves the browsers. With 8 threads and a few dozen busy users, all 8 can hold a
request waiting for such a call, which waits in the queue behind them until the 3 s
upstream timeout: the user gets FranceConnect's error page (502/503/504 on "fc:" steps).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(r"control API\s+(http://127\.0\.0\.1:\d+)/__mock__/")
START_TIMEOUT = 30.0


class MockProcess:
    """`python -m mock_server --port 0`: the OS picks the port, the mock prints it."""

    def __init__(self, log_path: Path, threads: int) -> None:
        self.log_path = log_path
        self.threads = threads
        self.url: str | None = None
        self._process: subprocess.Popen | None = None

    def start(self) -> str:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("w", encoding="utf-8")
        self._process = subprocess.Popen(
            [sys.executable, "-m", "mock_server", "--port", "0", "--no-demo", "--threads", str(self.threads)],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            found = READY.search(self.log_path.read_text(encoding="utf-8", errors="replace"))
            if found:
                self.url = found.group(1)
                return self.url
            if self._process.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the mock did not start; its output: {self.log_path}")

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def rss_mib(self) -> float | None:
        """Resident memory (VmRSS) of the mock's process, in MiB; None once it has gone."""
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return None
        found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        return int(found.group(1)) / 1024 if found else None

    def stop(self) -> None:
        """Ends the child this object started (by its pid), and only it."""
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=10)

    def __enter__(self) -> "MockProcess":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
