"""FranceConnect's provider endpoints as FranceConnect v2 answers them: authorize
errors (its error page or a redirect to the client), token, userinfo, session/end."""

from __future__ import annotations

import html as html_lib
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import KeySet

from mock_server import texts
from mock_server.federation import FRANCECONNECT
from mock_server.oidc.clients import OidcClient
from mock_server.oidc.state import Grant
from mock_server.sites import SiteDispatcher

FC = "http://franceconnect.localhost"
CALLBACK = "https://service.example/callback"
CLIENT = OidcClient(
    client_id="test-service", client_secret="s3cret-" * 5, name="Service de test",
    redirect_uris=(CALLBACK,), post_logout_redirect_uris=("https://service.example/bye",),
)
VALID = {
    "acr_values": "eidas1",
    "client_id": CLIENT.client_id,
    "nonce": "n" * 32,
    "redirect_uri": CALLBACK,
    "response_type": "code",
    "scope": "openid given_name family_name birthdate",
    "state": "s" * 32,
}
TECHNICAL_ERROR = "Une erreur technique est survenue, fermez l’onglet de votre navigateur et reconnectez-vous."


@pytest.fixture
def fc(mock_app: SiteDispatcher) -> FlaskClient:
    mock_app.store.oidc.register_client(FRANCECONNECT, CLIENT)
    return mock_app.sites["franceconnect"].test_client()


def authorize(fc: FlaskClient, **changes: str | None):
    params = {**VALID, **changes}
    return fc.get("/api/v2/authorize", query_string={k: v for k, v in params.items() if v is not None}, base_url=FC)


def redirect_params(response) -> dict[str, str]:
    location = response.headers["Location"]
    assert location.startswith(CALLBACK), location
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def assert_error_page(response, status: int, code: str, message: str = TECHNICAL_ERROR) -> None:
    assert response.status_code == status
    assert response.mimetype == "text/html"
    html = html_lib.unescape(response.get_data(as_text=True))
    assert texts.FRANCECONNECT["error_code"].format(code=code) in html
    assert message in html
    assert "Location" not in response.headers


def test_valid_request_leads_to_the_provider_chooser(fc) -> None:
    response = authorize(fc)
    assert response.status_code == 302
    assert "/api/v2/interaction/" in response.headers["Location"]


@pytest.mark.parametrize("prompt", ["login", "consent", "login consent", "consent login"])
def test_prompt_values_fc_accepts(fc, prompt) -> None:
    assert authorize(fc, prompt=prompt).status_code == 302


@pytest.mark.parametrize("param", ["acr_values", "client_id", "nonce", "redirect_uri", "response_type", "scope", "state"])
def test_missing_parameter_is_y030007(fc, param) -> None:
    assert_error_page(authorize(fc, **{param: None}), 400, "Y030007")


@pytest.mark.parametrize("changes", [
    {"prompt": ""}, {"prompt": "none"}, {"prompt": "select_account"},
    {"nonce": ""}, {"nonce": "nonce_trop_court"}, {"state": "s" * 31},
    {"client_id": ""}, {"acr_values": "eidas3"},
], ids=lambda changes: "-".join(f"{k}={v!r}" for k, v in changes.items()))
def test_malformed_parameter_is_y030007(fc, changes) -> None:
    assert_error_page(authorize(fc, **changes), 400, "Y030007")


def test_long_nonce_with_symbols_is_fine(fc) -> None:
    assert authorize(fc, nonce="nonceatleastsixtyfourcharacterss@#&nonceatleastsixtyfourcharacterss").status_code == 302


@pytest.mark.parametrize("client_id", ["inconnu", "my-service-provider-deactivated"])
def test_unknown_client_is_y030106_without_redirect(fc, client_id) -> None:
    assert_error_page(authorize(fc, client_id=client_id), 500, "Y030106", "invalid_client")


def test_unregistered_redirect_uri_is_y030118_without_redirect(fc) -> None:
    response = authorize(fc, redirect_uri="https://my-malicious-url.fr/callback")
    assert_error_page(response, 500, "Y030118", "invalid_redirect_uri")
    assert "my-malicious-url" not in response.get_data(as_text=True)


@pytest.mark.parametrize(("response_type", "error", "description"), [
    ("", "invalid_request", "missing required parameter 'response_type'"),
    ("inconnu", "unsupported_response_type", "unsupported response_type requested"),
    ("id_token", "unsupported_response_type", "unsupported response_type requested"),
    ("code token", "unsupported_response_type", "unsupported response_type requested"),
])
def test_response_type_errors_go_back_to_the_client(fc, response_type, error, description) -> None:
    response = authorize(fc, response_type=response_type)
    assert response.status_code == 303
    assert redirect_params(response) == {"error": error, "error_description": description, "state": VALID["state"],
                                         "iss": f"{FC}/api/v2"}


@pytest.mark.parametrize("scope", ["", "profile"])
def test_scope_without_openid_goes_back_to_the_client(fc, scope) -> None:
    response = authorize(fc, scope=scope)
    assert response.status_code == 303
    params = redirect_params(response)
    assert params["error"] == "invalid_request"
    assert params["error_description"] == "openid scope must be requested when using the acr_values parameter"


def test_interaction_page_of_another_browser_is_refused(fc, mock_app) -> None:
    location = authorize(fc).headers["Location"]
    stranger = mock_app.sites["franceconnect"].test_client()
    assert_error_page(stranger.get(location, base_url=FC), 400, "Y150003")


def test_discovery_document_advertises_fc_v2_endpoints(fc) -> None:
    metadata = fc.get("/api/v2/.well-known/openid-configuration", base_url=FC).get_json()
    assert metadata["issuer"] == f"{FC}/api/v2"
    for name, path in [("authorization_endpoint", "authorize"), ("token_endpoint", "token"),
                       ("userinfo_endpoint", "userinfo"), ("end_session_endpoint", "session/end"), ("jwks_uri", "jwks")]:
        assert metadata[name] == f"{FC}/api/v2/{path}"
    assert metadata["response_types_supported"] == ["code"]
    assert metadata["acr_values_supported"] == ["eidas1"]
    assert set(metadata["id_token_signing_alg_values_supported"]) == {"ES256", "RS256"}
    assert "birthplace" in metadata["claims_supported"] and "identite_pivot" in metadata["scopes_supported"]


# Token and userinfo, from a code the provider issued -------------------------------------


def issue_code(mock_app: SiteDispatcher, *, client_id: str = CLIENT.client_id, scope=("openid", "given_name", "birthdate")) -> str:
    grant = Grant(issuer=FRANCECONNECT, client_id=client_id, redirect_uri=CALLBACK, scope=scope, nonce="n" * 32,
                  sub="sub-123", claims={"given_name": "Angela", "family_name": "Dubois", "birthdate": "1962-08-24"},
                  acr="eidas1", amr=("pwd",), auth_time=1_700_000_000)
    return mock_app.store.oidc.issue_code(grant, timedelta(seconds=30))


def token_request(fc: FlaskClient, code: str, **changes: str):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
            "client_id": CLIENT.client_id, "client_secret": CLIENT.client_secret, **changes}
    return fc.post("/api/v2/token", data=data, base_url=FC)


def fc_keys(fc: FlaskClient) -> KeySet:
    return KeySet.import_key_set(fc.get("/api/v2/jwks", base_url=FC).get_json())


def test_token_answers_fc_v2s_five_properties(fc, mock_app) -> None:
    response = token_request(fc, issue_code(mock_app))
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"access_token", "expires_in", "id_token", "scope", "token_type"}
    assert body["expires_in"] == 60 and body["token_type"] == "Bearer"
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    token = jwt.decode(body["id_token"], fc_keys(fc), algorithms=["ES256"])
    assert token.header["kid"]
    claims = token.claims
    assert claims["iss"] == f"{FC}/api/v2" and claims["aud"] == CLIENT.client_id
    assert claims["acr"] == "eidas1" and claims["nonce"] == "n" * 32
    assert "amr" not in claims  # only when the client asks for it (claims parameter)
    assert {"sub", "auth_time", "at_hash", "exp", "iat"} <= set(claims)


def test_token_with_wrong_secret_is_invalid_client(fc, mock_app) -> None:
    response = token_request(fc, issue_code(mock_app), client_secret="wrong-client-secret")
    assert response.status_code == 401
    body = response.get_json()
    assert body["error"] == "invalid_client"
    assert body["error_description"] == "client authentication failed (invalid secret provided)"
    assert body["error_uri"].startswith(
        "https://docs.partenaires.franceconnect.gouv.fr/fs/fs-technique/fs-technique-erreurs/?code=Y0434A7B&id=")
    assert "WWW-Authenticate" not in response.headers


def test_token_with_basic_authentication_is_refused(fc, mock_app) -> None:
    """FranceConnect allows client_secret_post and private_key_jwt only."""
    code = issue_code(mock_app)
    response = fc.post("/api/v2/token", base_url=FC, auth=(CLIENT.client_id, CLIENT.client_secret),
                       data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK})
    assert response.status_code == 401
    assert response.get_json()["error"] == "invalid_client"
    assert "does not match the registered client authentication method" in response.get_json()["error_description"]


def test_code_is_single_use_and_a_replay_revokes_its_token(fc, mock_app) -> None:
    code = issue_code(mock_app)
    access_token = token_request(fc, code).get_json()["access_token"]
    replay = token_request(fc, code)
    assert replay.status_code == 400
    assert replay.get_json()["error"] == "invalid_grant"
    response = fc.get("/api/v2/userinfo", headers={"Authorization": f"Bearer {access_token}"}, base_url=FC)
    assert response.status_code == 401


def test_code_expires_after_30_seconds(fc, mock_app) -> None:
    code = issue_code(mock_app)
    mock_app.store.clock.advance(timedelta(seconds=31))
    response = token_request(fc, code)
    assert response.status_code == 400
    assert response.get_json()["error"] == "invalid_grant"
    assert response.get_json()["error_description"] == "grant request is invalid (authorization code is expired)"


def test_code_for_another_redirect_uri_or_client_is_refused(fc, mock_app) -> None:
    assert token_request(fc, issue_code(mock_app), redirect_uri="https://service.example/other").status_code == 400
    other = OidcClient(client_id="other", client_secret="x" * 32, name="Autre", redirect_uris=(CALLBACK,))
    mock_app.store.oidc.register_client(FRANCECONNECT, other)
    response = token_request(fc, issue_code(mock_app), client_id="other", client_secret="x" * 32)
    assert response.get_json()["error"] == "invalid_grant"


def test_userinfo_is_a_signed_jwt_with_the_granted_claims(fc, mock_app) -> None:
    access_token = token_request(fc, issue_code(mock_app)).get_json()["access_token"]
    response = fc.get("/api/v2/userinfo", headers={"Authorization": f"Bearer {access_token}"}, base_url=FC)
    assert response.status_code == 200
    assert response.mimetype == "application/jwt"
    claims = jwt.decode(response.get_data(as_text=True), fc_keys(fc), algorithms=["ES256"]).claims
    assert claims["sub"] == "sub-123" and claims["aud"] == CLIENT.client_id
    assert claims["given_name"] == "Angela" and claims["birthdate"] == "1962-08-24"
    assert "family_name" not in claims  # not in the granted scope
    assert not {"acr", "amr", "nonce"} & set(claims)


def test_access_token_expires_after_60_seconds(fc, mock_app) -> None:
    access_token = token_request(fc, issue_code(mock_app)).get_json()["access_token"]
    mock_app.store.clock.advance(timedelta(seconds=61))
    response = fc.get("/api/v2/userinfo", headers={"Authorization": f"Bearer {access_token}"}, base_url=FC)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert response.get_json()["error_description"] == "invalid token provided (access token is expired)"


@pytest.mark.parametrize(("header", "status"), [(None, 401), ("Bearer", 400), ("Bearer not-a-token", 401),
                                               ("Basic abc", 400)])
def test_userinfo_without_a_valid_token(fc, header, status) -> None:
    """oidc-provider: no token or an unknown one is 401 invalid_token; a malformed header 400 invalid_request."""
    headers = {"Authorization": header} if header else {}
    response = fc.get("/api/v2/userinfo", headers=headers, base_url=FC)
    assert response.status_code == status
    assert response.get_json()["error"] == ("invalid_token" if status == 401 else "invalid_request")


# session/end ------------------------------------------------------------------------------


def test_session_end_with_unregistered_post_logout_uri(fc, mock_app) -> None:
    id_token = token_request(fc, issue_code(mock_app)).get_json()["id_token"]
    response = fc.get("/api/v2/session/end", base_url=FC, query_string={
        "id_token_hint": id_token, "post_logout_redirect_uri": "https://evil.example/", "state": "x" * 32})
    assert_error_page(response, 500, "Y030118", "invalid_post_logout_redirect_uri")


@pytest.mark.parametrize("hint", [None, "not-a-jwt"])
def test_session_end_needs_a_valid_id_token_hint(fc, hint) -> None:
    query = {"post_logout_redirect_uri": "https://service.example/bye", "state": "x" * 32}
    if hint:
        query["id_token_hint"] = hint
    assert_error_page(fc.get("/api/v2/session/end", base_url=FC, query_string=query), 400, "Y030007")


def test_session_end_without_fc_session_confirms_and_returns_to_the_client(fc, mock_app) -> None:
    id_token = token_request(fc, issue_code(mock_app)).get_json()["id_token"]
    response = fc.get("/api/v2/session/end", base_url=FC, query_string={
        "id_token_hint": id_token, "post_logout_redirect_uri": "https://service.example/bye", "state": "y" * 32})
    assert response.status_code == 200
    html = html_lib.unescape(response.get_data(as_text=True))
    assert "Vous êtes déconnecté de FranceConnect" in html
    assert f'href="https://service.example/bye?state={"y" * 32}"' in html
