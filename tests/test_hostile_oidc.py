"""FranceConnect and the six identity providers under hostile input: /authorize,
the chooser and its endpoints, the way back from a provider, /token, /userinfo,
/session/end, and every provider's login page, through the whole dispatcher.

Server-to-server calls (FranceConnect reading a provider's discovery document)
need a listening server, which a Flask-test-client run has not: the barrage
never picks a real provider at the chooser, and the way back from a provider
starts from the session FranceConnect keeps for it (see `pending_provider_trip`).
"""

from __future__ import annotations

import base64
import dataclasses
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.config import PROVIDER_IDS
from mock_server.federation import (
    FC_CALLBACK_PATH,
    MONCOMPTE_CALLBACK_PATH,
    MONCOMPTE_CLIENT_ID,
    MONCOMPTE_LOGGED_OUT_PATH,
    franceconnect_client,
)
from mock_server.oidc import keys
from mock_server.oidc.clients import OidcClient
from mock_server.identity_providers import BY_ID as RECORDS
from mock_server.sites import SiteDispatcher

from .hostile import (
    HTML_INJECTIONS,
    OIDC_SITES,
    URLS,
    Browser,
    basic_auth_headers,
    csrf_of,
    describe,
    drop_real_waits,
    form_pairs,
    hostile_numbers,
    hostile_text,
    jwts,
    personas_survive,
    raw_query,
)

pytestmark = [pytest.mark.hostile, pytest.mark.franceconnect, pytest.mark.filterwarnings("ignore:Generating overly large repr")]

RP = OidcClient(
    client_id="hx-rp", client_secret="hx-secret-" * 4, name="Service <script>alert('hx')</script>",
    redirect_uris=("http://rp.localhost/callback",), post_logout_redirect_uris=("http://rp.localhost/bye",),
)
PATH = {site: "/api/v2" if site == "franceconnect" else "/oidc" for site in OIDC_SITES}
AUTHORIZE_PARAMS = ("acr_values", "client_id", "nonce", "redirect_uri", "response_type", "scope", "state", "prompt")
PASSWORD_PROVIDERS = tuple(idp for idp in PROVIDER_IDS if not RECORDS[idp].approval)
END_SESSION_SITES = ("franceconnect", *(idp for idp in PROVIDER_IDS if RECORDS[idp].has_end_session))


@pytest.fixture
def oidc_app(mock_app: SiteDispatcher) -> SiteDispatcher:
    """The mock with RP registered at every issuer (FranceConnect and each provider)."""
    for issuer in OIDC_SITES:
        mock_app.store.oidc.register_client(issuer, RP)
    return mock_app


def valid_authorize(site: str, client: OidcClient = RP, **changes: str) -> dict[str, str]:
    return {"acr_values": "eidas1", "client_id": client.client_id, "nonce": "n" * 32,
            "redirect_uri": client.redirect_uris[0], "response_type": "code",
            "scope": "openid given_name family_name birthdate", "state": "s" * 32, **changes}


def start(browser: Browser, client: OidcClient = RP, **changes: str) -> str:
    """A valid authorization request at the browser's site: the id of the pending request."""
    response = browser.get(f"{PATH[browser.site]}/authorize", query_string=valid_authorize(browser.site, client, **changes))
    assert response.status_code == 302, describe(response)
    return urlsplit(response.headers["Location"]).path.rstrip("/").split("/")[-1]


def long_enough(text: str) -> str:
    """FranceConnect wants a state and a nonce of 32 characters at least."""
    return text + "s" * max(0, 32 - len(text))


def in_path(text: str) -> str:
    return quote(text, safe="") or "x"


# /authorize ------------------------------------------------------------------------


@st.composite
def authorize_requests(draw: st.DrawFn) -> dict[str, Any]:
    site = draw(st.sampled_from(OIDC_SITES))
    valid = valid_authorize(site)
    clients = [RP.client_id, MONCOMPTE_CLIENT_ID if site == "franceconnect" else "franceconnect"]
    choices = {
        "client_id": st.one_of(st.sampled_from(clients), hostile_text()),
        "redirect_uri": st.one_of(st.sampled_from([*RP.redirect_uris, "http://moncompte.localhost" + MONCOMPTE_CALLBACK_PATH]),
                                  st.sampled_from(URLS), hostile_text()),
        "prompt": st.one_of(st.sampled_from(["login", "consent", "none", "login login"]), hostile_text()),
    }
    params = {}
    for name in AUTHORIZE_PARAMS:
        kind = draw(st.sampled_from(["valid", "valid", "hostile", "left out"]))
        if kind == "valid" and name in valid:
            params[name] = valid[name]
        elif kind == "hostile":
            params[name] = draw(choices.get(name, hostile_text()))
    return {"site": site, "params": params, "mode": draw(st.sampled_from(["query", "raw", "form"])),
            "raw": draw(raw_query())}


def test_authorize_takes_hostile_parameters(oidc_app: SiteDispatcher) -> None:
    with personas_survive(oidc_app):
        @given(request=authorize_requests())
        def attempt(request: dict[str, Any]) -> None:
            browser = Browser(oidc_app, request["site"])
            path = f"{PATH[request['site']]}/authorize"
            if request["mode"] == "form":
                response = browser.post_form(path, request["params"].items(), [request["raw"]])
            else:
                query = request["params"] if request["mode"] == "query" else \
                    urlencode(request["params"]) + "&" + request["raw"]
                response = browser.get(path, query_string=query)
            if response.status_code == 302:  # on to the chooser or the provider's login page
                browser.get(response.headers["Location"])

        attempt()


# The chooser and the way back ----------------------------------------------------------


def test_chooser_endpoints_take_hostile_input(oidc_app: SiteDispatcher) -> None:
    with personas_survive(oidc_app):
        @given(name=st.one_of(st.sampled_from(HTML_INJECTIONS), hostile_text(huge=False)).filter(str.strip),
               state=hostile_text(huge=False), nonce=hostile_text(huge=False),
               # Never a provider FranceConnect knows: that would read its discovery over HTTP.
               chosen=form_pairs(("provider", "csrf_token")).filter(
                   lambda pairs: not any(name == "provider" and value in PROVIDER_IDS for name, value in pairs)),
               own_token=st.booleans(), ending=st.sampled_from(["retour", "abandon"]))
        def attempt(name: str, state: str, nonce: str, chosen, own_token: bool, ending: str) -> None:
            client = dataclasses.replace(RP, name=name)
            oidc_app.store.oidc.register_client("franceconnect", client)
            browser = Browser(oidc_app, "franceconnect")
            request_id = start(browser, client, state=long_enough(state), nonce=long_enough(nonce))
            base = f"/api/v2/interaction/{request_id}"
            token = csrf_of(browser.get(base))
            sent = [("csrf_token", token)] if own_token else []
            response = browser.post_form(f"{base}/fournisseur", [*sent, *chosen])
            assert response.status_code in (400, 413), describe(response)
            browser.get(f"{base}/connecte")
            browser.post_form(f"{base}/continuer", [*sent, *chosen])
            response = browser.get(f"{base}/{ending}")  # back to the service, with its state
            assert response.status_code == 303, describe(response)

        attempt()


def test_interaction_endpoints_take_hostile_request_ids(oidc_app: SiteDispatcher) -> None:
    with personas_survive(oidc_app):
        @given(request_id=hostile_text(), action=st.sampled_from(["", "/connecte", "/retour", "/abandon",
                                                                  "/fournisseur", "/continuer"]),
               started=st.booleans())
        def attempt(request_id: str, action: str, started: bool) -> None:
            browser = Browser(oidc_app, "franceconnect")
            if started:
                start(browser)
            method = "POST" if action in ("/fournisseur", "/continuer") else "GET"
            response = browser.open(method, f"/api/v2/interaction/{in_path(request_id)}{action}")
            # 308: "//" in the path, which the router merges into one slash.
            assert response.status_code in (308, 400, 404, 405, 414), describe(response)

        attempt()


def pending_provider_trip(app: SiteDispatcher, browser: Browser, idp: str) -> None:
    """Make `browser` a browser FranceConnect sent to `idp`: what POST …/fournisseur
    leaves in its session (the discovery it also reads needs a listening server)."""
    request_id = start(browser)
    sid = browser.client.get_cookie("franceconnect_session", domain="franceconnect.localhost").value
    data = app.store.load_session(sid)
    data.update({"fc:login": {"request_id": request_id, "idp": idp}, "fc:logout-idp": idp})
    app.store.save_session(sid, data)


def test_way_back_from_a_provider_takes_hostile_arguments(oidc_app: SiteDispatcher) -> None:
    with personas_survive(oidc_app):
        @given(idp=st.sampled_from(PROVIDER_IDS), on_the_way=st.booleans(),
               query=st.one_of(raw_query(), st.dictionaries(
                   st.sampled_from(["code", "state", "error", "error_description", "iss"]), hostile_text(),
                   max_size=4)),
               callback=st.sampled_from([FC_CALLBACK_PATH, "/api/v2/client/logout-callback"]))
        def attempt(idp: str, on_the_way: bool, query, callback: str) -> None:
            browser = Browser(oidc_app, "franceconnect")
            if on_the_way:
                pending_provider_trip(oidc_app, browser, idp)
            response = browser.get(callback, query_string=query)
            assert response.status_code in (303, 302, 400, 403), describe(response)

        attempt()


# Server-to-server endpoints --------------------------------------------------------------


@st.composite
def token_requests(draw: st.DrawFn) -> dict[str, Any]:
    site = draw(st.sampled_from(OIDC_SITES))
    auth = draw(st.sampled_from(["none", "form", "basic", "hostile basic"]))
    fields = dict(draw(st.fixed_dictionaries({}, optional={
        "grant_type": st.one_of(st.just("authorization_code"), hostile_text()),
        "code": hostile_text(),
        "redirect_uri": st.one_of(st.sampled_from(RP.redirect_uris + URLS), hostile_text()),
    })))
    pairs = list(fields.items()) + draw(form_pairs(("client_id", "client_secret", "code", "grant_type")))
    headers = {}
    if auth == "form":
        pairs = [("client_id", RP.client_id), ("client_secret", RP.client_secret), *pairs]
    elif auth == "basic":
        headers["Authorization"] = "Basic " + base64.b64encode(f"{RP.client_id}:{RP.client_secret}".encode()).decode()
    elif auth == "hostile basic":
        headers["Authorization"] = draw(basic_auth_headers())
    return {"site": site, "pairs": pairs, "headers": headers, "json": draw(st.booleans())}


def test_token_endpoint_answers_hostile_requests_with_a_json_4xx(oidc_app: SiteDispatcher) -> None:
    with personas_survive(oidc_app):
        @given(request=token_requests())
        def attempt(request: dict[str, Any]) -> None:
            browser = Browser(oidc_app, request["site"])
            path = f"{PATH[request['site']]}/token"
            if request["json"]:
                response = browser.post(path, json=dict(request["pairs"]), headers=request["headers"])
            else:
                response = browser.post_form(path, request["pairs"], headers=request["headers"])
            assert 400 <= response.status_code < 500, describe(response)
            assert response.status_code == 413 or response.mimetype == "application/json", describe(response)

        attempt()


def test_userinfo_answers_hostile_tokens_with_a_4xx(oidc_app: SiteDispatcher) -> None:
    with personas_survive(oidc_app):
        @given(site=st.sampled_from(OIDC_SITES), method=st.sampled_from(["GET", "POST"]),
               authorization=st.one_of(st.none(), basic_auth_headers()),
               query=st.one_of(st.none(), raw_query(), st.dictionaries(st.just("access_token"), hostile_text())))
        def attempt(site: str, method: str, authorization: str | None, query) -> None:
            headers = {"Authorization": authorization} if authorization is not None else {}
            response = Browser(oidc_app, site).open(method, f"{PATH[site]}/userinfo", headers=headers,
                                                    query_string=query)
            assert 400 <= response.status_code < 500, describe(response)

        attempt()


@st.composite
def id_token_hints(draw: st.DrawFn, site: str) -> str:
    """A hint this issuer never signed, or one it did sign with hostile claims."""
    if draw(st.booleans()):
        return draw(jwts())
    issuer = f"http://{site}.localhost{PATH[site]}"
    claims = draw(st.fixed_dictionaries({
        "iss": st.one_of(st.just(issuer), hostile_text(huge=False)),
        "aud": st.one_of(st.sampled_from([RP.client_id, MONCOMPTE_CLIENT_ID, "franceconnect"]), hostile_text(huge=False),
                         st.lists(st.just(RP.client_id), max_size=2)),
        "sub": hostile_text(huge=False),
    }))
    return keys.sign(site, claims, draw(st.sampled_from(keys.ALGORITHMS)))


def test_end_session_takes_hostile_hints_uris_and_states(oidc_app: SiteDispatcher) -> None:
    with personas_survive(oidc_app):
        @given(data=st.data(), site=st.sampled_from(END_SESSION_SITES))
        def attempt(data: st.DataObject, site: str) -> None:
            query = data.draw(st.fixed_dictionaries({}, optional={
                "id_token_hint": id_token_hints(site),
                "post_logout_redirect_uri": st.one_of(
                    st.sampled_from([*RP.post_logout_redirect_uris, "http://moncompte.localhost" + MONCOMPTE_LOGGED_OUT_PATH]),
                    st.sampled_from(URLS), hostile_text()),
                "state": hostile_text(),
            }))
            response = Browser(oidc_app, site).get(f"{PATH[site]}/session/end", query_string=query)
            assert response.status_code in (200, 303, 400, 414, 500), describe(response)

        attempt()


# The identity providers' own pages -----------------------------------------------------


def fc_start(app: SiteDispatcher, browser: Browser) -> str:
    """FranceConnect's authorization request at the browser's provider."""
    return start(browser, franceconnect_client(app.config))


def test_provider_login_forms_take_hostile_fields(oidc_app: SiteDispatcher) -> None:
    with personas_survive(oidc_app):
        @given(data=st.data(), idp=st.sampled_from(PASSWORD_PROVIDERS), own_token=st.booleans())
        def attempt(data: st.DataObject, idp: str, own_token: bool) -> None:
            browser = Browser(oidc_app, idp)
            request_id = fc_start(oidc_app, browser)
            token = csrf_of(browser.get(f"/connexion/{request_id}"))
            sent = [("csrf_token", token)] if own_token else []
            fields = [spec.key for spec in RECORDS[idp].fields]
            pairs = data.draw(form_pairs((*fields, "csrf_token")))
            response = browser.post_form(f"/connexion/{request_id}", [*sent, *pairs])
            # 423: Hypothesis repeats an identifier, and five refusals lock it as they should.
            assert response.status_code in (400, 401, 413, 422, 423), describe(response)
            response = browser.post_form(f"/connexion/{request_id}/annuler", [*sent, *pairs])
            assert response.status_code in (303, 400, 413), describe(response)

        attempt()


def test_france_identite_waiting_page_takes_hostile_input(oidc_app: SiteDispatcher) -> None:
    with personas_survive(oidc_app):
        @given(wait=drop_real_waits(st.one_of(hostile_numbers(), hostile_text())),
               pairs=form_pairs(("csrf_token", "code", "persona_id")), own_token=st.booleans(),
               request_id=st.one_of(st.none(), hostile_text(huge=False)))
        def attempt(wait: str, pairs, own_token: bool, request_id: str | None) -> None:
            browser = Browser(oidc_app, "franceidentite")
            real = fc_start(oidc_app, browser)
            token = csrf_of(browser.get(f"/connexion/{real}"))
            target = real if request_id is None else in_path(request_id)
            sent = [("csrf_token", token)] if own_token else []
            browser.get(f"/attente/{target}/statut", query_string={"wait": wait})
            browser.post_form(f"/attente/{target}/suite", [*sent, *pairs])
            browser.post_form(f"/connexion/{target}", [*sent, *pairs])
            browser.get(f"/attente/{target}/suite")

        attempt()


OIDC_PAGES = ("/", "/static/providers.css", "/static/franceconnect.css", "{path}/.well-known/openid-configuration",
              "{path}/jwks", "{path}/authorize", "{path}/token", "{path}/userinfo", "{path}/session/end",
              "/connexion/x", "/attente/x/statut", "{path}/oidc-callback", "{path}/interaction/x")


def test_oidc_site_pages_take_hostile_paths_queries_and_methods(oidc_app: SiteDispatcher) -> None:
    with personas_survive(oidc_app):
        @given(site=st.sampled_from(OIDC_SITES),
               path=st.one_of(st.sampled_from(OIDC_PAGES), hostile_text(huge=False).map(lambda text: "/" + in_path(text))),
               query=st.one_of(st.none(), raw_query()),
               method=st.sampled_from(["GET", "GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "FOO"]))
        def attempt(site: str, path: str, query, method: str) -> None:
            Browser(oidc_app, site).open(method, path.format(path=PATH[site]), query_string=query)

        attempt()
