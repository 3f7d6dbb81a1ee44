"""One report out of a sharded run's: every ``DIR/shard-*/`` (``make e2e SHARD=i/n``
writes ``reports/shard-i-of-n/``) merged into

- ``DIR/report.html``: one pytest-html report, the first shard's page (its CSS and
  script) with the shards' tests in its data, failures first, then the help page's
  sections as a single run files them; the trace links point into each shard's
  folder; the summary's counts and time are the union's; the environment table
  names each shard with its seed and machine.
- ``DIR/junit.xml``: one ``<testsuite>`` per shard, each test case once.
- ``DIR/allure-results``: every shard's Allure results, with one environment naming
  each shard (``make merge-reports`` builds the Allure report from it).

    .venv/bin/python -m e2e.merge_reports [--reports DIR]

Exits 2, with one sentence, when there is no shard folder, when a shard lacks its
report.html or junit.xml, or when a test is in two shards.
"""

from __future__ import annotations

import argparse
import html
import json
import math
import os
import re
import shutil
import sys
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from junitparser import Error, Failure, JUnitXml, TestSuite
from markupsafe import escape

from . import scenarios
from .plugin.fragments import render

SHARD_FOLDER = re.compile(r"shard-(\d+)-of-(\d+)")
# pytest-html 4 keeps the report's data as JSON in this attribute; its script draws the rows from it.
DATA_BLOB = re.compile(r'(<div id="data-container" data-jsonblob=")([^"]*)(")')
RUN_COUNT = re.compile(r'<p class="run-count">.*?</p>', re.S)
FILTERS = re.compile(r'(<div class="filters">)(.*?)(</div>)', re.S)
# The flaky tests' filter (e2e/plugin/html_report.py): one shard's count in its page.
FLAKY_FILTER = re.compile(r'<p class="mc-flaky-filter">.*?</p>', re.S)
SUMMARY_BLOCK = re.compile(r'(<div class="additional-summary summary">)', re.S)
FILTER = re.compile(
    r'(<input\b[^>]*data-test-result="(?P<result>\w+)"[^>]*?)(?:\s*disabled)?\s*>(?P<gap>\s*)'
    r'<span class="(?P=result)">\d+ ')
# Where a link can stand in the rows' HTML (cells, extras, log).
LINK_ATTRIBUTE = re.compile(r"""(\s(?:href|src|poster)\s*=\s*)(["'])(.*?)\2""", re.S)
# Extras whose content is a link (pytest-html's url extras, and media or data linked, not embedded).
LINK_EXTRAS = {"url", "image", "video", "json", "text"}
FAILED_RESULTS = {"failed", "error"}
RUN_COUNTED = ("passed", "failed", "xpassed", "xfailed")  # what pytest-html's "N tests took …" counts
KEYS_IN_SHARD_ROWS = ("Run seed", "Shard", "Machine")  # said in each shard's own row instead
SEED = re.compile(r"\d+")


class MergeError(Exception):
    """What stops the merge: said in one sentence, exit status 2."""


@dataclass
class Shard:
    folder: Path
    label: str  # "1/3"
    order: tuple[int, int, str]
    data: dict[str, Any] = field(default_factory=dict)  # pytest-html's data
    page: str = ""  # report.html as written
    junit: JUnitXml | None = None

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def environment(self) -> dict[str, Any]:
        return self.data.get("environment") or {}

    @property
    def tests(self) -> dict[str, list[dict[str, Any]]]:
        return self.data.get("tests") or {}

    def suites(self) -> list[TestSuite]:
        return list(self.junit) if self.junit is not None else []

    @property
    def seed(self) -> str:
        found = SEED.search(str(self.environment.get("Run seed", "")))
        if found:
            return found.group(0)
        for suite in self.suites():
            for prop in suite.properties():
                if prop.name == "run_seed":
                    return str(prop.value)
        return "unknown"

    @property
    def machine(self) -> str:
        machine = self.environment.get("Machine")
        if machine:
            return str(machine)
        hosts = sorted({suite.hostname for suite in self.suites() if suite.hostname})
        return ", ".join(hosts) or "unknown"

    @property
    def duration(self) -> float:
        """The shard's run, as pytest timed it (its JUnit suite's time: the whole session)."""
        return sum(float(suite.time or 0) for suite in self.suites())

    def failed(self) -> list[str]:
        return [test_id for test_id, rows in self.tests.items() if _failed(rows)]

    def summary(self) -> str:
        count = len(self.tests)
        return (f"seed {self.seed} · machine {self.machine} · {count} test{'s' if count != 1 else ''} · "
                f"{len(self.failed())} failed")


# Finding and reading the shards -------------------------------------------------


def find_shards(reports: Path) -> list[Shard]:
    folders = sorted(path for path in reports.glob("shard-*") if path.is_dir())
    if not folders:
        raise MergeError(f"no shard folder in {reports}/ (shard-*/, written by make e2e SHARD=i/n): nothing to merge")
    shards = []
    for folder in folders:
        match = SHARD_FOLDER.fullmatch(folder.name)
        if match:
            index, total = int(match.group(1)), int(match.group(2))
            shards.append(Shard(folder, f"{index}/{total}", (total, index, folder.name)))
        else:
            shards.append(Shard(folder, folder.name.removeprefix("shard-"), (0, 0, folder.name)))
    for shard in shards:
        missing = [name for name in ("report.html", "junit.xml") if not (shard.folder / name).is_file()]
        if missing:
            raise MergeError(f"{shard.folder} has no {' and no '.join(missing)}: that shard did not finish, "
                             "or its files were not downloaded")
    totals = sorted({shard.order[0] for shard in shards if shard.order[0]})
    if len(totals) > 1:
        names = ", ".join(shard.name for shard in shards)
        raise MergeError(f"the shard folders come from different splits ({names}): "
                         "remove the folders of the other run and merge again")
    return sorted(shards, key=lambda shard: shard.order)


def read_shard(shard: Shard) -> None:
    path = shard.folder / "report.html"
    shard.page = path.read_text(encoding="utf-8")
    blob = DATA_BLOB.search(shard.page)
    if blob is None:
        raise MergeError(f"{path} is not a pytest-html 4 report (it has no data-container with its data)")
    try:
        shard.data = json.loads(html.unescape(blob.group(2)))
    except json.JSONDecodeError as error:
        raise MergeError(f"{path}: its data cannot be read ({error})") from error
    try:
        shard.junit = JUnitXml.fromfile(str(shard.folder / "junit.xml"))
    except Exception as error:  # junitparser lets the XML parser's own errors through
        raise MergeError(f"{shard.folder / 'junit.xml'} cannot be read as JUnit XML ({error})") from error


def missing_shards(shards: list[Shard]) -> list[str]:
    """The shards of the split with no folder: "3/3" when only 1 and 2 were downloaded."""
    total = next((shard.order[0] for shard in shards if shard.order[0]), 0)
    present = {shard.order[1] for shard in shards}
    return [f"{index}/{total}" for index in range(1, total + 1) if index not in present]


# report.html ----------------------------------------------------------------------


def _failed(rows: list[dict[str, Any]]) -> bool:
    return any(str(row.get("result", "")).lower() in FAILED_RESULTS for row in rows)


def _relative(url: str) -> bool:
    if not url or url.startswith(("#", "/", "\\")):
        return False
    parts = urllib.parse.urlsplit(url)
    return not parts.scheme and not parts.netloc


def relink(url: str, prefix: str) -> str:
    """A link written relative to a shard's report, made relative to the merged one."""
    return urllib.parse.urljoin(prefix + "/", url) if _relative(url) else url


def relink_html(fragment: str, prefix: str) -> str:
    return LINK_ATTRIBUTE.sub(
        lambda match: match.group(1) + match.group(2) + relink(match.group(3), prefix) + match.group(2),
        fragment)


def relink_row(row: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The row as it was, but for its links to the shard's files (the trace, linked
    media): the cells, the extras and the log keep every other character."""

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return relink_html(value, prefix)
        if isinstance(value, list):
            return [walk(item) for item in value]
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        return value

    def relink_extra(extra: dict[str, Any]) -> dict[str, Any]:
        content = extra.get("content")
        if isinstance(content, str) and extra.get("format_type") in LINK_EXTRAS:
            return {**extra, "content": relink(content, prefix)}
        return walk(extra)  # an html extra: the links in it

    return {key: [relink_extra(extra) for extra in value] if key == "extras" and isinstance(value, list)
            else walk(value) for key, value in row.items()}


def _text_before_span(cell: str) -> str:
    """"Comment me connecter … ?" out of the group cell's "…?<span class="mc-story">…</span>"."""
    return html.unescape(cell.split("<span", 1)[0]).strip()


def order_key(test_id: str, rows: list[dict[str, Any]]) -> tuple[int, int, str, str]:
    """Failures first, then the order a single run's report files its rows in (the
    harness's _RowOrder): the help page's sections as e2e/scenarios.py ranks them, then
    the titles (the group and title cells, whose story and test id follow in a span)."""
    first = rows[0] if rows else {}
    if "group" in first:
        group = _text_before_span(str(first["group"]))
        rank = scenarios.rank(group)
    else:  # a report without the harness's columns: after every group
        group, rank = "", len(scenarios.ORDER) + 1
    title = _text_before_span(str(first.get("testId", ""))) or test_id
    return (0 if _failed(rows) else 1, rank, group, title)


def merge_tests(shards: list[Shard]) -> dict[str, list[dict[str, Any]]]:
    owner: dict[str, Shard] = {}
    merged: dict[str, list[dict[str, Any]]] = {}
    twice: list[str] = []
    for shard in shards:
        for test_id, rows in shard.tests.items():
            if test_id in owner:
                twice.append(f"{test_id} (in {owner[test_id].name} and {shard.name})")
                continue
            owner[test_id] = shard
            merged[test_id] = [relink_row(row, shard.name) for row in rows]
    if twice:
        more = f" and {len(twice) - 1} more" if len(twice) > 1 else ""
        raise MergeError(f"a test ran in two shards, so the shards do not split one run: {twice[0]}{more}")
    return dict(sorted(merged.items(), key=lambda pair: order_key(*pair)))


def outcome_counts(tests: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """pytest-html's summary counts rows, one per result a test reported (a retried test
    has a "rerun" row and its verdict's): the same count, made from the merged rows."""
    counts: dict[str, int] = {}
    for rows in tests.values():
        for row in rows:
            result = str(row.get("result", "")).lower()
            counts[result] = counts.get(result, 0) + 1
    return counts


def format_duration(seconds: float) -> str:
    """As pytest-html writes the run's time ("850 ms", "00:02:07")."""
    if seconds < 1:
        return f"{round(seconds * 1000)} ms"
    hours = math.floor(seconds / 3600)
    minutes = math.floor(seconds % 3600 / 60)
    return f"{hours:02d}:{minutes:02d}:{round(seconds % 60):02d}"


def run_count(counts: dict[str, int], shards: list[Shard]) -> str:
    done = sum(counts.get(name, 0) for name in RUN_COUNTED)
    took = f"{done} {'tests' if done > 1 else 'test'} took {format_duration(sum(shard.duration for shard in shards))}"
    if len(shards) > 1:
        longest = format_duration(max(shard.duration for shard in shards))
        took += f" in {len(shards)} shards run side by side (the longest: {longest})"
    return f'<p class="run-count">{html.escape(took)}.</p>'


def summary_filters(block: str, counts: dict[str, int]) -> str:
    """The filter boxes under the summary, with the union's counts (pytest-html writes them
    into the page when it renders it; its script does not count)."""

    def one(match: re.Match[str]) -> str:
        result = match.group("result")
        value = counts.get(result, 0)
        return (match.group(1) + (" disabled" if value == 0 else "") + ">" + match.group("gap")
                + f'<span class="{result}">{value} ')

    return FILTER.sub(one, block)


def merge_environment(shards: list[Shard], missing: list[str]) -> dict[str, Any]:
    """The run's environment: a row per shard (seed, machine, tests, failures); what all
    shards share once; what differs (ports, a seed given per shard), shard by shard."""
    environments = [shard.environment for shard in shards]
    keys: list[str] = []
    for environment in environments:
        keys += [key for key in environment if key not in keys]
    merged: dict[str, Any] = {}
    seeds = {json.dumps(environment.get("Run seed")) for environment in environments}
    if len(seeds) == 1 and "Run seed" in environments[0]:
        merged["Run seed"] = environments[0]["Run seed"]
    for shard in shards:
        merged[f"Shard {shard.label}"] = shard.summary()
    for label in missing:
        merged[f"Shard {label}"] = "missing: no folder, so its tests are not in this report"
    for key in keys:
        if key in KEYS_IN_SHARD_ROWS:
            continue
        values = [environment.get(key) for environment in environments]
        if all(value == values[0] for value in values) and all(key in env for env in environments):
            merged[key] = values[0]
        else:
            merged[key] = {f"Shard {shard.label}": _flat(value) for shard, value in zip(shards, values)
                           if value is not None}
    return merged


def render_report(shards: list[Shard], tests: dict[str, list[dict[str, Any]]],
                  environment: dict[str, Any]) -> str:
    data = {**shards[0].data, "environment": environment, "tests": tests}
    page = shards[0].page
    counts = outcome_counts(tests)
    blob = str(escape(json.dumps(data)))  # as pytest-html's template escapes it
    page = DATA_BLOB.sub(lambda match: match.group(1) + blob + match.group(3), page, count=1)
    page = RUN_COUNT.sub(lambda match: run_count(counts, shards), page, count=1)
    page = FILTERS.sub(lambda match: match.group(1) + summary_filters(match.group(2), counts) + match.group(3),
                       page, count=1)
    return flaky_filter(page, tests)


def flaky_filter(page: str, tests: dict[str, list[dict[str, Any]]]) -> str:
    """The flaky tests' filter, counted over every shard (a shard's page counts its own)."""
    flaky = sum(1 for rows in tests.values() if any('class="mc-flaky"' in "".join(row.get("resultsTableRow", []))
                                                    for row in rows))
    page = FLAKY_FILTER.sub("", page)
    if not flaky:
        return page
    return SUMMARY_BLOCK.sub(lambda match: match.group(1) + render("flaky_filter.html", count=flaky), page, count=1)


# junit.xml ------------------------------------------------------------------------


def _case_key(case: Any) -> tuple[str, str]:
    return (case.classname or "", case.name or "")


def merge_junit(shards: list[Shard]) -> JUnitXml:
    """A <testsuite> per shard, named after it, its hostname, timestamp, time and
    properties kept, "run_seed" (if pytest did not write it), "shard" and "machine"
    added; each test case once."""
    merged = JUnitXml()
    owner: dict[tuple[str, str], Shard] = {}
    for shard in shards:
        for suite in shard.suites():
            wall_time = suite._elem.get("time")  # the shard's session, as pytest wrote it
            _keep_last_attempt(suite)
            for case in suite:
                key = _case_key(case)
                if key in owner and owner[key] is not shard:
                    raise MergeError(f"a test ran in two shards, so the shards do not split one run: "
                                     f"{'::'.join(key)} (in {owner[key].name} and {shard.name} junit.xml)")
                owner[key] = shard
            suite.update_statistics()
            if wall_time is not None:  # not junitparser's sum of the cases: xdist ran them side by side
                suite._elem.set("time", wall_time)
            suite.name = f"{suite.name or 'pytest'} (shard {shard.label})"
            names = {prop.name for prop in suite.properties()}
            for name, value in (("run_seed", shard.seed), ("shard", shard.label), ("machine", shard.machine)):
                if name not in names:
                    suite.add_property(name, value)
            _properties_first(suite)
            merged.add_testsuite(suite)
    tests = failures = errors = skipped = 0
    time = 0.0
    for suite in merged:
        tests += suite.tests
        failures += suite.failures
        errors += suite.errors
        skipped += suite.skipped
        time += float(suite.time or 0)
    merged.tests, merged.failures, merged.errors, merged.skipped = tests, failures, errors, skipped
    merged.time = round(time, 3)
    return merged


def _keep_last_attempt(suite: TestSuite) -> None:
    """pytest writes a retried test twice (pytest-rerunfailures' first attempt as a case
    with no result, which readers take for a pass): its last case holds the verdict and
    every attempt's properties, the others go."""
    last: dict[tuple[str, str], Any] = {}
    for case in suite:  # each pass over a suite makes new wrappers: compare their elements
        last[_case_key(case)] = case._elem
    for case in list(suite):
        if last[_case_key(case)] is not case._elem:
            suite.remove_testcase(case)


def _properties_first(suite: TestSuite) -> None:
    """JUnit's schema puts a suite's <properties> before its cases (junitparser adds it last)."""
    props = suite._elem.find("properties")
    if props is not None and len(suite._elem) and suite._elem[0] is not props:
        suite._elem.remove(props)
        suite._elem.insert(0, props)


def junit_failures(junit: JUnitXml) -> int:
    return sum(1 for suite in junit for case in suite
               if any(isinstance(entry, (Failure, Error)) for entry in case.result))


# Allure ----------------------------------------------------------------------------


def merge_allure(shards: list[Shard], target: Path, environment: dict[str, Any]) -> tuple[int, list[str]]:
    """Every shard's results in one folder (their files are named by uuid), and one
    environment.properties naming each shard: Allure 3 reads several result folders,
    but keeps the environment of the last it reads, so the shards' would hide each other.
    Files are hard-linked where the file system allows it, copied otherwise."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    copied, without = 0, []
    for shard in shards:
        results = shard.folder / "allure-results"
        if not results.is_dir():
            without.append(shard.label)
            continue
        for source in sorted(results.iterdir()):
            if not source.is_file() or source.name == "environment.properties":
                continue
            destination = target / source.name
            if destination.exists():
                raise MergeError(f"two shards have an Allure result named {source.name} "
                                 f"({source.parent}): they cannot be told apart")
            _link_or_copy(source, destination)
            copied += 1
    lines = []
    for key, value in environment.items():
        if isinstance(value, dict) and all(name.startswith("Shard ") for name in value):
            lines += [_property(f"{key} ({name.lower()})", item) for name, item in value.items()]
        else:
            lines.append(_property(key, value))
    (target / "environment.properties").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return copied, without


def _link_or_copy(source: Path, destination: Path) -> None:
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def _flat(value: Any) -> str:
    """A nested table (pytest-metadata's packages, plugins) on one line, as e2e's
    environment.properties writes it."""
    if isinstance(value, dict):
        return ", ".join(f"{key} {item}" for key, item in value.items())
    return str(value).replace("\n", " ")


def _property(key: str, value: Any) -> str:
    """A line of a Java properties file: backslashes escaped, and in the key the
    characters that would end it."""
    key = key.replace("\\", "\\\\")
    for special in " =:":
        key = key.replace(special, "\\" + special)
    return f"{key}={_flat(value).replace(chr(92), chr(92) * 2)}"


# The command ----------------------------------------------------------------------


@dataclass
class Merged:
    shards: list[Shard]
    missing: list[str]
    tests: dict[str, list[dict[str, Any]]]
    junit: JUnitXml
    report: Path
    junit_path: Path
    allure: Path
    allure_files: int
    allure_missing: list[str]


def merge(reports: Path) -> Merged:
    shards = find_shards(reports)
    for shard in shards:
        read_shard(shard)
    missing = missing_shards(shards)
    tests = merge_tests(shards)
    junit = merge_junit(shards)
    environment = merge_environment(shards, missing)
    report = reports / "report.html"
    report.write_text(render_report(shards, tests, environment), encoding="utf-8")
    junit_path = reports / "junit.xml"
    junit.write(str(junit_path), pretty=False)
    allure = reports / "allure-results"
    files, without = merge_allure(shards, allure, environment)
    return Merged(shards, missing, tests, junit, report, junit_path, allure, files, without)


def describe(merged: Merged, say: Callable[[str], None] = print) -> None:
    counts = outcome_counts(merged.tests)
    say(f"merge-reports: {len(merged.shards)} shard(s) merged")
    for shard in merged.shards:
        say(f"  shard {shard.label} ({shard.folder}): {shard.summary()}")
    for label in merged.missing:
        say(f"  shard {label}: MISSING (no folder): its tests are not in the merged reports")
    failed = [test_id for test_id, rows in merged.tests.items() if _failed(rows)]
    where = {test_id: shard for shard in merged.shards for test_id in shard.tests}
    results = ", ".join(f"{value} {name}" for name, value in counts.items() if value)
    say(f"merge-reports: {len(merged.tests)} tests, {len(failed)} failed ({results or 'no result'})")
    for test_id in failed:
        shard = where[test_id]
        say(f"  failed: {test_id} (shard {shard.label}, seed {shard.seed})")
    cases = sum(suite.tests for suite in merged.junit)
    say(f"Report: {merged.report.resolve()}")
    say(f"JUnit: {merged.junit_path.resolve()} ({len(list(merged.junit))} suites, {cases} test cases, "
        f"{junit_failures(merged.junit)} failed)")
    note = f"; no results from shard {', '.join(merged.allure_missing)}" if merged.allure_missing else ""
    say(f"Allure results: {merged.allure.resolve()} ({merged.allure_files} files{note})")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m e2e.merge_reports", description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, default=Path("reports"),
                        help="the folder holding the shard-*/ folders, where the merged reports go (default: reports)")
    options = parser.parse_args(list(argv) if argv is not None else None)
    try:
        merged = merge(options.reports)
    except MergeError as error:
        print(f"merge-reports: {error}", file=sys.stderr)
        return 2
    describe(merged)
    return 0


if __name__ == "__main__":
    sys.exit(main())
