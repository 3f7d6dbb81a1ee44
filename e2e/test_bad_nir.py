"""Every way a NIR can be wrong gets its own message next to the field:
from the browser before submit, and from the server when the browser does
not check (scripts off), since the server never trusts the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from fixtures.bad_inputs import BAD_NIRS
from mock_server import texts

from .pages import LoginPage

pytestmark = pytest.mark.bad_nir


@pytest.mark.title("Avant envoi, le navigateur refuse le NIR : « {case.message} » (saisie : « {case.value} »)")
@pytest.mark.parametrize("case", BAD_NIRS, ids=lambda c: c.id)
def test_bad_nir_is_refused_by_the_browser(login_page: LoginPage, persona_factory, form_posts, case) -> None:
    login_page.login_with_nir(case.value, persona_factory.password())
    expect(login_page.nir).to_have_accessible_description(case.message)
    expect(login_page.nir).to_be_focused()
    assert form_posts == [], "the browser should not send a NIR it knows is wrong"


@pytest.mark.title("Sans JavaScript, le serveur refuse le NIR : « {case.message} » (saisie gardée : « {case.value} »)")
@pytest.mark.parametrize("case", BAD_NIRS, ids=lambda c: c.id)
def test_bad_nir_is_refused_by_the_server(
    browser: Browser, browser_context_args: dict, persona_factory, case
) -> None:
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        login = LoginPage(context.new_page()).open()
        login.login_with_nir(case.value, persona_factory.password())
        expect(login.alert).to_have_text(texts.LOGIN_ERRORS["form_errors"])
        expect(login.nir).to_have_accessible_description(case.message)
        expect(login.nir).to_have_value(case.value)
    finally:
        context.close()
