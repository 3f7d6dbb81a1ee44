"""Every route of the Mon Compte site: status codes, CSRF, lockout, cookies, no 500."""

from __future__ import annotations

import base64

from datetime import timedelta

import pytest
from markupsafe import escape

from fixtures.bad_inputs import BAD_NIRS, BAD_PASSWORDS
from mock_server import texts

from .conftest import csrf_token, post_login

PUBLIC_PAGES = [
    "/",
    "/connexion",
    "/deconnecte",
    "/aide/numero-securite-sociale",
    "/aide/identifiants-oublies",
    "/aide/franceconnect",
    "/aide/tutoriel",
    "/mot-de-passe-oublie",
    "/creer-mon-compte",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_answer(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "<main" in response.get_data(as_text=True)


def test_login_page_has_every_seed_label(client) -> None:
    html = client.get("/connexion").get_data(as_text=True)
    for label in texts.LOGIN.values():
        if label != texts.LOGIN["access"]:
            assert label.replace("'", "&#39;") in html, label
    for field in ("nir", "provisional_id", "password", "remember", "provisional"):
        assert f'for="{field}"' in html and f'id="{field}"' in html


@pytest.mark.parametrize("path", ["/mon-compte/", "/mon-compte/mes-informations", "/mon-compte/mes-paiements"])
def test_account_pages_send_anonymous_visitors_to_login(client, path) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/connexion?next={path}"


def test_login_then_account_page(client, add_persona) -> None:
    persona = add_persona()
    response = post_login(client, persona.nir, persona.password)
    assert response.status_code == 302 and response.headers["Location"] == "/mon-compte/"
    page = client.get("/mon-compte/")
    assert page.status_code == 200
    assert texts.ACCOUNT["greeting"].format(name=persona.display_name) in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"


def test_login_with_provisional_identifier(client, add_persona) -> None:
    persona = add_persona(provisional=True)
    response = post_login(client, persona.provisional_id.lower(), persona.password, provisional=True)
    assert response.status_code == 302


@pytest.mark.parametrize("case", BAD_NIRS, ids=lambda c: c.id)
def test_server_refuses_each_bad_nir_with_its_message(client, case) -> None:
    response = post_login(client, case.value, "motdepasse1")
    assert response.status_code == 422
    assert case.message.replace("'", "&#39;") in response.get_data(as_text=True)


@pytest.mark.parametrize("case", BAD_PASSWORDS, ids=lambda c: c.id)
def test_server_refuses_each_bad_password_with_its_message(client, add_persona, case) -> None:
    response = post_login(client, add_persona().nir, case.value)
    assert response.status_code == 422
    assert case.message.replace("'", "&#39;") in response.get_data(as_text=True)


def test_wrong_password_and_unknown_account_look_the_same(client, add_persona) -> None:
    persona = add_persona()
    other = add_persona()
    known = post_login(client, persona.nir, "mauvais1234")
    client.application.extensions["mock"].store.delete_persona(other.id)
    unknown = post_login(client, other.nir, "mauvais1234")
    assert known.status_code == unknown.status_code == 401
    strip = lambda html: html.replace(persona.nir, "X").replace(other.nir, "X")  # noqa: E731
    body_known, body_unknown = strip(known.get_data(as_text=True)), strip(unknown.get_data(as_text=True))
    # Only the CSRF token differs between the two pages.
    import re

    token = re.compile(r'value="[\w.-]{40,}"')
    assert token.sub("", body_known) == token.sub("", body_unknown)


def test_lockout_after_five_failures_and_its_expiry(client, add_persona, mock_app) -> None:
    persona = add_persona()
    for attempt in range(1, 5):
        assert post_login(client, persona.nir, "mauvais1234").status_code == 401, attempt
    locked = post_login(client, persona.nir, "mauvais1234")
    assert locked.status_code == 423
    assert post_login(client, persona.nir, persona.password).status_code == 423
    mock_app.store.clock.advance(timedelta(minutes=14, seconds=59))
    assert post_login(client, persona.nir, persona.password).status_code == 423
    mock_app.store.clock.advance(timedelta(seconds=2))
    assert post_login(client, persona.nir, persona.password).status_code == 302


def test_lockout_threshold_and_duration_are_configurable() -> None:
    from mock_server import create_app
    from mock_server.config import MockConfig

    app = create_app(MockConfig(lockout_threshold=2, lockout_minutes=1))
    client = app.sites["moncompte"].test_client()
    assert post_login(client, "184127512345 6", "mauvais1234").status_code == 401
    response = post_login(client, "1841275123456", "mauvais1234")
    assert response.status_code == 423
    assert "après 2 tentatives" in response.get_data(as_text=True)


def test_session_cookie_flags_and_rotation(client, add_persona) -> None:
    persona = add_persona()
    client.get("/connexion")
    before = client.get_cookie("moncompte_session")
    response = post_login(client, persona.nir, persona.password)
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("moncompte_session="))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Expires" not in header
    assert client.get_cookie("moncompte_session").value != before.value


def test_logout_ends_the_server_session(client, add_persona, mock_app) -> None:
    persona = add_persona()
    post_login(client, persona.nir, persona.password)
    sid = client.get_cookie("moncompte_session").value
    token = csrf_token(client, "/mon-compte/")
    response = client.post("/deconnexion", data={"csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/deconnecte"
    assert mock_app.store.load_session(sid) is None
    client.set_cookie("moncompte_session", sid, domain="localhost")
    assert client.get("/mon-compte/").status_code == 302


def test_a_link_to_the_logged_out_page_logs_nobody_out(client, add_persona, mock_app) -> None:
    persona = add_persona()
    post_login(client, persona.nir, persona.password)
    sid = client.get_cookie("moncompte_session").value
    page = client.get("/deconnecte")  # an <img src> or a link on any page
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert str(escape(texts.LOGGED_OUT["still_signed_in_title"])) in html
    assert str(escape(texts.LOGGED_OUT["title"])) not in html
    assert mock_app.store.load_session(sid) is not None
    assert client.get("/mon-compte/").status_code == 200


def test_session_expires_after_idle_time(client, add_persona, mock_app) -> None:
    persona = add_persona()
    post_login(client, persona.nir, persona.password)
    assert client.get("/mon-compte/").status_code == 200
    mock_app.store.clock.advance(timedelta(minutes=31))
    assert client.get("/mon-compte/").status_code == 302


@pytest.mark.parametrize("token", [None, "", "forged-token"])
def test_posts_without_a_valid_csrf_token_get_a_clear_400(client, add_persona, token) -> None:
    persona = add_persona()
    data = {"nir": persona.nir, "password": persona.password}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/connexion", data=data)
    assert response.status_code == 400
    assert texts.ERRORS["csrf_title"] in response.get_data(as_text=True)
    assert client.post("/deconnexion", data=data).status_code == 400


def test_remember_me_keeps_the_identifier_not_the_password(client, add_persona) -> None:
    persona = add_persona()
    response = post_login(client, persona.nir, persona.password, remember=True)
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("moncompte_identifiant="))
    assert "HttpOnly" in header and "Max-Age=" in header and persona.password not in header
    client.post("/deconnexion", data={"csrf_token": csrf_token(client, "/mon-compte/")})
    html = client.get("/connexion").get_data(as_text=True)
    assert f'value="{persona.nir}"' in html and persona.password not in html


def test_the_remembered_nir_cannot_be_read_in_the_cookie(client, add_persona, mock_app) -> None:
    persona = add_persona()
    post_login(client, persona.nir, persona.password, remember=True)
    value = client.get_cookie("moncompte_identifiant").value
    # Whatever the encoding a curious reader tries, the NIR is not in there.
    readable = [value, *(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("latin-1")
                         for part in value.split(".") if part)]
    assert not any(persona.nir in text for text in readable)
    # Too old (past "Se souvenir de moi"'s 13 months), it is not read any more.
    mock_app.store.clock.advance(timedelta(days=mock_app.config.remember_days + 1))
    assert f'value="{persona.nir}"' not in client.get("/connexion").get_data(as_text=True)


def test_tampered_remember_cookie_is_ignored(client) -> None:
    client.set_cookie("moncompte_identifiant", "not-signed", domain="localhost")
    assert client.get("/connexion").status_code == 200


@pytest.mark.parametrize(
    "next_path, expected",
    [
        ("/mon-compte/mes-paiements", "/mon-compte/mes-paiements"),
        ("https://example.org/", "/mon-compte/"),
        ("//example.org/", "/mon-compte/"),
        ("/\\example.org", "/mon-compte/"),
        ("javascript:alert(1)", "/mon-compte/"),
    ],
)
def test_back_after_login_only_to_this_site(client, add_persona, next_path, expected) -> None:
    persona = add_persona()
    from urllib.parse import quote

    response = post_login(client, persona.nir, persona.password, path=f"/connexion?next={quote(next_path, safe='')}")
    assert response.headers["Location"] == expected


MALFORMED_POSTS = [
    {},
    {"nir": ["a", "b"]},
    {"nir": "x" * 10_000, "password": "y" * 10_000},
    {"nir": "\x00\x01", "password": "\ud800".encode("utf-8", "surrogatepass").decode("latin-1")},
    {"provisional": "y"},
    {"remember": "maybe", "nir": "1841275123456", "password": "abc12345"},
]


@pytest.mark.parametrize("data", MALFORMED_POSTS, ids=range(len(MALFORMED_POSTS)))
def test_malformed_login_posts_never_give_a_500(client, data) -> None:
    data = {**data, "csrf_token": csrf_token(client)}
    response = client.post("/connexion", data=data)
    assert response.status_code in (401, 422)


@pytest.mark.parametrize("body", [b"\xff\xfe", b"nir=%ZZ&password=%", b"a" * 100_000])
def test_raw_garbage_never_gives_a_500(client, body) -> None:
    response = client.post("/connexion", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (400, 413)


def test_unknown_page_and_wrong_method_get_pages(client) -> None:
    missing = client.get("/nulle-part")
    assert missing.status_code == 404 and texts.ERRORS["not_found_title"] in missing.get_data(as_text=True)
    wrong = client.get("/deconnexion")
    assert wrong.status_code == 405 and texts.ERRORS["method_title"] in wrong.get_data(as_text=True)
