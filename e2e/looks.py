"""How each page of the tours is photographed for the visual scenarios: on which
devices, what is masked because it changes from one run to the next, how much it may
differ from its baseline. One record per page; pages without one take the defaults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Locator

from .visual import Tolerance

# Persona data for the visual scenarios: drawn from this seed and the test's id, not from
# the run seed, so names, NIRs and phone numbers on the pages are the same on every run.
VISUAL_SEED = 20261204


@dataclass(frozen=True)
class Device:
    id: str  # the baselines' folder
    title: str  # in the scenarios' titles
    context: Callable[[Any], dict[str, Any]]  # browser context options, from Playwright's own catalogue

    def __str__(self) -> str:
        return self.title


def _playwright_device(name: str) -> Callable[[Any], dict[str, Any]]:
    def options(playwright: Any) -> dict[str, Any]:
        descriptor = dict(playwright.devices[name])
        descriptor.pop("default_browser_type", None)  # not a context option
        return descriptor

    return options


DEVICES = (
    Device("desktop", "un ordinateur (1280 × 720)", lambda playwright: {"viewport": {"width": 1280, "height": 720}}),
    Device("phone", "un téléphone (Pixel 7)", _playwright_device("Pixel 7")),
)


@dataclass(frozen=True)
class Look:
    """`mask`: what changes between runs on this page (a pairing code, a time of the mock's
    clock), painted over, from the page object showing it (the tour's `Stop.screen`);
    `per_tour`: the page shows which way the tour came (by SMS or by mail), so each tour has
    its own baseline; `full_page` when the page below the fold is the subject."""

    mask: Callable[[Any], list[Locator]] = lambda screen: []
    tolerance: Tolerance = field(default_factory=Tolerance)
    per_tour: bool = False
    full_page: bool = False

    def baseline(self, page_name: str, tour: str) -> str:
        return f"{page_name}--{tour}" if self.per_tour else page_name


# The pages that show which way the tour came: by SMS or by mail.
_PER_TOUR = Look(per_tour=True)
LOOKS: dict[str, Look] = {
    "reset-channel": _PER_TOUR,  # the person's masked phone number and mail address
    "reset-code": _PER_TOUR,
    # A new pairing code at each login.
    "franceidentite-waiting": Look(mask=lambda screen: [screen.pairing_code]),
}
DEFAULT = Look()


def look(page_name: str) -> Look:
    return LOOKS.get(page_name, DEFAULT)

