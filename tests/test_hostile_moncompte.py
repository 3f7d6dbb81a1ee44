"""Mon Compte under hostile input: login, "Mot de passe oublié ?", "Créer Mon
Compte", the account space and its pages, through the whole dispatcher.

Every answer is checked by hostile.assert_handled (no 5xx, no unescaped echo,
no redirect off the mock); each test's personas, created before its barrage,
still sign in after it (hostile.personas_survive). The strategies live in
tests/hostile.py; the number of examples comes from its profiles.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.sites import SiteDispatcher

from .hostile import (
    HTML_INJECTIONS,
    TEMPLATE_INJECTIONS,
    URLS,
    Browser,
    ControlAPI,
    describe,
    form_pairs,
    hostile_text,
    near,
    personas_survive,
    raw_query,
)

pytestmark = [pytest.mark.hostile, pytest.mark.filterwarnings("ignore:Generating overly large repr")]

LOGIN_FIELDS = ("nir", "password", "provisional", "provisional_id", "remember", "csrf_token")
IDENTIFY_FIELDS = ("nir", "provisional", "provisional_id", "csrf_token")
FLOWS = {"reset": "/mot-de-passe-oublie", "signup": "/creer-mon-compte"}
# A NIR of the right shape that no persona has: a hostile piece next to it
# reaches the deeper checks without locking anyone out.
UNKNOWN_NIR = "1840575123456"
SITE_PATHS = ("/", "/connexion", "/mot-de-passe-oublie", "/creer-mon-compte", "/deconnecte", "/mon-compte/",
              "/mon-compte/mes-informations", "/mot-de-passe-oublie/canal", "/creer-mon-compte/code",
              "/mot-de-passe-oublie/termine", "/connexion/franceconnect/retour", "/aide/tutoriel")
# Not /connexion/franceconnect itself: it reads FranceConnect's discovery over
# HTTP, and nothing listens in a Flask-test-client run.


def identifiers() -> st.SearchStrategy[str]:
    return st.one_of(hostile_text(), near(UNKNOWN_NIR), near("P123456789"))


def login_pairs() -> st.SearchStrategy[list[tuple[str, str]]]:
    return form_pairs(LOGIN_FIELDS, st.one_of(identifiers(), st.sampled_from(["y", "on", "", "false"])))


def new_persona(api: ControlAPI, **fields: Any) -> dict[str, Any]:
    return api.json("POST", "/__mock__/personas", expect=201, json_body=fields)


def login_data(persona: dict[str, Any], token: str | None) -> dict[str, str]:
    data = {"password": persona["password"], "nir": persona["nir"]}
    if token is not None:
        data["csrf_token"] = token
    return data


# Login ---------------------------------------------------------------------------


def test_login_form_takes_hostile_fields_without_signing_anyone_in(mock_app: SiteDispatcher) -> None:
    with personas_survive(mock_app):
        @given(pairs=login_pairs(), query=st.one_of(st.none(), raw_query()))
        def attempt(pairs: list[tuple[str, str]], query: str | None) -> None:
            browser = Browser(mock_app, "moncompte")
            token = browser.csrf("/connexion")
            response = browser.post_form("/connexion", [("csrf_token", token), *pairs], query_string=query)
            assert response.status_code != 302, f"signed in with hostile fields: {describe(response)}"

        attempt()


def test_login_next_parameter_never_leads_off_the_site(mock_app: SiteDispatcher) -> None:
    traveller = new_persona(ControlAPI(mock_app))
    with personas_survive(mock_app):
        @given(target=st.one_of(st.sampled_from(URLS + HTML_INJECTIONS), hostile_text(huge=False),
                                st.builds(lambda url: "/" + url, st.sampled_from(URLS))))
        def attempt(target: str) -> None:
            browser = Browser(mock_app, "moncompte")
            token = browser.csrf(f"/connexion?next={quote(target, safe='')}")
            browser.post("/connexion", query_string={"next": target}, data=login_data(traveller, token))
            # Signed in now: the login page sends straight on to `next`.
            browser.get("/connexion", query_string={"next": target})
            browser.get("/mon-compte/mes-informations", query_string={"next": target})

        attempt()


@st.composite
def wrong_tokens(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["missing", "hostile", "another browser's", "tampered", "twice"]))
    return {"kind": kind, "value": draw(hostile_text(huge=False)), "at": draw(st.integers(0, 200))}


def test_login_without_its_own_csrf_token_is_refused_even_with_the_right_password(mock_app: SiteDispatcher) -> None:
    traveller = new_persona(ControlAPI(mock_app))
    with personas_survive(mock_app):
        @given(wrong=wrong_tokens())
        def attempt(wrong: dict[str, Any]) -> None:
            browser = Browser(mock_app, "moncompte")
            own = browser.csrf("/connexion")
            other = Browser(mock_app, "moncompte").csrf("/connexion")
            token = {
                "missing": None,
                "hostile": wrong["value"],
                "another browser's": other,
                # Inserted, not replaced: a replaced last base64 character may decode the same.
                "tampered": own[: wrong["at"] % (len(own) + 1)] + "x" + own[wrong["at"] % (len(own) + 1):],
                "twice": None,
            }[wrong["kind"]]
            data = login_data(traveller, token)
            if wrong["kind"] == "twice":  # one wrong, then the right one: the first counts
                pairs = [("csrf_token", wrong["value"] or "x"), ("csrf_token", own), *data.items()]
                response = browser.post_form("/connexion", pairs)
            else:
                response = browser.post("/connexion", data=data)
            assert response.status_code == 400, describe(response)
            assert browser.get("/mon-compte/").status_code == 302  # still signed out

        attempt()


# Mot de passe oublié ? and Créer Mon Compte ------------------------------------


def test_identify_step_takes_hostile_identifiers(mock_app: SiteDispatcher) -> None:
    with personas_survive(mock_app):
        @given(flow=st.sampled_from(sorted(FLOWS)), pairs=form_pairs(IDENTIFY_FIELDS, identifiers()))
        def attempt(flow: str, pairs: list[tuple[str, str]]) -> None:
            browser = Browser(mock_app, "moncompte")
            path = FLOWS[flow]
            response = browser.post_form(path, [("csrf_token", browser.csrf(path)), *pairs])
            if response.status_code == 302:
                browser.get(response.headers["Location"])

        attempt()


def verified_walk(mock_app: SiteDispatcher, api: ControlAPI, browser: Browser, flow: str,
                  hostile: dict[str, list[tuple[str, str]]]) -> None:
    """A fresh persona's walk through `flow`, each step first fed hostile fields."""
    path = FLOWS[flow]
    persona = new_persona(api, has_account=False) if flow == "signup" else new_persona(api)
    token = browser.csrf(path)
    response = browser.post(path, data={"csrf_token": token, "nir": persona["nir"]})
    assert response.status_code == 302, describe(response)

    response = browser.post_form(f"{path}/canal", [("csrf_token", token), *hostile["channel"]])
    if response.status_code != 302:  # the hostile choice was refused: the real one
        response = browser.post(f"{path}/canal", data={"csrf_token": token, "channel": "sms"})
    assert response.status_code == 302, describe(response)
    code = api.json("GET", "/__mock__/outbox/latest", query_string={"to": persona["phone"]})["code"]

    browser.post_form(f"{path}/code", [("csrf_token", token), *hostile["code"]])
    browser.post_form(f"{path}/renvoyer", [("csrf_token", token), *hostile["code"]])
    response = browser.post(f"{path}/code", data={"csrf_token": token, "code": code})
    if response.status_code != 302:  # three hostile codes voided it, or it was resent: a new one
        api.json("POST", "/__mock__/clock", json_body={"advance": "61s"})
        browser.post(f"{path}/renvoyer", data={"csrf_token": token})
        code = api.json("GET", "/__mock__/outbox/latest", query_string={"to": persona["phone"]})["code"]
        response = browser.post(f"{path}/code", data={"csrf_token": token, "code": code})
    assert response.status_code == 302, describe(response)

    response = browser.post_form(f"{path}/mot-de-passe", [("csrf_token", token), *hostile["password"]])
    if response.status_code == 302:
        browser.get(response.headers["Location"])
    api.json("DELETE", f"/__mock__/personas/{persona['id']}", expect=204)


def test_reset_and_signup_steps_take_hostile_fields(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        @given(
            flow=st.sampled_from(sorted(FLOWS)),
            channel=form_pairs(("channel", "csrf_token")),
            code=form_pairs(("code", "csrf_token"), st.one_of(hostile_text(), near("123456"))),
            password=form_pairs(("password", "confirm", "csrf_token"), st.one_of(hostile_text(), near("motdepasse1"))),
        )
        def attempt(flow: str, channel, code, password) -> None:
            verified_walk(mock_app, api, Browser(mock_app, "moncompte"), flow,
                          {"channel": channel, "code": code, "password": password})

        attempt()


def test_flow_steps_without_their_own_csrf_token_are_refused(mock_app: SiteDispatcher) -> None:
    with personas_survive(mock_app):
        @given(flow=st.sampled_from(sorted(FLOWS)), step=st.sampled_from(["", "/canal", "/code", "/renvoyer",
                                                                              "/mot-de-passe"]),
               token=st.one_of(st.none(), hostile_text(huge=False)), pairs=form_pairs(("nir", "channel", "code")))
        def attempt(flow: str, step: str, token: str | None, pairs) -> None:
            browser = Browser(mock_app, "moncompte")
            browser.csrf(FLOWS[flow])  # a session, with a token the form does not send
            sent = [("csrf_token", token)] if token is not None else []
            response = browser.post_form(FLOWS[flow] + step, [*sent, *pairs])
            assert response.status_code in (302, 400, 413), describe(response)

        attempt()


# The account space and what it shows --------------------------------------------


def stored_names() -> st.SearchStrategy[str]:
    """Names the control API takes (not blank, at most 254 characters) that are hostile."""
    return st.one_of(st.sampled_from(HTML_INJECTIONS + TEMPLATE_INJECTIONS),
                     hostile_text(huge=False)).filter(lambda name: name.strip() and len(name) <= 254)


def test_pages_escape_hostile_persona_data(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        @given(given_name=stored_names(), family_name=stored_names(),
               local=st.sampled_from(["<script>alert('hx')</script>", "\"><img/src=x/onerror=alert('hx')>", "hx"]))
        def attempt(given_name: str, family_name: str, local: str) -> None:
            response = api.open("POST", "/__mock__/personas", json_body={
                "given_name": given_name, "family_name": family_name, "email": f"{local}@example.org"})
            assert response.status_code == 201, describe(response)
            persona = response.get_json()
            browser = Browser(mock_app, "moncompte")
            cookie = api.json("POST", "/__mock__/sessions", expect=201, json_body={"persona_id": persona["id"]})
            browser.client.set_cookie(cookie["cookies"][0]["name"], cookie["cookies"][0]["value"],
                                      domain="moncompte.localhost")
            for path in ("/mon-compte/", "/mon-compte/mes-informations", "/mon-compte/mes-paiements"):
                assert browser.get(path).status_code == 200
            # The code by mail greets them by name: the webmail page shows it.
            stranger = Browser(mock_app, "moncompte")
            token = stranger.csrf(FLOWS["reset"])
            stranger.post(FLOWS["reset"], data={"csrf_token": token, "nir": persona["nir"]})
            stranger.post(FLOWS["reset"] + "/canal", data={"csrf_token": token, "channel": "mail"})
            assert api.open("GET", "/__mock__/outbox", headers={"Accept": "text/html"},
                            query_string={"to": persona["email"]}).status_code == 200
            assert api.open("GET", "/__mock__/", headers={"Accept": "text/html"}).status_code == 200
            assert api.open("GET", "/").status_code == 200
            # Gone again: the dashboard lists every persona, and the next example renders it.
            api.json("DELETE", f"/__mock__/personas/{persona['id']}", expect=204)

        attempt()


def test_site_pages_take_hostile_paths_queries_and_methods(mock_app: SiteDispatcher) -> None:
    with personas_survive(mock_app):
        @given(path=st.one_of(st.sampled_from(SITE_PATHS),
                              hostile_text(huge=False).map(lambda text: "/aide/" + quote(text, safe=""))),
               query=st.one_of(st.none(), raw_query(), st.dictionaries(
                   st.sampled_from(["next", "state", "code", "error", "error_description", "slug"]),
                   hostile_text(), max_size=3)),
               method=st.sampled_from(["GET", "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "FOO"]))
        def attempt(path: str, query, method: str) -> None:
            Browser(mock_app, "moncompte").open(method, path, query_string=query)

        attempt()


def test_logout_takes_hostile_requests(mock_app: SiteDispatcher) -> None:
    api = ControlAPI(mock_app)
    with personas_survive(mock_app):
        traveller = new_persona(api)

        @given(pairs=form_pairs(("csrf_token", "next", "state")), query=st.one_of(st.none(), raw_query()),
               signed_in=st.booleans(), own_token=st.booleans())
        def attempt(pairs, query, signed_in: bool, own_token: bool) -> None:
            browser = Browser(mock_app, "moncompte")
            token = browser.csrf("/connexion")
            if signed_in:
                browser.post("/connexion", data=login_data(traveller, token))
            sent = [("csrf_token", token)] if own_token else []
            response = browser.post_form("/deconnexion", [*sent, *pairs], query_string=query)
            assert response.status_code in (302, 400, 413), describe(response)
            if response.status_code == 302:  # logged out, whatever came with the form
                browser.get(response.headers["Location"], query_string=query)
                assert browser.get("/mon-compte/").status_code == 302

        attempt()
