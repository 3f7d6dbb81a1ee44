"""The reports as a person reads them, made by a real run of the harness: a probe
suite (one scenario that fails after logging in, one that passes without marking a
step) runs in a pytest of its own, then its HTML report is opened in Chromium and its
Allure results are read."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from e2e.plugin.allure_report import PLAYWRIGHT_TRACE
from fixtures import guide

ROOT = Path(__file__).resolve().parents[1]
FAILING_TITLE = "Sonde : je me connecte, puis une vérification fausse échoue"

PROBE = f'''
import pytest
from playwright.sync_api import expect

from fixtures import guide

from .pages import AccountPage

pytestmark = pytest.mark.login


@pytest.mark.title("{FAILING_TITLE}")
def test_probe_fails_after_logging_in(log_in, persona, step):
    account = log_in(persona)
    with step(guide.LOGGED_IN, highlight=account.title):
        expect(account.greeting_for("Personne Inexistante")).to_be_visible(timeout=500)


def test_probe_passes_without_marking_a_step(login_page, persona):
    login_page.login_with_nir(persona.nir, persona.password)
    expect(AccountPage(login_page.page).greeting_for(persona.display_name)).to_be_visible()
'''


@pytest.fixture
def probe_run(tmp_path: Path) -> Iterator[Path]:
    """The probe suite's run folder: report.html, allure-results/, artifacts/. The probe
    lives in e2e/ for its fixtures, under a name no collection of e2e picks up."""
    folder = tmp_path
    probe = ROOT / "e2e" / f"probe_{uuid.uuid4().hex}.py"
    probe.write_text(PROBE, encoding="utf-8")
    try:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", str(probe), "-n", "0", "-p", "no:randomly", "-p", "no:cacheprovider",
             "--output", str(folder / "artifacts"), f"--html={folder / 'report.html'}", "--self-contained-html",
             "--css=e2e/report.css", f"--alluredir={folder / 'allure-results'}"],
            cwd=ROOT, capture_output=True, text=True, timeout=300,
        )
    finally:
        probe.unlink()
    assert run.returncode == 1, run.stdout[-3000:] + run.stderr[-3000:]
    yield folder


def results(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in folder.glob("*-result.json")]


def walk(steps: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for one in steps:
        yield one
        yield from walk(one.get("steps", []))


# One test for the three reports of one probe run: the run is what costs (a pytest,
# a browser, a retry), and xdist would make it once per worker for several tests.
@pytest.mark.title("Rapports d'une exécution avec un échec : l'étape en cause, sa capture et celle de Playwright, "
                   "la commande pour rejouer, la trace, des étapes à chaque ligne, et les mêmes dans Allure")
def test_the_reports_of_a_run_with_a_failure(probe_run: Path, page: Page, step) -> None:
    page.goto((probe_run / "report.html").as_uri())
    with step.action("Je vérifie la ligne du scénario en échec dans reports/report.html"):
        a_failing_row_shows_its_step_both_pictures_the_replay_and_the_trace(probe_run, page)
    with step.action("Je vérifie que chaque ligne a ses étapes"):
        every_row_has_steps(page)
    with step.action("Je vérifie les résultats Allure"):
        the_allure_results_carry_the_same_steps_and_attachments(probe_run / "allure-results")


def a_failing_row_shows_its_step_both_pictures_the_replay_and_the_trace(probe_run: Path, page: Page) -> None:
    row = page.locator("tbody.failed")
    expect(row).to_have_count(1)
    expect(row.locator(".col-testId")).to_contain_text(FAILING_TITLE)
    expect(row.locator(".col-group")).to_contain_text(guide.LOGIN.title)
    headline = row.locator(".mc-failure")
    expect(headline).to_contain_text(guide.LOGGED_IN.text)
    expect(headline).to_contain_text("Bonjour Personne Inexistante")
    expect(headline.locator(".mc-command")).to_contain_text("--seed ")
    expect(headline.locator(".mc-command")).to_contain_text("test_probe_fails_after_logging_in")
    pictures = row.locator("img").evaluate_all(
        "images => images.map(image => [(image.getAttribute('src') || '').length, image.naturalWidth])")
    assert all(length > 0 for length, _ in pictures), f"an empty picture: {pictures}"
    assert len([1 for length, width in pictures if length > 2000 and width > 0]) >= 2, pictures
    expect(row.locator(".media img")).to_be_visible()  # Playwright's screenshot, in the viewer
    expect(row.locator(".mc-step.mc-failed > img.mc-shot").first).to_be_visible()  # the step's own
    trace = row.locator(".mc-trace a")
    assert (probe_run / trace.get_attribute("href")).is_file(), "the trace link leads to the file"
    expect(row.locator(".mc-trace .mc-command")).to_contain_text("make trace TRACE=")


def every_row_has_steps(page: Page) -> None:
    rows = page.locator("tbody.results-table-row")
    expect(rows).to_have_count(3)  # the failure, its first attempt (drawn once, folded), the pass
    expect(page.locator("tbody.rerun")).to_have_count(1)
    for index in range(3):
        expect(rows.nth(index).locator(".mc-step").first).to_be_attached()
    passed = page.locator("tbody.passed")
    expect(passed.locator(".mc-step", has_text="Je clique sur le bouton").first).to_be_attached()


def the_allure_results_carry_the_same_steps_and_attachments(folder: Path) -> None:
    found = results(folder)
    failing = [result for result in found if result["name"] == FAILING_TITLE]
    assert [result["status"] for result in failing] == ["failed", "failed"], "the attempt, then its traced retry"
    final = max(failing, key=lambda result: result["start"])
    labels = {(label["name"], label["value"]) for label in final["labels"]}
    assert ("feature", guide.LOGIN.title) in labels and ("parentSuite", guide.LOGIN.title) in labels
    assert not any(name == "parentSuite" and value != guide.LOGIN.title for name, value in labels)
    names = [one["name"] for one in walk(final["steps"])]
    assert f"{guide.LOGGED_IN.number} {guide.LOGGED_IN.text}" in names
    failed_check = next(one for one in walk(final["steps"]) if "Bonjour Personne Inexistante" in one["name"])
    assert failed_check["status"] == "failed" and failed_check["attachments"][0]["type"] == "image/png"
    types = {attachment["type"] for attachment in final["attachments"]}
    assert PLAYWRIGHT_TRACE in types and "image/png" in types
    assert (folder / "environment.properties").read_text(encoding="utf-8").startswith("Run\\ seed=")
    passing = [result for result in found if result["status"] == "passed"]
    assert len(passing) == 1 and any("Se connecter" in one["name"] for one in walk(passing[0]["steps"]))
