"""Every page of the happy paths looks as its committed baseline, on a computer and on
a phone: a change of colour, spacing or wording fails here with the picture of what
changed (expected, actual, diff). `pytest e2e -m visual --update-snapshots` rewrites
the baselines that changed; README's "Visual baselines" says how to review them.
"""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page

from pytest_franceconnect_mock.personas import PersonaFactory

from . import report_words as words
from .looks import DEVICES, VISUAL_SEED, Device, look
from .tour import TOURS, each_page_once, walk
from .visual import VisualDifference

# A walk that fails (a page slow to come) is run again, traced; a picture that differs
# would differ again: its expected, actual and diff pictures are the evidence.
pytestmark = [pytest.mark.visual, pytest.mark.flaky(reruns=1, rerun_except=VisualDifference)]


@pytest.fixture
def fc_persona_factory(fc_faker: Any, request: pytest.FixtureRequest) -> PersonaFactory:
    """The same people on every run, whatever --seed: their names are on the pictures."""
    return PersonaFactory(VISUAL_SEED, request.node.nodeid, fc_faker)


@pytest.fixture
def browser_context_args(browser_context_args: dict, on: Device, playwright: Any) -> dict:
    # `on`, not `device`: pytest-playwright's --device option is a fixture of that name.
    return {**browser_context_args, **on.context(playwright)}


@pytest.mark.title("Les pages du parcours « {tour} » sur {on} ont l'apparence de leurs images de référence")
@pytest.mark.parametrize("on", DEVICES, ids=[device.id for device in DEVICES])
@pytest.mark.parametrize("tour", TOURS)
def test_pages_look_as_their_baselines(tour: str, on: Device, page: Page, make_persona, control,
                                       sites: dict[str, str], snapshots, step) -> None:
    # Each page once: a page several tours pass by is photographed in one of them (tour.py).
    for stop in each_page_once(tour, walk(tour, page, make_persona=make_persona, control=control, sites=sites)):
        page_look = look(stop.name)
        with step.action(words.VISUAL["step"].format(page=stop.name, device=on.id)):
            snapshots.check(page, page_look.baseline(stop.name, tour), device=on.id, mask=page_look.mask(stop.screen),
                            full_page=page_look.full_page, tolerance=page_look.tolerance)
    snapshots.verify()
