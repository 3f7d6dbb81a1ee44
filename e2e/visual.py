"""Pictures of pages compared with committed baselines, as Playwright Test's
toHaveScreenshot does, on Pillow: a picture differs from its baseline by the share of
its pixels whose colour moved more than a tolerance.

Baselines live in e2e/snapshots/<browser build>-<platform>/<device>/<page>.png: pixels
differ between Chromium builds and platforms, so each has its own folder. A missing
baseline fails the comparison and is written from what was seen (review it, commit
it); `--update-snapshots` writes the ones that changed or are missing, and passes.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageChops

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"

# What a comparison found: the picture is its baseline's, or it differs, or there was
# no baseline (written now); or, with --update-snapshots, the baseline was rewritten.
SAME, DIFFERENT, MISSING, UPDATED = "same", "different", "missing", "updated"

DIFF_COLOUR = (230, 20, 60)  # the differing pixels in the diff picture, as Playwright's red


class VisualDifference(AssertionError):
    """Pages differ from their baselines: the same on every run, so not run again."""


@dataclass(frozen=True)
class Tolerance:
    """How different a picture may be and still pass: `channel` is how far (0-255) a
    pixel's red, green or blue may move and still count as the same pixel (anti-aliasing
    moves a few units); `max_ratio` the share of pixels (0-1) allowed to differ."""

    channel: int = 16
    max_ratio: float = 0.0

    def __post_init__(self) -> None:
        if not 0 <= self.channel <= 255:
            raise ValueError(f"channel tolerance {self.channel} is not within 0-255")
        if not 0 <= self.max_ratio < 1:
            raise ValueError(f"max_ratio {self.max_ratio} is not a share within [0, 1)")


@dataclass(frozen=True)
class Comparison:
    """One page's picture against its baseline. `expected`, `actual` and `diff` are the
    files to look at when it failed (kept beside the test's other artifacts)."""

    page: str
    device: str
    outcome: str
    ratio: float  # share of pixels that differ (1.0 when the sizes differ)
    baseline: Path
    tolerance: Tolerance = field(default_factory=Tolerance)
    expected: Path | None = None
    actual: Path | None = None
    diff: Path | None = None
    note: str = ""

    @property
    def failed(self) -> bool:
        return self.outcome in (DIFFERENT, MISSING)

    def describe(self) -> str:
        where = f"{self.device}/{self.page}"
        if self.outcome == MISSING:
            return f"{where}: no baseline; written to {self.baseline} (review it, then commit it)"
        if self.outcome == DIFFERENT:
            return (f"{where}: {percent(self.ratio)} of pixels differ (allowed: {percent(self.tolerance.max_ratio)})"
                    f"{'; ' + self.note if self.note else ''}")
        return f"{where}: {self.outcome}"


def percent(ratio: float) -> str:
    return f"{ratio * 100:.2f} %"


def build_folder(browser_name: str, version: str, shell: bool | None, platform: str = sys.platform) -> str:
    """'chromium-headless-shell-143-linux': the browser, its build (the headless shell
    renders apart from the full browser) and major version, and the platform."""
    build = f"{browser_name}-headless-shell" if shell else browser_name
    major = version.split(".", 1)[0] if version else "unknown"
    return f"{build}-{major}-{platform}"


def difference(expected: Image.Image, actual: Image.Image, tolerance: Tolerance) -> tuple[float, Image.Image]:
    """The share of pixels that differ beyond the tolerance, and the diff picture: the
    actual page faded to grey, the differing pixels in red over it."""
    expected, actual = expected.convert("RGB"), actual.convert("RGB")
    if expected.size != actual.size:
        size = (max(expected.width, actual.width), max(expected.height, actual.height))
        expected, actual = _on_canvas(expected, size), _on_canvas(actual, size)
        sized_apart = True
    else:
        sized_apart = False
    channels = ImageChops.difference(expected, actual).split()
    largest = ImageChops.lighter(ImageChops.lighter(channels[0], channels[1]), channels[2])
    moved = largest.point(lambda value: 255 if value > tolerance.channel else 0)
    count = moved.histogram()[255]
    faded = Image.blend(Image.new("RGB", actual.size, "white"), actual.convert("L").convert("RGB"), 0.25)
    diff = Image.composite(Image.new("RGB", actual.size, DIFF_COLOUR), faded, moved)
    ratio = 1.0 if sized_apart else count / (actual.width * actual.height)
    return ratio, diff


def _on_canvas(picture: Image.Image, size: tuple[int, int]) -> Image.Image:
    canvas = Image.new("RGB", size, "white")
    canvas.paste(picture, (0, 0))
    return canvas


def write_png(picture: Image.Image | bytes, path: Path) -> None:
    """Written whole or not at all (two workers may write the same baseline at once),
    and optimised: baselines are committed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(picture, bytes):
        picture = Image.open(io.BytesIO(picture))
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".png.tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            picture.save(out, format="PNG", optimize=True)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def compare(png: bytes, baseline: Path, *, page: str, device: str, tolerance: Tolerance, update: bool,
            output: Path) -> Comparison:
    """`png` (a screenshot) against `baseline`. A failure leaves expected, actual and diff
    pictures in `output`; a missing baseline is written (and fails, unless updating)."""
    actual = Image.open(io.BytesIO(png)).convert("RGB")
    common = dict(page=page, device=device, baseline=baseline, tolerance=tolerance)
    if not baseline.exists():
        write_png(actual, baseline)
        if update:
            return Comparison(outcome=UPDATED, ratio=1.0, **common)
        actual_path = output / f"{device}-{page}-actual.png"
        write_png(actual, actual_path)
        return Comparison(outcome=MISSING, ratio=1.0, actual=actual_path, **common)
    with Image.open(baseline) as stored:
        expected = stored.convert("RGB")
    if expected.size == actual.size and not ImageChops.difference(expected, actual).getbbox():
        return Comparison(outcome=SAME, ratio=0.0, **common)
    ratio, diff = difference(expected, actual, tolerance)
    if ratio <= tolerance.max_ratio:
        return Comparison(outcome=SAME, ratio=ratio, **common)
    if update:
        write_png(actual, baseline)
        return Comparison(outcome=UPDATED, ratio=ratio, **common)
    paths = {kind: output / f"{device}-{page}-{kind}.png" for kind in ("expected", "actual", "diff")}
    write_png(expected, paths["expected"])
    write_png(actual, paths["actual"])
    write_png(diff, paths["diff"])
    note = "" if expected.size == actual.size else f"size {expected.width}×{expected.height} became {actual.width}×{actual.height}"
    return Comparison(outcome=DIFFERENT, ratio=ratio, note=note, **common, **paths)
