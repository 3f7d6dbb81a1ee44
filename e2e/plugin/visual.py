"""Visual comparison for the scenarios: the `snapshots` fixture photographs a page and
compares it with its baseline (e2e/visual.py); `--update-snapshots` rewrites the
baselines that changed or are missing.

A failed comparison shows in report.html twice: in its scenario's row (expected,
actual and diff side by side, with the share of pixels that differ), and in a gallery
under the report's summary, so a change of colour across many pages is seen at once.
The pictures are embedded with --self-contained-html, else linked from the artifacts
folder; Allure's results get them as attachments.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from .. import report_words as words
from ..visual import SNAPSHOTS, Comparison, Tolerance, VisualDifference, build_folder, compare, percent
from .fragments import render
from .html_report import link_from_report
from .keys import BROWSER_BUILD
from .options import is_worker

_COMPARISONS = pytest.StashKey[list[Comparison]]()
# How many failed comparisons the gallery under the summary shows; the others are in their rows.
GALLERY_LIMIT = 24
# Pictures are steady once the page is: no animation, no caret, the pointer out of the way.
SCREENSHOT_OPTIONS = {"animations": "disabled", "caret": "hide", "scale": "css", "mask_color": "#ff00ff"}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("moncompte").addoption(
        "--update-snapshots", action="store_true", default=False,
        help="visual scenarios write the baselines that changed or are missing (e2e/snapshots/), and pass")


class Snapshots:
    """Compares pages with their baselines for one test; `verify()` fails with every
    difference found, after all pages were compared (one run shows all there is to see)."""

    def __init__(self, folder: Path, output: Path, update: bool, record: list[Comparison]) -> None:
        self.folder, self.output, self.update = folder, output, update
        self.comparisons = record

    def check(self, page: Any, name: str, *, device: str, mask: Sequence[Any] = (), full_page: bool = False,
              tolerance: Tolerance | None = None) -> Comparison:
        page.mouse.move(0, 0)  # no hover effect left where the last click was
        png = page.screenshot(mask=list(mask), full_page=full_page, **SCREENSHOT_OPTIONS)
        comparison = compare(png, self.folder / device / f"{name}.png", page=name, device=device,
                             tolerance=tolerance or Tolerance(), update=self.update, output=self.output)
        self.comparisons.append(comparison)
        return comparison

    def verify(self) -> None:
        __tracebackhide__ = True
        failed = [comparison for comparison in self.comparisons if comparison.failed]
        if failed:
            raise VisualDifference(f"{len(failed)} page(s) differ from their baseline:\n"
                                   + "\n".join(f"  {comparison.describe()}" for comparison in failed))


@pytest.fixture(scope="session")
def snapshot_folder(browser: Any, browser_name: str, pytestconfig: pytest.Config) -> Path:
    """This browser build's baselines: e2e/snapshots/chromium-headless-shell-143-linux/."""
    from fixtures.chromium import SHELL_BUILD

    shell = SHELL_BUILD in pytestconfig.stash.get(BROWSER_BUILD, "")
    return SNAPSHOTS / build_folder(browser_name, browser.version, shell)


@pytest.fixture
def snapshots(snapshot_folder: Path, output_path: str, request: pytest.FixtureRequest) -> Iterator[Snapshots]:
    """`snapshots.check(page, "moncompte-login", device="desktop", mask=[...])` for each
    page, then `snapshots.verify()`."""
    record = request.node.stash[_COMPARISONS] = []  # this attempt's: a retry starts afresh
    yield Snapshots(snapshot_folder, Path(output_path), request.config.getoption("--update-snapshots"), record)


# The reports ---------------------------------------------------------------------------


def _shown(comparison: Comparison) -> dict[str, Any]:
    """What the report says of a failed comparison (JSON: it travels from an xdist worker)."""
    return {
        "page": comparison.page,
        "device": comparison.device,
        "outcome": comparison.outcome,
        "ratio": percent(comparison.ratio),
        "allowed": percent(comparison.tolerance.max_ratio),
        "channel": comparison.tolerance.channel,
        "baseline": str(comparison.baseline),
        "note": comparison.note,
        "pictures": [(kind, str(path)) for kind, path in
                     (("expected", comparison.expected), ("actual", comparison.actual), ("diff", comparison.diff))
                     if path is not None],
    }


def _source(path: str, config: pytest.Config) -> str:
    """An <img> src: the picture itself in a self-contained report, else a link from the report's folder."""
    if config.getoption("self_contained_html", default=False):
        return "data:image/png;base64," + base64.b64encode(Path(path).read_bytes()).decode()
    return link_from_report(config, path)


def _figures(shown: dict[str, Any], config: pytest.Config) -> list[dict[str, str]]:
    return [{"kind": kind, "label": words.VISUAL["pictures"][kind], "src": _source(path, config)}
            for kind, path in shown["pictures"] if Path(path).exists()]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    comparisons = item.stash.get(_COMPARISONS, [])
    if report.when != "call" or not comparisons:
        return
    failed = [_shown(comparison) for comparison in comparisons if comparison.failed]
    if not failed:
        return
    if getattr(item.config.option, "htmlpath", None):
        # The pictures' sources are made here, where the files are: an xdist worker's
        # artifacts folder is its own, and may be emptied by a later run before the
        # controller writes the report.
        for shown in failed:
            shown["figures"] = _figures(shown, item.config)
        report.mc_visual = failed
        plugin = item.config.pluginmanager.getplugin("html")
        if plugin is not None:
            report.extras = [*getattr(report, "extras", []), plugin.extras.html(render("visual.html", comparisons=failed))]
    _attach_to_allure(item, failed)


def _attach_to_allure(item: pytest.Item, failed: list[dict[str, Any]]) -> None:
    from .allure_report import results_dir

    if results_dir(item.config) is None:
        return
    import allure

    for shown in failed:
        for kind, path in shown["pictures"]:
            allure.attach.file(path, name=f"{shown['device']}/{shown['page']} — {words.VISUAL['pictures'][kind]}",
                               attachment_type=allure.attachment_type.PNG)


class _Gallery:
    """The controller's side: every failed comparison of the run, shown under the summary."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.failed: list[dict[str, Any]] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        for shown in getattr(report, "mc_visual", None) or []:
            self.failed.append({**shown, "test": getattr(report, "mc_title", report.nodeid)})

    @pytest.hookimpl(optionalhook=True)
    def pytest_html_results_summary(self, prefix: list[str], summary: list[str], postfix: list[str]) -> None:
        if not self.failed:
            return
        shown = self.failed[:GALLERY_LIMIT]
        postfix.append(render("visual_gallery.html", comparisons=shown, total=len(self.failed),
                              left_out=len(self.failed) - len(shown)))


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    if not is_worker(config):
        config.pluginmanager.register(_Gallery(config), "moncompte-visual-gallery")
