"""Open a Playwright trace in any browser: ``make trace [TRACE=…]``.

``playwright show-trace <file>`` opens the trace viewer in a browser of Playwright's
own, which machines with only a system Chromium do not have ("No chromium-based
browser found"). Served over HTTP instead, the viewer needs no browser but the one
you already use: this starts it on 127.0.0.1 (any free port, or --port) and prints
the address to open. Ctrl-C stops it.

TRACE: a trace.zip, a folder with one inside (a test's artifacts folder), or nothing
for the newest trace under reports/artifacts.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from playwright._impl._driver import compute_driver_executable, get_driver_env

ARTIFACTS = Path("reports/artifacts")
LISTENING = re.compile(r"Listening on (http://\S+)")


class TraceNotFound(Exception):
    pass


def find_trace(given: str | None, artifacts: Path = ARTIFACTS) -> Path:
    """The trace to open, as an absolute path (the viewer runs in another folder)."""
    if given:
        path = Path(given).expanduser()
        if path.is_dir():
            found = sorted(path.rglob("trace.zip"), key=lambda p: p.stat().st_mtime)
            if not found:
                raise TraceNotFound(f"no trace.zip in {path}")
            return found[-1].resolve()
        if not path.is_file():
            raise TraceNotFound(f"{path}: no such file")
        return path.resolve()
    found = sorted(artifacts.rglob("trace.zip"), key=lambda p: p.stat().st_mtime) if artifacts.is_dir() else []
    if not found:
        raise TraceNotFound(f"no trace under {artifacts}/: a failed scenario leaves one "
                            "(its traced retry), or run with --tracing on")
    return found[-1].resolve()


def serve(trace: Path, host: str, port: int) -> int:
    # Playwright's Node.js driver itself (what `python -m playwright` runs), so that
    # stopping this command stops the viewer: it, and anything it started, as a group.
    node, cli = compute_driver_executable()
    command = [node, cli, "show-trace", "--host", host, "--port", str(port), str(trace)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               env=get_driver_env(), start_new_session=True)
    signal.signal(signal.SIGTERM, _stop)
    assert process.stdout is not None
    try:
        for line in process.stdout:
            match = LISTENING.search(line)
            if match:
                print(f"Trace {trace}\nOpen {match.group(1)} in your browser (Ctrl-C stops the viewer).", flush=True)
            elif line.strip():
                print(line, end="", flush=True)
        return process.wait()
    except (KeyboardInterrupt, SystemExit):
        return 0
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        process.wait()


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m e2e.show_trace", description=__doc__.split("\n\n")[0])
    parser.add_argument("trace", nargs="?", help="a trace.zip, a folder holding one, or nothing for the newest")
    parser.add_argument("--host", default="127.0.0.1", help="address to serve on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to serve on (default: 0, any free port)")
    options = parser.parse_args(argv)
    try:
        trace = find_trace(options.trace)
    except TraceNotFound as error:
        print(f"show_trace: {error}", file=sys.stderr)
        return 2
    return serve(trace, options.host, options.port)


if __name__ == "__main__":
    sys.exit(main())
