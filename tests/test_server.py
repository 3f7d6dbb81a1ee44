"""The mock on its real WSGI server: free port, dispatch by Host, demo accounts."""

from __future__ import annotations

import httpx

from pytest_franceconnect_mock.control import ControlClient, ControlError
from mock_server.config import MockConfig
from mock_server.personas import FC_ERRORS
from mock_server.server import LiveServer


def test_live_server_dispatches_on_the_host_header() -> None:
    with LiveServer() as server:
        assert server.port > 0
        base = server.control_url
        home = httpx.get(f"{base}/", headers={"Host": f"moncompte.localhost:{server.port}"})
        assert home.status_code == 200 and "Mon Compte" in home.text
        index = httpx.get(f"{base}/")
        assert index.status_code == 200 and f"http://moncompte.localhost:{server.port}" in index.text


def test_control_client_round_trip() -> None:
    with LiveServer() as server:
        control = ControlClient(server.control_url)
        assert control.health()
        assert control.sites()["moncompte"] == f"http://moncompte.localhost:{server.port}"
        assert control.sites()["franceconnect"] == f"http://franceconnect.localhost:{server.port}"
        persona = control.create_persona(given_name="Camille")
        assert control.get_persona(persona.id) == persona
        try:
            control.create_persona(nir="12")
        except ControlError as error:
            assert error.status == 422 and error.field == "nir"
        else:
            raise AssertionError("a bad NIR must be refused")
        control.delete_persona(persona.id)
        assert control.list_personas() == []


def test_demo_accounts_come_back_after_reset() -> None:
    with LiveServer(MockConfig(demo_personas=True)) as server:
        control = ControlClient(server.control_url)
        demo = control.list_personas()
        assert len(demo) == 5 + len(FC_ERRORS) and any(p.provisional_id for p in demo)
        assert sorted(p.fc_error for p in demo if p.fc_error) == sorted(FC_ERRORS)
        assert [p.caf_record for p in demo].count(False) == 1
        control.reset()
        assert control.list_personas() == demo


def test_with_another_domain_the_mock_still_calls_its_own_sites() -> None:
    """`--domain mock.example.test`: nothing resolves that name on this machine, yet Mon Compte's
    calls to FranceConnect (discovery) and FranceConnect's to the providers reach the mock itself."""
    with LiveServer(MockConfig(domain="mock.example.test")) as server, \
            httpx.Client(base_url=server.control_url) as http:
        def get(url: str) -> httpx.Response:
            parts = httpx.URL(url)
            return http.get(parts.raw_path.decode(), headers={"Host": parts.netloc.decode()})

        start = get(f"http://moncompte.mock.example.test:{server.port}/connexion/franceconnect")
        assert start.status_code == 302, start.text[:300]
        authorize = start.headers["Location"]
        assert authorize.startswith(f"http://franceconnect.mock.example.test:{server.port}/api/v2/authorize")
        chooser_url = get(authorize).headers["Location"]
        fc = f"franceconnect.mock.example.test:{server.port}"
        chooser = http.get(httpx.URL(chooser_url).raw_path.decode(), headers={"Host": fc})
        token = chooser.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        choose = http.post(httpx.URL(chooser_url).raw_path.decode() + "/fournisseur", headers={"Host": fc},
                           data={"csrf_token": token, "provider": "ameli"})
        assert choose.status_code == 302, choose.text[:300]
        assert choose.headers["Location"].startswith(f"http://ameli.mock.example.test:{server.port}/oidc/authorize")
