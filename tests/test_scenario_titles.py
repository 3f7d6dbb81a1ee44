"""Every browser scenario has a French title for the reports, filled without error,
distinct from its siblings', and a place under the help page's sections."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# A plugin for a collect-only run of the e2e suites: each item's title and group.
LISTING = '''
import json
from e2e import scenarios

def pytest_collection_finish(session):
    rows = []
    for item in session.items:
        marker = item.get_closest_marker("title")
        try:
            title = scenarios.title(item) if marker else None
        except Exception as error:
            title = f"ERROR {error!r}"
        rows.append({"nodeid": item.nodeid, "title": title, "group": scenarios.group(item)})
    print("TITLES " + json.dumps(rows, ensure_ascii=False))
'''


# A pytest run in a subprocess: more than a fast test's 10 s on a loaded machine.
@pytest.mark.timeout(60)
def test_every_scenario_has_a_distinct_french_title_and_a_section(tmp_path: Path) -> None:
    (tmp_path / "title_listing.py").write_text(LISTING, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    run = subprocess.run([sys.executable, "-m", "pytest", "e2e", "--collect-only", "-q", "-p", "title_listing",
                          "-p", "no:cacheprovider", "-p", "no:faker"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    line = next((line for line in run.stdout.splitlines() if line.startswith("TITLES ")), None)
    assert line is not None, run.stdout[-2000:] + run.stderr[-2000:]
    rows = json.loads(line[len("TITLES "):])
    assert len(rows) > 100
    untitled = [row["nodeid"] for row in rows if not row["title"]]
    assert untitled == [], "a scenario without @pytest.mark.title(...)"
    broken = [row for row in rows if row["title"].startswith("ERROR ")]
    assert broken == [], "a title whose {fields} cannot be filled from the test's parameters"
    titles = [row["title"] for row in rows]
    assert len(set(titles)) == len(titles), "two scenarios with the same title"
    unfiled = [row["nodeid"] for row in rows if row["group"][0] in ("", "Tests rapides du simulateur (sans navigateur)")]
    assert unfiled == []
