"""Control API personas without an online account, or with only one contact channel."""

from __future__ import annotations

import pytest
from markupsafe import escape

from mock_server import texts
from mock_server.rules.nir import check_nir

from .conftest import csrf_token, post_login

BAD_CREDENTIALS = str(escape(texts.LOGIN_ERRORS["bad_credentials"]))


def create(api, **body):
    response = api.post("/__mock__/personas", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def assert_refused(api, body: dict, field: str) -> None:
    before = api.get("/__mock__/personas").get_json()
    response = api.post("/__mock__/personas", json=body)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["field"] == field and response.get_json()["error"]
    assert api.get("/__mock__/personas").get_json() == before


def channel_page(client, nir: str) -> str:
    token = csrf_token(client, "/mot-de-passe-oublie")
    assert client.post("/mot-de-passe-oublie", data={"csrf_token": token, "nir": nir}).status_code == 302
    return client.get("/mot-de-passe-oublie/canal").get_data(as_text=True)


# has_account: false --------------------------------------------------------------------


def test_persona_without_account_has_no_password(api) -> None:
    persona = create(api, has_account=False)
    assert persona["has_account"] is False and persona["password"] is None
    assert check_nir(persona["nir"]) is None
    assert persona["phone"] and persona["email"]
    assert api.get(f"/__mock__/personas/{persona['id']}").get_json() == persona


def test_provisional_persona_without_account(api) -> None:
    persona = create(api, has_account=False, provisional=True)
    assert persona["nir"] is None and persona["provisional_id"].startswith("P")
    assert persona["password"] is None and persona["has_account"] is False


@pytest.mark.parametrize("password", ["motdepasse1", "Azerty123456", "a1" * 32])
def test_persona_without_account_cannot_log_in(api, client, password) -> None:
    persona = create(api, has_account=False)
    response = post_login(client, persona["nir"], password)
    assert response.status_code == 401
    assert BAD_CREDENTIALS in response.get_data(as_text=True)
    assert client.get("/mon-compte/").status_code == 302


def test_no_account_looks_like_a_wrong_password(api, client) -> None:
    without = create(api, has_account=False)
    with_account = create(api)
    refused = post_login(client, without["nir"], "motdepasse1")
    wrong = post_login(client, with_account["nir"], "motdepasse1")
    assert refused.status_code == wrong.status_code == 401
    assert BAD_CREDENTIALS in refused.get_data(as_text=True) and BAD_CREDENTIALS in wrong.get_data(as_text=True)


def test_has_account_true_is_the_default_and_can_be_given(api) -> None:
    assert create(api)["has_account"] is True
    persona = create(api, has_account=True, password="motdepasse1")
    assert persona["has_account"] is True and persona["password"] == "motdepasse1"


def test_password_with_has_account_false_is_refused(api) -> None:
    assert_refused(api, {"has_account": False, "password": "motdepasse1"}, "password")


@pytest.mark.parametrize("value", ["no", "false", 0, 1, None, []])
def test_has_account_must_be_a_boolean(api, value) -> None:
    assert_refused(api, {"has_account": value}, "has_account")


# phone / email: null ---------------------------------------------------------------------


def test_phone_null_leaves_only_the_mail_channel(api, client) -> None:
    persona = create(api, phone=None)
    assert persona["phone"] is None and persona["email"]
    page = channel_page(client, persona["nir"])
    assert 'value="mail"' in page and 'value="sms"' not in page


def test_email_null_leaves_only_the_sms_channel(api, client) -> None:
    persona = create(api, email=None)
    assert persona["email"] is None and persona["phone"]
    page = channel_page(client, persona["nir"])
    assert 'value="sms"' in page and 'value="mail"' not in page


def test_one_channel_and_no_account_together(api) -> None:
    persona = create(api, has_account=False, email=None)
    assert persona["email"] is None and persona["phone"] and persona["password"] is None


@pytest.mark.parametrize("body", [{"phone": None, "email": None},
                                  {"phone": None, "email": None, "has_account": False}])
def test_no_phone_and_no_email_is_refused(api, body) -> None:
    assert_refused(api, body, "phone")


@pytest.mark.parametrize("body, field", [({"phone": ""}, "phone"), ({"email": ""}, "email"),
                                         ({"phone": 612345678}, "phone"), ({"password": None}, "password")])
def test_empty_or_mistyped_contacts_are_not_null(api, body, field) -> None:
    assert_refused(api, body, field)


def test_usage_name_is_optional_and_never_blank(api) -> None:
    assert create(api)["preferred_username"] is None
    assert create(api, preferred_username="Martin")["preferred_username"] == "Martin"
    assert create(api, preferred_username=None)["preferred_username"] is None
    for bad in ("", "   ", 42):
        assert_refused(api, {"preferred_username": bad}, "preferred_username")
