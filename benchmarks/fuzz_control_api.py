"""Schemathesis against the control API of a mock started here, from its own
OpenAPI description (GET /__mock__/openapi.json). Exits non-zero on any failure.

    .venv/bin/python -m benchmarks.fuzz_control_api [--max-examples 50] [--seed N] [-- schemathesis options]

The mock runs in this process (waitress on 127.0.0.1, port 0); schemathesis in
a child process through the venv's CLI, so the two use both cores. Every phase
runs: the description's examples, the coverage phase (bounds, missing and wrong
fields), random fuzzing, and stateful sequences along the description's links
(create a persona, read it, delete it, read it again). Reports (JUnit, JSON)
go to reports/fuzz/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from mock_server.config import MockConfig
from mock_server.server import LiveServer

from .fuzz_hooks import BASE_URL_VARIABLE

HOOKS = Path(__file__).with_name("fuzz_hooks.py")
REPORTS = Path(__file__).resolve().parents[1] / "reports" / "fuzz"
RUN_REPORT = REPORTS / "run.json"
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    # Invalid data (per the description) must get a 4xx.
    "negative_data_rejection",
    # PATCH, PUT… on a route get 405 with an Allow header naming its methods.
    "unsupported_method",
    "allow_header_conformance",
    # A deleted persona, fault or client is gone.
    "use_after_free",
)
# Not positive_data_acceptance: a body valid by the description may still be refused
# with 422 for what no schema says (a NIR's key, a range's order, fields that must agree).
# Not ensure_resource_availability: POST /__mock__/reset and DELETE /__mock__/faults (the
# collection) remove what a sequence created before, which that check cannot know.


def schemathesis_command(server: LiveServer, args: argparse.Namespace) -> list[str]:
    base = server.control_url
    return [
        sys.executable, "-m", "schemathesis.cli", "run", f"{base}/__mock__/openapi.json",
        "--url", base,
        "--checks", ",".join(CHECKS),
        "--max-examples", str(args.max_examples),
        "--seed", str(args.seed),
        "--workers", str(args.workers),
        # A form's 303 is its answer: following it would check the dashboard page instead.
        "--max-redirects", "0",
        "--request-timeout", "15",
        "--generation-database", "none",
        # Every case of an operation, not only up to its first failure: one defect does not hide the next.
        "--continue-on-failure",
        "--report", "junit,json",
        "--report-junit-path", str(REPORTS / "junit.xml"),
        "--report-json-path", str(RUN_REPORT),
        *args.extra,
    ]


def summary(report: Path) -> str:
    """Operations, test cases and failures, from schemathesis' JSON run report."""
    if not report.exists():
        return "no run report (schemathesis stopped early)"
    run = json.loads(report.read_text())
    operations, cases = run["operations"] or {}, run["test_cases"]
    lines = [f"{operations.get('tested', 0)} operations, {cases['generated']} test cases, "
             f"{cases['unique_failures']} unique failures, {len(run['errors'])} errors "
             f"in {run['running_time']:.0f} s"]
    for group in run["failures"]:
        lines.append(f"  {group['code']} {group['title']} ({group['count']}): {', '.join(group['operations'])}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=50, help="test cases per operation and phase (50)")
    parser.add_argument("--seed", type=int, default=random.randrange(2**32), help="replay a run with its seed")
    # One worker: calls that change the whole mock (reset, clear the faults) cannot land
    # between another worker's create and read, and a seed replays the same run.
    parser.add_argument("--workers", default="1", help="schemathesis workers (1)")
    parser.add_argument("extra", nargs="*", help="more schemathesis run options, after --")
    args = parser.parse_args(argv)

    REPORTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with LiveServer(MockConfig()) as server:
        command = schemathesis_command(server, args)
        print(f"fuzz: schemathesis against {server.control_url}/__mock__/openapi.json, seed {args.seed}", flush=True)
        env = {**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS), BASE_URL_VARIABLE: server.control_url}
        RUN_REPORT.unlink(missing_ok=True)
        # In reports/fuzz/: schemathesis keeps its crash cache (.schemathesis/) in its working directory.
        status = subprocess.run(command, env=env, cwd=REPORTS).returncode
    print(f"fuzz: {summary(RUN_REPORT)}")
    print(f"fuzz: {time.monotonic() - started:.0f} s in all, seed {args.seed} "
          f"(replay: python -m benchmarks.fuzz_control_api --seed {args.seed}); exit status {status}")
    return status


if __name__ == "__main__":
    sys.exit(main())
