"""Videos need an ffmpeg where Playwright looks: its own, or the system's lent to it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from fixtures.ffmpeg import VideoUnavailable, ensure_ffmpeg, playwright_ffmpeg


@pytest.fixture
def browsers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "browsers"
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(folder))
    return folder


def fake_ffmpeg(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder.mkdir(parents=True)
    program = folder / "ffmpeg"
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(folder))
    return program


def test_the_expected_place_is_in_playwrights_browsers_folder(browsers: Path) -> None:
    target = playwright_ffmpeg()
    assert target.parent.parent == browsers and target.parent.name.startswith("ffmpeg-")


def test_the_systems_ffmpeg_is_lent_to_playwright(browsers: Path, tmp_path: Path, monkeypatch) -> None:
    system = fake_ffmpeg(tmp_path / "bin", monkeypatch)
    target = ensure_ffmpeg()
    assert target.is_symlink() and target.resolve() == system.resolve()
    assert ensure_ffmpeg() == target, "a second run keeps the link"


def test_playwrights_own_ffmpeg_is_left_alone(browsers: Path, monkeypatch) -> None:
    own = playwright_ffmpeg()
    own.parent.mkdir(parents=True)
    own.write_text("#!/bin/sh\n")
    own.chmod(0o755)
    monkeypatch.setenv("PATH", "")
    assert ensure_ffmpeg() == own and not own.is_symlink()


def test_a_link_to_a_removed_ffmpeg_is_replaced(browsers: Path, tmp_path: Path, monkeypatch) -> None:
    target = playwright_ffmpeg()
    target.parent.mkdir(parents=True)
    target.symlink_to(tmp_path / "gone" / "ffmpeg")
    system = fake_ffmpeg(tmp_path / "bin", monkeypatch)
    assert ensure_ffmpeg().resolve() == system.resolve()


def test_no_ffmpeg_anywhere_says_how_to_get_one(browsers: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", "")
    with pytest.raises(VideoUnavailable, match="apt-get install ffmpeg"):
        ensure_ffmpeg()
    assert not os.path.lexists(playwright_ffmpeg())
