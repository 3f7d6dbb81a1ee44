"""The control API and the dashboard under hostile input, on 127.0.0.1 through
the whole dispatcher: wrong JSON types, absurd numbers, deep nesting, lone
surrogates, duplicate keys, hostile filters, ids and form fields.

Every answer is checked by hostile.assert_handled; the personas created
before each barrage still exist unchanged and still sign in after it. Valid
calls send `Content-Type: application/json`; the hostile ones sometimes do not.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mock_server.personas import FIELDS as PERSONA_FIELDS
from mock_server.simulation.faults import FIELDS as FAULT_FIELDS
from mock_server.simulation.faults import KINDS
from mock_server.simulation.presets import PRESETS
from mock_server.sites import SiteDispatcher

from .hostile import (
    BAD_IPV6_URL,
    DEEP_JSON,
    HUGE_INT,
    LONE_SURROGATE,
    NUMBERS,
    QUADRATIC_EMAIL,
    ControlAPI,
    csrf_of,
    describe,
    drop_real_waits,
    form_pairs,
    hostile_numbers,
    hostile_text,
    json_bodies,
    json_call,
    json_scalars,
    json_with_values,
    personas_survive,
    raw_query,
    urlencode_pairs,
)

pytestmark = [pytest.mark.hostile, pytest.mark.filterwarnings("ignore:Generating overly large repr")]

CONTENT_TYPES = ("application/json", "application/json", "application/json", "application/json; charset=latin-1",
                 "text/plain", "application/x-www-form-urlencoded", None)
CLIENT_FIELDS = ("client_id", "client_secret", "name", "redirect_uris", "post_logout_redirect_uris",
                 "id_token_signed_response_alg", "userinfo_signed_response_alg")


def json_calls(fields, plausible: dict[str, st.SearchStrategy[Any]] | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """A body for a JSON endpoint (hostile, or plausible with hostile members) and its content type."""
    bodies = json_bodies(fields) if plausible is None else st.one_of(json_bodies(fields), json_with_values(plausible))
    return st.fixed_dictionaries({"body": bodies, "content_type": st.sampled_from(CONTENT_TYPES)})


def send(api: ControlAPI, method: str, path: str, call: dict[str, Any], **options: Any):
    response = api.open(method, path, body=call["body"], content_type=call["content_type"], **options)
    # A form's sender is a person at a page, who gets a page back (mock_server/errors.py);
    # "//" in a path gets the router's redirect to the path with one slash.
    as_form = (call["content_type"] or "").startswith("application/x-www-form-urlencoded")
    assert response.mimetype == "application/json" or as_form or response.status_code == 308 \
        or not response.data, describe(response)
    return response


HX_SECRET = "hx-secret-of-thirty-two-characters"


def strings(*values: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(values), hostile_text(huge=False))


# Personas --------------------------------------------------------------------------


PLAUSIBLE_PERSONA = {
    "nir": strings("1840575123456", "2 84 05 2A 012 345"), "provisional_id": strings("P123456789"),
    "password": strings("motdepasse1"), "given_name": hostile_text(huge=False), "email": strings("a@example.org"),
    "phone": strings("0612345678", "+33612345678"), "birthdate": strings("1984-05-01", "1984-02-30"),
    "has_account": st.booleans(), "provisional": st.booleans(), "corsican": st.booleans(),
    "credentials": st.dictionaries(st.sampled_from(["impots", "ameli", "laposte", "yris", "franceidentite"]),
                                   st.dictionaries(st.sampled_from(["password", "nir", "email", "identifier"]),
                                                   hostile_text(huge=False), max_size=2), max_size=2),
}


def test_persona_creation_takes_hostile_json(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        @given(call=json_calls((*PERSONA_FIELDS, "provisional", "corsican"), PLAUSIBLE_PERSONA))
        @example(call=json_call(email=json.dumps(QUADRATIC_EMAIL)))
        @example(call=json_call(given_name=DEEP_JSON))
        @example(call=json_call(birthplace=HUGE_INT))
        # Last: a persona stored with it broke every later listing of them.
        @example(call=json_call(given_name=LONE_SURROGATE))
        def attempt(call: dict[str, Any]) -> None:
            response = send(api, "POST", "/__mock__/personas", call)
            if response.status_code == 201:  # what it made reads back, and goes
                persona = response.get_json()
                assert api.json("GET", f"/__mock__/personas/{persona['id']}") == persona
                api.json("DELETE", f"/__mock__/personas/{persona['id']}", expect=204)
            api.json("GET", "/__mock__/personas")

        attempt()


def test_persona_ids_in_the_path_are_only_looked_up(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        @given(persona_id=hostile_text(), method=st.sampled_from(["GET", "DELETE", "PUT", "POST"]))
        def attempt(persona_id: str, method: str) -> None:
            response = api.open(method, f"/__mock__/personas/{quote(persona_id, safe='') or 'x'}")
            assert response.status_code in (308, 404, 405, 414), describe(response)

        attempt()


# Clock, settings, sessions ----------------------------------------------------------


def test_clock_takes_hostile_json(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        advance = st.one_of(hostile_numbers(), st.sampled_from(["15m", "1h30m", "366d", "367d", "0s", "9" * 40 + "s"]),
                            st.integers(), st.floats())
        @given(call=json_calls(("advance", "real_time"), {"advance": advance, "real_time": st.booleans()}))
        @example(call=json_call(advance=DEEP_JSON))
        @example(call=json_call(advance=HUGE_INT))
        @example(call=json_call(advance=json.dumps(HUGE_INT + "s")))
        def attempt(call: dict[str, Any]) -> None:
            send(api, "POST", "/__mock__/clock", call)
            api.json("GET", "/__mock__/clock")

        attempt()


def test_settings_take_hostile_json(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        number = st.one_of(st.integers(), st.floats(), st.booleans(), hostile_numbers())
        names = ("upstream_timeout_seconds", "lockout_threshold", "lockout_minutes")
        @given(call=json_calls(names, dict.fromkeys(names, number)))
        @example(call=json_call(lockout_threshold=DEEP_JSON))
        @example(call=json_call(lockout_threshold=HUGE_INT))
        def attempt(call: dict[str, Any]) -> None:
            send(api, "POST", "/__mock__/settings", call)
            api.json("GET", "/__mock__/settings")

        attempt()


def test_signed_in_sessions_take_hostile_json(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app) as survivors:
        @given(call=json_calls(("persona_id",), {"persona_id": st.one_of(
            st.sampled_from([survivor["id"] for survivor in survivors]), hostile_text())}))
        @example(call=json_call(persona_id=DEEP_JSON))
        @example(call=json_call(persona_id=LONE_SURROGATE))
        def attempt(call: dict[str, Any]) -> None:
            send(api, "POST", "/__mock__/sessions", call)

        attempt()


# Faults, scenarios, journal, outbox -------------------------------------------------


def test_faults_take_hostile_json_and_the_dashboard_still_shows_them(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        plausible = {"kind": st.one_of(st.sampled_from(KINDS), hostile_text(huge=False)),
                     "site": strings("moncompte", "ameli"), "route": strings("/connexion", "/api/v2/*"),
                     "method": strings("POST", "get"), "persona": hostile_text(huge=False),
                     "times": st.one_of(st.integers(), hostile_numbers()), "status": st.integers(),
                     "ms": st.one_of(st.integers(), st.lists(st.integers(), max_size=3)), "seconds": st.integers()}
        @given(call=json_calls(FAULT_FIELDS, plausible), fault_id=st.one_of(hostile_numbers(), hostile_text()))
        @example(call=json_call(kind='"latency"', ms=DEEP_JSON), fault_id="1")
        @example(call=json_call(kind='"status"', status=HUGE_INT), fault_id=HUGE_INT)
        @example(call=json_call(kind='"status"', status="503", route='"/\\ud800"'), fault_id="1")
        def attempt(call: dict[str, Any], fault_id: str) -> None:
            send(api, "POST", "/__mock__/faults", call)
            api.json("GET", "/__mock__/faults")
            assert api.open("GET", "/__mock__/").status_code == 200
            api.open("DELETE", f"/__mock__/faults/{quote(fault_id, safe='') or 'x'}")
            api.json("DELETE", "/__mock__/faults", expect=204)

        attempt()


def test_scenarios_take_hostile_names(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        @given(name=st.one_of(st.sampled_from(sorted(PRESETS)), hostile_text()),
               call=json_calls(("name",)))
        def attempt(name: str, call: dict[str, Any]) -> None:
            send(api, "POST", f"/__mock__/scenarios/{quote(name, safe='') or 'x'}", call)
            api.json("GET", "/__mock__/scenarios")
            api.json("DELETE", "/__mock__/faults", expect=204)

        attempt()


JOURNAL_FILTERS = ("site", "path", "method", "status", "persona", "since", "after", "limit")
OUTBOX_FILTERS = ("to", "channel", "since", "after", "wait")


def filters(names) -> st.SearchStrategy[Any]:
    value = st.one_of(hostile_text(), hostile_numbers(), st.sampled_from(["2026-11-27T10:00:00+00:00",
                                                                            "2026-11-27T10:00:00", "sms", "/"]))
    return st.one_of(raw_query(), st.lists(st.tuples(st.one_of(st.sampled_from(names), hostile_text(huge=False)),
                                                     drop_real_waits(value)), max_size=4))


def test_journal_and_outbox_filters_take_hostile_queries(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        @given(journal=filters(JOURNAL_FILTERS), outbox=filters(OUTBOX_FILTERS),
               accept=st.sampled_from(["application/json", "text/html", "*/*", "text/html;q=0.1, x/y"]))
        @example(journal=[("limit", HUGE_INT)], outbox=[("after", HUGE_INT)], accept="application/json")
        @example(journal=[("after", HUGE_INT)], outbox=[("after", HUGE_INT)], accept="text/html")
        def attempt(journal, outbox, accept: str) -> None:
            query = (lambda pairs: pairs if isinstance(pairs, str) else urlencode_pairs(pairs).decode("latin-1"))
            api.open("GET", "/__mock__/journal", query_string=query(journal))
            api.open("GET", "/__mock__/outbox", query_string=query(outbox), headers={"Accept": accept})
            api.open("GET", "/__mock__/outbox/latest", query_string=query(outbox))

        attempt()


# FranceConnect clients, France Identité's phone -------------------------------------


def test_franceconnect_client_registration_takes_hostile_json(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        uris = st.lists(st.one_of(st.sampled_from(["http://rp.localhost/cb", "http://[::1", "http://a:99999/",
                                                   "https://x.example/#f", "http:///x"]), hostile_text(huge=False)),
                        max_size=3)
        plausible = {"client_id": strings("hx-client"), "client_secret": strings(HX_SECRET),
                     "name": hostile_text(huge=False), "redirect_uris": uris, "post_logout_redirect_uris": uris,
                     "id_token_signed_response_alg": strings("ES256", "none", "HS256")}
        @given(call=json_calls(CLIENT_FIELDS, plausible), client_id=hostile_text())
        @example(call=json_call(client_id='"hx-ipv6"', client_secret=json.dumps(HX_SECRET),
                                redirect_uris=json.dumps([BAD_IPV6_URL])), client_id="x")
        @example(call=json_call(client_id='"hx-deep"', client_secret=json.dumps(HX_SECRET), redirect_uris=DEEP_JSON),
                 client_id="x")
        @example(call=json_call(client_id='"hx-name"', client_secret=json.dumps(HX_SECRET), name=LONE_SURROGATE,
                                redirect_uris='["http://rp.localhost/cb"]'), client_id="x")
        def attempt(call: dict[str, Any], client_id: str) -> None:
            response = send(api, "POST", "/__mock__/franceconnect/clients", call)
            api.json("GET", "/__mock__/franceconnect/clients")
            if response.status_code == 201:
                api.json("DELETE", f"/__mock__/franceconnect/clients/{quote(response.get_json()['client_id'], safe='')}",
                         expect=204)
            one = f"/__mock__/franceconnect/clients/{quote(client_id, safe='') or 'x'}"
            send(api, "PUT", one, call)
            api.open("GET", one)
            api.open("DELETE", one)

        attempt()


def test_france_identite_phone_takes_hostile_json_and_forms(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app) as survivors:
        @given(action=st.sampled_from(["approve", "refuse"]), as_form=st.booleans(),
               call=json_calls(("persona_id", "code"), {"persona_id": st.one_of(
                   st.just(survivors[0]["id"]), hostile_text()), "code": strings("123456", "12345６")}),
               pairs=form_pairs(("persona_id", "code", "csrf_token")))
        @example(action="approve", as_form=False, call=json_call(persona_id=DEEP_JSON), pairs=[])
        def attempt(action: str, as_form: bool, call: dict[str, Any], pairs) -> None:
            if as_form:
                # The phone page shows a form only while a login waits: the dashboard's token is the same.
                token = csrf_of(api.open("GET", "/__mock__/"))
                api.open("POST", f"/__mock__/franceidentite/{action}", body=urlencode_pairs(
                    [("csrf_token", token), *pairs]), content_type="application/x-www-form-urlencoded")
            else:
                send(api, "POST", f"/__mock__/franceidentite/{action}", call)
            api.json("GET", "/__mock__/franceidentite/pending")

        attempt()


# The dashboard's forms ----------------------------------------------------------------


DASHBOARD_ACTIONS = ("/__mock__/", "/__mock__/dashboard/faults", "/__mock__/dashboard/faults/clear",
                     "/__mock__/dashboard/faults/1/delete", "/__mock__/dashboard/clock",
                     "/__mock__/dashboard/clock/real-time", "/__mock__/dashboard/scenarios/sms-down")


def test_dashboard_forms_take_hostile_fields(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        values = st.one_of(hostile_text(), st.sampled_from([*KINDS, "moncompte", "200-800", "800-200", *NUMBERS]))
        @given(action=st.one_of(st.sampled_from(DASHBOARD_ACTIONS), hostile_text(huge=False).map(
                   lambda name: "/__mock__/dashboard/scenarios/" + (quote(name, safe="") or "x"))),
               pairs=form_pairs((*FAULT_FIELDS, "advance", "csrf_token"), values), own_token=st.booleans())
        @example(action="/__mock__/dashboard/clock", pairs=[("advance", HUGE_INT + "s")], own_token=True)
        @example(action="/__mock__/dashboard/faults", pairs=[("kind", "status"), ("status", HUGE_INT)], own_token=True)
        def attempt(action: str, pairs, own_token: bool) -> None:
            token = csrf_of(api.open("GET", "/__mock__/"))
            sent = [("csrf_token", token)] if own_token else []
            response = api.open("POST", action, body=urlencode_pairs([*sent, *pairs]),
                                content_type="application/x-www-form-urlencoded")
            if response.status_code == 303:
                api.open("GET", response.headers["Location"])
            api.json("DELETE", "/__mock__/faults", expect=204)

        attempt()


def test_dashboard_notice_takes_hostile_queries(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        @given(query=st.one_of(raw_query(), st.lists(st.tuples(st.sampled_from(["fait", "n", "d"]), st.one_of(
            st.sampled_from(["preset", "fault_added", "clock_advanced"]), hostile_text())), max_size=5)))
        def attempt(query) -> None:
            assert api.open("GET", "/__mock__/", query_string=query).status_code == 200
            api.open("GET", "/__mock__/franceidentite", query_string=query)

        attempt()


# Everything else ----------------------------------------------------------------------


READ_ONLY = ("/__mock__/health", "/__mock__/sites", "/__mock__/settings", "/__mock__/scenarios", "/__mock__/clock",
             "/__mock__/personas", "/__mock__/faults", "/__mock__/franceconnect/clients", "/__mock__/franceidentite/pending",
             "/__mock__/journal", "/__mock__/outbox", "/", "/__mock__/inconnu")


def test_read_only_endpoints_take_hostile_queries_methods_and_bodies(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        @given(path=st.sampled_from(READ_ONLY), query=st.one_of(st.none(), raw_query()),
               method=st.sampled_from(["GET", "GET", "HEAD", "OPTIONS", "PUT", "PATCH", "FOO"]),
               call=st.fixed_dictionaries({"body": st.one_of(st.none(), json_scalars().map(str.encode)),
                                           "content_type": st.sampled_from(CONTENT_TYPES)}))
        def attempt(path: str, query, method: str, call: dict[str, Any]) -> None:
            api.open(method, path, query_string=query, body=call["body"], content_type=call["content_type"])

        attempt()


def test_reset_takes_hostile_requests(mock_app: SiteDispatcher) -> None:
    """Reset forgets personas by design: no survivors here, the mock just answers."""
    api = ControlAPI(mock_app)

    @given(call=json_calls(("personas", "keep")), query=st.one_of(st.none(), raw_query()))
    def attempt(call: dict[str, Any], query) -> None:
        send(api, "POST", "/__mock__/reset", call, query_string=query)
        api.json("GET", "/__mock__/personas")

    attempt()
