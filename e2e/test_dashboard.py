"""The simulator's dashboard (/__mock__/) in a browser: a fault added through its
form takes a site down, is listed, and "Tout effacer" brings the site back."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pytest_franceconnect_mock.control import ControlClient
from mock_server import texts

from .pages import DashboardPage

pytestmark = pytest.mark.simulation


@pytest.fixture
def no_faults(control: ControlClient):
    """The worker's mock is shared by the tests it runs: start and end without faults."""
    control.clear_faults()
    yield
    control.clear_faults()


@pytest.mark.title("Une panne ajoutée au tableau de bord du simulateur est listée, rend ameli indisponible, et « Tout effacer » la retire")
def test_a_fault_added_on_the_dashboard_is_listed_applies_and_is_cleared(
        page: Page, control: ControlClient, sites: dict[str, str], no_faults: None) -> None:
    dashboard = DashboardPage(page).open(control.base_url)
    expect(dashboard.title).to_be_visible()
    expect(dashboard.no_faults).to_be_visible()

    dashboard.add_fault("status", site="ameli", status="503")

    expect(dashboard.done("fault_added")).to_be_visible()
    listed = dashboard.fault("status 503")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(texts.PROVIDERS["ameli"]["in_text"])
    [fault] = control.faults()
    assert (fault["kind"], fault["site"], fault["status"]) == ("status", "ameli", 503)
    expect(dashboard.done("fault_added", n=fault["id"])).to_be_visible()
    expect(dashboard.delete_button(fault["id"])).to_be_visible()

    # The fault is real: in another tab, ameli answers 503.
    ameli = page.context.new_page()
    answer = ameli.goto(f"{sites['ameli']}/")
    assert answer is not None and answer.status == 503

    dashboard.clear_all()
    expect(dashboard.done("faults_cleared")).to_be_visible()
    expect(dashboard.no_faults).to_be_visible()
    expect(dashboard.faults).to_have_count(0)
    assert control.faults() == []
    answer = ameli.reload()
    assert answer is not None and answer.status == 200
