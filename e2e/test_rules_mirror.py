"""rules.js, the browser's copy of the login rules, agrees with the Python
rules on every catalogue value, valid values and the edges of each rule, run
in the browser that uses it."""

from __future__ import annotations

import random

import pytest
from playwright.sync_api import Page

from fixtures.bad_inputs import BAD_NIRS, BAD_PASSWORDS, BAD_PROVISIONAL_IDS
from mock_server.rules.nir import check_nir, generate_nir, normalize_nir
from mock_server.rules.password import check_password, generate_password
from mock_server.rules.provisional import check_provisional_id, generate_provisional_id

from .pages import LoginPage

pytestmark = pytest.mark.bad_nir

PYTHON_RULES = {
    "normalizeNir": normalize_nir,
    "checkNir": check_nir,
    "checkProvisionalId": check_provisional_id,
    "checkPassword": check_password,
}


def _mirror_probes() -> list[tuple[str, str]]:
    """Catalogue values, valid values and the edges of every rule."""
    rng = random.Random(1976)
    nirs = [case.value for case in BAD_NIRS]
    nirs += [generate_nir(rng) for _ in range(20)] + [generate_nir(rng, department=d) for d in ("2A", "2B")]
    nirs += ["1 84 05 2a 012 345", "1840920A12345", "18412A", "2A", "1841220123456", "12345678901234567890"]
    nirs += [f"{first}841275123456" for first in "0123456789"]
    nirs += [f"184{month:02d}75123456" for month in range(14)]
    nirs += [f"18412{department:02d}123456" for department in range(100)] + ["184122C123456", "18412B2123456"]
    nirs += [f"1{sep}841275123456" for sep in " \t\u00a0\u202f.\u2009\n-_,/\ufeff"]
    nirs += ["184127512345６", "18412751234٥6", "ß841275123456", "ﬀ41275123456"]
    passwords = [case.value for case in BAD_PASSWORDS] + [generate_password(rng) for _ in range(10)]
    passwords += ["a" * n + "1" for n in range(5, 66, 3)] + ["abcdef12", "a1" * 32, "a1" * 32 + "b"]
    passwords += ["Éléonore2024", "パスワードです12", "\U0001f600" * 6 + "a1", "\U0001f600" * 63 + "a1"]
    passwords += ["abcdefg٣", "abcdefg²", "        ", "ǅungla123", "ʰʰʰʰʰʰʰ1"]
    provisionals = [case.value for case in BAD_PROVISIONAL_IDS] + [generate_provisional_id(rng) for _ in range(5)]
    provisionals += ["p123456789", " P 123.456.789 ", "P１23456789", "P123456789\n", "P\u00a0123456789"]
    return (
        [("normalizeNir", v) for v in nirs]
        + [("checkNir", v) for v in nirs]
        + [("checkPassword", v) for v in passwords]
        + [("checkProvisionalId", v) for v in provisionals]
    )


@pytest.mark.title("Les règles de saisie vérifiées par le navigateur donnent les mêmes résultats que celles du serveur")
def test_rules_js_agrees_with_python(page: Page) -> None:
    LoginPage(page).open()
    probes = _mirror_probes()
    results = page.evaluate(
        "calls => calls.map(([name, value]) => window.MonCompteRules[name](value))", probes
    )
    disagreements = [
        (name, value, PYTHON_RULES[name](value), js)
        for (name, value), js in zip(probes, results, strict=True)
        if PYTHON_RULES[name](value) != js
    ]
    assert disagreements == []
