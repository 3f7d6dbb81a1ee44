"""The service signs people in and out with FranceConnect, and refuses what it must:
its own tests, on the mock FranceConnect through pytest_franceconnect_mock's fixtures,
without a browser."""

from __future__ import annotations

import pytest


def sign_in(service, fc_browser, persona, idp: str = "ameli") -> str:
    """Click "S'identifier avec FranceConnect", sign in at a provider, come back: the page shown."""
    to_franceconnect = service.get("/login").location
    back = fc_browser.sign_in(to_franceconnect, persona, idp=idp)
    return service.get(back, follow_redirects=True).get_data(as_text=True)


@pytest.mark.parametrize("fc_client_registration", ["public", "private"], indirect=True)
def test_a_person_signs_in_and_out(service, fc_browser, fc_persona) -> None:
    page = sign_in(service, fc_browser, fc_persona)
    assert f"Bonjour {fc_persona.given_name} {fc_persona.family_name}" in page
    assert f'<dd data-claim="birthcountry">{fc_persona.birthcountry}</dd>' in page

    to_franceconnect = service.post("/logout").location
    back = fc_browser.sign_out(to_franceconnect)
    page = service.get(back).get_data(as_text=True)
    assert "Vous êtes déconnecté." in page
    assert "S'identifier avec FranceConnect" in page


def test_a_person_signs_in_with_france_identite_approved_on_the_phone(service, fc_browser, fc_persona) -> None:
    page = sign_in(service, fc_browser, fc_persona, idp="franceidentite")
    assert f"Bonjour {fc_persona.given_name} {fc_persona.family_name}" in page


# The mock's broken answers, and what pyoidc (the service's OpenID Connect client) says of each.
@pytest.mark.parametrize(("kind", "error"), [
    ("id_token_wrong_nonce", "ParameterError"),
    ("id_token_wrong_aud", "NotForMe"),
    ("userinfo_other_sub", "SubMismatch"),
])
def test_a_broken_answer_is_refused(service, fc_browser, fc_persona, fc_client, fc_faults, kind, error) -> None:
    fc_faults.add_fault(kind=kind, client=fc_client.client_id)
    page = sign_in(service, fc_browser, fc_persona)
    assert f"Code d'erreur&nbsp;: <code>{error}</code>" in page
    assert "Bonjour" not in page


def test_a_code_used_too_late_is_refused(service, fc_browser, fc_persona, fc_control) -> None:
    back = fc_browser.sign_in(service.get("/login").location, fc_persona)
    fc_control.advance_clock(minutes=2)  # FranceConnect's codes live 30 seconds
    page = service.get(back).get_data(as_text=True)
    assert "<code>invalid_grant</code>" in page
    assert "Bonjour" not in page
