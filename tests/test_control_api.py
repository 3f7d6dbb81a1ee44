"""The control API: JSON in and out, bad input named, nothing lost."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from mock_server.rules.nir import check_nir
from mock_server.rules.password import check_password


def test_create_persona_from_nothing(api) -> None:
    response = api.post("/__mock__/personas", json={})
    assert response.status_code == 201
    persona = response.get_json()
    assert check_nir(persona["nir"]) is None and check_password(persona["password"]) is None
    assert persona["given_name"] and persona["family_name"] and persona["email"] and persona["phone"]
    assert api.get(f"/__mock__/personas/{persona['id']}").get_json() == persona


@pytest.mark.parametrize("nir", ["2750299012345", "184092A012345", "184092B012345"])
def test_create_persona_with_a_chosen_nir(api, nir) -> None:
    response = api.post("/__mock__/personas", json={"nir": nir})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["nir"] == nir.upper()


def test_create_provisional_and_corsican_personas(api) -> None:
    provisional = api.post("/__mock__/personas", json={"provisional": True}).get_json()
    assert provisional["nir"] is None and provisional["provisional_id"].startswith("P")
    corsican = api.post("/__mock__/personas", json={"corsican": True}).get_json()
    assert corsican["nir"][5:7] in ("2A", "2B")


@pytest.mark.parametrize(
    "body, field",
    [
        ({"nir": "123"}, "nir"),
        ({"nir": 1841275123456}, "nir"),
        ({"password": "short1"}, "password"),
        ({"password": "onlyletters"}, "password"),
        ({"email": "not-an-address"}, "email"),
        ({"phone": "0123"}, "phone"),
        ({"gender": "other"}, "gender"),
        ({"birthdate": "31/12/1990"}, "birthdate"),
        ({"colour": "blue"}, "colour"),
        ({"provisional": "yes"}, "provisional"),
        ({"provisional_id": "X12"}, "provisional_id"),
    ],
)
def test_bad_persona_fields_are_named(api, body, field) -> None:
    before = api.get("/__mock__/personas").get_json()
    response = api.post("/__mock__/personas", json=body)
    assert 400 <= response.status_code < 500
    assert response.get_json()["field"] == field
    assert response.get_json()["error"]
    assert api.get("/__mock__/personas").get_json() == before


@pytest.mark.parametrize("data", [b"{not json", b"[1, 2]", b'"text"'])
def test_body_that_is_not_a_json_object(api, data) -> None:
    response = api.post("/__mock__/personas", data=data, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["field"] == "body"


def test_duplicate_nir_is_a_conflict_and_keeps_the_first(api) -> None:
    first = api.post("/__mock__/personas", json={"nir": "1841275123456"}).get_json()
    again = api.post("/__mock__/personas", json={"nir": "1 84 12 75 123 456"})
    assert again.status_code == 409 and again.get_json()["field"] == "nir"
    assert api.get(f"/__mock__/personas/{first['id']}").status_code == 200


def test_unknown_persona_and_unknown_route_are_json_404(api) -> None:
    missing = api.get("/__mock__/personas/nobody")
    assert missing.status_code == 404 and missing.get_json()["field"] == "id"
    route = api.get("/__mock__/nothing-here")
    assert route.status_code == 404 and "error" in route.get_json()


def test_delete_and_reset(api) -> None:
    one = api.post("/__mock__/personas", json={}).get_json()
    assert api.delete(f"/__mock__/personas/{one['id']}").status_code == 204
    assert api.delete(f"/__mock__/personas/{one['id']}").status_code == 404
    api.post("/__mock__/personas", json={})
    assert api.post("/__mock__/reset").status_code == 200
    assert api.get("/__mock__/personas").get_json() == []


@pytest.mark.parametrize("site", ["moncompte", "franceconnect", "ameli", "franceidentite"])
def test_control_api_answers_on_site_hosts_too(mock_app, site) -> None:
    client = Client(mock_app)
    base = f"http://{site}.localhost"
    response = client.post(f"{base}/__mock__/personas", json={})
    assert response.status_code == 201
    assert client.get(f"{base}/__mock__/health").get_json() == {"status": "ok"}
    assert client.get(f"{base}/__mock__/nope").get_json()["error"]


def test_sites_lists_each_site_url(api) -> None:
    sites = api.get("/__mock__/sites").get_json()
    assert sites["moncompte"] == "http://moncompte.localhost"
    assert sites["franceconnect"] == "http://franceconnect.localhost"
    assert set(sites) == {"moncompte", "franceconnect", "impots", "ameli", "laposte", "msa", "yris", "franceidentite"}
    assert all(url == f"http://{name}.localhost" for name, url in sites.items())
