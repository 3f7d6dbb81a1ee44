"""Each test's steps in the reports: recorded by e2e/steps.py (the help page's steps a
scenario marks) and e2e/actions.py (every browser action and check), rendered here as
report.html's steps block and as junit.xml's properties."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .. import actions
from ..steps import StepRecorder, activate
from . import allure_report
from .fragments import render
from .keys import STEPS


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    actions.install()


@pytest.fixture(autouse=True)
def scenario_steps(request: pytest.FixtureRequest) -> Iterator[StepRecorder]:
    """Every test's steps: its browser actions and checks record themselves here
    from the first fixture that opens a page, and ``step(…)`` adds the help page's."""
    config = request.config
    mode = config.getoption("--step-screenshots")
    if config.getoption("--tutorial") and request.node.get_closest_marker("tutorial"):
        mode = "all"  # the tutorial shows every step
    recorder = StepRecorder(None, mode, nest=allure_report.step_nest(config))
    request.node.stash[STEPS] = recorder
    with activate(recorder):
        yield recorder


@pytest.fixture
def step(scenario_steps: StepRecorder, request: pytest.FixtureRequest) -> StepRecorder:
    """Mark the scenario's steps: ``with step(guide.LOGIN_NIR, highlight=login.nir): ...``;
    ``with step.action("…"):`` for one of the harness's own."""
    if "page" in request.fixturenames:
        scenario_steps.page = request.getfixturevalue("page")
    return scenario_steps


def step_properties(recorder: StepRecorder) -> list[tuple[str, str]]:
    """The top-level steps as JUnit properties: ("step 01", "① Je saisis … [passed]")."""
    return [(f"step {index:02d}", f"{step.label} [{step.status}]")
            for index, step in enumerate(recorder.steps, start=1)]


def render_steps(recorder: StepRecorder, attempt: str = "") -> str:
    return render("steps.html", steps=recorder.steps, attempt=attempt)
