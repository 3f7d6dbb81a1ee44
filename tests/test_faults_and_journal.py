"""Faults, the request journal and the named scenarios, through the control API."""

from __future__ import annotations

import html

import pytest
from werkzeug.test import Client

from mock_server import texts
from mock_server.simulation.presets import PRESETS
from mock_server.sites import SiteDispatcher

ROOT = "http://127.0.0.1"


@pytest.fixture
def web(mock_app: SiteDispatcher) -> Client:
    """Requests through the dispatcher, to any site by its host (and the journal sees them)."""
    return Client(mock_app)


def visit(web: Client, site: str, path: str, method: str = "GET", **options):
    response = web.open(path, method=method, base_url=f"http://{site}.localhost", **options)
    response.close()  # the journal records a request once its answer is closed
    return response


def add(web: Client, **body):
    return web.post("/__mock__/faults", json=body, base_url=ROOT)


def faults(web: Client) -> list[dict]:
    return web.get("/__mock__/faults", base_url=ROOT).get_json()


def test_status_fault_on_a_route_gives_the_sites_own_error_page(web) -> None:
    assert add(web, kind="status", status=503, site="moncompte", route="/connexion").status_code == 201
    response = visit(web, "moncompte", "/connexion")
    assert response.status_code == 503
    page = html.unescape(response.get_data(as_text=True))
    assert texts.ERRORS["server_title"] in page and "Traceback" not in page
    assert visit(web, "moncompte", "/").status_code == 200  # other routes untouched
    assert visit(web, "ameli", "/connexion/x").status_code != 503  # other sites too


def test_next_n_requests_only(web) -> None:
    add(web, kind="status", status=500, site="moncompte", times=2)
    assert [visit(web, "moncompte", "/").status_code for _ in range(3)] == [500, 500, 200]
    assert faults(web) == []


def test_route_glob_and_method(web) -> None:
    add(web, kind="status", status=502, site="franceconnect", route="/api/v2/*", method="post")
    assert visit(web, "franceconnect", "/api/v2/token", method="POST").status_code == 502
    assert visit(web, "franceconnect", "/api/v2/jwks").status_code == 200


def test_persona_scope_matches_the_identifier_typed_at_login(web, add_persona) -> None:
    alice, bob = add_persona(), add_persona()
    add(web, kind="status", status=500, site="moncompte", route="/connexion", method="POST", persona=alice.id)
    login = {"nir": alice.nir, "password": "x"}
    assert visit(web, "moncompte", "/connexion", method="POST", data=login).status_code == 500
    login["nir"] = bob.nir
    assert visit(web, "moncompte", "/connexion", method="POST", data=login).status_code != 500


def test_latency_slows_the_answer_and_is_journaled(web) -> None:
    add(web, kind="latency", ms=[120, 150], site="ameli")
    assert visit(web, "ameli", "/").status_code == 200
    entry = web.get("/__mock__/journal?site=ameli", base_url=ROOT).get_json()[-1]
    assert entry["duration_ms"] >= 120 and entry["fault"] == 1


def test_timeout_holds_then_answers_504(web) -> None:
    add(web, kind="timeout", seconds=1, site="msa")
    response = visit(web, "msa", "/")
    assert response.status_code == 504


def test_clearing_restores_the_site(web) -> None:
    fault = add(web, kind="status", status=503, site="impots").get_json()
    assert visit(web, "impots", "/").status_code == 503
    assert web.delete(f"/__mock__/faults/{fault['id']}", base_url=ROOT).status_code == 204
    assert visit(web, "impots", "/").status_code == 200
    assert web.delete(f"/__mock__/faults/{fault['id']}", base_url=ROOT).status_code == 404


def test_reset_clears_faults_and_journal(web) -> None:
    add(web, kind="status", status=503)
    visit(web, "moncompte", "/")
    web.post("/__mock__/reset", base_url=ROOT)
    assert faults(web) == []
    assert web.get("/__mock__/journal", base_url=ROOT).get_json() == []


@pytest.mark.parametrize(("body", "field"), [
    ({}, "kind"),
    ({"kind": "explode"}, "kind"),
    ({"kind": "status"}, "status"),
    ({"kind": "status", "status": 200}, "status"),
    ({"kind": "status", "status": "503"}, "status"),
    ({"kind": "latency"}, "ms"),
    ({"kind": "latency", "ms": -1}, "ms"),
    ({"kind": "latency", "ms": [800, 200]}, "ms"),
    ({"kind": "latency", "ms": 99_999}, "ms"),
    ({"kind": "status", "status": 503, "site": "google"}, "site"),
    ({"kind": "status", "status": 503, "route": "connexion"}, "route"),
    ({"kind": "status", "status": 503, "method": "FETCH"}, "method"),
    ({"kind": "status", "status": 503, "times": 0}, "times"),
    ({"kind": "status", "status": 503, "times": True}, "times"),
    ({"kind": "status", "status": 503, "colour": "red"}, "colour"),
    ({"kind": "timeout", "seconds": 600}, "seconds"),
    ({"kind": "sms_delay"}, "seconds"),
    ({"kind": "sms_down", "site": "moncompte"}, "site"),
    ({"kind": "drop"}, "kind"),
    ({"kind": "timeout", "ms": 5}, "ms"),
])
def test_bad_fault_is_refused_and_nothing_is_set(web, body, field) -> None:
    response = add(web, **body)
    assert response.status_code == 422
    assert response.get_json()["field"] == field and response.get_json()["error"]
    assert faults(web) == []


def test_fault_body_must_be_a_json_object(web) -> None:
    response = web.post("/__mock__/faults", data="[1]", content_type="application/json", base_url=ROOT)
    assert response.status_code == 400 and response.get_json()["field"] == "body"


def test_journal_filters(web, add_persona) -> None:
    persona = add_persona()
    visit(web, "moncompte", "/")
    visit(web, "moncompte", "/connexion", method="POST", data={"nir": persona.nir, "password": "x"})
    visit(web, "franceconnect", "/")
    journal = web.get("/__mock__/journal", base_url=ROOT).get_json()
    assert [(e["site"], e["method"], e["path"]) for e in journal] == [
        ("moncompte", "GET", "/"), ("moncompte", "POST", "/connexion"), ("franceconnect", "GET", "/")]
    assert journal[1]["persona"] == persona.id and journal[1]["status"] == 400  # no CSRF token
    by_site = web.get("/__mock__/journal?site=moncompte&method=post", base_url=ROOT).get_json()
    assert [e["path"] for e in by_site] == ["/connexion"]
    assert web.get("/__mock__/journal?status=400", base_url=ROOT).get_json() == [journal[1]]
    assert web.get(f"/__mock__/journal?after={journal[1]['id']}", base_url=ROOT).get_json() == [journal[2]]
    assert web.get("/__mock__/journal?limit=1", base_url=ROOT).get_json() == [journal[2]]
    assert web.get(f"/__mock__/journal?since={journal[0]['at'].replace('+', '%2B')}", base_url=ROOT).get_json() == journal
    assert web.delete("/__mock__/journal", base_url=ROOT).status_code == 204
    assert web.get("/__mock__/journal", base_url=ROOT).get_json() == []


def test_control_calls_are_not_journaled(web) -> None:
    faults(web)
    web.get("/__mock__/health", base_url="http://moncompte.localhost").close()
    assert web.get("/__mock__/journal", base_url=ROOT).get_json() == []


@pytest.mark.parametrize(("query", "field"), [
    ("site=google", "site"), ("status=abc", "status"), ("status=%C2%B2", "status"), ("after=-1", "after"),
    ("limit=0", "limit"), ("since=yesterday", "since"), ("path=connexion", "path"), ("colour=red", "colour"),
])
def test_bad_journal_filter(web, query, field) -> None:
    response = web.get(f"/__mock__/journal?{query}", base_url=ROOT)
    assert response.status_code == 422 and response.get_json()["field"] == field


def test_scenarios_are_listed_and_applied(web, mock_app) -> None:
    listed = {item["name"] for item in web.get("/__mock__/scenarios", base_url=ROOT).get_json()}
    assert {"ameli-down", "franceconnect-slow", "sms-delayed", "sms-down", "locked-account"} <= listed
    assert web.post("/__mock__/scenarios/ameli-down", base_url=ROOT).status_code == 201
    assert visit(web, "ameli", "/").status_code == 503
    assert web.post("/__mock__/scenarios/nope", base_url=ROOT).status_code == 404


def test_locked_account_scenario_locks_a_real_persona(web, mock_app) -> None:
    done = web.post("/__mock__/scenarios/locked-account", base_url=ROOT).get_json()["done"]
    identifier = done[0].split("\u00a0: ", 1)[1].split(" / ")[0]
    assert mock_app.store.locked_until(identifier) is not None
    assert PRESETS["locked-account"].description
