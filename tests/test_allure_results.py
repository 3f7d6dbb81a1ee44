"""What the harness adds to Allure's results: the results folder each run starts from,
the environment file, and cases Allure tells apart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from e2e.plugin.allure_report import CASE_PARAMETER, start_run, write_environment

ROOT = Path(__file__).resolve().parents[1]


def config(folder: Path, *, worker: bool = False, collect_only: bool = False) -> SimpleNamespace:
    options = SimpleNamespace(allure_report_dir=str(folder), collectonly=collect_only)
    return SimpleNamespace(option=options, **({"workerinput": {}} if worker else {}))


def last_run(folder: Path) -> None:
    (folder / "attachments").mkdir(parents=True)
    (folder / "old-result.json").write_text("{}")


def test_a_run_starts_from_an_empty_results_folder_emptied_by_the_controller_only(tmp_path: Path) -> None:
    last_run(tmp_path)
    start_run(config(tmp_path, worker=True))  # a worker: the controller did it, or tests are running
    start_run(config(tmp_path, collect_only=True))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["attachments", "old-result.json"]
    start_run(config(tmp_path))
    assert tmp_path.is_dir() and list(tmp_path.iterdir()) == [], "emptied, kept: allure-pytest writes into it"


def test_the_environment_is_a_properties_file_allure_reads(tmp_path: Path) -> None:
    write_environment(config(tmp_path), {"Run seed": "42 (replay: --seed 42)", "Base URL": "http://a:1\nb",
                                          "Packages": {"pytest": "9.2.0", "pluggy": "1.7.0"}})
    assert (tmp_path / "environment.properties").read_text(encoding="utf-8").splitlines() == [
        "Run\\ seed=42 (replay: --seed 42)", "Base\\ URL=http://a:1 b", "Packages=pytest 9.2.0, pluggy 1.7.0"]


# A pytest run in a subprocess: more than a fast test's 10 s on a loaded machine.
@pytest.mark.timeout(60)
def test_each_case_of_a_parametrised_test_is_a_test_of_its_own_in_allure(tmp_path: Path) -> None:
    """Cases whose parameters allure-pytest writes alike (bytes values all read
    "<class 'bytes'>") stay apart: Allure would count them as one test's retries."""
    results = tmp_path / "allure-results"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_control_api.py::test_body_that_is_not_a_json_object",
         "-n", "0", "-p", "no:randomly", "-p", "no:faker", f"--alluredir={results}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    cases = [json.loads(path.read_text(encoding="utf-8")) for path in results.glob("*-result.json")]
    assert len(cases) >= 3
    told_apart = {(case["testCaseId"], json.dumps(case["parameters"], sort_keys=True)) for case in cases}
    assert len(told_apart) == len(cases)
    assert all(any(parameter["name"] == CASE_PARAMETER for parameter in case["parameters"]) for case in cases)
