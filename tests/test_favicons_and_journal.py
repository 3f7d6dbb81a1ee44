"""Every site has its icon (no red "404 /favicon.ico" in the journal after each
first page load), the journal can leave out static files, and each entry keeps
the name of the persona it was from."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from werkzeug.test import Client

from pytest_franceconnect_mock.control import ControlClient
from mock_server import texts
from mock_server.config import PROVIDER_IDS, SITES
from mock_server.sites import SiteDispatcher

ROOT = "http://127.0.0.1"
ICON_LINK = re.compile(r'<link rel="icon"[^>]* href="/favicon\.ico"')
WORDS = texts.DASHBOARD


@pytest.fixture
def web(mock_app: SiteDispatcher) -> Client:
    return Client(mock_app)


def visit(web: Client, url: str, **options):
    """GET (or another method) a full URL; closed, so the journal has it."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    response = web.open(path, base_url=f"{parts.scheme}://{parts.netloc}", **options)
    response.get_data()
    response.close()
    return response


def site(name: str) -> str:
    return f"http://{name}.localhost"


def journal(web: Client, query: str = "") -> list[dict]:
    response = web.get(f"/__mock__/journal{query}", base_url=ROOT)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


# Favicons --------------------------------------------------------------------------------


@pytest.mark.parametrize("base", [*(site(name) for name in SITES), ROOT, "http://localhost"])
def test_every_site_and_the_control_plane_answer_a_small_icon(web, base) -> None:
    response = visit(web, f"{base}/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    body = response.get_data(as_text=True)
    assert body.startswith("<svg") and len(body) < 2000
    assert "no-store" not in response.headers.get("Cache-Control", "")


def icon(web: Client, base: str) -> bytes:
    response = visit(web, f"{base}/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml", base
    return response.get_data()


def test_each_family_of_sites_has_its_own_colour(web) -> None:
    icons = {name: icon(web, base) for name, base in (
        ("moncompte", site("moncompte")), ("franceconnect", site("franceconnect")),
        ("provider", site("ameli")), ("control", ROOT))}
    assert len(set(icons.values())) == 4


def test_the_providers_icons_differ_from_one_another(web) -> None:
    icons = {icon(web, site(name)) for name in PROVIDER_IDS}
    assert len(icons) == len(PROVIDER_IDS)


@pytest.mark.parametrize("url", [
    f"{site('moncompte')}/", f"{site('moncompte')}/connexion", f"{site('moncompte')}/nulle-part",
    f"{site('franceconnect')}/", f"{site('franceconnect')}/nulle-part",
    *(f"{site(name)}/" for name in PROVIDER_IDS), f"{site('ameli')}/nulle-part",
    f"{ROOT}/", f"{ROOT}/__mock__/", f"{ROOT}/__mock__/franceidentite", f"{ROOT}/nulle-part",
])
def test_every_page_links_its_icon(web, url) -> None:
    body = visit(web, url, headers={"Accept": "text/html"}).get_data(as_text=True)
    assert ICON_LINK.search(body), url


def test_the_outbox_page_links_its_icon(web) -> None:
    body = visit(web, f"{ROOT}/__mock__/outbox", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert ICON_LINK.search(body)


def test_a_first_page_load_leaves_no_error_in_the_journal(web) -> None:
    for name in ("moncompte", "franceconnect", "impots"):
        visit(web, f"{site(name)}/")
        visit(web, f"{site(name)}/favicon.ico")  # what a browser asks next
    assert [entry for entry in journal(web) if entry["status"] >= 400] == []


# The journal without static files -----------------------------------------------------------


@pytest.fixture
def page_and_its_files(web) -> list[str]:
    for path in ("/connexion", "/static/style.css", "/favicon.ico", "/statique"):
        visit(web, f"{site('moncompte')}{path}")
    return ["/connexion", "/static/style.css", "/favicon.ico", "/statique"]


@pytest.mark.parametrize("value", ["false", "0", "False", "FALSE"])
def test_static_false_leaves_out_static_files_and_the_icon(web, page_and_its_files, value) -> None:
    assert [entry["path"] for entry in journal(web, f"?static={value}")] == ["/connexion", "/statique"]


@pytest.mark.parametrize("query", ["", "?static=true", "?static=1", "?static=TRUE"])
def test_static_files_are_kept_by_default_and_with_true(web, page_and_its_files, query) -> None:
    assert [entry["path"] for entry in journal(web, query)] == page_and_its_files


@pytest.mark.parametrize("value", ["", "non", "yes", "2", "true,false"])
def test_a_bad_static_value_is_refused_naming_it(web, page_and_its_files, assert_named, value) -> None:
    assert_named(web.get(f"/__mock__/journal?static={value}", base_url=ROOT), "static")


def test_static_false_keeps_the_limit_on_what_is_left(web, page_and_its_files) -> None:
    assert [entry["path"] for entry in journal(web, "?static=false&limit=1")] == ["/statique"]


def test_the_typed_client_sends_static_false(mock_app, web, page_and_its_files) -> None:
    control = ControlClient(ROOT, app=mock_app)
    try:
        assert [entry["path"] for entry in control.journal(static=False)] == ["/connexion", "/statique"]
        assert len(control.journal(static=True)) == 4
        after = control.journal()[0]["id"]
        assert [entry["path"] for entry in control.journal(after=after, limit=5, static=False)] == ["/statique"]
    finally:
        control.close()


# The persona's name ----------------------------------------------------------------------


def test_each_entry_keeps_the_personas_name_even_once_it_is_deleted(web, add_persona, store) -> None:
    persona = add_persona()
    visit(web, f"{site('moncompte')}/")
    visit(web, f"{site('moncompte')}/connexion", method="POST", data={"nir": persona.nir, "password": "x"})
    store.delete_persona(persona.id)
    anonymous, typed = journal(web)
    assert anonymous["persona"] is None and anonymous["persona_name"] is None
    assert typed["persona"] == persona.id
    assert typed["persona_name"] == persona.display_name


# The dashboard's journal -----------------------------------------------------------------


def dashboard_journal(web: Client, query: str = "") -> str:
    body = visit(web, f"{ROOT}/__mock__/{query}").get_data(as_text=True)
    return body.split('data-live="journal"', 1)[1].split("</section>", 1)[0]


def test_the_dashboard_hides_static_files_unless_asked(web, page_and_its_files) -> None:
    hidden = dashboard_journal(web)
    assert "/connexion<" in hidden and "/statique<" in hidden
    assert "/static/style.css" not in hidden and "/favicon.ico" not in hidden
    shown = dashboard_journal(web, "?static=1")
    assert "/static/style.css" in shown and "/favicon.ico" in shown


def test_the_dashboard_links_to_showing_and_hiding_static_files(web) -> None:
    body = visit(web, f"{ROOT}/__mock__/").get_data(as_text=True)
    assert 'href="/__mock__/?static=1#journal"' in body
    assert WORDS["journal_show_static"] in body
    body = visit(web, f"{ROOT}/__mock__/?static=1").get_data(as_text=True)
    assert 'href="/__mock__/#journal"' in body
    assert WORDS["journal_hide_static"] in body


def test_the_dashboard_names_the_persona_even_once_it_is_deleted(web, add_persona, store) -> None:
    persona = add_persona()
    visit(web, f"{site('moncompte')}/connexion", method="POST", data={"nir": persona.nir, "password": "x"})
    store.delete_persona(persona.id)
    assert persona.display_name in dashboard_journal(web)


# Static files kept by the browser ----------------------------------------------------------


def test_static_files_are_addressed_by_digest_and_kept_for_a_year(web) -> None:
    """A page links its stylesheet under the file's digest, which may be cached for a year;
    the page itself is never stored."""
    page = visit(web, site("moncompte") + "/connexion")
    link = re.search(r'href="(/static/style\.css\?v=[0-9a-f]{12})"', page.get_data(as_text=True))
    assert link is not None and page.headers["Cache-Control"] == "no-store"
    stylesheet = visit(web, site("moncompte") + link.group(1))
    assert stylesheet.status_code == 200
    assert stylesheet.headers["Cache-Control"] == "public, max-age=31536000"


def test_a_changed_file_gets_another_address(tmp_path) -> None:
    from mock_server.static_files import digest_of

    (tmp_path / "style.css").write_text(".menu-bar { background: blue; }")
    before = digest_of(str(tmp_path), "style.css")
    (tmp_path / "style.css").write_text(".menu-bar { background: green; }")
    assert digest_of(str(tmp_path), "style.css") not in (before, None)
    assert digest_of(str(tmp_path), "missing.css") is None
