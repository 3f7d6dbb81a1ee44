"""make trace: a trace opens in any browser, Playwright's own browsers not needed."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest

from e2e.show_trace import TraceNotFound, find_trace

ROOT = Path(__file__).resolve().parents[1]


def a_trace(folder: Path, name: str = "trace.zip") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("trace.trace", "")
    return path


def test_a_folder_gives_its_newest_trace_and_nothing_gives_the_newest_of_the_run(tmp_path: Path) -> None:
    older = a_trace(tmp_path / "artifacts" / "gw0" / "test-a-retry1")
    newer = a_trace(tmp_path / "artifacts" / "gw1" / "test-b-retry1")
    os.utime(older, (1, 1))
    assert find_trace(str(tmp_path / "artifacts")) == newer.resolve()
    assert find_trace(None, artifacts=tmp_path / "artifacts") == newer.resolve()
    assert find_trace(str(older)) == older.resolve() and find_trace(str(older)).is_absolute()


@pytest.mark.parametrize("given", ["missing.zip", "empty-folder"])
def test_a_trace_that_is_not_there_is_said_so(tmp_path: Path, given: str) -> None:
    (tmp_path / "empty-folder").mkdir()
    with pytest.raises(TraceNotFound):
        find_trace(str(tmp_path / given))
    with pytest.raises(TraceNotFound, match="no trace under"):
        find_trace(None, artifacts=tmp_path / "nothing")


def viewer_processes(trace: Path) -> list[str]:
    found = subprocess.run(["pgrep", "-f", str(trace)], capture_output=True, text=True).stdout.split()
    return [pid for pid in found if int(pid) != os.getpid()]


def test_the_viewer_is_served_on_loopback_with_the_trace_loaded_and_stops_whole(tmp_path: Path) -> None:
    trace = a_trace(tmp_path / "a test's artifacts")
    viewer = subprocess.Popen([sys.executable, "-m", "e2e.show_trace", str(trace)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    guard = threading.Timer(30, viewer.kill)  # a viewer that never says where it is fails the test
    guard.start()
    try:
        assert viewer.stdout is not None
        address = next((line.split()[1] for line in viewer.stdout if line.startswith("Open http://127.0.0.1:")), None)
        assert address is not None, "the command says which address to open"
        answer = httpx.get(address, timeout=10)
        assert answer.status_code == 302
        assert "/trace/index.html?trace=" in answer.headers["location"]
        assert str(trace) in unquote(unquote(answer.headers["location"]))
    finally:
        guard.cancel()
        viewer.terminate()
        viewer.wait(timeout=10)
    assert viewer_processes(trace) == [], "stopping the command stops Playwright's viewer with it"
