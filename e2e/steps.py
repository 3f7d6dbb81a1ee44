"""A scenario's steps, in the help page's words, each with its screenshot.

    def test_login_with_nir(page, persona, step):
        login = LoginPage(page).open()
        with step(guide.LOGIN_NIR, highlight=login.nir):
            login.nir.fill(persona.nir)
        with step(guide.LOGIN_PASSWORD, click=login.submit_button):
            login.password.fill(persona.password)

A step's screenshot is taken when its block ends: the element the user acts on
(``highlight``) is outlined, then ``click`` is clicked. Which steps get one is the
run's choice (``--step-screenshots``): every step, or only the one that failed.
The report and the tutorial render what is recorded here.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from fixtures.guide import Step

# The outline drawn around the element to act on: caf.fr's red, thick enough to
# see on a phone-sized thumbnail, clear of the element so it hides no text.
HIGHLIGHT_STYLE = {"outline": "4px solid #e4003a", "outlineOffset": "3px"}

SCREENSHOT_MODES = ("failures", "all")


@dataclass
class RecordedStep:
    number: str
    text: str
    section: str
    status: str  # "passed" or "failed"
    url: str
    duration: float  # seconds
    screenshot: str | None = None  # base64 PNG

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def label(self) -> str:
        return f"{self.number} {self.text}"


class StepRecorder:
    """Records one test's steps; ``screenshots`` is "all" or "failures"."""

    def __init__(self, page: Page, screenshots: str = "failures") -> None:
        if screenshots not in SCREENSHOT_MODES:
            raise ValueError(f"screenshots must be one of {SCREENSHOT_MODES}, not {screenshots!r}")
        self.page = page
        self.screenshots = screenshots
        self.steps: list[RecordedStep] = []
        self.journey = ""  # the tutorial's sub-title for this path ("Avec ameli.fr"), if any

    @contextmanager
    def __call__(self, step: Step, *, highlight: Locator | None = None,
                 click: Locator | None = None) -> Iterator[None]:
        started = time.monotonic()
        screenshot = None
        try:
            yield
            url = self.page.url
            if self.screenshots == "all":
                screenshot = self._screenshot(click or highlight)
            if click is not None:
                click.click()
        except BaseException:
            self._record(step, "failed", started, self.page.url, self._screenshot(None))
            raise
        self._record(step, "passed", started, url, screenshot)

    def _record(self, step: Step, status: str, started: float, url: str, screenshot: str | None) -> None:
        self.steps.append(RecordedStep(
            number=step.number, text=step.text, section=step.section.key, status=status,
            url=url, duration=round(time.monotonic() - started, 3), screenshot=screenshot,
        ))

    def _screenshot(self, target: Locator | None) -> str | None:
        """The viewport as the user sees it, the target outlined; None if the page is gone."""
        try:
            if target is None:
                return _b64(self.page.screenshot(animations="disabled", caret="initial"))
            target.scroll_into_view_if_needed()
            saved = target.evaluate(_OUTLINE_JS, HIGHLIGHT_STYLE)
            try:
                return _b64(self.page.screenshot(animations="disabled", caret="initial"))
            finally:
                target.evaluate(_OUTLINE_JS, saved)
        except PlaywrightError:
            # A closed page or a target that never appeared: the step still reports,
            # without its picture; the failure itself says what went wrong.
            return None


# Sets the element's outline, returns the previous values so they can be put back.
_OUTLINE_JS = """(el, style) => {
  const saved = {outline: el.style.outline, outlineOffset: el.style.outlineOffset};
  el.style.outline = style.outline;
  el.style.outlineOffset = style.outlineOffset;
  return saved;
}"""


def _b64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")
