"""French as the pages write it: "de" elided before a vowel (« déconnecté
d'impots.gouv.fr »), the providers' ordinary names inside sentences (the
chooser's buttons keep the help page's capitals), dates as 14/12/1965, and no
line break left possible before ? ! : or inside « »."""

from __future__ import annotations

import html
import re

import pytest
from flask import render_template
from markupsafe import escape
from werkzeug.test import Client

from fixtures.providers import BY_ID, PROVIDERS
from mock_server import texts
from mock_server.config import PROVIDER_IDS
from mock_server.federation import FRANCECONNECT
from mock_server.franceconnect import interaction
from mock_server.french import de, fill
from mock_server.messages import send_code
from mock_server.oidc.clients import OidcClient

FC = "http://franceconnect.localhost"
CALLBACK = "https://service.example/callback"
CLIENT = OidcClient(client_id="service-fr", client_secret="s" * 40, name="Service de test", redirect_uris=(CALLBACK,))


def text_of(markup: str) -> str:
    """What a person reads: tags out, entities decoded, white space (NBSP too) as one space."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup)))


# Elision ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("impots.gouv.fr", "d'impots.gouv.fr"),
    ("ameli.fr", "d'ameli.fr"),
    ("Assurance Maladie", "d'Assurance Maladie"),
    ("Yris", "d'Yris"),
    ("Élise", "d'Élise"),
    ("MSA", "de MSA"),
    ("France Identité", "de France Identité"),
    ("L'Identité Numérique La Poste", "de L'Identité Numérique La Poste"),
    ("Yaoundé", "de Yaoundé"),  # a Y sounded as a consonant
])
def test_de_is_elided_before_a_vowel(name, expected) -> None:
    assert de(name) == expected


def test_fill_elides_de_before_the_value_put_in_its_place() -> None:
    template = "Vous avez été déconnecté de {provider}. De {provider} aussi ; le service {provider}."
    assert fill(template, provider="impots.gouv.fr") == (
        "Vous avez été déconnecté d'impots.gouv.fr. D'impots.gouv.fr aussi ; le service impots.gouv.fr.")
    assert fill(template, provider="MSA") == "Vous avez été déconnecté de MSA. De MSA aussi ; le service MSA."
    assert fill("{n} de {n}", n="ameli.fr") == "ameli.fr d'ameli.fr"
    # "de" inside a word is no "de": "code {x}" stays.
    assert fill("un code {x}", x="a") == "un code a"


@pytest.fixture
def fc_app(mock_app):
    return mock_app.sites[FRANCECONNECT]


def logged_out_page(fc_app, idp: str, *, idp_logged_out: bool) -> str:
    with fc_app.test_request_context("/api/v2/session/end", base_url=FC):
        return text_of(render_template("logged_out.html", provider_name=interaction.provider_in_text(idp),
                                       idp_logged_out=idp_logged_out, client_name="Mon Compte", return_url="/"))


def test_logged_out_of_impots_reads_d_impots(fc_app) -> None:
    page = logged_out_page(fc_app, "impots", idp_logged_out=True)
    assert "déconnecté d'impots.gouv.fr." in page
    assert "de impots" not in page


def test_a_provider_without_remote_logout_is_named_with_the_rule_too(fc_app) -> None:
    page = logged_out_page(fc_app, "yris", idp_logged_out=False)
    assert "Yris ne permet pas la déconnexion à distance" in page
    assert "vous déconnecter d'Yris vous-même" in page


# Providers' names: capitals on the chooser's buttons only -----------------------------------


@pytest.mark.parametrize(("idp", "in_text"), [
    ("impots", "impots.gouv.fr"), ("ameli", "ameli.fr"), ("laposte", "L'Identité Numérique La Poste"),
    ("msa", "MSA"), ("yris", "Yris"), ("franceidentite", "France Identité"),
])
def test_sentences_use_the_providers_ordinary_names(idp, in_text) -> None:
    assert interaction.provider_in_text(idp) == in_text
    assert BY_ID[idp].in_text == in_text


@pytest.mark.parametrize("idp", ["yris", "franceidentite"])
def test_no_sentence_shows_a_name_in_capitals(fc_app, idp) -> None:
    shouting = texts.PROVIDERS[idp]["name"]
    assert shouting.isupper()
    for logged_out in (True, False):
        assert shouting not in logged_out_page(fc_app, idp, idp_logged_out=logged_out)
    with fc_app.test_request_context("/", base_url=FC):
        user = {"claims": {"given_name": "Léa", "family_name": "Martin"}, "idp": idp}
        connected = text_of(render_template("connected.html", request_id="r", client=CLIENT, user=user,
                                            provider_name=interaction.provider_in_text(idp), shared=[]))
    assert shouting not in connected
    assert f"avec votre compte {texts.PROVIDERS[idp]['in_text']}." in connected


def test_the_chooser_keeps_the_help_pages_capitals(mock_app) -> None:
    mock_app.store.oidc.register_client(FRANCECONNECT, CLIENT)
    fc = mock_app.sites[FRANCECONNECT].test_client()
    start = fc.get("/api/v2/authorize", base_url=FC, query_string={
        "acr_values": "eidas1", "client_id": CLIENT.client_id, "nonce": "n" * 32, "redirect_uri": CALLBACK,
        "response_type": "code", "scope": "openid given_name", "state": "s" * 32})
    chooser = fc.get(start.headers["Location"], base_url=FC).get_data(as_text=True)
    buttons = re.findall(r'<button type="submit" name="provider"[^>]*>([^<]*)</button>', chooser)
    assert [html.unescape(button) for button in buttons] == [case.name for case in PROVIDERS]
    assert "YRIS" in buttons and "FRANCE IDENTITE" in buttons


def test_the_dashboard_and_the_scenarios_use_ordinary_names(mock_app) -> None:
    from mock_server.simulation.presets import PRESETS

    assert PRESETS["franceidentite-down"].description.startswith("France Identité ")
    assert PRESETS["yris-down"].description.startswith("Yris ")
    mock_app.store.reset()
    from faker import Faker

    from mock_server.personas import generate_persona

    mock_app.store.add_persona(generate_persona(Faker("fr_FR")))
    page = mock_app.root.test_client().get("/__mock__/").get_data(as_text=True)
    for idp in PROVIDER_IDS:
        words = texts.PROVIDERS[idp]
        if words["name"] != words["in_text"]:  # the chooser's label is for the chooser
            assert str(escape(words["name"])) not in page, words["name"]
            assert str(escape(words["in_text"])) in page


# Dates --------------------------------------------------------------------------------------


def test_french_date_reads_iso_dates_and_leaves_the_rest() -> None:
    from datetime import date

    from mock_server.french import french_date

    assert french_date("1965-12-14") == "14/12/1965"
    assert french_date(date(1965, 12, 14)) == "14/12/1965"
    assert french_date("") == "" and french_date(None) is None and french_date("1965-12") == "1965-12"


IDENTITY = {"given_name": "Véronique", "family_name": "Ollivier", "birthdate": "1965-12-14", "gender": "female",
            "birthplace": "75056", "birthcountry": "99100"}


def test_mon_comptes_franceconnect_identity_shows_the_birth_date_in_french(mock_app, persona) -> None:
    app = mock_app.sites["moncompte"]
    with app.test_request_context("/mon-compte/", base_url="http://moncompte.localhost"):
        page = text_of(render_template("account.html", persona=persona, fc_identity=IDENTITY))
    assert "14/12/1965" in page and "1965-12-14" not in page


def test_mon_comptes_no_account_page_shows_the_birth_date_in_french(mock_app) -> None:
    app = mock_app.sites["moncompte"]
    with app.test_request_context("/connexion/franceconnect/retour", base_url="http://moncompte.localhost"):
        page = text_of(render_template("franceconnect_no_account.html", identity=IDENTITY))
    assert "née ou né le 14/12/1965" in page and "1965-12-14" not in page


def test_franceconnects_connected_page_shows_the_birth_date_in_french(fc_app) -> None:
    with fc_app.test_request_context("/", base_url=FC):
        user = {"claims": IDENTITY, "idp": "ameli"}
        page = text_of(render_template("connected.html", request_id="r", client=CLIENT, user=user,
                                       provider_name="ameli.fr", shared=list(IDENTITY.items())))
    assert "14/12/1965" in page and "1965-12-14" not in page


def test_mon_comptes_profile_shows_the_birth_date_in_french(client, persona) -> None:
    from .conftest import post_login

    assert post_login(client, persona.nir, persona.password).status_code == 302
    page = text_of(client.get("/mon-compte/mes-informations").get_data(as_text=True))
    year, month, day = persona.birthdate.split("-")
    assert f"{day}/{month}/{year}" in page and persona.birthdate not in page


# No line break before ? ! : ; nor inside « » ---------------------------------------------------

# A plain space before French "?", "!", ":", ";" or inside « »: a browser may wrap there
# and leave the mark alone at the start of a line.
BREAKABLE = re.compile(r"[ \t\n][?!:;](?![\w/])|« |[ \t\n]»")


def every_text(value, where: str):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from every_text(item, f"{where}[{key!r}]")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from every_text(item, f"{where}[{index}]")


def test_no_text_can_break_before_a_french_mark() -> None:
    found = [(where, text) for name in dir(texts) if name.isupper()
             for where, text in every_text(getattr(texts, name), name) if BREAKABLE.search(text)]
    assert found == [], f"{len(found)} texts with a plain space before ? ! : ; or inside « », first: {found[:3]}"


def test_the_scan_finds_a_plain_space() -> None:
    assert BREAKABLE.search("Mot de passe oublié ?")
    assert BREAKABLE.search("« Renvoyer le code »")
    assert not BREAKABLE.search("Mot de passe oublié\u00a0?")
    assert not BREAKABLE.search("«\u00a0Renvoyer le code\u00a0»")
    assert not BREAKABLE.search("http://example.org/?a=1")


def visible_text_nodes(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return "\n".join(html.unescape(node) for node in re.findall(r">([^<]+)<", page))


@pytest.mark.parametrize(("base", "path"), [
    ("http://moncompte.localhost", "/"), ("http://moncompte.localhost", "/connexion"),
    ("http://moncompte.localhost", "/mot-de-passe-oublie"), ("http://moncompte.localhost", "/aide/tutoriel"),
    ("http://ameli.localhost", "/"), ("http://127.0.0.1", "/"), ("http://127.0.0.1", "/__mock__/"),
    ("http://127.0.0.1", "/__mock__/outbox"), ("http://127.0.0.1", "/__mock__/franceidentite"),
])
def test_pages_leave_no_plain_space_before_a_french_mark(mock_app, add_persona, base, path) -> None:
    persona = add_persona()  # with a message of each kind, for the outbox and the dashboard
    send_code(mock_app.store, persona, channel="sms", code="123456", purpose="reset")
    send_code(mock_app.store, persona, channel="mail", code="654321", purpose="reset")
    response = Client(mock_app).get(path, base_url=base, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    lines = visible_text_nodes(response.get_data(as_text=True)).splitlines()
    assert [line for line in lines if BREAKABLE.search(line)] == []
