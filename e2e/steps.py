"""A scenario's steps, as the reports and the tutorial show them.

Steps nest, as they happen:

- **the help page's steps**, which a scenario or a shared path marks in the help
  page's own words::

      with step(guide.LOGIN_NIR, highlight=login.nir):
          login.nir.fill(persona.nir)

- **actions**: every browser action and check a scenario makes (click, fill, goto,
  ``expect(…)``) records itself, in French, under the step it belongs to, as
  Playwright Test's own API steps do (e2e/actions.py). A scenario that marks no step
  of its own still reports what it did, in order;

- a step of the harness's own, for what is not done in a browser:
  ``with step.action("Je lance une suite d'essai"): …``.

Pictures: with ``--step-screenshots all`` (the tutorial) each help-page step is
photographed when its block ends, the element the user acts on (``highlight``,
``click``) outlined in red, then ``click`` is clicked. In every mode the step where
a failure happened is photographed at that moment, the element it was acting on or
checking outlined when the page has it.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from typing import Any, ContextManager
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from fixtures.guide import Step

# The outline drawn around the element to act on: caf.fr's red, thick enough to
# see on a phone-sized thumbnail, clear of the element so it hides no text.
HIGHLIGHT_STYLE = {"outline": "4px solid #e4003a", "outlineOffset": "3px"}

SCREENSHOT_MODES = ("failures", "all")
GUIDE, ACTION = "guide", "action"

# How long the failure picture may wait for the element it outlines: it is there
# already, or it is not (the failure may be that it never came).
_OUTLINE_TIMEOUT_MS = 500


@dataclass
class RecordedStep:
    number: str  # "①"… for a help-page step, "" for an action
    text: str
    kind: str = ACTION  # GUIDE or ACTION
    section: str = ""  # the help page's section, for a help-page step
    status: str = "passed"  # "passed" or "failed"
    url: str = ""  # the page's address when the step ended
    page_title: str = ""  # the page's own title then: what the tutorial's caption says
    duration: float = 0.0  # seconds
    screenshot: str | None = None  # base64 PNG
    error: str = ""  # a failed step's error, its first line
    children: list[RecordedStep] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RecordedStep:
        children = [cls.from_dict(child) for child in data.get("children", [])]
        return cls(**{**data, "children": children})

    @property
    def label(self) -> str:
        return f"{self.number} {self.text}" if self.number else self.text

    def walk(self) -> Iterator[RecordedStep]:
        yield self
        for child in self.children:
            yield from child.walk()


class StepRecorder:
    """Records one test's steps. ``screenshots``: "all" or "failures" (see above).

    ``page`` is where a help-page step with nothing to outline is photographed
    when no action has shown which page the test is on yet; it may be None (a test
    that opens its own browser contexts, or none). ``nest`` wraps each step in
    another reporter's own (Allure's) so both trees are the same."""

    def __init__(self, page: Page | None = None, screenshots: str = "failures",
                 nest: Callable[[RecordedStep], ContextManager[Any]] | None = None) -> None:
        if screenshots not in SCREENSHOT_MODES:
            raise ValueError(f"screenshots must be one of {SCREENSHOT_MODES}, not {screenshots!r}")
        self.page = page
        self.screenshots = screenshots
        self.steps: list[RecordedStep] = []
        self.journey = ""  # the tutorial's sub-title for this path ("Avec ameli.fr"), if any
        self._nest = nest or (lambda step: nullcontext())
        self._open: list[RecordedStep] = []
        self._pictured: set[int] = set()  # failures already photographed, by id of the exception
        self.last_page: Page | None = None  # the page the latest action was on
        self.busy = False  # the recorder's own browser calls are not steps

    # What scenarios call -------------------------------------------------------

    @contextmanager
    def __call__(self, step: Step, *, highlight: Locator | None = None,
                 click: Locator | None = None) -> Iterator[RecordedStep]:
        """A help page's step; ``click`` is outlined in its picture, then clicked."""
        __tracebackhide__ = True
        recorded = RecordedStep(number=step.number, text=step.text, kind=GUIDE, section=step.section.key)
        target = click or highlight
        with self._step(recorded, target, self._page_of(target)):
            yield recorded
            page = self._page_of(target)
            recorded.url, recorded.page_title = self._where(page)
            if self.screenshots == "all":
                recorded.screenshot = self._picture(page, target)
            if click is not None:
                click.click()

    def action(self, text: str, *, target: Locator | None = None, page: Page | None = None) -> ContextManager[RecordedStep]:
        """Any other step: a browser action (recorded by e2e/actions.py) or one of the harness's own."""
        return self._step(RecordedStep(number="", text=text), target, page)

    # What the reports read -------------------------------------------------------

    def all_steps(self) -> Iterator[RecordedStep]:
        for step in self.steps:
            yield from step.walk()

    def failed_path(self) -> list[RecordedStep]:
        """The failed step and the steps it is in, outermost first ([] if none failed)."""
        path: list[RecordedStep] = []
        steps = self.steps
        while True:
            failed = next((step for step in reversed(steps) if step.status == "failed"), None)
            if failed is None:
                return path
            path.append(failed)
            steps = failed.children

    def record_failure(self, error: BaseException, text: str) -> RecordedStep:
        """A failure outside any step (an assertion after the last one): a failed step
        of its own, photographed now."""
        recorded = RecordedStep(number="", text=text, status="failed", error=first_line(error))
        page = self._last_page()
        recorded.url, recorded.page_title = self._where(page)
        recorded.screenshot = self._picture(page, None)
        self.steps.append(recorded)
        return recorded

    # The machinery -----------------------------------------------------------------

    @contextmanager
    def _step(self, recorded: RecordedStep, target: Locator | None, page: Page | None) -> Iterator[RecordedStep]:
        __tracebackhide__ = True
        (self._open[-1].children if self._open else self.steps).append(recorded)
        self._open.append(recorded)
        if page is not None:
            self.last_page = page
        started = time.monotonic()
        try:
            with self._nest(recorded):
                try:
                    yield recorded
                except BaseException as error:
                    recorded.status = "failed"
                    recorded.error = first_line(error)
                    # The innermost step sees the failure first: it alone is photographed.
                    if id(error) not in self._pictured:
                        self._pictured.add(id(error))
                        page = self._page_of(target) or self._last_page()
                        recorded.url, recorded.page_title = self._where(page)
                        recorded.screenshot = self._picture(page, target)
                    raise
        finally:
            recorded.duration = round(time.monotonic() - started, 3)
            self._open.pop()
        if not recorded.url and recorded.kind == ACTION and page is not None:
            recorded.url = _url(page)

    def _last_page(self) -> Page | None:
        return self.last_page or self.page

    def _page_of(self, target: Locator | None) -> Page | None:
        if target is None:
            return self._last_page()
        try:
            return target.page
        except PlaywrightError:
            return self._last_page()

    def _where(self, page: Page | None) -> tuple[str, str]:
        """The page's address and title; empty where the page is gone."""
        if page is None:
            return "", ""
        self.busy = True
        try:
            return page.url, page.title()
        except PlaywrightError:
            return _url(page), ""
        finally:
            self.busy = False

    def _picture(self, page: Page | None, target: Locator | None) -> str | None:
        """The viewport as the user sees it, the target outlined if the page has it;
        None if the page is gone (the failure itself says what went wrong)."""
        if page is None:
            return None
        self.busy = True
        try:
            if target is None:
                return _b64(page.screenshot(animations="disabled", caret="initial"))
            saved = self._outline(target)
            try:
                return _b64(page.screenshot(animations="disabled", caret="initial"))
            finally:
                if saved is not None:
                    target.evaluate_all(_OUTLINE_JS, saved)
        except PlaywrightError:
            return None
        finally:
            self.busy = False

    @staticmethod
    def _outline(target: Locator) -> dict[str, str] | None:
        """Outline every element the target matches (none is fine: nothing waits);
        returns what to put back, or None when nothing was outlined."""
        try:
            if target.count() == 0:
                return None
            target.first.scroll_into_view_if_needed(timeout=_OUTLINE_TIMEOUT_MS)
            saved = target.evaluate_all(_OUTLINE_JS, HIGHLIGHT_STYLE)
        except PlaywrightError:
            return None
        return saved[0] if saved else None


def first_line(error: BaseException) -> str:
    """An error as a line: its type and the first line of its message."""
    message = str(error).strip().splitlines()
    return f"{type(error).__name__}: {message[0]}" if message else type(error).__name__


def shown_address(url: str) -> str:
    """Host, path and query, without the scheme and the run's random port."""
    parts = urlsplit(url)
    if not parts.hostname:
        return url
    shown = f"{parts.hostname}{parts.path}"
    return f"{shown}?{parts.query}" if parts.query else shown


def _url(page: Page) -> str:
    try:
        return page.url
    except PlaywrightError:
        return ""


# Sets each element's outline, returns the first one's previous values so they can be put back.
_OUTLINE_JS = """(elements, style) => elements.map((el) => {
  const saved = {outline: el.style.outline, outlineOffset: el.style.outlineOffset};
  el.style.outline = style.outline;
  el.style.outlineOffset = style.outlineOffset;
  return saved;
})"""


def _b64(png: bytes) -> str:
    return base64.b64encode(png).decode("ascii")


# The test being run in this process, if any: where actions record themselves.
_active: StepRecorder | None = None


def active() -> StepRecorder | None:
    return _active


@contextmanager
def activate(recorder: StepRecorder) -> Iterator[StepRecorder]:
    """Browser actions record into ``recorder`` while the test runs (one test at a
    time per process: xdist runs tests in processes, not threads)."""
    global _active
    previous, _active = _active, recorder
    try:
        yield recorder
    finally:
        _active = previous
