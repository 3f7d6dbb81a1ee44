"""The browser: Chromium's headless shell for headless runs, the full Chromium for
headed ones (Playwright's own builds if installed, else the system's: see
fixtures/chromium.py), or a browser on a Playwright server (--connect, e2e/plugin/remote.py).
One per worker; pytest-playwright gives each test a fresh context."""

from __future__ import annotations

import types

import pytest

from .keys import BROWSER_BUILD
from .remote import connecting


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict, browser_name: str, pytestconfig: pytest.Config) -> dict:
    if browser_name != "chromium" or pytestconfig.getoption("--browser-channel") or connecting(pytestconfig):
        # On a Playwright server (--connect), remote.py names the build, if any.
        return browser_type_launch_args
    from fixtures.chromium import ChromiumError, find_chromium, launch_options

    headless = browser_type_launch_args.get("headless", True)
    try:
        chromium = find_chromium(headless)
    except ChromiumError as error:
        pytest.exit(str(error), returncode=4)
    if chromium is None:
        pytest.exit("No Chromium found: run `make e2e` once, or set CHROMIUM_PATH.", returncode=4)
    pytestconfig.stash[BROWSER_BUILD] = chromium.describe()
    options = launch_options(chromium)
    args = [*browser_type_launch_args.get("args", []), *options.pop("args", [])]
    return {**options, **browser_type_launch_args, "args": args}


def _base_url_plugin() -> types.ModuleType:
    @pytest.fixture(scope="session")
    def base_url(sites: dict[str, str]) -> str:
        """Pages open relative to Mon Compte: page.goto("/connexion")."""
        return sites["moncompte"]

    plugin = types.ModuleType(f"{__name__}.base_url")  # pytest reads a module's fixtures
    plugin.base_url = base_url  # type: ignore[attr-defined]
    return plugin


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    # Where pytest-base-url is not installed, pytest-playwright registers a base_url
    # fixture of its own after the initial conftests, so after this plugin: of two
    # plugins' fixtures the later one wins. Ours is registered now, after it.
    config.pluginmanager.register(_base_url_plugin(), "moncompte-base-url")
