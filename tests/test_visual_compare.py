"""The visual comparison (e2e/visual.py) on pictures made here: what counts as a
difference, what it writes, and what --update-snapshots changes."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from e2e.visual import DIFFERENT, MISSING, SAME, UPDATED, Tolerance, build_folder, compare

BLUE, GREEN = (0, 83, 155), (42, 143, 60)


def page_picture(bar: tuple[int, int, int] = BLUE, size: tuple[int, int] = (200, 100), shift: int = 0) -> bytes:
    """A page: white, a menu bar 20 px high, a grey block standing for text."""
    picture = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, 0, size[0] - 1, 19), fill=bar)
    draw.rectangle((20, 40, 120, 50), fill=(60 + shift, 60 + shift, 60 + shift))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def run(png: bytes, baseline: Path, output: Path, *, update: bool = False, tolerance: Tolerance = Tolerance()):
    return compare(png, baseline, page="moncompte-login", device="desktop", tolerance=tolerance,
                   update=update, output=output)


@pytest.fixture
def baseline(tmp_path: Path) -> Path:
    path = tmp_path / "snapshots" / "desktop" / "moncompte-login.png"
    path.parent.mkdir(parents=True)
    path.write_bytes(page_picture())
    return path


def test_the_same_picture_passes_and_writes_nothing(baseline: Path, tmp_path: Path) -> None:
    before = baseline.read_bytes()
    result = run(page_picture(), baseline, tmp_path / "out")
    assert (result.outcome, result.ratio, result.failed) == (SAME, 0.0, False)
    assert baseline.read_bytes() == before and not (tmp_path / "out").exists()


def test_a_recoloured_menu_bar_fails_with_expected_actual_and_diff(baseline: Path, tmp_path: Path) -> None:
    result = run(page_picture(GREEN), baseline, tmp_path / "out")
    assert result.outcome == DIFFERENT and result.failed
    assert result.ratio == pytest.approx(0.20)  # the bar: 20 rows of 100
    for path in (result.expected, result.actual, result.diff):
        assert path is not None and path.exists()
    assert Image.open(result.expected).getpixel((5, 5)) == BLUE
    assert Image.open(result.actual).getpixel((5, 5)) == GREEN
    diff = Image.open(result.diff)
    assert diff.getpixel((5, 5)) == (230, 20, 60)  # differing: red
    assert diff.getpixel((150, 80)) != (230, 20, 60)  # the same: faded
    assert "20.00 % of pixels differ" in result.describe()


def test_small_colour_moves_pass_within_the_channel_tolerance(baseline: Path, tmp_path: Path) -> None:
    assert run(page_picture(shift=10), baseline, tmp_path / "out").outcome == SAME
    assert run(page_picture(shift=10), baseline, tmp_path / "out", tolerance=Tolerance(channel=5)).outcome == DIFFERENT


def test_a_share_of_differing_pixels_may_be_allowed_per_page(baseline: Path, tmp_path: Path) -> None:
    assert run(page_picture(GREEN), baseline, tmp_path / "out", tolerance=Tolerance(max_ratio=0.25)).outcome == SAME
    assert run(page_picture(GREEN), baseline, tmp_path / "out", tolerance=Tolerance(max_ratio=0.15)).outcome == DIFFERENT


def test_a_page_of_another_size_differs_entirely(baseline: Path, tmp_path: Path) -> None:
    result = run(page_picture(size=(200, 140)), baseline, tmp_path / "out")
    assert result.outcome == DIFFERENT and result.ratio == 1.0
    assert "200×100 became 200×140" in result.note


def test_a_missing_baseline_fails_and_is_written(tmp_path: Path) -> None:
    baseline = tmp_path / "snapshots" / "phone" / "new-page.png"
    result = run(page_picture(), baseline, tmp_path / "out")
    assert result.outcome == MISSING and result.failed
    assert Image.open(baseline).getpixel((5, 5)) == BLUE
    assert result.actual is not None and result.actual.exists()
    assert run(page_picture(), baseline, tmp_path / "out").outcome == SAME  # the next run passes


def test_updating_rewrites_what_changed_and_passes(baseline: Path, tmp_path: Path) -> None:
    result = run(page_picture(GREEN), baseline, tmp_path / "out", update=True)
    assert result.outcome == UPDATED and not result.failed
    assert Image.open(baseline).getpixel((5, 5)) == GREEN
    assert not (tmp_path / "out").exists()


def test_updating_leaves_an_unchanged_baseline_alone(baseline: Path, tmp_path: Path) -> None:
    before = baseline.stat().st_mtime_ns, baseline.read_bytes()
    assert run(page_picture(), baseline, tmp_path / "out", update=True).outcome == SAME
    assert (baseline.stat().st_mtime_ns, baseline.read_bytes()) == before


@pytest.mark.parametrize(("channel", "max_ratio"), [(-1, 0.0), (256, 0.0), (0, 1.0), (0, -0.1)])
def test_a_tolerance_out_of_range_is_refused(channel: int, max_ratio: float) -> None:
    with pytest.raises(ValueError):
        Tolerance(channel=channel, max_ratio=max_ratio)


def test_each_build_and_platform_has_its_own_folder() -> None:
    assert build_folder("chromium", "143.0.7499.4", True, "linux") == "chromium-headless-shell-143-linux"
    assert build_folder("chromium", "143.0.7499.4", False, "darwin") == "chromium-143-darwin"



def test_every_shared_page_is_shown_in_a_tour_that_exists() -> None:
    from e2e.tour import SHOWN_IN, TOURS

    assert set(SHOWN_IN.values()) <= set(TOURS)
