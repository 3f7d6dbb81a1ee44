"""--mock-url that does not answer: one sentence, exit 2, and a report that says so."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def closed_url(closed_port: int) -> str:
    """A loopback address where nothing listens."""
    return f"http://127.0.0.1:{closed_port}"


# A pytest run in a subprocess: more than a fast test's 10 s on a loaded machine.
@pytest.mark.timeout(60)
@pytest.mark.parametrize("workers", ["0", "2"])
def test_an_unreachable_mock_is_said_once_and_nothing_runs(tmp_path: Path, closed_url: str, workers: str) -> None:
    report = tmp_path / "report.html"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "e2e", "-k", "login_with_nir", "--mock-url", closed_url, "-p", "no:faker",
         "-n", workers, "-p", "no:randomly", f"--html={report}", "--self-contained-html",
         f"--alluredir={tmp_path / 'allure-results'}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 2, output
    assert "Traceback" not in output and len(output.splitlines()) <= 40, output
    [sentence] = [line for line in output.splitlines() if closed_url in line]
    assert "No mock answers" in sentence and "make serve" in sentence
    assert " passed" not in output and " failed" not in output, "no test ran"
    environment = json.loads(html.unescape(
        re.search(r'data-jsonblob="([^"]*)"', report.read_text(encoding="utf-8")).group(1)))["environment"]
    assert environment["Base URL"].startswith(f"{closed_url} (--mock-url): no answer")
