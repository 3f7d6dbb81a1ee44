"""French typography the pages need beyond their words (which live in texts.py):
"de" elided before a vowel, dates as a French reader writes them.

Templates use them as Jinja filters (`register_filters`):
    {{ texts.FRANCECONNECT.logged_out_idp|fill(provider=provider_name) }}
    {{ persona.birthdate|french_date }}
    {{ value|claim(name) }}            (an identity claim: "Femme", "14/12/1965", "—")
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from flask import Flask

VOWELS = frozenset("aàâäeéèêëiîïoôöuùûüyÿæœAÀÂÄEÉÈÊËIÎÏOÔÖUÙÛÜYŸÆŒ")
# "de {name}" (or "De {name}" opening a sentence) in a template: the name decides "de " or "d'".
_DE_BEFORE_PLACEHOLDER = re.compile(r"\b([Dd])e \{(\w+)\}")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def elides(word: str) -> bool:
    """Whether "de" before `word` becomes "d'": a vowel first (a Y sounded as a vowel:
    "d'Yris", but "de Yaoundé"). An h is left alone: whether it is "muet" (d'hiver) or
    "aspiré" (de Hongrie) is in no letter, and no name here starts with one."""
    if not word or word[0] not in VOWELS:
        return False
    return not (word[0] in "yY" and len(word) > 1 and word[1] in VOWELS)


def de(name: str, *, capital: bool = False) -> str:
    """"de MSA", "d'impots.gouv.fr"."""
    word = "D" if capital else "d"
    return f"{word}'{name}" if elides(name) else f"{word}e {name}"


def fill(template: str, **values: Any) -> str:
    """`template.format(**values)`, with every "de {name}" elided as the value asks:
    fill("déconnecté de {provider}", provider="impots.gouv.fr") -> "déconnecté d'impots.gouv.fr"."""

    def elided(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in values:
            return match.group(0)  # format() says which value is missing
        return de(str(values[name]), capital=match.group(1) == "D").replace("{", "{{").replace("}", "}}")

    return _DE_BEFORE_PLACEHOLDER.sub(elided, template).format(**values)


def french_date(value: Any) -> str:
    """1965-12-14 (a date, a datetime or ISO text) -> "14/12/1965"; anything else as it is."""
    if isinstance(value, (date, datetime)):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, str):
        match = _ISO_DATE.fullmatch(value.strip())
        if match:
            year, month, day = match.groups()
            return f"{day}/{month}/{year}"
    return value


def claim_shown(value: Any, name: str) -> str:
    """An identity claim as a page shows it: "Femme", "14/12/1965", "—" when empty."""
    from . import texts

    if name == "gender":
        return texts.FRANCECONNECT["genders"].get(value, value)
    if name == "birthdate":
        value = french_date(value)
    return value or "—"


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["fill"] = fill
    app.jinja_env.filters["french_date"] = french_date
    app.jinja_env.filters["claim"] = claim_shown
