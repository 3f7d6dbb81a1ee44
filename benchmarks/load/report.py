"""What `make load` prints: per step, how many requests, how fast, how many failed;
and the mock's memory over the run."""

from __future__ import annotations

from dataclasses import dataclass, field

from locust.stats import RequestStats, StatsEntry

PERCENTILES = (0.50, 0.95, 0.99)


@dataclass
class Memory:
    """The mock's resident memory (MiB), read from /proc/<pid>/status."""

    before: float | None = None
    after: float | None = None
    samples: list[tuple[float, float]] = field(default_factory=list)  # (seconds into the run, MiB)
    at_logins: list[tuple[int, float]] = field(default_factory=list)  # (logins done, MiB)


def _ms(entry: StatsEntry, percentile: float) -> str:
    return f"{entry.get_response_time_percentile(percentile):.0f}" if entry.num_requests else "-"


def _row(name: str, entry: StatsEntry, seconds: float) -> str:
    rate = entry.num_requests / seconds if seconds > 0 else 0.0
    p50, p95, p99 = (_ms(entry, p) for p in PERCENTILES)
    return (f"  {name[:46]:<46} {entry.num_requests:>7} {entry.num_failures:>6} {rate:>8.1f} "
            f"{p50:>6} {p95:>6} {p99:>6} {entry.max_response_time or 0:>7.0f}")


def print_requests(stats: RequestStats, seconds: float) -> None:
    print(f"\nRequests by step over {seconds:.1f} s (times in ms):")
    print(f"  {'step':<46} {'count':>7} {'fails':>6} {'req/s':>8} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}")
    for entry in sorted(stats.entries.values(), key=lambda entry: entry.name):
        print(_row(entry.name, entry, seconds))
    total = stats.total
    print(_row("all steps", total, seconds))
    rate = total.num_requests / seconds if seconds > 0 else 0.0
    print(f"\nrequests/s: {rate:.1f}   requests: {total.num_requests}   failures: {total.num_failures}")
    p50, p95, p99 = (_ms(total, p) for p in PERCENTILES)
    print(f"p50: {p50} ms")
    print(f"p95: {p95} ms")
    print(f"p99: {p99} ms")


def print_failures(stats: RequestStats, exceptions: dict) -> None:
    if stats.errors:
        print("\nFailures:")
        for error in sorted(stats.errors.values(), key=lambda error: -error.occurrences):
            print(f"  {error.occurrences:>6} × {error.name}: {error.error}")
    if exceptions:
        print("\nErrors in the users' own code:")
        for failure in exceptions.values():
            print(f"  {failure['count']:>6} × {failure['msg']}\n{failure['traceback']}")


def _mib(value: float | None) -> str:
    return f"{value:.1f} MiB" if value is not None else "unknown"


def print_memory(memory: Memory) -> None:
    print(f"\nMock's memory (VmRSS): before {_mib(memory.before)}, after {_mib(memory.after)}")
    if memory.samples:
        values = [mib for _, mib in memory.samples]
        print(f"  during: {len(values)} samples, min {min(values):.1f}, max {max(values):.1f} MiB")
        step = max(1, len(memory.samples) // 10)
        shown = memory.samples[::step] + ([memory.samples[-1]] if (len(memory.samples) - 1) % step else [])
        print("  " + "  ".join(f"{seconds:.0f}s:{mib:.1f}" for seconds, mib in shown))
    if memory.at_logins:
        for logins, mib in memory.at_logins:
            print(f"  after {logins:>6,} logins: {mib:.1f} MiB")
        first, last = memory.at_logins[0], memory.at_logins[-1]
        print(f"  from {first[0]:,} to {last[0]:,} logins: {last[1] - first[1]:+.1f} MiB")
