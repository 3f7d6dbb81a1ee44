"""FranceConnect v2's protocol details a real client meets, as FC's oidc-provider
(node-oidc-provider 9.1.2 configured by back/instances/core-fcp-low) answers them:
client registration (type, providers, auth method, jwks, claims), client
authentication (client_secret_post or private_key_jwt, nothing else), PKCE,
max_age, prompt, the claims parameter and amr, token revocation, discovery,
iss on the authorization response (RFC 9207) and FranceConnect's 404 page."""

from __future__ import annotations

import html as html_lib
import json
import re
import secrets
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, RSAKey

from mock_server.federation import FRANCECONNECT
from mock_server.oidc.clients import MIN_SECRET_LENGTH, OidcClient
from mock_server.oidc.state import Grant
from mock_server.sites import SiteDispatcher
from tests.test_fc_provider import CALLBACK, CLIENT, FC, VALID, assert_error_page, authorize, fc_keys, redirect_params

ISSUER = f"{FC}/api/v2"
CLIENTS = "/__mock__/franceconnect/clients"
ERRORS_DOC = "https://docs.partenaires.franceconnect.gouv.fr/fs/fs-technique/fs-technique-erreurs/"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
CLIENT_KEY = ECKey.generate_key("P-256", parameters={"alg": "ES256", "use": "sig"}, auto_kid=True)
JWT_CLIENT = OidcClient(client_id="jwt-service", client_secret="", name="Service à clé", redirect_uris=(CALLBACK,),
                        token_endpoint_auth_method="private_key_jwt",
                        jwks={"keys": [CLIENT_KEY.as_dict(private=False)]})
AMR_CLIENT = OidcClient(client_id="amr-service", client_secret="a" * 32, name="Service amr", redirect_uris=(CALLBACK,),
                        claims=("amr",))
AMR_REQUEST = json.dumps({"id_token": {"amr": {"essential": True}}})
VERIFIER = secrets.token_urlsafe(48)


@pytest.fixture
def fc(mock_app: SiteDispatcher) -> FlaskClient:
    """FranceConnect's site, with a client_secret_post client, a private_key_jwt one and one entitled to amr."""
    for client in (CLIENT, JWT_CLIENT, AMR_CLIENT):
        mock_app.store.oidc.register_client(FRANCECONNECT, client)
    return mock_app.sites["franceconnect"].test_client()


def registration(**changes: Any) -> dict[str, Any]:
    body = {"client_id": "mon-service", "client_secret": "s" * MIN_SECRET_LENGTH, "redirect_uris": [CALLBACK]}
    return {name: value for name, value in {**body, **changes}.items() if value is not None}


def issue_code(mock_app: SiteDispatcher, client: OidcClient = CLIENT, **grant: Any) -> str:
    fields = dict(issuer=FRANCECONNECT, client_id=client.client_id, redirect_uri=CALLBACK, scope=("openid", "given_name"),
                  nonce="n" * 32, sub="sub-123", claims={"given_name": "Angela"}, acr="eidas1", amr=("pwd",),
                  auth_time=1_700_000_000)
    return mock_app.store.oidc.issue_code(Grant(**{**fields, **grant}), timedelta(seconds=30))


def assertion(client_id: str = JWT_CLIENT.client_id, key: Any = CLIENT_KEY, **changes: Any) -> str:
    """A client assertion valid for an hour and a minute of real time (the mock clock's, unless moved)."""
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": f"{ISSUER}/token", "jti": uuid.uuid4().hex,
              "exp": now + 3660, "iat": now, **changes}
    return jwt.encode({"alg": key.alg or "ES256", "kid": key.kid}, {k: v for k, v in claims.items() if v is not None}, key)


def jwt_token_request(fc: FlaskClient, code: str, signed: str | None = None, **changes: Any):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
            "client_assertion_type": ASSERTION_TYPE, "client_assertion": signed or assertion(), **changes}
    return fc.post("/api/v2/token", data={k: v for k, v in data.items() if v is not None}, base_url=FC)


def post_token_request(fc: FlaskClient, code: str, client: OidcClient = CLIENT, **changes: Any):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK,
            "client_id": client.client_id, "client_secret": client.client_secret, **changes}
    return fc.post("/api/v2/token", data={k: v for k, v in data.items() if v is not None}, base_url=FC)


def assert_api_error(response, status: int, error: str, description: str, code: str) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["error"] == error and body["error_description"] == description
    assert body["error_uri"].startswith(f"{ERRORS_DOC}?code={code}&id=")


# FranceConnect's session, opened earlier in this browser ------------------------------------


def open_fc_session(fc: FlaskClient, mock_app: SiteDispatcher, *, age: int = 100, amr: tuple[str, ...] = ("pwd",)) -> None:
    """A live FranceConnect session whose login was `age` seconds ago (negative: ahead of the clock)."""
    now = mock_app.store.clock.now().timestamp()
    with fc.session_transaction(base_url=FC) as stored:
        stored["oidc:franceconnect:sso"] = {
            "subject": "Angela|Dubois|1962-08-24", "claims": {"given_name": "Angela", "family_name": "Dubois"},
            "idp": "ameli", "idp_id_token": "x", "acr": "eidas1", "amr": list(amr),
            "auth_time": int(now) - age, "expires_at": now + 1000, "clients": []}


def interaction(fc: FlaskClient, **params: str | None):
    """/authorize then FranceConnect's first page for it."""
    started = authorize(fc, **params)
    assert started.status_code == 302, started.get_data(as_text=True)
    return fc.get(started.headers["Location"], base_url=FC)


def reuses_session(page) -> bool:
    """Single sign-on: straight to "Vous êtes connecté" instead of the provider chooser."""
    return page.status_code == 302 and page.headers["Location"].endswith("/connecte")


def sign_in_with_session(fc: FlaskClient, **params: str | None) -> dict[str, str]:
    """Through the live session to the client: the redirect's parameters."""
    page = interaction(fc, **params)
    assert reuses_session(page), page.status_code
    connected = fc.get(page.headers["Location"], base_url=FC).get_data(as_text=True)
    action = html_lib.unescape(re.search(r'<form method="post" action="([^"]+)"', connected).group(1))
    token = re.search(r'name="csrf_token" value="([^"]+)"', connected).group(1)
    response = fc.post(action, data={"csrf_token": token}, base_url=FC)
    assert response.status_code == 303
    return redirect_params(response)


# Registration -------------------------------------------------------------------------------


def test_a_registration_shows_fcs_defaults_and_never_the_secret(api) -> None:
    assert api.post(CLIENTS, json=registration()).status_code == 201
    shown = api.get(f"{CLIENTS}/mon-service").get_json()
    assert shown["type"] == "public" and shown["providers"] is None and shown["claims"] == []
    assert shown["token_endpoint_auth_method"] == "client_secret_post" and shown["jwks"] is None
    assert "client_secret" not in shown
    assert all("client_secret" not in client for client in api.get(CLIENTS).get_json())


def test_a_private_client_with_its_providers_and_amr(api, store) -> None:
    body = registration(type="private", providers=["ameli", "impots"], claims=["amr"])
    assert api.post(CLIENTS, json=body).status_code == 201
    client = store.oidc.get_client(FRANCECONNECT, "mon-service")
    assert client.type == "private" and client.providers == ("ameli", "impots") and client.claims == ("amr",)


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"token_endpoint_auth_method": "client_secret_basic"}, "token_endpoint_auth_method", "client_secret_post or private_key_jwt"),
    ({"type": "entreprise"}, "type", "public"),
    ({"providers": ["ameli", "facebook"]}, "providers", "'facebook'"),
    ({"providers": []}, "providers", "list"),
    ({"claims": ["email"]}, "claims", "amr"),
    ({"client_secret": None}, "client_secret", "required"),
    ({"token_endpoint_auth_method": "private_key_jwt", "client_secret": None}, "jwks", "jwks"),
    ({"token_endpoint_auth_method": "private_key_jwt", "client_secret": None,
      "jwks": {"keys": [CLIENT_KEY.as_dict(private=True)]}}, "jwks", "public keys only"),
    ({"token_endpoint_auth_method": "private_key_jwt", "client_secret": None,
      "jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": "not-a-point"}]}}, "jwks", "not a valid JWKS"),
    ({"jwks": []}, "jwks", "JWKS object"),
], ids=lambda value: str(value)[:40])
def test_a_wrong_registration_is_422_naming_the_field(api, store, assert_named, changes, field, words) -> None:
    response = api.post(CLIENTS, json=registration(**changes))
    assert_named(response, field)
    assert words in response.get_json()["error"]
    assert store.oidc.get_client(FRANCECONNECT, "mon-service") is None


def test_a_private_key_jwt_client_registers_without_a_secret(api, store) -> None:
    body = registration(client_secret=None, token_endpoint_auth_method="private_key_jwt",
                        jwks={"keys": [CLIENT_KEY.as_dict(private=False)]})
    assert api.post(CLIENTS, json=body).status_code == 201
    client = store.oidc.get_client(FRANCECONNECT, "mon-service")
    assert client.token_endpoint_auth_method == "private_key_jwt"
    assert KeySet.import_key_set(client.jwks).keys[0].thumbprint() == CLIENT_KEY.thumbprint()


# Client authentication ------------------------------------------------------------------------


@pytest.mark.parametrize("audience", [f"{ISSUER}/token", ISSUER, [ISSUER, "https://other.example"]])
def test_private_key_jwt_gets_tokens(fc, mock_app, audience) -> None:
    response = jwt_token_request(fc, issue_code(mock_app, JWT_CLIENT), assertion(aud=audience))
    assert response.status_code == 200, response.get_json()
    assert set(response.get_json()) == {"access_token", "expires_in", "id_token", "scope", "token_type"}


def test_an_rs256_assertion_is_accepted_too(fc, mock_app) -> None:
    key = RSAKey.generate_key(2048, parameters={"alg": "RS256"}, auto_kid=True)
    client = OidcClient(client_id="rsa-service", client_secret="", name="RSA", redirect_uris=(CALLBACK,),
                        token_endpoint_auth_method="private_key_jwt", jwks={"keys": [key.as_dict(private=False)]})
    mock_app.store.oidc.register_client(FRANCECONNECT, client)
    response = jwt_token_request(fc, issue_code(mock_app, client), assertion("rsa-service", key))
    assert response.status_code == 200, response.get_json()


def test_a_client_assertion_is_single_use(fc, mock_app) -> None:
    signed = assertion()
    assert jwt_token_request(fc, issue_code(mock_app, JWT_CLIENT), signed).status_code == 200
    assert_api_error(jwt_token_request(fc, issue_code(mock_app, JWT_CLIENT), signed), 401, "invalid_client",
                     "client authentication failed (client assertion tokens must only be used once)", "Y0486328")


def test_a_client_assertion_expired_on_the_mock_clock_is_refused(fc, mock_app) -> None:
    signed = assertion()  # valid for an hour and a minute of real time
    mock_app.store.clock.advance(timedelta(hours=2))
    response = jwt_token_request(fc, issue_code(mock_app, JWT_CLIENT), signed)
    assert response.status_code == 401 and response.get_json()["error"] == "invalid_client"
    assert "expired" in response.get_json()["error_description"]


@pytest.mark.parametrize(("signed", "detail"), [
    (lambda: assertion(key=ECKey.generate_key("P-256", parameters={"alg": "ES256"}, auto_kid=True)), "Error"),
    (lambda: assertion(aud="https://elsewhere.example/token"), "audience (aud) must equal"),
    (lambda: assertion(iss="someone-else"), "iss (JWT issuer) must be the client_id"),
    (lambda: assertion(jti=None), "unique jti"),
    (lambda: assertion(exp=None), "expiration must be specified"),
], ids=["unknown key", "aud", "iss", "jti", "exp"])
def test_a_wrong_client_assertion_is_invalid_client(fc, mock_app, signed, detail) -> None:
    response = jwt_token_request(fc, issue_code(mock_app, JWT_CLIENT), signed())
    assert response.status_code == 401, response.get_json()
    assert response.get_json()["error"] == "invalid_client" and detail in response.get_json()["error_description"]


def test_a_client_is_held_to_its_registered_method(fc, mock_app) -> None:
    mismatch = "client authentication failed (the provided authentication mechanism does not match the registered " \
               "client authentication method)"
    # A private_key_jwt client cannot fall back on a secret (it has none), a secret client cannot sign.
    assert_api_error(post_token_request(fc, issue_code(mock_app, JWT_CLIENT), JWT_CLIENT, client_secret="x" * 32),
                     401, "invalid_client", mismatch, "Y044D82C")
    signed = assertion(CLIENT.client_id)
    assert_api_error(jwt_token_request(fc, issue_code(mock_app), signed), 401, "invalid_client", mismatch, "Y044D82C")


def test_basic_credentials_are_refused_with_oidc_providers_challenge(fc, mock_app) -> None:
    response = fc.post("/api/v2/token", base_url=FC, auth=(CLIENT.client_id, CLIENT.client_secret),
                       data={"grant_type": "authorization_code", "code": issue_code(mock_app), "redirect_uri": CALLBACK})
    assert response.status_code == 401 and response.get_json()["error"] == "invalid_client"
    # oidc-provider challenges a client that sent an Authorization header, and only such a client.
    assert response.headers["WWW-Authenticate"].startswith(f'Basic realm="{ISSUER}"')


def test_a_wrong_secret_is_in_the_body_without_a_challenge(fc, mock_app) -> None:
    response = post_token_request(fc, issue_code(mock_app), client_secret="wrong-client-secret")
    assert_api_error(response, 401, "invalid_client", "client authentication failed (invalid secret provided)", "Y0434A7B")
    assert "WWW-Authenticate" not in response.headers


def test_missing_code_is_fcs_answer(fc) -> None:
    assert_api_error(post_token_request(fc, ""), 400, "invalid_request",
                     "missing required parameter 'code' (undefined)", "Y048017B")


# PKCE ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("changes", "description"), [
    ({"code_challenge": "a" * 43, "code_challenge_method": "plain"}, "not supported value of code_challenge_method"),
    ({"code_challenge": "a" * 43}, "code_challenge_method must be provided"),
    ({"code_challenge_method": "S256"}, "code_challenge must be provided with code_challenge_method"),
    ({"code_challenge": "short", "code_challenge_method": "S256"},
     "code_challenge must be a string with a minimum length of 43 characters"),
], ids=["plain", "no method", "no challenge", "short"])
def test_a_wrong_pkce_request_goes_back_to_the_client(fc, changes, description) -> None:
    response = authorize(fc, **changes)
    assert response.status_code == 303
    assert redirect_params(response) == {"error": "invalid_request", "error_description": description,
                                         "state": VALID["state"], "iss": ISSUER}


@pytest.mark.parametrize(("verifier", "status"), [(VERIFIER, 200), ("b" * 43, 400), (None, 400)],
                         ids=["right", "wrong", "missing"])
def test_the_code_verifier_is_checked(fc, mock_app, verifier, status) -> None:
    open_fc_session(fc, mock_app)
    params = sign_in_with_session(fc, code_challenge=create_s256_code_challenge(VERIFIER), code_challenge_method="S256")
    response = post_token_request(fc, params["code"], code_verifier=verifier)
    assert response.status_code == status, response.get_json()
    if status == 400:
        assert response.get_json()["error"] == "invalid_grant"
        assert response.get_json()["error_description"] == "grant request is invalid (PKCE verification failed)"


def test_a_verifier_without_a_challenge_is_invalid_grant(fc, mock_app) -> None:
    response = post_token_request(fc, issue_code(mock_app), code_verifier=VERIFIER)
    assert response.get_json()["error_description"] == "grant request is invalid (PKCE verification failed)"


# max_age, prompt and the clock -------------------------------------------------------------------


@pytest.mark.parametrize(("max_age", "reused"), [(None, True), ("600", True), ("60", False), ("0", False)])
def test_max_age_decides_whether_the_session_is_reused(fc, mock_app, max_age, reused) -> None:
    open_fc_session(fc, mock_app, age=100)
    page = interaction(fc, max_age=max_age)
    assert reuses_session(page) is reused
    if not reused:
        assert page.status_code == 200  # the provider chooser: the person logs in again


def test_a_malformed_max_age_goes_back_to_the_client(fc) -> None:
    params = redirect_params(authorize(fc, max_age="soon"))
    assert params["error"] == "invalid_request" and params["error_description"] == "invalid max_age parameter value"


def test_a_session_opened_while_the_clock_was_ahead_is_not_reused(fc, mock_app) -> None:
    open_fc_session(fc, mock_app, age=-3600)  # its auth_time is an hour ahead: the clock went back
    assert not reuses_session(interaction(fc))


def test_prompt_keeps_fcs_allowed_values_and_needs_one(fc, mock_app) -> None:
    open_fc_session(fc, mock_app)
    assert not reuses_session(interaction(fc, prompt="login none"))  # FC drops "none", keeps "login"
    assert_error_page(authorize(fc, prompt="none"), 400, "Y030007")  # FC's suite: its error page


# The claims parameter and amr -----------------------------------------------------------------------


def id_token_of(fc: FlaskClient, code: str, client: OidcClient) -> dict[str, Any]:
    body = post_token_request(fc, code, client).get_json()
    return jwt.decode(body["id_token"], fc_keys(fc), algorithms=["ES256", "RS256"]).claims


@pytest.mark.parametrize(("amr", "expected"), [(("pwd",), ["fc", "pwd"]), (("pop", "mfa"), ["fc", "pop", "mfa"])])
def test_amr_only_for_a_client_asking_for_it(fc, mock_app, amr, expected) -> None:
    open_fc_session(fc, mock_app, amr=amr)
    asked = sign_in_with_session(fc, client_id=AMR_CLIENT.client_id, claims=AMR_REQUEST)
    assert asked["iss"] == ISSUER  # RFC 9207, as oidc-provider sends it
    assert id_token_of(fc, asked["code"], AMR_CLIENT)["amr"] == expected
    not_asked = sign_in_with_session(fc, client_id=AMR_CLIENT.client_id)
    assert "amr" not in id_token_of(fc, not_asked["code"], AMR_CLIENT)


def test_the_id_token_has_fcs_claims_and_header(fc, mock_app) -> None:
    open_fc_session(fc, mock_app)
    body = post_token_request(fc, sign_in_with_session(fc)["code"], CLIENT).get_json()
    token = jwt.decode(body["id_token"], fc_keys(fc), algorithms=["ES256", "RS256"])
    # FranceConnect's suite: a header of two fields, nine claims (the mock adds at_hash, see README).
    assert set(token.header) == {"alg", "kid"}
    assert set(token.claims) == {"sub", "acr", "auth_time", "nonce", "aud", "exp", "iat", "iss", "at_hash"}


def test_a_client_not_entitled_to_amr_gets_fcs_error_page(fc) -> None:
    assert_error_page(authorize(fc, claims=AMR_REQUEST), 400, "Y100009")


@pytest.mark.parametrize(("claims", "description"), [
    ("{amr", "could not parse the claims parameter JSON"),
    ("[1]", "claims parameter should be a JSON object"),
    ("{}", "claims parameter should have userinfo or id_token properties"),
    ('{"id_token": ["amr"]}', "claims.id_token should be an object"),
])
def test_a_malformed_claims_parameter_goes_back_to_the_client(fc, claims, description) -> None:
    params = redirect_params(authorize(fc, claims=claims))
    assert params == {"error": "invalid_request", "error_description": description, "state": VALID["state"],
                      "iss": ISSUER}


def test_preferred_username_is_released_with_its_scope(fc, mock_app) -> None:
    code = issue_code(mock_app, scope=("openid", "preferred_username"),
                      claims={"given_name": "Angela", "preferred_username": "Martin"})
    access_token = post_token_request(fc, code).get_json()["access_token"]
    answer = fc.get("/api/v2/userinfo", headers={"Authorization": f"Bearer {access_token}"}, base_url=FC)
    claims = jwt.decode(answer.get_data(as_text=True), fc_keys(fc), algorithms=["ES256"]).claims
    assert claims["preferred_username"] == "Martin" and "given_name" not in claims


# Revocation ------------------------------------------------------------------------------------------


def revoke(fc: FlaskClient, token: str, client: OidcClient = CLIENT):
    return fc.post("/api/v2/token/revocation", base_url=FC,
                   data={"token": token, "client_id": client.client_id, "client_secret": client.client_secret})


def test_a_revoked_access_token_is_invalid_at_userinfo(fc, mock_app) -> None:
    access_token = post_token_request(fc, issue_code(mock_app)).get_json()["access_token"]
    response = revoke(fc, access_token)
    assert response.status_code == 200 and response.get_data() == b""
    answer = fc.get("/api/v2/userinfo", headers={"Authorization": f"Bearer {access_token}"}, base_url=FC)
    assert_api_error(answer, 401, "invalid_token", "invalid token provided (access token not found)", "Y040001")


def test_revoking_an_unknown_token_is_a_success(fc) -> None:
    assert revoke(fc, "never-issued").status_code == 200  # RFC 7009 §2.2


def test_revocation_needs_the_tokens_own_authenticated_client(fc, mock_app) -> None:
    access_token = post_token_request(fc, issue_code(mock_app)).get_json()["access_token"]
    assert revoke(fc, access_token, OidcClient(**{**CLIENT.__dict__, "client_secret": "wrong" * 8})).status_code == 401
    assert_api_error(revoke(fc, access_token, AMR_CLIENT), 400, "invalid_request",
                     "this token does not belong to you (undefined)", "Y0466776")
    answer = fc.get("/api/v2/userinfo", headers={"Authorization": f"Bearer {access_token}"}, base_url=FC)
    assert answer.status_code == 200  # refused revocations revoked nothing


def test_a_private_key_jwt_client_revokes_with_an_assertion(fc, mock_app) -> None:
    access_token = jwt_token_request(fc, issue_code(mock_app, JWT_CLIENT)).get_json()["access_token"]
    response = fc.post("/api/v2/token/revocation", base_url=FC, data={
        "token": access_token, "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": assertion(aud=f"{ISSUER}/token/revocation")})
    assert response.status_code == 200
    assert fc.get("/api/v2/userinfo", headers={"Authorization": f"Bearer {access_token}"}, base_url=FC).status_code == 401


# Discovery and the 404 page ----------------------------------------------------------------------------


def test_discovery_has_fcs_fields(fc) -> None:
    metadata = fc.get("/api/v2/.well-known/openid-configuration", base_url=FC).get_json()
    # quality/fcp/cypress/support/api/dto/get-discovery.dto.ts, less request objects (the mock has none).
    assert set(metadata) == {
        "acr_values_supported", "authorization_endpoint", "claims_parameter_supported", "claims_supported",
        "code_challenge_methods_supported", "end_session_endpoint", "grant_types_supported",
        "id_token_signing_alg_values_supported", "issuer", "jwks_uri", "authorization_response_iss_parameter_supported",
        "response_modes_supported", "response_types_supported", "scopes_supported", "subject_types_supported",
        "token_endpoint_auth_methods_supported", "token_endpoint_auth_signing_alg_values_supported", "token_endpoint",
        "request_parameter_supported", "request_uri_parameter_supported", "userinfo_endpoint",
        "userinfo_signing_alg_values_supported", "revocation_endpoint", "claim_types_supported"}
    assert metadata["revocation_endpoint"] == f"{ISSUER}/token/revocation"
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["token_endpoint_auth_methods_supported"] == ["client_secret_post", "private_key_jwt"]
    assert metadata["claims_parameter_supported"] is True
    assert metadata["authorization_response_iss_parameter_supported"] is True
    assert {"amr", "acr", "preferred_username"} <= set(metadata["claims_supported"])


def test_an_unknown_page_under_api_v2_is_fcs_404_page(fc, mock_app) -> None:
    response = fc.get("/api/v2/nope", base_url=FC)
    assert_error_page(response, 404, "Y000404", "Page non trouvée")
    provider = mock_app.sites["ameli"].test_client().get("/oidc/nope", base_url="http://ameli.localhost")
    assert provider.status_code == 404 and "Y000404" not in provider.get_data(as_text=True)
