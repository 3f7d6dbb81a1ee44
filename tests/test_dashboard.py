"""The dashboard at /__mock__/: a page for people, driven here through the dispatcher
as a browser would (forms, 303 redirects), on 127.0.0.1 and on the sites' hosts."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit
from typing import Any

import pytest
from markupsafe import escape
from werkzeug.test import Client, TestResponse

from mock_server import texts
from mock_server.control.dashboard import fault_body, format_offset
from mock_server.messages import send_code
from mock_server.personas import Persona
from mock_server.sites import SiteDispatcher

from .conftest import CSRF_FIELD

CONTROL = "http://127.0.0.1"
DASHBOARD = "/__mock__/"
ADD = "/__mock__/dashboard/faults"
WORDS = texts.DASHBOARD
ERRORS = WORDS["errors"]

# An empty add form, as a browser sends it (every field, most left empty).
EMPTY_FORM = {"kind": "", "site": "", "route": "", "method": "", "persona": "", "times": "", "ms": "", "status": "", "seconds": ""}


class Browser:
    """A client of the dispatcher that closes each answer (the journal records a request then).

    Its forms carry the CSRF token of the dashboard it loaded on that host, as a browser's do."""

    def __init__(self, app: SiteDispatcher) -> None:
        self.client = Client(app)
        self.tokens: dict[str, str] = {}

    def get(self, path: str, base_url: str = CONTROL) -> TestResponse:
        return self._done(self.client.get(path, base_url=base_url))

    def post(self, path: str, data: dict[str, str] | None = None, base_url: str = CONTROL) -> TestResponse:
        form = {"csrf_token": self.token(base_url), **(data or {})}
        return self._done(self.client.post(path, data=form, base_url=base_url))

    def token(self, base_url: str) -> str:
        if base_url not in self.tokens:
            match = CSRF_FIELD.search(self.get(DASHBOARD, base_url).get_data(as_text=True))
            assert match, "the dashboard has no CSRF token"
            self.tokens[base_url] = match.group(1) or match.group(2)
        return self.tokens[base_url]

    @staticmethod
    def _done(response: TestResponse) -> TestResponse:
        response.get_data()
        response.close()
        return response


@pytest.fixture
def browser(mock_app: SiteDispatcher) -> Browser:
    return Browser(mock_app)


def page(browser: Browser) -> str:
    response = browser.get(DASHBOARD)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def shown(text: str) -> str:
    """How a text appears in the HTML (apostrophes and quotes escaped)."""
    return str(escape(text))


def add_form(**fields: str) -> dict[str, str]:
    return {**EMPTY_FORM, **fields}


class Controls(HTMLParser):
    """Every form control of a page, and the ids that a <label for> names."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, Any]] = []
        self.labelled: set[str] = set()
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag in ("input", "select", "textarea") and attributes.get("type") != "hidden":
            self.controls.append(attributes)
        if tag == "label" and attributes.get("for"):
            self.labelled.add(attributes["for"])
        source = attributes.get("src") or (attributes.get("href") if tag == "link" else None)
        # The page's own icon (/favicon.ico) is no other site's.
        if tag in ("script", "img", "iframe", "link") and source and urlsplit(source).netloc:
            self.external.append(source)


# The page ------------------------------------------------------------------------


def test_the_dashboard_answers_on_127_0_0_1_and_on_every_site_host(browser: Browser, mock_app: SiteDispatcher) -> None:
    response = browser.get(DASHBOARD)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    assert f"<title>{WORDS['title']}</title>" in response.get_data(as_text=True)
    assert browser.get(DASHBOARD, base_url="http://moncompte.localhost").status_code == 200
    assert browser.get("/__mock__").status_code == 308
    # Looking at the dashboard is no request to a site.
    assert mock_app.store.journal.entries() == []


def test_the_index_page_links_to_the_dashboard(browser: Browser) -> None:
    body = browser.get("/").get_data(as_text=True)
    assert f'href="{DASHBOARD}"' in body
    assert WORDS["index_link"] in body


def test_every_form_control_has_a_label_and_nothing_is_loaded_from_elsewhere(
        browser: Browser, add_persona: Callable[..., Persona]) -> None:
    add_persona()
    parser = Controls()
    parser.feed(page(browser))
    assert parser.controls, "the add-fault form is on the page"
    unlabelled = [control for control in parser.controls if control.get("id") not in parser.labelled]
    assert unlabelled == []
    assert parser.external == []


def test_sites_are_linked(browser: Browser, mock_app: SiteDispatcher) -> None:
    body = page(browser)
    for url in mock_app.config.site_urls().values():
        assert f'href="{url}/"' in body
    assert texts.PROVIDERS["ameli"]["in_text"] in body


def test_personas_are_listed_with_their_credentials_at_mon_compte_and_each_provider(
        browser: Browser, add_persona: Callable[..., Persona]) -> None:
    persona = add_persona()
    provisional = add_persona(provisional=True)
    body = page(browser)

    assert persona.display_name in body
    assert persona.nir in body and persona.password in body
    assert provisional.provisional_id in body and provisional.password in body
    assert shown(WORDS["nir"]) in body and shown(WORDS["provisional_id"]) in body
    for provider_id, credentials in persona.credentials.items():
        words = texts.PROVIDERS[provider_id]
        assert shown(words["in_text"]) in body
        for key, value in credentials.items():
            assert shown(words["fields"][key]["label"]) in body
            assert shown(value) in body
    # France Identité: nothing to type, a link to the simulated phone instead.
    assert 'href="/__mock__/franceidentite"' in body
    # The provisional persona has no NIR: no ameli nor MSA account, and the page says so.
    assert shown(WORDS["no_provider"].format(names=f"{texts.PROVIDERS['ameli']['in_text']}, {texts.PROVIDERS['msa']['in_text']}")) in body
    # A "Copier" button next to each value: identifier and password, then each provider's fields.
    values = sum(1 for p in (persona, provisional) for fields in p.credentials.values() for _ in fields) + 4
    assert body.count('class="copy"') == values
    assert body.count(f">{WORDS['copy']}</button>") == values


def test_personas_that_behave_differently_are_marked(browser: Browser, add_persona: Callable[..., Persona]) -> None:
    add_persona(fc_error="idp_503")
    add_persona(caf_record=False)
    without_account = add_persona(has_account=False)
    body = page(browser)
    assert shown(WORDS["flag_fc_error"].format(code="idp_503")) in body
    assert shown(WORDS["fc_errors"]["idp_503"]) in body
    assert shown(WORDS["flag_no_caf_record"]) in body
    assert shown(WORDS["flag_no_account"]) in body
    assert without_account.password is None
    assert shown(WORDS["no_password"]) in body


def test_no_persona_says_how_to_get_some(browser: Browser) -> None:
    assert shown(WORDS["personas_empty"]) in page(browser)


# Outbox --------------------------------------------------------------------------


def test_the_five_newest_messages_are_shown_with_their_code_in_bold(
        browser: Browser, mock_app: SiteDispatcher, add_persona: Callable[..., Persona]) -> None:
    persona = add_persona()
    codes = [f"{n:06d}" for n in (111111, 222222, 333333, 444444, 555555, 666666)]
    for code in codes:
        send_code(mock_app.store, persona, channel="sms", code=code, purpose="reset")
    body = page(browser)
    for code in codes[1:]:
        assert f'<strong class="code">{code}</strong>' in body
    assert codes[0] not in body  # the oldest of six
    assert body.index(codes[-1]) < body.index(codes[1])  # newest first
    assert 'href="/__mock__/outbox"' in body


# Faults --------------------------------------------------------------------------


def test_a_fault_added_by_form_is_listed_and_really_applies(browser: Browser, mock_app: SiteDispatcher) -> None:
    response = browser.post(ADD, add_form(kind="status", site="ameli", status="503"))
    assert response.status_code == 303
    assert response.headers["Location"] == "/__mock__/?fait=fault_added&n=1#pannes"

    [fault] = mock_app.store.faults.list()
    assert (fault.kind, fault.site, fault.status, fault.route, fault.persona, fault.times) == ("status", "ameli", 503, None, None, None)
    body = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert shown(WORDS["done"]["fault_added"].format(n=1)) in body
    assert "status 503" in body and shown(texts.PROVIDERS["ameli"]["in_text"]) in body
    assert 'action="/__mock__/dashboard/faults/1/delete"' in body

    assert browser.get("/", base_url="http://ameli.localhost").status_code == 503
    assert browser.get("/", base_url="http://impots.localhost").status_code == 200
    [entry] = mock_app.store.journal.entries(site="ameli")
    assert (entry.status, entry.fault) == (503, 1)


def test_the_form_also_posts_to_the_dashboard_address(browser: Browser, mock_app: SiteDispatcher) -> None:
    response = browser.post(DASHBOARD, add_form(kind="status", status="502", site="msa"))
    assert response.status_code == 303
    assert [(fault.kind, fault.status, fault.site) for fault in mock_app.store.faults.list()] == [("status", 502, "msa")]


def test_numbers_latency_ranges_persona_and_method_are_read_from_the_form(
        browser: Browser, mock_app: SiteDispatcher, add_persona: Callable[..., Persona]) -> None:
    persona = add_persona()
    browser.post(ADD, add_form(kind="latency", site="franceconnect", route="/api/v2/*", method="POST",
                               persona=persona.id, times="3", ms="200-800"))
    browser.post(ADD, add_form(kind="latency", ms=" 150 "))
    browser.post(ADD, add_form(kind="sms_delay", seconds="120"))
    browser.post(ADD, add_form(kind="timeout", site="impots"))
    latency, fixed, delay, timeout = mock_app.store.faults.list()
    assert (latency.ms, latency.times, latency.route, latency.method, latency.persona) == ((200, 800), 3, "/api/v2/*", "POST", persona.id)
    assert fixed.ms == (150, 150)
    assert (delay.kind, delay.seconds) == ("sms_delay", 120)
    assert timeout.seconds == 30  # the default, left empty
    body = page(browser)
    assert "latency 200–800 ms" in body and "POST /api/v2/*" in body
    assert shown(WORDS["fault_times_left"].format(times=3)) in body
    assert persona.display_name in body


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "status", "status": "abc"}, "status", ERRORS["status"]),
        ({"kind": "status"}, "status", ERRORS["status"]),
        ({"kind": "status", "status": "302"}, "status", ERRORS["status"]),
        ({"kind": "latency"}, "ms", ERRORS["ms"]),
        ({"kind": "latency", "ms": "vite"}, "ms", ERRORS["ms"]),
        ({"kind": "latency", "ms": "800-200"}, "ms", ERRORS["ms_order"]),
        ({"kind": "status", "status": "503", "ms": "200"}, "ms",
         ERRORS["not_applicable"].format(field=WORDS["fields"]["ms"], kind="status")),
        ({"kind": "sms_down", "site": "ameli"}, "site",
         ERRORS["not_applicable"].format(field=WORDS["fields"]["site"], kind="sms_down")),
        ({"kind": "timeout", "seconds": "99"}, "seconds", ERRORS["seconds_timeout"]),
        ({"kind": "sms_delay"}, "seconds", ERRORS["seconds_sms_delay"]),
        ({"kind": "timeout", "route": "connexion"}, "route", ERRORS["route"]),
        ({"kind": "timeout", "times": "0"}, "times", ERRORS["times"]),
        ({"kind": "timeout", "site": "example"}, "site", ERRORS["site"]),
        ({"kind": "timeout", "persona": "nobody"}, "persona", ERRORS["persona"]),
        ({"kind": "explode"}, "kind", ERRORS["kind"]),
    ],
)
def test_bad_form_input_gets_the_page_again_with_a_french_message_and_adds_nothing(
        browser: Browser, mock_app: SiteDispatcher, fields: dict[str, str], field: str, message: str) -> None:
    response = browser.post(ADD, add_form(**fields))
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert shown(message) in body
    assert f'id="f-{field}" name="{field}" aria-invalid="true" aria-describedby="f-{field}-error" autofocus' in body
    assert mock_app.store.faults.list() == []
    # What was typed is still there.
    for name, value in fields.items():
        if name not in ("kind", "site", "persona", "method"):
            assert f'name="{name}"' in body and f'value="{shown(value)}"' in body


def test_what_was_chosen_in_the_lists_is_kept_after_an_error(browser: Browser, add_persona: Callable[..., Persona]) -> None:
    persona = add_persona()
    body = browser.post(ADD, add_form(kind="status", site="ameli", method="POST", persona=persona.id, status="999")).get_data(as_text=True)
    assert '<option value="status" selected>' in body
    assert '<option value="ameli" selected>' in body
    assert '<option value="POST" selected>' in body
    assert f'<option value="{persona.id}" selected>' in body


def test_a_fault_is_deleted_by_its_button(browser: Browser, mock_app: SiteDispatcher) -> None:
    first = mock_app.store.faults.add({"kind": "timeout", "site": "msa"})
    second = mock_app.store.faults.add({"kind": "status", "status": 500})
    response = browser.post(f"/__mock__/dashboard/faults/{first.id}/delete")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/__mock__/?fait=fault_removed&n={first.id}#pannes"
    assert [fault.id for fault in mock_app.store.faults.list()] == [second.id]
    assert shown(WORDS["done"]["fault_removed"].format(n=first.id)) in browser.get(response.headers["Location"]).get_data(as_text=True)

    again = browser.post(f"/__mock__/dashboard/faults/{first.id}/delete")
    assert again.status_code == 404
    assert shown(WORDS["unknown_fault"].format(id=first.id)) in again.get_data(as_text=True)
    assert [fault.id for fault in mock_app.store.faults.list()] == [second.id]


def test_tout_effacer_clears_every_fault(browser: Browser, mock_app: SiteDispatcher) -> None:
    mock_app.store.faults.add({"kind": "status", "status": 500})
    mock_app.store.faults.add({"kind": "sms_down"})
    assert f">{WORDS['clear']}</button>" in page(browser)
    response = browser.post("/__mock__/dashboard/faults/clear")
    assert response.status_code == 303
    assert mock_app.store.faults.list() == []
    body = page(browser)
    assert shown(WORDS["faults_empty"]) in body
    assert f">{WORDS['clear']}</button>" not in body


def test_changes_are_posts_only(browser: Browser, mock_app: SiteDispatcher) -> None:
    mock_app.store.faults.add({"kind": "status", "status": 500})
    for path in ("/__mock__/dashboard/faults/clear", "/__mock__/dashboard/faults/1/delete", "/__mock__/dashboard/clock"):
        assert browser.get(path).status_code == 405
    assert len(mock_app.store.faults.list()) == 1


def test_named_scenarios_are_listed_and_activated(browser: Browser, mock_app: SiteDispatcher) -> None:
    presets = pytest.importorskip("mock_server.simulation.presets").PRESETS
    body = page(browser)
    for preset in presets.values():
        assert f"/__mock__/dashboard/scenarios/{preset.name}" in body
        assert shown(preset.description) in body
    response = browser.post("/__mock__/dashboard/scenarios/ameli-down")
    assert response.status_code == 303
    assert [(fault.kind, fault.site, fault.status) for fault in mock_app.store.faults.list()] == [("status", "ameli", 503)]
    assert shown(WORDS["done"]["preset"].format(n="ameli-down")) in browser.get(response.headers["Location"]).get_data(as_text=True)

    # What a scenario did is said under the notice: the locked account's identifier and password.
    response = browser.post("/__mock__/dashboard/scenarios/locked-account")
    assert response.status_code == 303
    [locked] = [p for p in mock_app.store.list_personas() if mock_app.store.locked_until(p.identifier)]
    body = browser.get(response.headers["Location"]).get_data(as_text=True)
    notice = body.split('class="notice"', 1)[1].split("</div>", 1)[0]
    assert locked.identifier in notice and locked.password in notice

    unknown = browser.post("/__mock__/dashboard/scenarios/nowhere-down")
    assert unknown.status_code == 404
    assert shown(WORDS["unknown_preset"].format(name="nowhere-down")) in unknown.get_data(as_text=True)


# Clock ---------------------------------------------------------------------------


def test_clock_buttons_move_the_mock_clock_and_back(browser: Browser, mock_app: SiteDispatcher) -> None:
    clock = mock_app.store.clock
    body = page(browser)
    for label in ("+1 min", "+15 min", "+31 min", WORDS["clock_reset"]):
        assert f">{shown(label)}</button>" in body
    assert shown(WORDS["clock_real"]) in body

    response = browser.post("/__mock__/dashboard/clock", {"advance": "15m"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/__mock__/?fait=clock_advanced#horloge"
    assert clock.offset == timedelta(minutes=15)
    browser.post("/__mock__/dashboard/clock", {"advance": "31m"})
    browser.post("/__mock__/dashboard/clock", {"advance": "1m"})
    assert clock.offset == timedelta(minutes=47)
    assert "+47 min" in page(browser)

    response = browser.post("/__mock__/dashboard/clock/real-time")
    assert response.status_code == 303
    assert clock.offset == timedelta()


def test_a_free_clock_duration_is_taken_and_a_bad_one_refused_in_french(browser: Browser, mock_app: SiteDispatcher) -> None:
    clock = mock_app.store.clock
    assert browser.post("/__mock__/dashboard/clock", {"advance": "1h30m"}).status_code == 303
    assert clock.offset == timedelta(minutes=90)
    for bad in ("demain", "", "0", "400d"):
        response = browser.post("/__mock__/dashboard/clock", {"advance": bad})
        assert response.status_code == 422
        body = response.get_data(as_text=True)
        assert shown(WORDS["clock_error"]) in body
        assert f'value="{bad}"' in body
    assert clock.offset == timedelta(minutes=90)


@pytest.mark.parametrize(("seconds", "shown_as"), [(0, texts.DASHBOARD["clock_real"]), (900, "+15 min"),
                                                   (93_784, "+1 j 2 h 3 min 4 s"), (90, "+1 min 30 s")])
def test_the_clock_offset_reads_like_a_person_would_say_it(seconds: int, shown_as: str) -> None:
    assert format_offset(timedelta(seconds=seconds)) == shown_as


# Journal -------------------------------------------------------------------------


def test_requests_to_the_sites_appear_in_the_journal_newest_first(browser: Browser, mock_app: SiteDispatcher) -> None:
    assert shown(WORDS["journal_empty"]) in page(browser)
    browser.get("/connexion", base_url="http://moncompte.localhost")
    mock_app.store.faults.add({"kind": "status", "status": 500, "site": "franceconnect", "times": 1})
    browser.get("/", base_url="http://franceconnect.localhost")
    body = page(browser)
    assert "<td><code>/connexion</code></td>" not in body  # the path cell has its own class
    assert '<td class="path"><code>/connexion</code></td>' in body
    rows = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]
    assert len(rows) == 2
    newest, oldest = rows
    assert "franceconnect" in newest and 'class="bad">500<' in newest and "n° 1" in newest
    assert "moncompte" in oldest and ">200<" in oldest and ">GET<" in oldest and " ms</td>" in oldest
    assert 'href="/__mock__/journal"' in body


def test_the_journal_shows_the_last_thirty(browser: Browser) -> None:
    for n in range(32):
        browser.get(f"/page-{n}", base_url="http://moncompte.localhost")
    body = page(browser)
    assert "/page-31" in body and "/page-2<" in body
    assert "/page-1<" not in body and "/page-0<" not in body


# Reading the form ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "body"),
    [
        (EMPTY_FORM, {}),
        ({"kind": "latency", "ms": "200 - 800"}, {"kind": "latency", "ms": [200, 800]}),
        ({"kind": "latency", "ms": "200–800"}, {"kind": "latency", "ms": [200, 800]}),
        ({"kind": "status", "status": "503", "times": "2"}, {"kind": "status", "status": 503, "times": 2}),
        ({"kind": "status", "status": "5O3"}, {"kind": "status", "status": "5O3"}),
        ({"kind": "timeout", "seconds": " 5 ", "route": " /x "}, {"kind": "timeout", "seconds": 5, "route": "/x"}),
        ({"kind": "mail_bounce", "csrf_token": "ignored"}, {"kind": "mail_bounce"}),
    ],
)
def test_fault_body_reads_the_form_as_the_fault_board_takes_it(form: dict[str, str], body: dict[str, Any]) -> None:
    assert fault_body(form) == body


def test_every_fault_kind_and_field_has_french_words() -> None:
    from mock_server.simulation.faults import FIELDS, KINDS

    assert set(KINDS) <= set(WORDS["kinds"])
    assert set(FIELDS) <= set(WORDS["fields"])


# The add-fault form's lists are wide enough for their longest choice --------------------------

# Arial at the dashboard's size averages under 0.5 em a character for these labels; a
# select also needs its padding, border and arrow (about 2.5 em).
EM_PER_CHARACTER = 0.5
SELECT_CHROME_EM = 2.5


def test_no_choice_of_the_fault_forms_lists_is_cut_off(browser: Browser) -> None:
    body = page(browser)
    column = re.search(r"\.grid \{[^}]*minmax\(min\(([0-9.]+)rem, 100%\), 1fr\)", body)
    assert column, "the form's grid sets its columns' smallest width in rem"
    for name in ("kind", "site", "method"):
        select = re.search(rf'<select id="f-{name}".*?</select>', body, flags=re.S).group(0)
        labels = [html.unescape(label).strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]
        needed = max(len(label) for label in labels) * EM_PER_CHARACTER + SELECT_CHROME_EM
        assert float(column.group(1)) >= needed, (name, max(labels, key=len))


def test_a_broken_answer_is_set_by_form_for_one_franceconnect_client(browser: Browser, mock_app: SiteDispatcher) -> None:
    page = browser.get(DASHBOARD).get_data(as_text=True)
    assert '<option value="caf-mon-compte"' in page  # every registered client is offered
    response = browser.post(ADD, add_form(kind="id_token_wrong_aud", client="caf-mon-compte"))
    assert response.status_code == 303
    [fault] = mock_app.store.faults.list()
    assert (fault.kind, fault.client, fault.times) == ("id_token_wrong_aud", "caf-mon-compte", 1)

    refused = browser.post(ADD, add_form(kind="id_token_wrong_aud", client="inconnu"))
    assert refused.status_code == 422
    assert shown(WORDS["errors"]["client"]) in refused.get_data(as_text=True)
    assert len(mock_app.store.faults.list()) == 1  # nothing lost, nothing added
