"""People the mock knows: identity, credentials and contact details.

A generated persona is consistent the way real records are: the NIR's first
digit gives the gender, its year and month digits the birthdate. Every draw
comes from `faker.random`, so one `faker.seed_instance(n)` fixes the whole persona.
"""

from __future__ import annotations

import calendar
import dataclasses
import random
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from faker import Faker

from . import texts
from .rules.nir import CORSICA_DEPARTMENTS, check_nir, generate_nir, normalize_nir
from .rules.password import check_password, generate_password
from .rules.phone import check_phone, generate_mobile, normalize_phone
from .rules.provisional import check_provisional_id, generate_provisional_id, normalize_provisional_id

GENDERS = ("female", "male")
GENDER_BY_SEX_DIGIT = {"1": "male", "2": "female"}
SEX_DIGIT_BY_GENDER = {"male": 1, "female": 2}
BIRTH_YEARS = (1940, 2005)
ADULT_AGE = 18
# Reserved for examples (RFC 2606): mail to them is never delivered to anyone.
EMAIL_DOMAINS = ("example.org", "example.com", "example.net")

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass
class Persona:
    id: str
    nir: str | None
    provisional_id: str | None
    password: str | None
    given_name: str
    family_name: str
    gender: str
    birthdate: str
    email: str | None
    phone: str | None
    # Known to the CAF but without an online account yet: no password, cannot log in.
    has_account: bool = True

    @property
    def identifier(self) -> str:
        """What this persona types in the login form's first field."""
        identifier = self.nir or self.provisional_id
        assert identifier, f"persona {self.id} has neither a NIR nor a provisional identifier"
        return identifier

    @property
    def display_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def contacts(self) -> dict[str, str]:
        """Where a verification code can be sent, by channel: {"sms": phone, "mail": e-mail}."""
        return {channel: to for channel, to in (("sms", self.phone), ("mail", self.email)) if to}

    def to_dict(self) -> dict[str, str | bool | None]:
        return dataclasses.asdict(self)


# Input fields of the control API: everything but the id, which the mock assigns.
FIELDS = tuple(field.name for field in dataclasses.fields(Persona) if field.name != "id")


# Validation -----------------------------------------------------------------


def _coded(check: Callable[[str], str | None], messages: Mapping[str, str]) -> Callable[[str], str | None]:
    """A rule's code with the French text the login page would show for it."""

    def problem(value: str) -> str | None:
        code = check(value)
        return f"{code} — {messages[code]}" if code else None

    return problem


def _not_blank(value: str) -> str | None:
    return None if value.strip() else "must not be empty"


def _check_birthdate(value: str) -> str | None:
    # date.fromisoformat alone also takes "19841231" and week dates since 3.11.
    if _ISO_DATE.fullmatch(value):
        try:
            date.fromisoformat(value)
            return None
        except ValueError:
            pass
    return f"{value!r} is not a date in the form YYYY-MM-DD"


def _check_mobile(value: str) -> str | None:
    code = check_phone(value)
    return f"{code} — {value!r} is not a French mobile number (06 or 07, then 8 digits)" if code else None


FIELD_CHECKS: dict[str, Callable[[str], str | None]] = {
    "nir": _coded(check_nir, texts.NIR_ERRORS),
    "provisional_id": _coded(check_provisional_id, texts.PROVISIONAL_ERRORS),
    "password": _coded(check_password, texts.PASSWORD_ERRORS),
    "given_name": _not_blank,
    "family_name": _not_blank,
    "gender": lambda value: None if value in GENDERS else f"{value!r} is not 'female' or 'male'",
    "birthdate": _check_birthdate,
    "email": lambda value: None if _EMAIL.fullmatch(value) else f"{value!r} is not an e-mail address",
    "phone": _check_mobile,
    "has_account": lambda value: None if isinstance(value, bool) else "must be true or false",
}


def _cross_field_problem(data: Mapping[str, Any]) -> tuple[str, str] | None:
    if "nir" in data and "provisional_id" in data:
        return "provisional_id", "provisional_id: give a nir or a provisional_id, not both"
    if data.get("has_account") is False and "password" in data:
        return "password", "password: a persona without an account has no password"
    if all(field in data and data[field] is None for field in NULLABLE):
        return "phone", "phone: a persona needs a mobile number or an e-mail address (or both)"
    if "nir" not in data:
        return None
    nir = normalize_nir(data["nir"])
    gender = GENDER_BY_SEX_DIGIT[nir[0]]
    if data.get("gender", gender) != gender:
        return "gender", f"gender: the NIR starts with {nir[0]}, so the gender is {gender!r}"
    if "birthdate" in data:
        born = date.fromisoformat(data["birthdate"])
        if (born.year % 100, born.month) != (int(nir[1:3]), int(nir[3:5])):
            return "birthdate", (
                f"birthdate: the NIR says born in month {nir[3:5]} of a year ending in {nir[1:3]}"
            )
    return None


# Fields that may be null: a persona without a mobile or an e-mail address.
NULLABLE = ("phone", "email")


def validate_persona_input(data: Mapping[str, Any]) -> tuple[str, str] | None:
    """(field, message) for the first bad field of a control API body, or None."""
    for field, value in data.items():
        if field not in FIELD_CHECKS:
            return field, "unknown field"
        if value is None and field in NULLABLE:
            continue
        if field != "has_account" and not isinstance(value, str):
            return field, f"{field}: must be a string, not {type(value).__name__}"
        problem = FIELD_CHECKS[field](value)
        if problem:
            return field, f"{field}: {problem}"
    return _cross_field_problem(data)


# Generation -----------------------------------------------------------------


def _birth_year(two_digits: int) -> int:
    """The NIR keeps two year digits: take the latest year that makes an adult."""
    year = 2000 + two_digits
    return year if year <= date.today().year - ADULT_AGE else year - 100


def _birthdate(rng: random.Random, nir: str | None) -> str:
    if nir:
        year, month = _birth_year(int(nir[1:3])), int(nir[3:5])
    else:
        year, month = rng.randint(*BIRTH_YEARS), rng.randint(1, 12)
    return date(year, month, rng.randint(1, calendar.monthrange(year, month)[1])).isoformat()


def _ascii_slug(text: str) -> str:
    """'Éléonore' -> 'eleonore', 'Le Gall' -> 'le-gall'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _email(rng: random.Random, given_name: str, family_name: str) -> str:
    local = ".".join(part for part in (_ascii_slug(given_name), _ascii_slug(family_name)) if part) or "persona"
    return f"{local}{rng.randint(1, 99)}@{rng.choice(EMAIL_DOMAINS)}"


def generate_persona(faker: Faker, *, provisional: bool = False, corsican: bool = False, **given: Any) -> Persona:
    """A persona with the fields given (as the control API takes them) and the others drawn from faker."""
    problem = validate_persona_input(given)
    if problem:
        raise ValueError(problem[1])
    provisional = provisional or "provisional_id" in given
    if provisional and "nir" in given:
        raise ValueError("a provisional persona has no NIR")
    if corsican and (provisional or "nir" in given):
        raise ValueError("corsican only applies to a generated NIR")

    rng = faker.random
    has_account = given.get("has_account", True)
    persona_id = f"{rng.getrandbits(48):012x}"
    nir = normalize_nir(given["nir"]) if "nir" in given else None
    gender = given["gender"] if "gender" in given else (GENDER_BY_SEX_DIGIT[nir[0]] if nir else rng.choice(GENDERS))
    birthdate = given["birthdate"] if "birthdate" in given else _birthdate(rng, nir)
    if nir is None and not provisional:
        born = date.fromisoformat(birthdate)
        nir = generate_nir(
            rng,
            sex=SEX_DIGIT_BY_GENDER[gender],
            birth_year=born.year,
            birth_month=born.month,
            department=rng.choice(CORSICA_DEPARTMENTS) if corsican else None,
        )
    provisional_id = None
    if provisional:
        provisional_id = normalize_provisional_id(given.get("provisional_id") or generate_provisional_id(rng))
    given_name = given.get("given_name") or (
        faker.first_name_female() if gender == "female" else faker.first_name_male()
    )
    family_name = given.get("family_name") or faker.last_name()
    phone = given["phone"] if "phone" in given else generate_mobile(rng)
    return Persona(
        id=persona_id,
        nir=nir,
        provisional_id=provisional_id,
        password=(given.get("password") or generate_password(rng)) if has_account else None,
        given_name=given_name,
        family_name=family_name,
        gender=gender,
        birthdate=birthdate,
        email=given["email"] if "email" in given else _email(rng, given_name, family_name),
        phone=normalize_phone(phone) if phone else None,
        has_account=has_account,
    )
