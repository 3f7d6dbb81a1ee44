"""Registering applications with the mock FranceConnect through the control API:
POST registers a new client_id only, PUT creates or replaces one on purpose, GET
reads one back; secrets are long enough to be secrets; nothing refused changes
what is stored."""

from __future__ import annotations

from typing import Any

import pytest

from pytest_franceconnect_mock.control import ControlClient, ControlError
from mock_server.federation import FRANCECONNECT, MONCOMPTE_CLIENT_ID
from mock_server.oidc.clients import MIN_SECRET_LENGTH

CLIENTS = "/__mock__/franceconnect/clients"
SECRET = "s" * MIN_SECRET_LENGTH


def registration(**changes: Any) -> dict[str, Any]:
    body = {"client_id": "mon-service", "client_secret": SECRET, "name": "Mon service",
            "redirect_uris": ["http://localhost:5000/callback"],
            "post_logout_redirect_uris": ["http://localhost:5000/"]}
    return {name: value for name, value in {**body, **changes}.items() if value is not None}


def stored(store, client_id: str = "mon-service"):
    return store.oidc.get_client(FRANCECONNECT, client_id)


def test_the_minimum_secret_length_is_32() -> None:
    assert MIN_SECRET_LENGTH == 32


# POST: a new client_id only ----------------------------------------------------------


def test_posting_a_client_id_already_registered_is_409_and_keeps_the_first(api, store, assert_named) -> None:
    assert api.post(CLIENTS, json=registration()).status_code == 201
    first = stored(store)
    again = api.post(CLIENTS, json=registration(name=None, post_logout_redirect_uris=None,
                                               client_secret="t" * MIN_SECRET_LENGTH))
    assert_named(again, "client_id", 409)
    assert "PUT" in again.get_json()["error"]
    assert stored(store) == first
    assert stored(store).name == "Mon service"
    assert stored(store).post_logout_redirect_uris == ("http://localhost:5000/",)


def test_posting_mon_comptes_client_id_is_still_409(api, store, assert_named) -> None:
    before = stored(store, MONCOMPTE_CLIENT_ID)
    assert_named(api.post(CLIENTS, json=registration(client_id=MONCOMPTE_CLIENT_ID)), "client_id", 409)
    assert stored(store, MONCOMPTE_CLIENT_ID) is before


# PUT: create or replace on purpose -----------------------------------------------------


def test_put_creates_then_replaces(api, store) -> None:
    created = api.put(f"{CLIENTS}/mon-service", json=registration())
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["issuer"].endswith("/api/v2")
    assert created.get_json()["client_secret"] == SECRET
    replaced = api.put(f"{CLIENTS}/mon-service", json=registration(name="Mon service v2"))
    assert replaced.status_code == 200, replaced.get_json()
    assert replaced.get_json()["name"] == "Mon service v2"
    assert stored(store).name == "Mon service v2"


def test_put_takes_the_client_id_from_the_path(api, store) -> None:
    answer = api.put(f"{CLIENTS}/from-the-path", json=registration(client_id=None))
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["client_id"] == "from-the-path"
    assert stored(store, "from-the-path").name == "Mon service"


def test_put_with_another_client_id_in_the_body_is_refused(api, store, assert_named) -> None:
    api.put(f"{CLIENTS}/mon-service", json=registration())
    before = stored(store)
    assert_named(api.put(f"{CLIENTS}/mon-service", json=registration(client_id="autre", name="Autre")), "client_id")
    assert stored(store) == before
    assert stored(store, "autre") is None


def test_put_cannot_replace_mon_comptes_client(api, store, assert_named) -> None:
    before = stored(store, MONCOMPTE_CLIENT_ID)
    assert_named(api.put(f"{CLIENTS}/{MONCOMPTE_CLIENT_ID}", json=registration(client_id=None)), "client_id", 409)
    assert stored(store, MONCOMPTE_CLIENT_ID) is before


def test_put_checks_the_body_as_post_does(api, store, assert_named) -> None:
    api.put(f"{CLIENTS}/mon-service", json=registration())
    before = stored(store)
    assert_named(api.put(f"{CLIENTS}/mon-service", json=registration(redirect_uris=["/callback"])), "redirect_uris")
    assert_named(api.put(f"{CLIENTS}/mon-service", json=registration(client_secret="court")), "client_secret")
    assert stored(store) == before


def test_put_with_a_path_client_id_that_post_would_refuse_is_refused(api, assert_named) -> None:
    assert_named(api.put(f"{CLIENTS}/a%20b", json=registration(client_id=None)), "client_id")


# The secret ------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put"])
def test_a_secret_shorter_than_32_characters_is_422_saying_the_minimum(api, store, assert_named, method) -> None:
    body = registration(client_secret="s" * (MIN_SECRET_LENGTH - 1))
    answer = getattr(api, method)(CLIENTS if method == "post" else f"{CLIENTS}/mon-service", json=body)
    assert_named(answer, "client_secret")
    assert str(MIN_SECRET_LENGTH) in answer.get_json()["error"]
    assert stored(store) is None


# GET one ---------------------------------------------------------------------------------


def test_get_one_client_answers_it_without_its_secret(api) -> None:
    api.post(CLIENTS, json=registration())
    answer = api.get(f"{CLIENTS}/mon-service")
    assert answer.status_code == 200, answer.get_json()
    client = answer.get_json()
    listed = next(item for item in api.get(CLIENTS).get_json() if item["client_id"] == "mon-service")
    assert "client_secret" not in client
    assert {name: value for name, value in client.items() if name not in ("issuer", "discovery_url")} == listed
    assert client["issuer"].endswith("/api/v2")
    assert client["discovery_url"] == client["issuer"] + "/.well-known/openid-configuration"


def test_get_an_unknown_client_is_404_naming_client_id(api, assert_named) -> None:
    assert_named(api.get(f"{CLIENTS}/personne"), "client_id", 404)


# The suites' typed client ------------------------------------------------------------------


def test_the_typed_client_puts_gets_and_is_told_of_a_taken_client_id(mock_app) -> None:
    control = ControlClient("http://127.0.0.1", app=mock_app)
    try:
        body = {name: value for name, value in registration().items() if name != "client_id"}
        assert control.put_fc_client("mon-service", **body)["name"] == "Mon service"
        assert control.put_fc_client("mon-service", **{**body, "name": "Renommé"})["name"] == "Renommé"
        read = control.get_fc_client("mon-service")
        assert read["name"] == "Renommé" and "client_secret" not in read
        with pytest.raises(ControlError) as taken:
            control.register_fc_client(client_id="mon-service", **body)
        assert (taken.value.status, taken.value.field) == (409, "client_id")
    finally:
        control.close()
