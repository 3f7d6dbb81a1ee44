"""The simulator's dashboard (/__mock__/) in a browser: a fault added through its
form takes a site down, is listed, and "Tout effacer" brings the site back."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from pytest_franceconnect_mock.control import ControlClient
from mock_server import texts

pytestmark = pytest.mark.simulation

WORDS = texts.DASHBOARD


@pytest.fixture
def no_faults(control: ControlClient):
    """The worker's mock is shared by the tests it runs: start and end without faults."""
    control.clear_faults()
    yield
    control.clear_faults()


@pytest.mark.title("Une panne ajoutée au tableau de bord du simulateur est listée, rend ameli indisponible, et « Tout effacer » la retire")
def test_a_fault_added_on_the_dashboard_is_listed_applies_and_is_cleared(
        page: Page, control: ControlClient, sites: dict[str, str], no_faults: None) -> None:
    page.goto(f"{control.base_url}/__mock__/")
    expect(page.get_by_role("heading", name=WORDS["title"])).to_be_visible()
    faults = page.locator("#pannes [data-live=faults]")
    expect(faults.get_by_text(WORDS["faults_empty"])).to_be_visible()

    page.get_by_label(WORDS["fields"]["kind"], exact=True).select_option("status")
    page.get_by_label(WORDS["fields"]["site"], exact=True).select_option("ameli")
    page.get_by_label(WORDS["fields"]["status"], exact=True).fill("503")
    page.get_by_role("button", name=WORDS["add"]).click()

    expect(page.get_by_role("status").filter(has_text=re.compile(r"Panne n° \d+ ajoutée"))).to_be_visible()
    listed = faults.get_by_role("listitem").filter(has_text="status 503")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(texts.PROVIDERS["ameli"]["in_text"])
    [fault] = control.faults()
    assert (fault["kind"], fault["site"], fault["status"]) == ("status", "ameli", 503)
    expect(listed.get_by_role("button", name=WORDS["delete_label"].format(id=fault["id"]))).to_be_visible()

    # The fault is real: in another tab, ameli answers 503.
    ameli = page.context.new_page()
    answer = ameli.goto(f"{sites['ameli']}/")
    assert answer is not None and answer.status == 503

    page.get_by_role("button", name=WORDS["clear"]).click()
    expect(page.get_by_role("status").filter(has_text=WORDS["done"]["faults_cleared"])).to_be_visible()
    expect(faults.get_by_text(WORDS["faults_empty"])).to_be_visible()
    expect(faults.get_by_role("listitem")).to_have_count(0)
    assert control.faults() == []
    answer = ameli.reload()
    assert answer is not None and answer.status == 200
