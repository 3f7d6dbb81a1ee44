"""/__mock__/settings: the rules' knobs change while the mock runs, bad values change
nothing, reset puts back the values the mock started with."""

from __future__ import annotations

import pytest

from mock_server import create_app, texts
from mock_server.config import MockConfig

from .conftest import post_login

STARTUP = {"upstream_timeout_seconds": 3.0, "lockout_threshold": 5, "lockout_minutes": 15}


def test_settings_read_back_the_configuration(api) -> None:
    response = api.get("/__mock__/settings")
    assert response.status_code == 200
    assert response.get_json() == STARTUP
    assert response.headers["Cache-Control"] == "no-store"


def test_a_change_answers_every_setting_and_applies_at_once(mock_app, api, client, persona) -> None:
    response = api.post("/__mock__/settings", json={"lockout_threshold": 2, "upstream_timeout_seconds": 0.5})
    assert response.status_code == 200
    assert response.get_json() == {**STARTUP, "lockout_threshold": 2, "upstream_timeout_seconds": 0.5}
    assert mock_app.config.lockout_threshold == 2

    # The login reads the new threshold: the second failure locks, and says so.
    assert post_login(client, persona.nir, persona.password + "x").status_code == 401
    locked = post_login(client, persona.nir, persona.password + "x")
    assert locked.status_code == 423
    assert texts.LOGIN_ERRORS["locked"].format(attempts=2, minutes=15) in locked.get_data(as_text=True)


def test_moncompte_and_franceconnect_read_the_timeout_at_each_call(mock_app, api) -> None:
    clients = [mock_app.sites["moncompte"].extensions["franceconnect_client"],
               *mock_app.sites["franceconnect"].extensions["idp_clients"].values()]
    api.post("/__mock__/settings", json={"upstream_timeout_seconds": 0.25})
    assert {client.timeout() for client in clients} == {0.25}


@pytest.mark.parametrize(("body", "field"), [
    ({}, "body"),
    ({"lockout_threshold": 0}, "lockout_threshold"),
    ({"lockout_threshold": 101}, "lockout_threshold"),
    ({"lockout_threshold": 2.5}, "lockout_threshold"),
    ({"lockout_threshold": "3"}, "lockout_threshold"),
    ({"lockout_threshold": True}, "lockout_threshold"),
    ({"lockout_minutes": None}, "lockout_minutes"),
    ({"lockout_minutes": 1441}, "lockout_minutes"),
    ({"upstream_timeout_seconds": 0.05}, "upstream_timeout_seconds"),
    ({"upstream_timeout_seconds": 61}, "upstream_timeout_seconds"),
    ({"upstream_timeout_seconds": "1s"}, "upstream_timeout_seconds"),
    ({"session_idle_minutes": 1}, "session_idle_minutes"),
    # One bad value among good ones: none of them is set.
    ({"lockout_threshold": 2, "upstream_timeout_seconds": -1}, "upstream_timeout_seconds"),
])
def test_bad_settings_are_named_and_change_nothing(api, body, field) -> None:
    response = api.post("/__mock__/settings", json=body)
    assert response.status_code == 422
    assert response.get_json()["field"] == field
    assert api.get("/__mock__/settings").get_json() == STARTUP


def test_settings_body_must_be_a_json_object(api) -> None:
    response = api.post("/__mock__/settings", data=b"lockout_threshold=2", content_type="application/json")
    assert (response.status_code, response.get_json()["field"]) == (400, "body")


def test_reset_puts_back_the_values_the_mock_started_with() -> None:
    app = create_app(MockConfig(lockout_threshold=3, upstream_timeout_seconds=1.5))
    api = app.root.test_client()
    api.post("/__mock__/settings", json={"lockout_threshold": 9, "upstream_timeout_seconds": 7})
    assert api.post("/__mock__/reset").status_code == 200
    assert api.get("/__mock__/settings").get_json() == {**STARTUP, "lockout_threshold": 3,
                                                        "upstream_timeout_seconds": 1.5}
