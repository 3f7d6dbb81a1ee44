"""A strict certified client signs people in and out with the mock FranceConnect.

examples/node_client/ is a relying party on node:http using panva's openid-client 6
(OpenID Certified) with every check on: state, nonce, PKCE S256, max_age, `iss` on the
authorization response when discovery announces it, the id_token's signature against
the JWKS, acr, at_hash, the signed userinfo's signature and sub, client_secret_post.
It runs as its own Node process on a free port, registered through the control API,
reached by the browser as http://rp.localhost:<port>.

Node and the example's packages come from `bash scripts/setup-node-client.sh`: without
them these tests fail, saying so (they are part of `make test`, never skipped).
"""

from __future__ import annotations

import os
import re
import secrets
import selectors
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, expect

from pytest_franceconnect_mock.control import ControlClient
from fixtures.providers import BY_ID
from mock_server import texts
from mock_server.oidc.broken_answers import BROKEN_ANSWERS
from mock_server.personas import Persona

from .pages import ChooserPage, ConnectedPage, FcLoggedOutPage
from .pages.identity_provider import ProviderLoginPage

pytestmark = pytest.mark.franceconnect

NODE_CLIENT = Path(__file__).resolve().parents[1] / "examples" / "node_client"
SETUP = "bash scripts/setup-node-client.sh"
NODE_MIN = (20, 18, 1)  # openid-client 6 wants Node 20; undici 7, 20.18.1
START_SECONDS = 20
SERVICE = "Service Node"
FC = texts.FRANCECONNECT
IMPOTS = BY_ID["impots"]


def node_or_fail() -> str:
    """Node and the example's packages, or a failure naming the setup command."""
    node = shutil.which("node")
    if node is None:
        pytest.fail(f"Node.js is not installed: run `{SETUP}` (it installs Node.js with apt when run as root "
                    "on Debian/Ubuntu, or says what to install; then the example's packages)", pytrace=False)
    found = subprocess.run([node, "-p", "process.versions.node"], capture_output=True, text=True, check=True).stdout
    version = tuple(int(part) for part in found.strip().split("."))
    if version < NODE_MIN:
        pytest.fail(f"Node.js {found.strip()} is too old for openid-client 6 and undici 7 "
                    f"(needs {'.'.join(map(str, NODE_MIN))} or newer): install a newer Node, then run `{SETUP}`",
                    pytrace=False)
    for package in ("openid-client", "undici"):
        if not (NODE_CLIENT / "node_modules" / package / "package.json").is_file():
            pytest.fail(f"examples/node_client/node_modules has no {package}: run `{SETUP}`", pytrace=False)
    return node


def wait_until_listening(process: subprocess.Popen[str], errors: Path) -> str:
    """The base URL the client prints once discovery is read and its port bound."""
    with selectors.DefaultSelector() as selector:
        assert process.stdout is not None
        selector.register(process.stdout, selectors.EVENT_READ)
        ready = selector.select(timeout=START_SECONDS)
    line = process.stdout.readline() if ready else ""
    found = re.fullmatch(r"listening on (http://\S+)\n", line)
    if found is None:
        process.kill()
        process.wait()
        why = f"it printed {line!r}" if line else f"nothing within {START_SECONDS} s"
        pytest.fail(f"the Node client did not start ({why}); its stderr:\n{errors.read_text()}", pytrace=False)
    return found.group(1)


@dataclass(frozen=True)
class NodeClient:
    base_url: str
    client_id: str


@pytest.fixture
def node_client(control: ControlClient, sites: dict[str, str], tmp_path: Path) -> Iterator[NodeClient]:
    node = node_or_fail()
    issuer = sites["franceconnect"] + "/api/v2"
    client_id, client_secret = f"service-node-{uuid.uuid4().hex[:8]}", secrets.token_urlsafe(32)
    errors = tmp_path / "node-client.stderr"
    env = {**os.environ, "FC_ISSUER": issuer, "FC_CLIENT_ID": client_id, "FC_CLIENT_SECRET": client_secret,
           "APP_NAME": SERVICE, "APP_HOST": "rp.localhost", "PORT": "0"}
    with errors.open("w") as stderr:
        process = subprocess.Popen([node, "server.js"], cwd=NODE_CLIENT, env=env, text=True,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr)
    registered = False
    try:
        base_url = wait_until_listening(process, errors)
        answer = control.register_fc_client(
            client_id=client_id, client_secret=client_secret, name=SERVICE,
            redirect_uris=[f"{base_url}/callback"], post_logout_redirect_uris=[f"{base_url}/logged-out"])
        registered = True
        assert answer["issuer"] == issuer
        yield NodeClient(base_url, client_id)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
        if registered:
            control.delete_fc_client(client_id)
        if errors.stat().st_size:  # shown with a failure: what the client logged
            print(f"node client's stderr:\n{errors.read_text()}")


def sign_in_button(page: Page):
    return page.get_by_role("button", name="S'identifier avec FranceConnect", exact=True)


def refusal(page: Page):
    return page.get_by_role("alert")


@pytest.mark.title("openid-client (Node, certifié OpenID) connecte une personne avec le FranceConnect simulé et impots.gouv.fr, "
                   "lit ses informations puis la déconnecte, tous ses contrôles actifs")
def test_certified_client_signs_in_reads_userinfo_and_logs_out(page: Page, node_client: NodeClient,
                                                                persona: Persona, through_franceconnect) -> None:
    page.goto(f"{node_client.base_url}/")
    sign_in_button(page).click()

    expect(page.get_by_text(FC["intro"].format(service=SERVICE), exact=True)).to_be_visible()
    through_franceconnect(IMPOTS, persona)

    # The client accepted the answer: every check passed, then the signed userinfo's.
    expect(refusal(page)).to_have_count(0)
    expect(page.get_by_role("heading", name=f"Bonjour {persona.given_name} {persona.family_name}",
                            exact=True)).to_be_visible()
    expect(page).to_have_url(f"{node_client.base_url}/")
    for claim in ("given_name", "family_name", "birthdate", "birthcountry", "email"):
        expect(page.locator(f'dd[data-claim="{claim}"]')).to_have_text(str(getattr(persona, claim)))
    expect(page.locator('dd[data-id-token="acr"]')).to_have_text("eidas1")

    page.get_by_role("button", name="Se déconnecter", exact=True).click()
    fc_logged_out = FcLoggedOutPage(page, SERVICE)
    expect(fc_logged_out.title).to_be_visible()
    expect(fc_logged_out.logged_out_of(IMPOTS)).to_be_visible()
    fc_logged_out.back_to_service.click()

    # Back with the state the client sent, which it checked.
    expect(page.get_by_role("status")).to_have_text("Vous êtes déconnecté.")
    expect(page).to_have_url(re.compile(re.escape(f"{node_client.base_url}/logged-out?state=") + r"[\w-]{43}$"))
    # FranceConnect's session is over too: the next sign-in starts at the chooser again.
    sign_in_button(page).click()
    expect(ChooserPage(page).title).to_be_visible()


@dataclass(frozen=True)
class Forgery:
    """An authorization answer forged elsewhere, wrong in one parameter only."""
    wrong: str      # what is wrong, in the scenario's title
    parameter: str  # the parameter, which openid-client's refusal names
    value: str


FORGERIES = (
    Forgery("dont le state n'est pas celui qu'il a envoyé", "state", secrets.token_urlsafe(32)),
    Forgery("venue d'un autre émetteur (iss, RFC 9207)", "iss", "http://idp.attaquant.localhost/api/v2"),
)


@pytest.mark.parametrize("forgery", FORGERIES, ids=lambda forgery: forgery.parameter)
@pytest.mark.title("openid-client refuse une réponse d'autorisation {forgery.wrong}")
def test_certified_client_refuses_a_forged_authorization_answer(page: Page, node_client: NodeClient,
                                                                sites: dict[str, str], forgery: Forgery) -> None:
    page.goto(f"{node_client.base_url}/")
    with page.expect_request(lambda request: "/api/v2/authorize?" in request.url) as authorize:
        sign_in_button(page).click()
    expect(ChooserPage(page).title).to_be_visible()  # a sign-in is under way: its state is kept

    # This sign-in's state and FranceConnect's issuer, then one of them replaced.
    sent = parse_qs(urlsplit(authorize.value.url).query)
    answer = {"code": secrets.token_urlsafe(32), "state": sent["state"][0], "iss": sites["franceconnect"] + "/api/v2"}
    page.goto(f"{node_client.base_url}/callback?{urlencode({**answer, forgery.parameter: forgery.value})}")

    expect(refusal(page).get_by_role("heading")).to_have_text("La connexion avec FranceConnect n'a pas abouti.")
    expect(refusal(page).locator('[data-error="description"]')).to_contain_text(f'unexpected "{forgery.parameter}"')
    page.get_by_role("link", name="Retour à l'accueil").click()
    expect(sign_in_button(page)).to_be_visible()  # nobody signed in


@pytest.mark.title("« Revenir sur Service Node » depuis FranceConnect : openid-client montre le refus access_denied")
def test_going_back_from_fc_shows_access_denied_in_the_node_client(page: Page, node_client: NodeClient) -> None:
    page.goto(f"{node_client.base_url}/")
    sign_in_button(page).click()
    expect(ChooserPage(page).title).to_be_visible()
    page.get_by_role("link", name=FC["back_to_service"].format(service=SERVICE)).click()

    expect(refusal(page).get_by_role("heading")).to_have_text("La connexion avec FranceConnect n'a pas abouti.")
    expect(refusal(page).locator('[data-error="code"]')).to_have_text("access_denied")





# What openid-client (or, for acr and at_hash, the example beside it) says of each broken
# answer the mock can give (README's fault table): a new kind needs its line here.
REFUSALS = {
    "id_token_unknown_key": "no applicable keys found",
    "id_token_alg_none": 'unexpected JWT "alg" header parameter',
    "id_token_wrong_iss": 'unexpected JWT "iss" (issuer) claim value',
    "id_token_wrong_aud": 'unexpected JWT "aud" (audience) claim value',
    "id_token_wrong_nonce": 'unexpected ID Token "nonce" claim value',
    "id_token_no_nonce": 'JWT "nonce" (nonce) claim missing',
    "id_token_expired": 'unexpected JWT "exp" (expiration time) claim value',
    "id_token_wrong_acr": 'acr "eidas2" is not the eidas1 requested',
    "id_token_no_at_hash": "the id_token has no at_hash",
    "userinfo_other_key": "no applicable keys found",
    "userinfo_other_sub": 'unexpected "response" body "sub" property value',
    # openid-client fetches the JWKS again for an unknown kid only when its copy is 60 s
    # old or more: a key published the moment it first signs, as this fault does, is refused.
    "jwks_rotated": "no applicable keys found",
}


@pytest.mark.title("openid-client refuse chacune des réponses cassées du FranceConnect simulé (table des pannes), "
                   "puis accepte la bonne")
def test_certified_client_refuses_every_broken_answer(page: Page, node_client: NodeClient, persona: Persona,
                                                      faults: ControlClient) -> None:
    assert set(BROKEN_ANSWERS) <= set(REFUSALS), "a broken answer without its expected refusal: add it to REFUSALS"
    connected = ConnectedPage(page)
    said: dict[str, str] = {}
    for kind in BROKEN_ANSWERS:
        faults.add_fault(kind=kind, client=node_client.client_id)  # this client's next login only
        page.goto(f"{node_client.base_url}/login")
        if not said:  # the first time, a login at the provider; then FranceConnect's session (SSO)
            ChooserPage(page).choose(IMPOTS.name)
            ProviderLoginPage(page, IMPOTS).log_in(persona)
        connected.continue_to_service()
        outcome = refusal(page).or_(page.get_by_role("heading", name=re.compile("^Bonjour ")))
        expect(outcome).to_be_visible()
        said[kind] = outcome.inner_text()
    assert {kind: REFUSALS[kind] in text for kind, text in said.items()} == dict.fromkeys(BROKEN_ANSWERS, True), said

    # Nothing is left broken: the next answer is the right one, and accepted.
    page.goto(f"{node_client.base_url}/login")
    connected.continue_to_service()
    expect(page.get_by_role("heading", name=f"Bonjour {persona.given_name} {persona.family_name}",
                            exact=True)).to_be_visible()
