"""How each page of the tours is photographed for the visual scenarios: on which
devices, what is masked because it changes from one run to the next, how much it may
differ from its baseline. One record per page; pages without one take the defaults."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Locator

from fixtures.providers import BY_ID

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
    clock), painted over, from the page object showing it (the tour's `Stop.screen`); `per_tour`: the page shows which provider the tour went
    through, so each tour has its own baseline; `taken_in`: the one tour that photographs a
    page several tours pass by, the same each time; `full_page` when the page below the
    fold is the subject."""

    mask: Callable[[Any], list[Locator]] = lambda screen: []
    tolerance: Tolerance = field(default_factory=Tolerance)
    per_tour: bool = False
    taken_in: str | None = None
    full_page: bool = False

    def photographed_in(self, tour: str) -> bool:
        return self.taken_in is None or self.taken_in == tour

    def baseline(self, page_name: str, tour: str) -> str:
        return f"{page_name}--{tour}" if self.per_tour else page_name


# The pages that show which way the tour came: by SMS or by mail.
_PER_TOUR = Look(per_tour=True)
# The tour through ameli photographs FranceConnect's pages after the provider's and Mon
# Compte's account page with the identity FranceConnect sent: the other providers' tours
# show the same pages with another provider's name, and stop after their own page
# (`last_page`), a picture of each provider's own page being what they add.
FULL_FRANCECONNECT_TOUR = "franceconnect-ameli"
_IN_THE_FULL_TOUR = Look(taken_in=FULL_FRANCECONNECT_TOUR)
LOOKS: dict[str, Look] = {
    # Pages every tour of a kind passes by, alike whichever way it goes on.
    "moncompte-login": Look(taken_in="moncompte"),
    "moncompte-logged-out": Look(taken_in="moncompte"),
    "franceconnect-chooser": _IN_THE_FULL_TOUR,
    **{name: Look(taken_in="reset-sms") for name in ("reset-identify", "reset-new-password", "reset-done")},
    "reset-channel": _PER_TOUR,  # the person's masked phone number and mail address
    "reset-code": _PER_TOUR,
    "franceconnect-connected": _IN_THE_FULL_TOUR,
    "moncompte-account-franceconnect": _IN_THE_FULL_TOUR,
    "franceconnect-logged-out": _IN_THE_FULL_TOUR,
    # A new pairing code at each login.
    "franceidentite-waiting": Look(mask=lambda screen: [screen.pairing_code]),
}
DEFAULT = Look()


def look(page_name: str) -> Look:
    return LOOKS.get(page_name, DEFAULT)


def last_page(tour: str) -> str | None:
    """The page after which a tour has nothing left to photograph, if it stops early."""
    case = BY_ID.get(tour.removeprefix("franceconnect-"))
    if case is None or tour == FULL_FRANCECONNECT_TOUR:
        return None
    return f"{case.id}-waiting" if case.approval else f"{case.id}-login"
