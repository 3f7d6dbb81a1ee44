"""The NIR (numéro de sécurité sociale), first 13 characters: sex, year, month, department, commune, order.

check_nir returns the first rule broken, as a key of texts.NIR_ERRORS. The
browser-side mirror (moncompte/static/rules.js) follows this module line by line.
"""

from __future__ import annotations

import random

NIR_LENGTH = 13
# What people type between groups: spaces of every kind and dots. Dashes are not
# in here on purpose: "1-84-…" is refused with invalid_characters.
SEPARATORS = " \t\u00a0\u202f."
DIGITS = "0123456789"
SEX_DIGITS = "12"
TEMPORARY_NIA_DIGITS = "78"
MONTH_SLICE = slice(3, 5)
DEPARTMENT_SLICE = slice(5, 7)
CORSICA_DEPARTMENTS = ("2A", "2B")
# 01-95 (20 included: Corsica before 1976), overseas 97 and 98, 99 born abroad; 00 and 96 do not exist.
KNOWN_DEPARTMENTS = frozenset({f"{n:02d}" for n in range(1, 96)} | {"97", "98", "99", *CORSICA_DEPARTMENTS})
# Generated NIRs use metropolitan digits only; 20 is left out as it stopped being issued in 1976.
GENERATED_DEPARTMENTS = tuple(f"{n:02d}" for n in range(1, 96) if n != 20)
MASK = "•"

_DROP_SEPARATORS = str.maketrans("", "", SEPARATORS)


def normalize_nir(raw: str) -> str:
    return raw.translate(_DROP_SEPARATORS).upper()


def check_nir(raw: str) -> str | None:
    nir = normalize_nir(raw)
    if not nir:
        return "required"
    department = nir[DEPARTMENT_SLICE]
    # The Corsican letter is only allowed as part of 2A/2B at the department's place.
    rest = nir[: DEPARTMENT_SLICE.start] + nir[DEPARTMENT_SLICE.stop :] if department in CORSICA_DEPARTMENTS else nir
    if any(char not in DIGITS for char in rest):
        return "invalid_characters"
    if len(nir) < NIR_LENGTH:
        return "too_short"
    if len(nir) > NIR_LENGTH:
        return "too_long"
    if nir[0] in TEMPORARY_NIA_DIGITS:
        return "temporary_nia"
    if nir[0] not in SEX_DIGITS:
        return "bad_sex"
    if not 1 <= int(nir[MONTH_SLICE]) <= 12:
        return "bad_month"
    if department not in KNOWN_DEPARTMENTS:
        return "bad_department"
    return None


def generate_nir(
    rng: random.Random,
    *,
    sex: int | None = None,
    birth_year: int | None = None,
    birth_month: int | None = None,
    department: str | None = None,
) -> str:
    sex = rng.choice((1, 2)) if sex is None else sex
    birth_year = rng.randint(1940, 2005) if birth_year is None else birth_year
    birth_month = rng.randint(1, 12) if birth_month is None else birth_month
    department = rng.choice(GENERATED_DEPARTMENTS) if department is None else department.upper()
    commune, order = rng.randint(1, 999), rng.randint(1, 999)
    nir = f"{sex}{birth_year % 100:02d}{birth_month:02d}{department}{commune:03d}{order:03d}"
    code = check_nir(nir)
    if code:  # only reachable through a bad argument
        raise ValueError(f"cannot generate a NIR from these arguments: {code} ({nir!r})")
    return nir


def _group(nir: str) -> str:
    groups = (nir[0:1], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:])
    return " ".join(group for group in groups if group)


def format_nir(nir: str) -> str:
    """'1841275123456' -> '1 84 12 75 123 456', as printed on the carte Vitale."""
    return _group(normalize_nir(nir))


def mask_nir(nir: str) -> str:
    """Sex, year and month only: '1 84 12 •• ••• •••'."""
    nir = normalize_nir(nir)
    return _group(nir[:5] + MASK * (len(nir) - 5))
