"""What the harness adds to Allure's results, without a run: the results folder each
run starts from, and the environment file."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from e2e.allure_results import start_run, write_environment


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
