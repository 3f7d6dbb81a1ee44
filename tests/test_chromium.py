"""Which Chromium each kind of run gets: the headless shell for headless runs,
the full browser for headed ones, CHROMIUM_PATH over both."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import chromium
from fixtures.chromium import Chromium, ChromiumError, find_chromium, is_headless_shell, main
from fixtures.playwright_browsers import install_dir


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty machine: no Playwright builds, no system Chromium, nothing on PATH."""
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "ms-playwright"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    monkeypatch.setattr(chromium, "SYSTEM_PATHS", ())
    monkeypatch.setattr(chromium, "SYSTEM_SHELL_PATHS", ())
    find_chromium.cache_clear()
    yield tmp_path
    find_chromium.cache_clear()


def executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\necho 'Chromium 156.0.8078.114'\n")
    path.chmod(0o755)
    return path


def playwright_full() -> Path:
    return executable(install_dir("chromium") / "chrome-linux64" / "chrome")


def playwright_shell() -> Path:
    return executable(install_dir("chromium-headless-shell") / "chrome-headless-shell-linux64" / "chrome-headless-shell")


def system_full(machine: Path) -> Path:
    return executable(machine / "bin" / "chromium")


def system_shell(machine: Path) -> Path:
    return executable(machine / "bin" / "chromium-headless-shell")


def test_nothing_installed_finds_nothing(machine: Path) -> None:
    assert find_chromium(headless=True) is None
    assert find_chromium(headless=False) is None


def test_headless_runs_prefer_playwrights_shell_then_the_systems(machine: Path) -> None:
    system_full(machine)
    playwright_full()
    assert find_chromium(True) == Chromium(path=str(playwright_full()), source="playwright", shell=False)

    find_chromium.cache_clear()
    shell = system_shell(machine)
    assert find_chromium(True) == Chromium(path=str(shell), source="system", shell=True)

    find_chromium.cache_clear()
    own_shell = playwright_shell()
    found = find_chromium(True)
    # Playwright picks its own shell for a headless launch: no path to pass.
    assert (found.path, found.source, found.shell, found.binary) == (None, "playwright", True, str(own_shell))


def test_headed_runs_get_the_full_browser_never_the_shell(machine: Path) -> None:
    system_shell(machine)
    playwright_shell()
    assert find_chromium(False) is None, "a headless shell has no window to show"

    find_chromium.cache_clear()
    system = system_full(machine)
    assert find_chromium(False) == Chromium(path=str(system), source="system", shell=False)

    find_chromium.cache_clear()
    own = playwright_full()
    assert find_chromium(False) == Chromium(path=None, source="playwright", shell=False, executable=str(own))


def test_without_any_shell_headless_runs_use_the_full_browser(machine: Path) -> None:
    system = system_full(machine)
    assert find_chromium(True) == Chromium(path=str(system), source="system", shell=False)


def test_chromium_path_overrides_both(machine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    playwright_shell()
    playwright_full()
    chosen = executable(machine / "elsewhere" / "chrome")
    monkeypatch.setenv("CHROMIUM_PATH", str(chosen))
    for headless in (True, False):
        assert find_chromium(headless) == Chromium(path=str(chosen), source="CHROMIUM_PATH", shell=False)


def test_a_headless_shell_in_chromium_path_serves_headless_runs_only(machine: Path, monkeypatch) -> None:
    shell = executable(machine / "elsewhere" / "chromium-headless-shell")
    monkeypatch.setenv("CHROMIUM_PATH", str(shell))
    assert find_chromium(True) == Chromium(path=str(shell), source="CHROMIUM_PATH", shell=True)
    with pytest.raises(ChromiumError, match="headed run needs the full Chromium"):
        find_chromium(False)


@pytest.mark.parametrize("state", ["missing", "not executable"])
def test_a_chromium_path_that_cannot_run_is_an_error(machine: Path, monkeypatch, state: str) -> None:
    path = machine / "chrome"
    if state == "not executable":
        path.write_text("")
    monkeypatch.setenv("CHROMIUM_PATH", str(path))
    with pytest.raises(ChromiumError, match="does not exist" if state == "missing" else "not an executable"):
        find_chromium(True)


@pytest.mark.parametrize(("name", "shell"), [
    ("/usr/bin/chromium-headless-shell", True),
    ("/x/chrome-headless-shell-linux64/chrome-headless-shell", True),
    ("/x/chrome-linux/headless_shell", True),
    ("C:/x/chrome-headless-shell.exe", True),
    ("/usr/bin/chromium", False),
    ("/x/chrome-linux64/chrome", False),
])
def test_a_headless_shell_is_known_by_its_name(name: str, shell: bool) -> None:
    assert is_headless_shell(name) is shell


def test_the_command_says_which_build_each_kind_of_run_uses(machine: Path, capsys) -> None:
    shell, full = system_shell(machine), system_full(machine)
    assert main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        f"headless runs: headless shell (system: {shell}), Chromium 156.0.8078.114",
        f"headed runs:   full Chromium (system: {full}), Chromium 156.0.8078.114",
    ]
    assert main(["--porcelain"]) == 0
    assert capsys.readouterr().out.splitlines() == [f"headless shell system {shell}", f"headed full system {full}"]


def test_the_command_fails_and_says_what_to_install_when_nothing_is_found(machine: Path, capsys) -> None:
    assert main([]) == 1
    out = capsys.readouterr().out
    assert "chromium-headless-shell" in out and "CHROMIUM_PATH" in out
