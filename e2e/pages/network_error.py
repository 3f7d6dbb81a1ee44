"""Chromium's own page for a page it could not load (a network error), at
chrome-error://chromewebdata/.

What a person sees depends on the build. The full Chromium draws its error page: "This
site can't be reached" (in the browser's language), a sentence, and the error's code on a
line of its own, ERR_CONNECTION_RESET: the code is the robust thing to look for. The
headless shell (the default for headless runs) has no error page resources: the page is
blank. Either way the page's address is chrome-error://chromewebdata/ (Playwright's
page.url keeps the address that failed), and the code is what Chromium reports as the
failure of the page's request, which this page object records: create it before the
step that will fail.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, Request, expect

ADDRESS = "chrome-error://chromewebdata/"
_LOADED = f"() => location.href === {ADDRESS!r} && document.readyState === 'complete'"


class NetworkErrorPage:
    def __init__(self, page: Page) -> None:
        self.page = page
        # Net errors of the page's own loads ("net::ERR_CONNECTION_RESET"), oldest first.
        self.failed_loads: list[str] = []
        page.on("requestfailed", self._record)

    def code(self, shows: str) -> Locator:
        """The error's code, as the full Chromium prints it: "ERR_CONNECTION_RESET"."""
        return self.page.get_by_text(shows, exact=True)

    def expect_shown(self, shows: str) -> None:
        """The page is Chromium's error page for `shows`: its address, the code Chromium
        reports for the page's load, and that code on the page where the build draws one."""
        self.page.wait_for_function(_LOADED, timeout=5_000)
        assert self.failed_loads and self.failed_loads[-1] == f"net::{shows}", (
            f"the page's last failed load: {self.failed_loads[-1:] or 'none'}, not net::{shows}")
        if self.drawn():
            expect(self.code(shows)).to_be_visible()

    def drawn(self) -> bool:
        """Whether this build draws its error page (the full Chromium) or leaves it blank
        (the headless shell)."""
        return self.page.evaluate("() => document.body !== null && document.body.childElementCount > 0")

    def reload(self) -> None:
        """The browser's reload: the page's request again (a form's POST is sent again)."""
        self.page.reload()

    def _record(self, request: Request) -> None:
        if request.is_navigation_request() and request.frame == self.page.main_frame and request.failure:
            self.failed_loads.append(request.failure)
