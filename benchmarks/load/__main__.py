"""`make load`: Locust users against a mock of our own, on loopback, bounded.

    .venv/bin/python -m benchmarks.load [--users 10] [--rate 5] [--duration 30s]
                                        [--logins 10000] [--clock-speed 30] [--think 0.5,2]
                                        [--mock-threads 32] [--target http://127.0.0.1:PORT]

Starts the mock in a child process on a free port of 127.0.0.1 (`--target` names a
mock already running there instead; any other address is refused), runs Locust
headless (its library API, in this process) with the users of locustfile.py, and
prints requests/s, p50/p95/p99 and failures per step, and the mock's resident
memory before, during and after. Exits 1 if any request failed.

`--logins N` runs until N logins are done (instead of `--duration`; at most
`--max-duration`) and prints the mock's memory every 1,000 logins: what traffic
leaves behind (sessions left open, abandoned FranceConnect walks, codes, tokens,
messages) must expire or be capped, so it stays flat. Such a run stands for hours
of use: the mock's clock runs 30 times faster meanwhile (`--clock-speed`, through
the control API), so that a few minutes of load are hours of the mock's time and
the expiries are met; `--clock-speed 1` leaves the clock alone.
"""

from __future__ import annotations

# Locust's gevent patches the standard library: first, before anything imports it.
from locust import between  # isort: skip  # noqa: I001
from locust.env import Environment
from locust.log import setup_logging
from locust.util.timespan import parse_timespan

import argparse
import sys
import time
from urllib.parse import urlsplit

import gevent
import requests

from benchmarks.load.locustfile import MonCompteUser, is_loopback_host, progress
from benchmarks.load.mock_process import ROOT, MockProcess
from benchmarks.load.report import Memory, print_failures, print_memory, print_requests

MAX_USERS = 500
MAX_DURATION = 3600.0  # seconds
MAX_LOGINS = 100_000
SAMPLE_SECONDS = 1.0  # how often the mock's memory is read
CHECKPOINT_LOGINS = 1_000
CLOCK_TICK = 0.1  # seconds of real time between two moves of the mock's clock
# A --logins run stands for hours of use: its mock clock runs this much faster unless
# told otherwise, so sessions (30 min idle), authorization requests (10 min), codes and
# tokens meet their expiry during the run. Every step of a walk still takes a few
# seconds of mock time at most, far within the shortest lifetime that matters (30 s).
LOGINS_CLOCK_SPEED = 30.0
# Users finish the task in hand when the run ends: no request is cut halfway.
STOP_TIMEOUT = 30.0
LOG = ROOT / "reports" / "load" / "mock.log"
# Enough that the mock's calls to itself find a free thread with 50 busy users (measured;
# mock_process.py says why the mock's own 8 are not).
MOCK_THREADS = 32


def think_times(text: str) -> tuple[float, float]:
    low, _, high = text.partition(",")
    try:
        bounds = float(low), float(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: seconds, as MIN,MAX") from None
    if not 0 <= bounds[0] <= bounds[1] <= 60:
        raise argparse.ArgumentTypeError(f"{text!r}: 0 <= MIN <= MAX <= 60")
    return bounds


def bounded(kind: type, low: float, high: float):
    def parse(text: str):
        value = kind(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not between {low:g} and {high:g}")
        return value
    return parse


def duration(text: str) -> float:
    try:
        seconds = float(parse_timespan(text))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if not 0 < seconds <= MAX_DURATION:
        raise argparse.ArgumentTypeError(f"{text}: at most {MAX_DURATION:.0f} s")
    return seconds


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-u", "--users", type=bounded(int, 1, MAX_USERS), default=10)
    parser.add_argument("-r", "--rate", type=bounded(float, 0.1, 100), default=5.0, help="users started per second")
    parser.add_argument("-t", "--duration", type=duration, default=30.0, help="run time: 30s, 2m, 1h (at most 1h)")
    parser.add_argument("--logins", type=bounded(int, 1, MAX_LOGINS), help="run until this many logins are done")
    parser.add_argument("--max-duration", type=duration, default=1800.0, help="time limit of a --logins run (30m)")
    parser.add_argument("--think", type=think_times, help="users' think time between tasks, MIN,MAX seconds "
                                                          "(0.5,2; 0,0.2 with --logins)")
    parser.add_argument("--clock-speed", type=bounded(float, 1, 100),
                        help=f"mock seconds per real second (1: the clock is left alone; "
                             f"{LOGINS_CLOCK_SPEED:g} with --logins)")
    parser.add_argument("--mock-threads", type=bounded(int, 1, 256), default=MOCK_THREADS,
                        help=f"server threads of the mock started here ({MOCK_THREADS}, as python -m mock_server)")
    parser.add_argument("--target", help="a mock already running on loopback (http://127.0.0.1:PORT)")
    return parser.parse_args(argv)


def sample_memory(mock: MockProcess | None, memory: Memory, started: float) -> None:
    while mock is not None:
        mib = mock.rss_mib()
        if mib is not None:
            memory.samples.append((time.monotonic() - started, mib))
        if progress.logins >= CHECKPOINT_LOGINS * (len(memory.at_logins) + 1) and mib is not None:
            memory.at_logins.append((progress.logins, mib))
        gevent.sleep(SAMPLE_SECONDS)


def run_clock(control_url: str, speed: float) -> None:
    """The mock's clock runs `speed` times faster: every CLOCK_TICK of real time it moves
    (speed - 1) ticks more. Small steps: a 30 s FranceConnect code, redeemed within
    milliseconds of its issue, never sees more than one of them."""
    with requests.Session() as http:
        while True:
            gevent.sleep(CLOCK_TICK)
            http.post(control_url + "/__mock__/clock", json={"advance": round((speed - 1.0) * CLOCK_TICK, 3)},
                      headers={"Content-Type": "application/json"}, timeout=10).raise_for_status()


def stop_after_logins(runner, wanted: int, limit: float) -> None:
    deadline = time.monotonic() + limit
    while progress.logins < wanted and time.monotonic() < deadline:
        gevent.sleep(0.1)
    runner.quit()


def run(args: argparse.Namespace, control_url: str, mock: MockProcess | None) -> int:
    think = args.think or ((0.0, 0.2) if args.logins else (0.5, 2.0))
    if args.clock_speed is None:
        args.clock_speed = LOGINS_CLOCK_SPEED if args.logins else 1.0
    MonCompteUser.wait_time = between(*think)
    memory = Memory(before=mock.rss_mib() if mock else None)
    env = Environment(user_classes=[MonCompteUser], host=control_url, stop_timeout=STOP_TIMEOUT)
    runner = env.create_local_runner()
    what = f"until {args.logins:,} logins" if args.logins else f"for {args.duration:g} s"
    print(f"Load: {args.users} users (started {args.rate:g}/s), think {think[0]:g}-{think[1]:g} s, {what}; "
          f"mock clock ×{args.clock_speed:g}; target {control_url}"
          + (f" ({mock.threads} server threads)" if mock else ""))
    started = time.monotonic()
    helpers = [gevent.spawn(sample_memory, mock, memory, started)]
    if args.clock_speed > 1:
        helpers.append(gevent.spawn(run_clock, control_url, args.clock_speed))
    runner.start(args.users, spawn_rate=args.rate)
    if args.logins:
        helpers.append(gevent.spawn(stop_after_logins, runner, args.logins, args.max_duration))
    else:
        gevent.spawn_later(args.duration, runner.quit)
    runner.greenlet.join()
    seconds = time.monotonic() - started
    gevent.killall(helpers)
    memory.after = mock.rss_mib() if mock else None
    if mock and args.logins and (not memory.at_logins or memory.at_logins[-1][0] < progress.logins):
        memory.at_logins.append((progress.logins, memory.after))

    print_requests(env.stats, seconds)
    print(f"done: {progress.logins} logins ({progress.fc_logins} through FranceConnect), {progress.logouts} logouts, "
          f"{progress.left_logged_in} left logged in, {progress.fc_abandoned} FranceConnect walks abandoned, "
          f"{progress.resets} passwords reset")
    print_memory(memory)
    print_failures(env.stats, runner.exceptions)
    failed = env.stats.total.num_failures > 0 or bool(runner.exceptions)
    if args.logins and progress.logins < args.logins:
        print(f"\nOnly {progress.logins:,} of {args.logins:,} logins in {args.max_duration:g} s.")
        failed = True
    if failed and mock:
        print(f"The mock's output: {mock.log_path}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_logging("WARNING")
    if args.target:
        target = args.target.rstrip("/")
        if not is_loopback_host(urlsplit(target).hostname):
            print(f"Refused: {target} is not on loopback; load only ever goes to 127.0.0.1.", file=sys.stderr)
            return 2
        return run(args, target, None)
    with MockProcess(LOG, args.mock_threads) as mock:
        return run(args, mock.url, mock)


if __name__ == "__main__":
    sys.exit(main())
