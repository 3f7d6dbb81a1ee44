"""The CI templates (.github/workflows/e2e.yml, .gitlab-ci.yml) run what the Makefile has:
each `make` command's targets and VAR= exist, the shards add up, the merge waits for
them, and the reports are kept whatever the tests said."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github" / "workflows" / "e2e.yml"
GITLAB = ROOT / ".gitlab-ci.yml"

RULE = re.compile(r"^([A-Za-z0-9_.%/-]+(?:[ \t]+[A-Za-z0-9_.%/-]+)*)[ \t]*:(?!=)", re.M)
REFERENCE = re.compile(r"\$[({]([A-Za-z_][A-Za-z0-9_]*)")
ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
OPERATORS = {"&&", "||", ";", "|", "(", ")"}
GITHUB_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
GITLAB_SCRIPT_KEYS = ("before_script", "script", "after_script")


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets: set[str] = set()
    for match in RULE.finditer(text):
        targets.update(match.group(1).split())
    return targets


def makefile_variables() -> set[str]:
    """The variables the Makefile reads: $(NAME) or ${NAME} anywhere in it."""
    return set(REFERENCE.findall((ROOT / "Makefile").read_text(encoding="utf-8")))


def make_commands(script: str) -> list[list[str]]:
    """Every `make …` in a shell script, as its arguments (GitHub's ${{ … }} kept as one word)."""
    script = GITHUB_EXPRESSION.sub(lambda match: "${{" + match.group(1).replace(" ", "") + "}}", script)
    script = script.replace("\\\n", " ")
    commands = []
    for line in script.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        words = list(lexer)
        for index, word in enumerate(words):
            if word == "make" and (index == 0 or words[index - 1] in OPERATORS):
                args = []
                for arg in words[index + 1:]:
                    if arg in OPERATORS:
                        break
                    args.append(arg)
                commands.append(args)
    return commands


def targets_and_variables(args: list[str]) -> tuple[list[str], dict[str, str]]:
    targets, variables = [], {}
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in ("-C", "-f", "-j", "-o", "-W"):
            skip = True
        elif arg.startswith("-"):
            continue
        elif ASSIGNMENT.match(arg):
            name, value = ASSIGNMENT.match(arg).groups()
            variables[name] = value
        else:
            targets.append(arg)
    return targets, variables


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def github_scripts(workflow: dict[str, Any]) -> dict[str, list[str]]:
    """Job id → its steps' `run` scripts."""
    return {job_id: [step["run"] for step in job.get("steps", []) if "run" in step]
            for job_id, job in workflow["jobs"].items()}


def gitlab_jobs(pipeline: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The jobs: top-level mappings with a script (not default:, stages:, variables:…)."""
    return {name: job for name, job in pipeline.items()
            if isinstance(job, dict) and "script" in job and not name.startswith(".")}


def gitlab_scripts(pipeline: dict[str, Any]) -> dict[str, list[str]]:
    default = pipeline.get("default", {})
    scripts = {}
    for name, job in gitlab_jobs(pipeline).items():
        lines = []
        for key in GITLAB_SCRIPT_KEYS:
            value = job.get(key, default.get(key, []))
            lines += value if isinstance(value, list) else [value]
        scripts[name] = lines
    return scripts


def commands_by_job(path: Path) -> dict[str, list[list[str]]]:
    data = load(path)
    scripts = github_scripts(data) if path == GITHUB else gitlab_scripts(data)
    return {job: [args for script in lines for args in make_commands(script)] for job, lines in scripts.items()}


def job_running(path: Path, target: str) -> str:
    jobs = [job for job, commands in commands_by_job(path).items()
            if any(target in targets_and_variables(args)[0] for args in commands)]
    assert len(jobs) == 1, f"{path.name}: one job should run make {target}, found {jobs}"
    return jobs[0]


def shard_variable(path: Path) -> str:
    job = job_running(path, "e2e")
    values = [targets_and_variables(args)[1].get("SHARD") for args in commands_by_job(path)[job]]
    values = [value for value in values if value]
    assert len(values) == 1, f"{path.name}: make e2e should be given SHARD=i/n once"
    return values[0]


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_every_make_command_names_targets_and_variables_the_makefile_has(path: Path) -> None:
    targets, variables = makefile_targets(), makefile_variables()
    commands = [args for job in commands_by_job(path).values() for args in job]
    assert commands, f"{path.name} runs no make command"
    unknown_targets, unknown_variables = set(), set()
    for args in commands:
        named, given = targets_and_variables(args)
        unknown_targets |= set(named) - targets
        unknown_variables |= set(given) - variables
    assert not unknown_targets, f"{path.name} runs make targets the Makefile lacks: {sorted(unknown_targets)}"
    assert not unknown_variables, f"{path.name} sets variables the Makefile never reads: {sorted(unknown_variables)}"
    run = {target for args in commands for target in targets_and_variables(args)[0]}
    assert {"e2e", "merge-reports"} <= run


def test_makefile_parsing_sees_rules_and_references() -> None:
    """The helpers above read this Makefile as make does (a check on the checks)."""
    assert {"e2e", "test", "report", "merge-reports", "setup", "clean"} <= makefile_targets()
    assert {"PYTEST_ARGS", "DEVICE", "REPORTS"} <= makefile_variables()
    assert "SHELL" not in makefile_targets() and "VENV" not in makefile_targets()
    assert make_commands("make setup && make e2e SHARD=${{ matrix.shard }}/3 SEED=$SEED || true # make x") == [
        ["setup"], ["e2e", "SHARD=${{matrix.shard}}/3", "SEED=$SEED"]]


def test_github_matrix_and_the_shard_count_agree() -> None:
    workflow = load(GITHUB)
    job = workflow["jobs"][job_running(GITHUB, "e2e")]
    shards = job["strategy"]["matrix"]["shard"]
    shard = shard_variable(GITHUB)
    match = re.fullmatch(r"\$\{\{matrix\.shard\}\}/(\d+)", shard)
    assert match, f"SHARD={shard}: expected SHARD=${{{{ matrix.shard }}}}/n"
    assert shards == list(range(1, int(match.group(1)) + 1)), \
        f"the matrix runs shards {shards}, SHARD says /{match.group(1)}"
    assert job["strategy"].get("fail-fast") is False, "a failing shard must not cancel the others"
    # One seed for the whole run: not one per shard.
    seed = [targets_and_variables(args)[1].get("SEED") for args in commands_by_job(GITHUB)[job_running(GITHUB, "e2e")]]
    assert seed and seed[0] and "matrix" not in seed[0]
    assert "github.run_id" in str(workflow.get("env", {}).get("SEED", "")) or "github.run_id" in seed[0]


def test_github_merge_job_waits_for_the_shards_and_every_report_is_kept() -> None:
    workflow = load(GITHUB)
    shard_job, merge_job = job_running(GITHUB, "e2e"), job_running(GITHUB, "merge-reports")
    merge = workflow["jobs"][merge_job]
    needs = merge.get("needs", [])
    assert shard_job in ([needs] if isinstance(needs, str) else needs), f"the merge job should need {shard_job}"
    assert "always()" in str(merge.get("if", "")), "the merge must run when a shard failed"

    def uploads(job: str) -> list[dict[str, Any]]:
        return [step for step in workflow["jobs"][job]["steps"]
                if str(step.get("uses", "")).startswith("actions/upload-artifact@")]

    shard_uploads = uploads(shard_job)
    assert shard_uploads and all("always()" in str(step.get("if", "")) for step in shard_uploads)
    assert any("reports/shard-" in step["with"]["path"] for step in shard_uploads)
    merged = uploads(merge_job)
    assert merged and all("always()" in str(step.get("if", "")) for step in merged)
    paths = merged[0]["with"]["path"]
    for kept in ("reports/report.html", "reports/junit.xml", "reports/allure/"):
        assert kept in paths
    download = next(step for step in merge["steps"] if str(step.get("uses", "")).startswith("actions/download-artifact@"))
    name = shard_uploads[0]["with"]["name"]
    prefix = download["with"]["pattern"].rstrip("*")
    assert name.startswith(prefix) and download["with"]["path"] == "reports"
    publish = [step for step in merge["steps"] if "junit" in str(step.get("uses", "")).lower()]
    assert publish and "reports/junit.xml" in str(publish[0]["with"])


def test_gitlab_parallel_shards_one_seed_and_reports_kept() -> None:
    pipeline = load(GITLAB)
    jobs = gitlab_jobs(pipeline)
    shard_job, merge_job = job_running(GITLAB, "e2e"), job_running(GITLAB, "merge-reports")
    assert isinstance(jobs[shard_job].get("parallel"), int) and jobs[shard_job]["parallel"] > 1
    assert shard_variable(GITLAB) == "$CI_NODE_INDEX/$CI_NODE_TOTAL"
    seeds = [targets_and_variables(args)[1].get("SEED") for args in commands_by_job(GITLAB)[shard_job]]
    assert seeds == ["$CI_PIPELINE_ID"]
    artifacts = jobs[shard_job]["artifacts"]
    assert artifacts.get("when") == "always" and any("reports/shard-" in path for path in artifacts["paths"])
    merge = jobs[merge_job]
    assert shard_job in merge.get("needs", []) and merge.get("when") == "always"
    assert merge["artifacts"].get("when") == "always"
    assert merge["artifacts"]["reports"]["junit"] == "reports/junit.xml"
    for kept in ("reports/report.html", "reports/junit.xml", "reports/allure/"):
        assert kept in merge["artifacts"]["paths"]


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_both_run_on_debian_12_with_node_20_python_3_11_and_its_headless_shell(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert "node:20-bookworm" in text  # Debian 12: python3 is 3.11
    install = [line for line in text.splitlines() if "apt-get install" in line]
    assert install and all(package in install[0].split()
                           for package in ("python3", "python3-venv", "chromium", "chromium-headless-shell"))
