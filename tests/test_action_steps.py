"""Browser actions and checks told as steps (e2e/actions.py), without a browser:
the words a locator gets, and what a wrapped call records."""

from __future__ import annotations

import re

import pytest

from e2e.actions import _wrap, describe_selector, key_name, quoted
from e2e.steps import StepRecorder, activate

NB = "\u00a0"


def q(text: str) -> str:
    return f"«{NB}{text}{NB}»"


@pytest.mark.parametrize("selector, words", [
    ('internal:role=button[name="Se connecter"s]', f"le bouton {q('Se connecter')}"),
    ('internal:role=checkbox[name="Se souvenir de moi"i]', f"la case {q('Se souvenir de moi')}"),
    ('internal:label="Numero de Sécurité sociale (13 caractères)"s',
     f"le champ {q('Numero de Sécurité sociale (13 caractères)')}"),
    ('internal:text="Bonjour Claire \\"Lambert\\""i', f"le texte {q('Bonjour Claire ' + chr(34) + 'Lambert' + chr(34))}"),
    ("internal:role=alert", "le message d'alerte"),
    ('internal:role=list[name="Choisissez"i] >> internal:role=button', f"le bouton dans la liste {q('Choisissez')}"),
    ('internal:role=listitem >> internal:has-text="status 503"i', f"l'élément de liste contenant {q('status 503')}"),
    ('internal:text="w"i >> nth=0', f"le texte {q('w')} (le premier)"),
    ("internal:role=link[name=/Revenir\\ sur\\ Mon\\ Compte/]", f"le lien {q('Revenir sur Mon Compte')}"),
    ('internal:attr=[placeholder="Votre code"i]', f"le champ {q('Votre code')}"),
    ("#pannes [data-live=faults]", "l'élément #pannes [data-live=faults]"),
    ("internal:role=spaceship", "l'élément spaceship"),
])
def test_a_locator_is_named_as_a_person_would_name_it(selector: str, words: str) -> None:
    assert describe_selector(selector) == words


def test_values_are_quoted_and_cut_keys_named_in_french() -> None:
    assert quoted("P123456789") == q("P123456789")
    assert quoted(re.compile("Bonjour .*")) == q("/Bonjour .*/")
    assert quoted(["a", "b"]) == f"{q('a')} / {q('b')}"
    assert len(quoted("x" * 500)) < 100 and quoted("x" * 500).endswith(f"…{NB}»")
    assert (key_name("Enter"), key_name("Shift+Tab"), key_name("F5")) == ("Entrée", "Maj+Tab", "F5")


class Button:
    """Stands in for a Playwright class whose method a person's action goes through."""

    def __init__(self, fails: bool = False) -> None:
        self.fails = fails
        self.clicks = 0

    def click(self) -> str:
        self.clicks += 1
        if self.fails:
            raise TimeoutError("Timeout 5000ms exceeded")
        return "clicked"


_wrap(Button, "click", lambda button: ("Je clique sur le bouton", None, None))


def test_a_wrapped_call_records_a_step_only_while_a_test_is_recording(scenario_steps: StepRecorder) -> None:
    recorder = StepRecorder(None)
    with activate(recorder):
        assert Button().click() == "clicked"
        with pytest.raises(TimeoutError):
            Button(fails=True).click()
    assert [(step.text, step.status) for step in recorder.steps] == [
        ("Je clique sur le bouton", "passed"), ("Je clique sur le bouton", "failed")]
    assert recorder.steps[1].error == "TimeoutError: Timeout 5000ms exceeded"
    recorder.busy = True  # the recorder's own calls (its screenshots) are not steps
    with activate(recorder):
        Button().click()
    assert len(recorder.steps) == 2
