"""POST /__mock__/sessions: a persona signed in to Mon Compte without the login page,
the same session a login opens; bad input named, nothing opened."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mock_server import texts

from .conftest import csrf_token


def sign_in(api, persona_id) -> tuple[int, dict]:
    response = api.post("/__mock__/sessions", json={"persona_id": persona_id})
    return response.status_code, response.get_json()


def browser_with(mock_app, state: dict):
    """A Mon Compte client holding the storage state's cookies, as a browser context would
    (on the test client's own host: the domain for browsers is checked above)."""
    client = mock_app.sites["moncompte"].test_client()
    for cookie in state["cookies"]:
        client.set_cookie(cookie["name"], cookie["value"], path=cookie["path"],
                          httponly=cookie["httpOnly"], samesite=cookie["sameSite"])
    return client


def test_the_answer_is_a_storage_state_with_the_sites_own_cookie(api, persona) -> None:
    status, state = sign_in(api, persona.id)
    assert status == 201
    assert state["origins"] == []
    [cookie] = state["cookies"]
    assert {key: cookie[key] for key in ("name", "domain", "path", "expires", "httpOnly", "secure", "sameSite")} == {
        "name": "moncompte_session", "domain": "moncompte.localhost", "path": "/", "expires": -1,
        "httpOnly": True, "secure": False, "sameSite": "Lax"}
    assert len(cookie["value"]) >= 32


def test_the_cookie_opens_the_personas_account_space(mock_app, api, persona) -> None:
    _, state = sign_in(api, persona.id)
    page = browser_with(mock_app, state).get("/mon-compte/")
    assert page.status_code == 200
    assert texts.ACCOUNT["greeting"].format(name=persona.display_name) in page.get_data(as_text=True)


def test_it_is_a_real_session_deconnexion_ends_it(mock_app, api, persona) -> None:
    _, state = sign_in(api, persona.id)
    browser = browser_with(mock_app, state)
    token = csrf_token(browser, "/mon-compte/")
    assert browser.post("/deconnexion", data={"csrf_token": token}).status_code in (302, 303)
    replayed = browser_with(mock_app, state).get("/mon-compte/")
    assert replayed.status_code == 302 and "/connexion" in replayed.headers["Location"]


def test_it_expires_after_30_idle_minutes_on_the_mock_clock(mock_app, api, persona) -> None:
    _, state = sign_in(api, persona.id)
    mock_app.store.clock.advance(timedelta(minutes=31))
    answer = browser_with(mock_app, state).get("/mon-compte/")
    assert answer.status_code == 302 and "/connexion" in answer.headers["Location"]


def test_each_call_opens_a_new_session(api, persona) -> None:
    assert sign_in(api, persona.id)[1]["cookies"][0]["value"] != sign_in(api, persona.id)[1]["cookies"][0]["value"]


@pytest.mark.parametrize(("body", "status", "field"), [
    ({}, 422, "persona_id"),
    ({"persona_id": ""}, 422, "persona_id"),
    ({"persona_id": 42}, 422, "persona_id"),
    ({"persona_id": ["x"]}, 422, "persona_id"),
    ({"persona_id": "no-such-persona"}, 404, "persona_id"),
    ({"persona_id": "x", "site": "franceconnect"}, 422, "site"),
])
def test_bad_requests_are_named_and_open_nothing(mock_app, api, body, status, field) -> None:
    before = len(mock_app.store._sessions)
    response = api.post("/__mock__/sessions", json=body)
    assert (response.status_code, response.get_json()["field"]) == (status, field)
    assert len(mock_app.store._sessions) == before


def test_a_persona_without_an_online_account_cannot_be_signed_in(mock_app, api, add_persona) -> None:
    newcomer = add_persona(has_account=False)
    status, body = sign_in(api, newcomer.id)
    assert (status, body["field"]) == (409, "persona_id")
    assert mock_app.store._sessions == {}


def test_the_body_must_be_a_json_object(api) -> None:
    response = api.post("/__mock__/sessions", data=b"persona_id=x", content_type="application/json")
    assert (response.status_code, response.get_json()["field"]) == (400, "body")
