"""How fast the browser suites run, and what the harness itself costs. Prints figures;
asserts nothing.

    .venv/bin/python -m benchmarks.suite [--workers 0,2] [--builds shell,full]
                                         [--rounds 3] [--logins 30] [-k EXPR] [--timeout 1200]

1. The e2e suite's wall time (start-up, collection and browser launch included)
   at each worker count, on Chromium's headless shell and on the full Chromium,
   each in a pytest subprocess; the median time per scenario; the ten slowest.
2. The harness's cost per test over a bare Playwright script doing the same
   clicks and checks for a NIR login (same browser build, same mock server):
   the login scenario run many times under pytest with the reports `make e2e`
   writes, against the bare script, each in a process of its own, in alternate
   rounds. A
   neighbour's load on the machine lands on one side of one round, so the
   figure is the median of the rounds' ratios.

Every pytest run has a time limit (--timeout) and every loop a bounded count;
all traffic stays on loopback. On a 2-core machine the whole run takes about
15 minutes; `-k` narrows the suite runs to a subset.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from fixtures.chromium import Chromium, find_chromium, launch_options, version

ROOT = Path(__file__).resolve().parents[1]
LOGIN_TEST = "e2e/test_login.py::test_login_with_nir"
WARM_UP = 2  # first logins of each side left out: browser launch, mock start, first page
BUILDS = ("shell", "full")


@dataclass
class SuiteRun:
    build: str
    workers: int
    wall: float
    summary: str
    durations: dict[str, float]  # nodeid → seconds, the whole test (benchmarks/timing.py)
    busy: float | None  # share of the machine's cores busy during the run (Linux), 0 to 1
    timed_out: bool = False

    @property
    def passed(self) -> int:
        found = re.search(r"(\d+) passed", self.summary)
        return int(found.group(1)) if found else 0


def builds() -> dict[str, Chromium]:
    """The two builds to compare, by name; a build this machine lacks is left out."""
    found: dict[str, Chromium] = {}
    shell, full = find_chromium(True), find_chromium(False)
    if shell is not None and shell.shell and shell.binary:
        found["shell"] = shell
    if full is not None and full.binary:
        found["full"] = full
    return found


def cpu_times() -> tuple[int, int] | None:
    """(busy, total) clock ticks of the whole machine so far, from /proc/stat (None elsewhere)."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and iowait
    return sum(fields) - idle, sum(fields)


def busy_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    if before is None or after is None or after[1] == before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


def run_pytest(args: list[str], chromium: Chromium, timeout: float) -> tuple[float, str, dict[str, float], bool]:
    """One pytest subprocess on `chromium`, writing the reports `make e2e` writes (to a
    scratch folder): wall seconds, its summary line, per-test durations, timed out."""
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        timings = Path(scratch, "timings")
        timings.mkdir()
        env = {**os.environ, "CHROMIUM_PATH": str(chromium.binary), "BENCH_TIMINGS": str(timings)}
        command = [sys.executable, "-m", "pytest", *args, "-q", "-p", "benchmarks.timing",
                   "--output", str(Path(scratch, "artifacts")),
                   f"--html={Path(scratch, 'report.html')}", "--self-contained-html",
                   f"--junitxml={Path(scratch, 'junit.xml')}"]
        started = time.perf_counter()
        timed_out = False
        try:
            answer = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
            output = answer.stdout
        except subprocess.TimeoutExpired as expired:
            output = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
            timed_out = True
        wall = time.perf_counter() - started
        durations: dict[str, float] = {}
        for part in timings.glob("*.json"):
            durations.update(json.loads(part.read_text(encoding="utf-8")))
    lines = [line for line in output.splitlines() if re.search(r"\d+ (passed|failed|error)", line)]
    summary = "timed out" if timed_out else (lines[-1].strip("= ") if lines else "no summary")
    return wall, summary, durations, timed_out


def bench_suite(chromium: Chromium, build: str, workers: int, selection: list[str], timeout: float) -> SuiteRun:
    before = cpu_times()
    wall, summary, durations, timed_out = run_pytest(["e2e", "-n", str(workers), *selection], chromium, timeout)
    return SuiteRun(build, workers, wall, summary, durations, busy_share(before, cpu_times()), timed_out)


def bare_logins(chromium: Chromium, count: int) -> list[float]:
    """The login scenario's clicks and checks, written straight in Playwright: ms per login."""
    from playwright.sync_api import expect, sync_playwright

    from pytest_franceconnect_mock.control import ControlClient
    from mock_server import texts
    from mock_server.server import LiveServer

    login, account = texts.LOGIN, texts.ACCOUNT
    samples = []
    with LiveServer() as server, sync_playwright() as playwright:
        persona = ControlClient(server.control_url).create_persona()
        browser = playwright.chromium.launch(**launch_options(chromium))
        base = f"http://moncompte.localhost:{server.port}"
        for _ in range(count):
            started = time.perf_counter()
            context = browser.new_context(base_url=base)
            page = context.new_page()
            page.goto("/connexion")
            page.get_by_label(login["nir_label"], exact=True).fill(persona.nir)
            page.get_by_label(login["password_label"], exact=True).fill(persona.password)
            page.get_by_role("checkbox", name=login["remember_me"], exact=True).set_checked(False)
            page.get_by_role("button", name=login["submit"], exact=True).click()
            title = page.get_by_role("heading", name=account["title"], exact=True)
            expect(title).to_be_visible()
            expect(page.get_by_text(account["greeting"].format(name=persona.display_name), exact=True)).to_be_visible()
            menu = page.get_by_role("navigation", name=texts.MAIN_MENU)
            expect(menu.get_by_role("button", name=account["logout"])).to_be_visible()
            context.close()
            samples.append((time.perf_counter() - started) * 1000)
        browser.close()
    return samples[WARM_UP:]


def bare_logins_apart(chromium: Chromium, count: int, timeout: float) -> list[float]:
    """bare_logins in a process of its own, started as the harness's pytest is."""
    env = {**os.environ, "CHROMIUM_PATH": str(chromium.binary)}
    answer = subprocess.run([sys.executable, "-m", "benchmarks.suite", "--bare-logins", str(count)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=timeout, check=True)
    return json.loads(answer.stdout.splitlines()[-1])


def harness_logins(chromium: Chromium, count: int, timeout: float) -> list[float]:
    """The same login as a scenario of the suite, run `count` times: ms per test."""
    _, summary, durations, _ = run_pytest([LOGIN_TEST, "-n", "0", "--count", str(count)], chromium, timeout)
    ordered = [durations[nodeid] * 1000 for nodeid in sorted(durations, key=_repeat_index)]
    if len(ordered) <= WARM_UP:
        raise RuntimeError(f"the login scenario did not run: {summary}")
    return ordered[WARM_UP:]


def _repeat_index(nodeid: str) -> int:
    found = re.search(r"-(\d+)-\d+\]$", nodeid)  # pytest-repeat's [chromium-3-31]
    return int(found.group(1)) if found else 0


def median(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def print_suites(runs: list[SuiteRun], names: dict[str, str]) -> None:
    cores = os.cpu_count() or 1
    print("\ne2e suite, wall time (one pytest run each; cores busy: the whole machine's, as /proc/stat counts them):")
    print(f"  {'build':<16}{'workers':<9}{'wall':>9}   {'per test (median)':>17}   {'cores busy':>10}   result")
    for run in runs:
        per_test = median(list(run.durations.values()))
        busy = f"{run.busy * cores:.2f} of {cores}" if run.busy is not None else "unknown"
        print(f"  {names[run.build]:<16}{'-n ' + str(run.workers):<9}{run.wall:>8.1f}s   {per_test:>16.2f}s   "
              f"{busy:>10}   {run.summary}")
    by_key = {(run.build, run.workers): run.wall for run in runs if not run.timed_out}
    for build in BUILDS:
        walls = sorted((workers, wall) for (name, workers), wall in by_key.items() if name == build)
        if len(walls) >= 2:
            (few, slow), (many, fast) = walls[0], walls[-1]
            print(f"  {names[build]}: -n {many} is {slow / fast:.2f}× as fast as -n {few}")
    for workers in sorted({run.workers for run in runs}):
        if ("shell", workers) in by_key and ("full", workers) in by_key:
            ratio = by_key[("full", workers)] / by_key[("shell", workers)]
            print(f"  -n {workers}: the headless shell is {ratio:.2f}× as fast as the full Chromium")


def print_slowest(run: SuiteRun, names: dict[str, str], count: int = 10) -> None:
    print(f"\nThe {count} slowest scenarios ({names[run.build]}, -n {run.workers}), setup and teardown included:")
    for nodeid, seconds in sorted(run.durations.items(), key=lambda item: -item[1])[:count]:
        print(f"  {seconds:6.2f} s  {nodeid}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.suite", description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="0,2", help="xdist worker counts to time the suite at (default 0,2)")
    parser.add_argument("--builds", default="shell,full", help="Chromium builds: shell, full (default both)")
    parser.add_argument("--rounds", type=int, default=7, help="alternate rounds of bare and harness logins")
    parser.add_argument("--logins", type=int, default=20, help="logins per round and side")
    parser.add_argument("-k", dest="keyword", default=None, help="only the scenarios matching this -k expression")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds allowed to each pytest run")
    parser.add_argument("--no-suite", action="store_true", help="skip the suite runs: only the harness's cost")
    parser.add_argument("--bare-logins", type=int, metavar="N", help=argparse.SUPPRESS)  # one side of a round
    options = parser.parse_args(argv)
    if options.bare_logins:
        print(json.dumps(bare_logins(find_chromium(True), max(WARM_UP + 1, min(options.bare_logins, 200)))))
        return 0

    try:
        workers = [max(0, min(int(value), 16)) for value in options.workers.split(",") if value.strip()]
    except ValueError:
        parser.error("--workers takes numbers separated by commas, e.g. 0,2")
    wanted = [name.strip() for name in options.builds.split(",") if name.strip()]
    unknown = set(wanted) - set(BUILDS)
    if unknown:
        parser.error(f"--builds: unknown {', '.join(sorted(unknown))} (choose among {', '.join(BUILDS)})")
    rounds, logins = max(1, min(options.rounds, 20)), max(WARM_UP + 3, min(options.logins, 200))
    timeout = max(30.0, min(options.timeout, 3600.0))

    available = builds()
    names = {"shell": "headless shell", "full": "full Chromium"}
    print(f"Benchmark of the suites, {date.today().isoformat()}, {platform.node()}: "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    for build in wanted:
        if build in available:
            chromium = available[build]
            print(f"  {names[build]}: {chromium.binary} ({version(chromium) or 'version unknown'})")
        else:
            print(f"  {names[build]}: not on this machine, left out (python -m fixtures.chromium)")
    wanted = [build for build in wanted if build in available]
    if not wanted:
        print("no Chromium build to measure")
        return 1

    if not options.no_suite:
        selection = ["-k", options.keyword] if options.keyword else []
        runs = []
        for build in wanted:
            for count in workers:
                print(f"  running e2e on the {names[build]} at -n {count}…", flush=True)
                runs.append(bench_suite(available[build], build, count, selection, timeout))
        print_suites(runs, names)
        print_slowest(next((run for run in runs if run.build == wanted[0] and run.workers == max(workers)), runs[0]), names)

    build = wanted[0]
    chromium = available[build]
    print(f"\nThe harness over a bare Playwright script, a NIR login ({names[build]}; "
          f"{rounds} round{'s' if rounds > 1 else ''} of {logins} logins each way; ms per test, median):")
    bare_medians, harness_medians, ratios = [], [], []
    for index in range(1, rounds + 1):
        bare = median(bare_logins_apart(chromium, logins, timeout))
        harness = median(harness_logins(chromium, logins, timeout))
        bare_medians.append(bare)
        harness_medians.append(harness)
        ratios.append(harness / bare)
        print(f"  round {index}: bare script {bare:6.1f} ms   harness ({LOGIN_TEST}) {harness:6.1f} ms   "
              f"{(harness / bare - 1) * 100:+5.1f} %", flush=True)
    print(f"  fastest round each way: bare {min(bare_medians):.1f} ms, harness {min(harness_medians):.1f} ms "
          f"({(min(harness_medians) / min(bare_medians) - 1) * 100:+.1f} %)")
    print(f"  the harness adds {(median(ratios) - 1) * 100:+.1f} % per test (median of the rounds' ratios; "
          f"bare {median(bare_medians):.1f} ms, harness {median(harness_medians):.1f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
