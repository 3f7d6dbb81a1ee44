"""How the service is registered with FranceConnect for its tests, and the service itself.

Everything else comes from pytest_franceconnect_mock, which `pip install` of the mock's
project gives: the mock FranceConnect started in the test process (fc_client registers the
service with it), personas (fc_persona), a browserless person (fc_browser), faults (fc_faults)
and the clock (fc_control)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from relying_party.app import create_app

BASE_URL = "http://localhost:5000"


@pytest.fixture
def fc_client_registration(request: pytest.FixtureRequest) -> dict:
    """The service as registered: its redirect URIs, and its kind of service ("public" unless
    a test asks for "private" with indirect parametrization)."""
    return {"name": "Service exemple", "type": getattr(request, "param", "public"),
            "redirect_uris": [f"{BASE_URL}/callback"], "post_logout_redirect_uris": [f"{BASE_URL}/"]}


@pytest.fixture
def service(fc_client, fc_http) -> FlaskClient:
    """The service, registered with the mock FranceConnect, which it reaches through fc_http
    (a requests.Session that finds *.localhost); driven here by Flask's test client."""
    app = create_app(fc_client.issuer, fc_client.client_id, fc_client.client_secret, BASE_URL, session=fc_http)
    return app.test_client()
