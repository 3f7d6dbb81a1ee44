"""What a page of another site, open in the same browser, cannot do to the mock.

The mock runs on developers' laptops beside their everyday browser. A page on
any origin can send "simple" requests to 127.0.0.1 (no CORS preflight:
text/plain bodies, form posts) and frame any page. Chromium blocks a public
site's requests to loopback (Local Network Access), but not those of a page
served from loopback itself, such as another local dev server: here
http://attacker.localhost:<port>, a real server on 127.0.0.1, is that page; the
mock must have changed nothing and shown nothing in the frame.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from pytest_franceconnect_mock.control import ControlClient
from mock_server import texts
from mock_server.personas import Persona
from mock_server.server import ThreadedServer

pytestmark = pytest.mark.security

DONE = "requests sent"

# Every request a page may send without asking first, then a frame of the login page.
HOSTILE_PAGE = """<!doctype html><html><head><title>loading</title></head><body>
<iframe id="framed" src="{login}"></iframe>
<script>
const api = {api};
const simple = (path, body) => fetch(api + path, {{method: "POST", mode: "no-cors", body,
  headers: {{"Content-Type": "text/plain"}}}}).catch(() => null);
const framed = new Promise(done => document.getElementById("framed").addEventListener("load", done));
Promise.all([
  simple("/personas", "{{}}"),
  simple("/faults", JSON.stringify({{kind: "status", site: "moncompte", status: 503}})),
  simple("/reset", ""),
  fetch(api + "/dashboard/clock", {{method: "POST", mode: "no-cors",
    body: new URLSearchParams({{advance: "1d"}})}}).catch(() => null),
  framed,
]).then(() => {{ document.title = "{done}"; }});
</script></body></html>"""


@pytest.fixture
def hostile_site(mock_control_url: str, sites: dict[str, str]) -> Iterator[str]:
    """The hostile page, served by its own server on loopback; its URL."""
    body = HOSTILE_PAGE.format(api=json.dumps(f"{mock_control_url}/__mock__"),
                               login=sites["moncompte"] + "/connexion", done=DONE).encode()

    def app(environ: dict, start_response: Callable) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        return [body]

    with ThreadedServer(app, ident="hostile-site") as server:
        yield f"http://attacker.localhost:{server.port}/"


@pytest.mark.title("Une page d'un autre site ne peut ni modifier le simulateur ni afficher la page de connexion dans un cadre")
def test_a_page_of_another_site_cannot_change_the_mock_nor_frame_it(
        page: Page, control: ControlClient, persona: Persona, hostile_site: str) -> None:
    before = control.clock()
    page.goto(hostile_site)
    expect(page).to_have_title(DONE)
    assert [p.id for p in control.list_personas()] == [persona.id]
    assert control.faults() == []
    assert abs((control.clock() - before).total_seconds()) < 3600
    framed = page.frame_locator("#framed")
    expect(framed.get_by_role("heading", name=texts.LOGIN["title"])).to_have_count(0)
