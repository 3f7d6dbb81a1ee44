"""The report's steps and journal, and the tutorial built from the steps: no browser.

The recorder is driven by a stand-in page here; the e2e scenarios drive it with Chromium.
"""

from __future__ import annotations

import base64
import html
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from e2e.plugin.environment import commit_description
from e2e.plugin.html_report import attempt_label, render_headline, render_trace
from e2e.plugin.journal import journal_text, render_journal
from e2e.plugin.steps import render_steps, step_properties
from e2e.steps import StepRecorder, activate, active
from e2e.steps import shown_address
from e2e.tutorial import build_tutorial, missing_sections, read_parts, render
from fixtures import guide
from mock_server import texts

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n-not-really-an-image").decode()


class StandInLocator:
    def __init__(self, page: "StandInPage", name: str, *, fail_click: bool = False, present: bool = True) -> None:
        self.page, self.log, self.name, self.fail_click, self.present = page, page.log, name, fail_click, present
        self.style = {"outline": "", "outlineOffset": ""}

    @property
    def first(self) -> "StandInLocator":
        return self

    def count(self) -> int:
        return 1 if self.present else 0

    def scroll_into_view_if_needed(self, timeout: float | None = None) -> None:
        self.log.append(f"scroll {self.name}")

    def evaluate_all(self, script: str, style: dict) -> list[dict]:
        saved, self.style = self.style, dict(style)
        self.log.append(f"outline {self.name} {style['outline'] or 'none'}")
        return [saved]

    def click(self) -> None:
        self.log.append(f"click {self.name}")
        if self.fail_click:
            raise RuntimeError("click failed")


class StandInPage:
    url = "http://moncompte.localhost:4567/connexion"

    def __init__(self, log: list[str]) -> None:
        self.log = log

    def title(self) -> str:
        return "CONNEXION | Mon Compte"

    def screenshot(self, **options) -> bytes:
        self.log.append("screenshot")
        return b"png"


def recorder(mode: str) -> tuple[StepRecorder, StandInPage]:
    page = StandInPage([])
    return StepRecorder(page, mode), page  # type: ignore[arg-type]


# The recorder ---------------------------------------------------------------


def test_every_step_is_photographed_with_its_target_outlined_then_clicked() -> None:
    steps, page = recorder("all")
    button = StandInLocator(page, "submit")
    with steps(guide.LOGIN_PASSWORD, click=button):
        page.log.append("fill password")
    assert page.log == ["fill password", "scroll submit", "outline submit 4px solid #e4003a", "screenshot",
                        "outline submit none", "click submit"]
    assert button.style == {"outline": "", "outlineOffset": ""}, "the outline is taken off again"
    [recorded] = steps.steps
    assert (recorded.number, recorded.text, recorded.status, recorded.kind) == (
        "②", guide.LOGIN_PASSWORD.text, "passed", "guide")
    assert recorded.section == guide.LOGIN.key and recorded.screenshot == base64.b64encode(b"png").decode()
    assert recorded.page_title == "CONNEXION | Mon Compte", "the tutorial's caption"


def test_failures_mode_photographs_only_the_step_that_failed() -> None:
    steps, page = recorder("failures")
    with steps(guide.LOGIN_NIR, highlight=StandInLocator(page, "nir")):
        page.log.append("fill nir")
    with pytest.raises(AssertionError):
        with steps(guide.LOGGED_IN):
            raise AssertionError("no account page")
    assert page.log.count("screenshot") == 1
    first, second = steps.steps
    assert (first.status, first.screenshot) == ("passed", None)
    assert second.status == "failed" and second.screenshot and second.error == "AssertionError: no account page"


def test_actions_nest_in_their_step_and_the_innermost_failure_alone_is_photographed_outlined() -> None:
    steps, page = recorder("failures")
    greeting = StandInLocator(page, "greeting")
    with pytest.raises(AssertionError):
        with steps(guide.LOGGED_IN):
            with steps.action("Je vérifie que le titre est visible"):
                pass
            with steps.action("Je vérifie que le texte « Bonjour » est visible", target=greeting):
                raise AssertionError("Locator expected to be visible\nCall log: …")
    [outer] = steps.steps
    passed, failed = outer.children
    assert [step.status for step in (outer, passed, failed)] == ["failed", "passed", "failed"]
    assert page.log == ["scroll greeting", "outline greeting 4px solid #e4003a", "screenshot", "outline greeting none"]
    assert failed.screenshot and outer.screenshot is None, "one picture: the step where it failed"
    assert failed.error == "AssertionError: Locator expected to be visible"
    assert steps.failed_path() == [outer, failed]


def test_a_failing_element_that_is_not_there_is_photographed_without_waiting_for_it() -> None:
    steps, page = recorder("failures")
    with pytest.raises(AssertionError):
        with steps.action("Je vérifie", target=StandInLocator(page, "absent", present=False)):
            raise AssertionError("not found")
    assert page.log == ["screenshot"]


def test_a_failure_after_the_last_step_gets_a_step_and_a_picture_of_its_own() -> None:
    steps, page = recorder("failures")
    with steps.action("Je clique"):
        pass
    recorded = steps.record_failure(AssertionError("assert [] == [1]"), "Vérification après la dernière étape")
    assert steps.failed_path() == [recorded] and recorded.screenshot and recorded.url == page.url


def test_a_click_that_fails_fails_its_step_once() -> None:
    steps, page = recorder("failures")
    with pytest.raises(RuntimeError):
        with steps(guide.FC_BUTTON, click=StandInLocator(page, "fc", fail_click=True)):
            pass
    assert [step.status for step in steps.steps] == ["failed"]


def test_unknown_screenshot_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="screenshots must be one of"):
        StepRecorder(StandInPage([]), "sometimes")  # type: ignore[arg-type]


def test_actions_record_into_the_active_recorder_only_while_it_is_active(scenario_steps: StepRecorder) -> None:
    steps, _ = recorder("failures")
    assert active() is scenario_steps, "every test has its own, active while it runs"
    with activate(steps):
        assert active() is steps
    assert active() is scenario_steps


# Report and JUnit -----------------------------------------------------------


def test_steps_become_numbered_junit_properties_and_escaped_html() -> None:
    steps, page = recorder("all")
    with steps(guide.FC_CHOOSE):
        with steps.action("Je clique sur le bouton « <b>MSA</b> »"):
            pass
    with steps(guide.LOGOUT_BUTTON):
        pass
    assert step_properties(steps) == [
        ("step 01", f"② {guide.FC_CHOOSE.text} [passed]"),
        ("step 02", f"À noter {texts.ACCOUNT['logout_reminder']} [passed]"),
    ]
    rendered = render_steps(steps)
    assert rendered.count('<li class="mc-step mc-passed mc-guide">') == 2
    assert rendered.count('<li class="mc-step mc-passed mc-action">') == 1
    assert '<ol class="mc-children">' in rendered and "&lt;b&gt;MSA" in rendered
    assert "j&#39;ai fini" in rendered and "j'ai fini" not in rendered  # quotes escaped (Jinja's way)
    assert rendered.count("data:image/png;base64,") == 2
    assert "moncompte.localhost/connexion" in rendered and ":4567" not in rendered


def test_a_failure_is_headed_by_its_step_its_error_and_the_replay_command_and_no_picture() -> None:
    steps, page = recorder("failures")
    with pytest.raises(AssertionError):
        with steps(guide.LOGGED_IN):
            with steps.action("Je vérifie que le texte « Bonjour » est visible"):
                raise AssertionError("Locator expected to be visible")
    headline = render_headline(steps.failed_path(), "AssertionError: Locator expected to be visible",
                               ".venv/bin/pytest --seed 7 'e2e/test_login.py::test_x[chromium]'")
    assert f"{guide.LOGGED_IN.label} › Je vérifie que le texte « Bonjour » est visible" in html.unescape(headline)
    assert "--seed 7 &#39;e2e/test_login.py::test_x[chromium]&#39;" in headline
    # pytest-html's media viewer shows Playwright's screenshot in a row's first <img>.
    assert "<img" not in headline


def test_the_trace_is_linked_with_the_command_that_opens_it() -> None:
    block = render_trace("artifacts/gw0/test-retry1/trace.zip", "reports/artifacts/gw0/test-retry1/trace.zip")
    assert 'href="artifacts/gw0/test-retry1/trace.zip"' in block
    assert "make trace TRACE=reports/artifacts/gw0/test-retry1/trace.zip" in block


def test_journal_is_a_table_and_a_text_section_naming_the_person() -> None:
    entries = [{"id": 7, "at": "2026-11-27T10:27:45.219408+00:00", "site": "moncompte", "method": "POST",
                "path": "/connexion?next=<x>", "status": 401, "duration_ms": 12.5, "persona": "p1",
                "persona_name": "Claire Lambert", "fault": None}]
    table = render_journal(entries)
    assert "10:27:45.219" in table and "/connexion?next=&lt;x&gt;" in table and "(1 requêtes," in table
    assert '<tr class="mc-bad">' in table and "<td>Claire Lambert</td>" in table
    assert journal_text(entries) == "10:27:45.219  moncompte       POST   401  /connexion?next=<x>  persona=Claire Lambert"


def test_commit_outside_a_checkout_says_so(tmp_path: Path) -> None:
    assert commit_description(tmp_path).startswith("unknown")


# The guide ------------------------------------------------------------------


def test_numbered_steps_are_the_help_pages_sentences() -> None:
    first, second, third, fourth = texts.HELP["tutorial_steps"]
    assert f"{guide.LOGIN_NIR.text} {guide.LOGIN_PROVISIONAL.text}" == first
    assert guide.LOGIN_PASSWORD.text == second
    assert third.startswith(guide.FORGOT_LINK.text)
    assert guide.WHERE_ICON.text == texts.HELP["where_to_find_text"]
    # The help page's words, a no-break space before "?" (French typography).
    assert [section.title.replace("\u00a0", " ") for section in guide.SECTIONS] == [
        "Où trouver Mon Compte ?", "Comment me connecter à Mon Compte ?", "Mot de passe oublié ?",
        "Comment me connecter avec FranceConnect ?", "Je pense à me déconnecter",
    ]
    assert "FranceConnect" in fourth and guide.FC_BUTTON.text.endswith(f"{texts.LOGIN['franceconnect']}.")


# The tutorial ---------------------------------------------------------------


def write_part(folder: Path, name: str, section: guide.Section, *, journey: str = "", position: int = 0,
               passed: bool = True, screenshot: str | None = PNG, text: str = "Je clique", page_title: str = "") -> None:
    parts = folder / ".parts"
    parts.mkdir(parents=True, exist_ok=True)
    step = {"number": "①", "text": text, "section": section.key, "status": "passed", "page_title": page_title,
            "url": "http://moncompte.localhost:4567/connexion", "duration": 0.1, "screenshot": screenshot}
    (parts / f"{name}.json").write_text(json.dumps({
        "nodeid": f"e2e/test_x.py::{name}", "section": section.key, "journey": journey,
        "position": position, "passed": passed, "steps": [step]}), encoding="utf-8")


def test_tutorial_follows_the_help_pages_order_and_the_runs_order(tmp_path: Path) -> None:
    write_part(tmp_path, "logout", guide.LOGOUT, position=9)
    write_part(tmp_path, "fc_msa", guide.FRANCECONNECT, journey="Avec MSA", position=5)
    write_part(tmp_path, "fc_ameli", guide.FRANCECONNECT, journey="Avec ameli", position=4)
    write_part(tmp_path, "where", guide.WHERE, position=1)
    write_part(tmp_path, "login", guide.LOGIN, position=2)
    write_part(tmp_path, "forgot", guide.FORGOT, position=3)

    target = build_tutorial(tmp_path, version="0.1.0 (abc123)")
    page = target.read_text(encoding="utf-8")

    titles = [section.title for section in guide.SECTIONS]
    headings = re.findall(r'<h2 id="[^"]+-title">([^<]+)</h2>', page)
    assert [h.replace("&#39;", "'") for h in headings] == titles
    assert page.index("Avec ameli") < page.index("Avec MSA")
    assert page.count("data:image/png;base64,") == 6
    assert "Cette section n'est pas à jour" not in page.replace("&#39;", "'")
    assert "moncompte.localhost/connexion" in page and ":4567" not in page
    assert not (tmp_path / ".parts").exists(), "parts are removed once the guide is written"


def test_tutorial_opens_offline(tmp_path: Path) -> None:
    write_part(tmp_path, "where", guide.WHERE)
    page = build_tutorial(tmp_path).read_text(encoding="utf-8")
    assert not re.search(r'(src|href)="(https?:)?//', page), "no resource from the network"
    assert "<link" not in page and '<meta name="viewport"' in page


def test_sections_not_illustrated_are_flagged(tmp_path: Path) -> None:
    write_part(tmp_path, "where", guide.WHERE)
    write_part(tmp_path, "login", guide.LOGIN, passed=False)
    write_part(tmp_path, "forgot", guide.FORGOT, screenshot=None)
    sections = read_parts(tmp_path)
    assert missing_sections(sections) == [s.title for s in guide.SECTIONS[1:]]
    page = render(sections, generated_at=datetime(2026, 11, 27, tzinfo=timezone.utc))
    assert page.count('class="missing" role="alert"') == 4
    assert "e2e/test_x.py::login" in page


def test_text_from_the_steps_is_escaped(tmp_path: Path) -> None:
    write_part(tmp_path, "where", guide.WHERE, text="<script>alert(1)</script>")
    page = build_tutorial(tmp_path).read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("url, shown", [
    ("http://franceconnect.localhost:38391/api/v2/interaction/abc", "franceconnect.localhost/api/v2/interaction/abc"),
    ("http://moncompte.localhost:4567/connexion?next=/x", "moncompte.localhost/connexion?next=/x"),
    ("about:blank", "about:blank"),
])
def test_addresses_show_host_and_path_without_the_runs_port(url: str, shown: str) -> None:
    assert shown_address(url) == shown


def test_the_header_gives_a_french_date_and_a_short_version_and_captions_name_the_page(tmp_path: Path) -> None:
    write_part(tmp_path, "where", guide.WHERE, page_title="CONNEXION | Mon Compte")
    page = render(read_parts(tmp_path), generated_at=datetime(2026, 12, 4, 3, 27, tzinfo=timezone.utc),
                  version="0.1.0 (a027e2c)")
    header = re.search(r"<header>(.*?)</header>", page, re.S).group(1)
    assert "<p>Guide illustré, captures prises le 4 décembre 2026 sur les pages simulées · version 0.1.0 (a027e2c).</p>" \
        in header
    assert "<figcaption>CONNEXION | Mon Compte</figcaption>" in page
    assert "localhost" not in re.sub(r"<img[^>]*>", "", page), "no test host name shown to the reader"


def test_every_step_of_the_guide_starts_as_a_sentence_does() -> None:
    steps = [value for value in vars(guide).values() if isinstance(value, guide.Step)]
    assert steps and all(step.text[:1].isupper() for step in steps), [s.text for s in steps if not s.text[:1].isupper()]


def test_pictures_keep_their_room_before_they_are_decoded(tmp_path: Path) -> None:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1280, 720, 8, 2, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\x00" * 10)) + chunk(b"IEND", b""))
    write_part(tmp_path, "where", guide.WHERE, screenshot=base64.b64encode(png).decode())
    page = build_tutorial(tmp_path).read_text(encoding="utf-8")
    assert 'width="1280" height="720"' in page


class StandInItem:
    def __init__(self, retried: bool, attempt: int | None = None) -> None:
        self.retried = retried
        self.config = type("StandInConfig", (), {"stash": pytest.Stash()})()  # no --reruns
        if attempt is not None:
            self.execution_count = attempt

    def get_closest_marker(self, name: str):
        return object() if self.retried and name == "flaky" else None


class StandInReport:
    def __init__(self, failed: bool) -> None:
        self.failed = failed


@pytest.mark.parametrize(("item", "failed", "label"), [
    (StandInItem(retried=False), True, ""),  # a fast test: never retried, nothing to tell apart
    (StandInItem(retried=True, attempt=1), False, ""),  # a pass at once: one attempt only
    (StandInItem(retried=True, attempt=1), True, " — tentative 1"),
    (StandInItem(retried=True, attempt=2), True, " — tentative 2 (tracée)"),
    (StandInItem(retried=True, attempt=2), False, " — tentative 2 (tracée)"),
])
def test_a_retried_scenarios_blocks_name_their_attempt(item, failed: bool, label: str) -> None:
    assert attempt_label(item, StandInReport(failed)) == label  # type: ignore[arg-type]
    if label:
        assert f"Étapes{label}" in render_steps(recorder("all")[0], label)
        assert f"Journal du mock pendant ce test{label} (0 requêtes," in render_journal([], label)
