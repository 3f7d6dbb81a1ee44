"""pytest_franceconnect_mock, as another application's test suite gets it from `pip install`:
its entry point, and a suite of its own (a conftest.py and a test file in a folder outside
this project) signing a persona in through the mock FranceConnect with the fc_* fixtures."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from importlib.metadata import entry_points
from pathlib import Path

import pytest

PLUGIN = "pytest_franceconnect_mock"

# The other application's suite. Its conftest.py says what the plugin imported by itself
# (nothing heavy: pytest loads it in every run of the environment) and registers the
# application with its own redirect URI.
CONFTEST = '''
import sys

import pytest

IMPORTED_AT_START = sorted(name for name in ("flask", "mock_server", "faker", "requests", "httpx", "playwright")
                           if name in sys.modules)


@pytest.fixture
def fc_client_registration():
    return {"name": "Mon application", "redirect_uris": ["http://app.localhost:5000/callback"]}
'''

TESTS = '''
import base64
import json
import secrets

import requests

from conftest import IMPORTED_AT_START

CLIENT_IDS = []


def test_nothing_heavy_is_imported_before_a_fixture_is_used():
    assert IMPORTED_AT_START == []


def test_a_persona_signs_in_at_the_application(fc_client, fc_persona, fc_http, fc_browser, fc_control):
    discovery = fc_http.get(fc_client.discovery_url).json()
    assert discovery["issuer"] == fc_client.issuer
    state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    authorize = requests.Request("GET", discovery["authorization_endpoint"], params={
        "response_type": "code", "client_id": fc_client.client_id, "redirect_uri": fc_client.redirect_uri,
        "scope": "openid given_name family_name", "acr_values": "eidas1", "state": state, "nonce": nonce,
    }).prepare().url
    back = fc_browser.sign_in(authorize, fc_persona)
    assert back.startswith("http://app.localhost:5000/callback?")
    query = dict(part.split("=", 1) for part in back.split("?", 1)[1].split("&"))
    assert query["state"] == state
    tokens = fc_http.post(discovery["token_endpoint"], data={
        "grant_type": "authorization_code", "code": query["code"], "redirect_uri": fc_client.redirect_uri,
        "client_id": fc_client.client_id, "client_secret": fc_client.client_secret}).json()
    payload = tokens["id_token"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert claims["aud"] == fc_client.client_id and claims["nonce"] == nonce
    # The mock's clock moves for this test only; its faults are cleared after it.
    fc_control.advance_clock(minutes=30)
    CLIENT_IDS.append(fc_client.client_id)


def test_the_mock_is_put_back_after_a_test(fc_faults, fc_control, fc_http, fc_mock_url):
    fc_faults.add_fault(kind="sms_down")
    assert not fc_control.clock_moved and fc_control.outbox() == []
    answer = fc_http.get(f"{fc_mock_url}/__mock__/franceconnect/clients/{CLIENT_IDS[0]}")
    assert answer.status_code == 404  # the previous test's registration is gone


def test_faults_are_cleared(fc_control):
    assert fc_control.faults() == []
'''


def test_the_entry_point_is_installed() -> None:
    (entry,) = entry_points(group="pytest11", name=PLUGIN)
    assert entry.value == PLUGIN
    assert entry.load().__name__ == PLUGIN


@pytest.mark.timeout(30)
def test_another_applications_suite_uses_the_fixtures(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(textwrap.dedent(CONFTEST), encoding="utf-8")
    (tmp_path / "test_sign_in.py").write_text(textwrap.dedent(TESTS), encoding="utf-8")
    # Only this plugin, loaded by its entry point's name (-p): every other plugin of this
    # environment would take seconds to import and is not the subject.
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("PYTEST_ADDOPTS", None)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", PLUGIN, "-p", "no:randomly",
         "--rootdir", str(tmp_path), str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=25)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "4 passed" in run.stdout, run.stdout
