"""People the mock knows: identity, credentials and contact details.

A generated persona is consistent the way real records are: the NIR's first
digit gives the gender, its year and month digits the birthdate, its department
and commune digits the place of birth. Every draw comes from `faker.random`, so
one `faker.seed_instance(n)` fixes the whole persona (the FranceConnect fields
through a generator seeded by the persona's id, see generate_persona).

Besides its CAF account, a persona holds what FranceConnect needs: its identity
pivot (names, birthdate, gender, place and country of birth), its login at each
identity provider (`credentials`) and, for error scenarios, how its IdP
misbehaves (`fc_error`).
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
from .identity_providers import BY_ID as PROVIDERS_BY_ID
from .identity_providers import PROVIDERS as IDENTITY_PROVIDERS
from .rules.email import is_email_address
from .rules.nir import CORSICA_DEPARTMENTS, KNOWN_DEPARTMENTS, check_nir, generate_nir, normalize_nir
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

# INSEE code of France in the country code list (the other codes start with 99 too).
BIRTHCOUNTRY_FRANCE = "99100"
# Where provisional personas (no French NIR) are born: INSEE country codes.
FOREIGN_BIRTHCOUNTRIES = (
    "99109",  # Allemagne
    "99127",  # Italie
    "99131",  # Belgique
    "99134",  # Espagne
    "99139",  # Portugal
    "99350",  # Maroc
    "99351",  # Tunisie
    "99352",  # Algérie
)

# FranceConnect "error personas": whichever IdP the persona logs into
#   idp_500 / idp_503  answers its token call with HTTP 500 / 503,
#   idp_timeout        never answers its token call in time,
#   consent_refused    sees the persona refuse consent on its consent page,
# or returns an identity FranceConnect's checks refuse (BROKEN_IDENTITIES).
# FranceConnect's own test data has one such account each (sans_genre, mois_00...).
# What each broken identity changes in userinfo: a claim left out (None) or its value.
BROKEN_IDENTITIES: dict[str, dict[str, str | None]] = {
    "missing_claim": {"birthdate": None},  # no birthdate at all
    "no_gender": {"gender": None},  # FranceConnect's sans_genre
    "birthplace_not_insee": {"birthplace": "AAAAA", "birthcountry": "99100"},  # test_INVALID_COG
    "born_in_france_no_birthplace": {"birthplace": "", "birthcountry": "99100"},  # sans_birthplace
    "birthdate_month_00": {"birthdate": "1977-00-03"},  # mois_00
    "birthdate_not_a_date": {"birthdate": "03/02/1977"},
    "empty_given_name": {"given_name": ""},  # sans_prenom
}
FC_ERRORS = ("idp_500", "idp_503", "idp_timeout", "missing_claim", "consent_refused",
             *(name for name in BROKEN_IDENTITIES if name != "missing_claim"))


def broken_identity(claims: dict[str, Any], fc_error: str | None) -> dict[str, Any]:
    """The claims an identity provider returns for a persona with this fc_error."""
    changes = BROKEN_IDENTITIES.get(fc_error or "", {})
    broken = {**claims, **{name: value for name, value in changes.items() if value is not None}}
    for name, value in changes.items():
        if value is None:
            broken.pop(name, None)
    return broken

# Every provider's credential fields, by provider (its record in identity_providers).
PROVIDER_CREDENTIAL_FIELDS: dict[str, tuple[str, ...]] = {
    provider.id: provider.credential_keys for provider in IDENTITY_PROVIDERS}

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_BIRTHPLACE = re.compile(r"(?:[0-9]{2}|2[AB])[0-9]{3}")
_BIRTHCOUNTRY = re.compile(r"99[0-9]{3}")


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
    # INSEE code of the commune of birth (nir[5:10] for a persona with a NIR), "" if born abroad.
    birthplace: str = ""
    # INSEE code of the country of birth; 99100 is France.
    birthcountry: str = BIRTHCOUNTRY_FRANCE
    # How the IdP this persona logs into misbehaves (one of FC_ERRORS), None if it does not.
    fc_error: str | None = None
    # Login at each identity provider it can use: {provider: {field: value}}, see PROVIDER_CREDENTIAL_FIELDS.
    credentials: dict[str, dict[str, str]] = dataclasses.field(default_factory=dict)
    # False: someone the identity providers know but the CAF does not (no file at all):
    # a FranceConnect login finds no CAF record, a NIR login no account.
    caf_record: bool = True
    # Nom d'usage (a married name, say), FranceConnect's `preferred_username`; None: none.
    preferred_username: str | None = None

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

    @property
    def identity_pivot(self) -> dict[str, str]:
        """The identity FranceConnect passes on: the same for every provider."""
        return {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "birthdate": self.birthdate,
            "gender": self.gender,
            "birthplace": self.birthplace,
            "birthcountry": self.birthcountry,
        }

    def to_dict(self) -> dict[str, Any]:
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


def _check_birthplace(value: str) -> str | None:
    if value == "" or (_BIRTHPLACE.fullmatch(value) and value[:2] in KNOWN_DEPARTMENTS):
        return None
    return f"{value!r} is not an INSEE commune code (department and 3 digits, e.g. 75056 or 2A004) nor \"\" (born abroad)"


def _check_birthcountry(value: str) -> str | None:
    return None if _BIRTHCOUNTRY.fullmatch(value) else f"{value!r} is not an INSEE country code (99 and 3 digits)"


def _check_fc_error(value: Any) -> str | None:
    if value is None or (isinstance(value, str) and value in FC_ERRORS):
        return None
    return f"{value!r} is not null nor one of {', '.join(FC_ERRORS)}"


def _check_credentials(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"must be an object of providers, not {type(value).__name__}"
    for provider, fields in value.items():
        if provider not in PROVIDER_CREDENTIAL_FIELDS:
            return f"{provider!r} is not a provider ({', '.join(PROVIDER_CREDENTIAL_FIELDS)})"
        if not isinstance(fields, dict):
            return f"{provider} must be an object, not {type(fields).__name__}"
        record = PROVIDERS_BY_ID[provider]
        allowed = record.credential_keys
        if not allowed and fields:
            return f"{provider} has no credentials: it must be {{}}"
        for key, field_value in fields.items():
            if key not in allowed:
                return f"{provider}.{key} is not a field of {provider} ({', '.join(allowed)})"
            if not isinstance(field_value, str):
                return f"{provider}.{key} must be a string, not {type(field_value).__name__}"
            if len(field_value) > MAX_FIELD_LENGTH:
                return f"{provider}.{key}: at most {MAX_FIELD_LENGTH} characters"
            problem = next(spec for spec in record.fields if spec.key == key).problem(f"{provider}.{key}", field_value)
            if problem:
                return problem
    return None


FIELD_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "nir": _coded(check_nir, texts.NIR_ERRORS),
    "provisional_id": _coded(check_provisional_id, texts.PROVISIONAL_ERRORS),
    "password": _coded(check_password, texts.PASSWORD_ERRORS),
    "given_name": _not_blank,
    "family_name": _not_blank,
    "gender": lambda value: None if value in GENDERS else f"{value!r} is not 'female' or 'male'",
    "birthdate": _check_birthdate,
    "email": lambda value: None if is_email_address(value) else f"{value!r} is not an e-mail address",
    "phone": _check_mobile,
    "has_account": lambda value: None if isinstance(value, bool) else "must be true or false",
    "caf_record": lambda value: None if isinstance(value, bool) else "must be true or false",
    "preferred_username": _not_blank,
    "birthplace": _check_birthplace,
    "birthcountry": _check_birthcountry,
    "fc_error": _check_fc_error,
    "credentials": _check_credentials,
}
# Fields whose check also checks the type: the others must be strings.
_NOT_JUST_STRINGS = ("has_account", "caf_record", "fc_error", "credentials")


def _cross_field_problem(data: Mapping[str, Any]) -> tuple[str, str] | None:
    if "nir" in data and "provisional_id" in data:
        return "provisional_id", "provisional_id: give a nir or a provisional_id, not both"
    if data.get("has_account") is False and "password" in data:
        return "password", "password: a persona without an account has no password"
    if all(field in data and data[field] is None for field in CONTACT_FIELDS):
        return "phone", "phone: a persona needs a mobile number or an e-mail address (or both)"
    credentials_problem = _credentials_cross_problem(data)
    if credentials_problem:
        return "credentials", f"credentials: {credentials_problem}"
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
    if data.get("birthplace", nir[5:10]) != nir[5:10]:
        return "birthplace", f"birthplace: the NIR says born in commune {nir[5:10]}"
    return None


def _credentials_cross_problem(data: Mapping[str, Any]) -> str | None:
    """Credentials that contradict the persona's own NIR or e-mail (values already checked)."""
    credentials = data.get("credentials") or {}
    for record in IDENTITY_PROVIDERS:
        if record.id not in credentials:
            continue
        for spec in record.fields:
            if spec.own == "nir":
                if "provisional_id" in data:
                    return f"{record.id} needs a NIR: a provisional persona has no {record.id} account"
                given = credentials[record.id].get("nir")
                if given is not None:
                    if "nir" not in data:
                        return f"{record.id}.nir needs the persona's nir as well"
                    if normalize_nir(given) != normalize_nir(data["nir"]):
                        return f"{record.id}.nir must be the persona's nir"
            elif spec.own == "email":
                if "email" in data and data["email"] is None:
                    return f"{record.id} needs an e-mail address: this persona has none"
                given = credentials[record.id].get("email")
                if given is not None:
                    if "email" not in data:
                        return f"{record.id}.email needs the persona's email as well"
                    if given.casefold() != data["email"].casefold():
                        return f"{record.id}.email must be the persona's email"
    return None


# The longest value any persona field takes (an e-mail address: RFC 5321's 254).
MAX_FIELD_LENGTH = 254

# Where codes are sent: a persona may lack one of them, not both.
CONTACT_FIELDS = ("phone", "email")
# Fields that may be null: a persona without a mobile, an e-mail address or a usage name.
NULLABLE = (*CONTACT_FIELDS, "preferred_username")


def validate_persona_input(data: Mapping[str, Any]) -> tuple[str, str] | None:
    """(field, message) for the first bad field of a control API body, or None."""
    for field, value in data.items():
        if field not in FIELD_CHECKS:
            return field, "unknown field"
        if value is None and field in NULLABLE:
            continue
        if field not in _NOT_JUST_STRINGS and not isinstance(value, str):
            return field, f"{field}: must be a string, not {type(value).__name__}"
        if isinstance(value, str) and len(value) > MAX_FIELD_LENGTH:
            # Before any pattern runs, and no 64 KiB value echoed in the message.
            return field, f"{field}: at most {MAX_FIELD_LENGTH} characters"
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


def _credentials(
    rng: random.Random, nir: str | None, email: str | None, given: Mapping[str, Mapping[str, str]]
) -> dict[str, dict[str, str]]:
    """A login at every provider this persona can use; given values win over drawn ones.

    Every value a provider needs is drawn, given or not, so giving one credential
    leaves the others of the same seed unchanged.
    """
    drawn: dict[str, dict[str, str]] = {}
    for record in IDENTITY_PROVIDERS:
        credentials = record.draw_credentials(rng, nir, email)
        if credentials is not None:
            drawn[record.id] = credentials
    for provider, fields in given.items():
        if provider not in drawn:
            raise ValueError(f"this persona cannot have {provider} credentials (no NIR or no e-mail)")
        drawn[provider].update(fields)
    for record in IDENTITY_PROVIDERS:
        for spec in record.fields:
            if spec.own == "nir" and record.id in drawn:
                drawn[record.id][spec.key] = normalize_nir(drawn[record.id][spec.key])
    return drawn


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
    birthplace = given.get("birthplace")
    if birthplace == "" and not provisional:
        raise ValueError("a persona with a NIR is born in the commune of its NIR: its birthplace cannot be empty")
    if corsican and birthplace and birthplace[:2] not in CORSICA_DEPARTMENTS:
        raise ValueError("a corsican persona is born in 2A or 2B")

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
    password = (given.get("password") or generate_password(rng)) if has_account else None
    email = given["email"] if "email" in given else _email(rng, given_name, family_name)
    # The FranceConnect fields come from their own generator, seeded by the persona's id:
    # deterministic per seed like the rest, yet they take nothing from faker.random, so
    # every persona drawn after this one from the same faker is the same as before they existed.
    fc_rng = random.Random(f"franceconnect/{persona_id}")
    if nir and birthplace and "nir" not in given:
        # Born where asked: the NIR's department and commune digits follow the birthplace.
        nir = nir[:5] + birthplace + nir[10:]
    if birthplace is None:
        birthplace = nir[5:10] if nir else ""
    if "birthcountry" in given:
        birthcountry = given["birthcountry"]
    else:
        birthcountry = BIRTHCOUNTRY_FRANCE if birthplace else fc_rng.choice(FOREIGN_BIRTHCOUNTRIES)
    return Persona(
        id=persona_id,
        nir=nir,
        provisional_id=provisional_id,
        password=password,
        given_name=given_name,
        family_name=family_name,
        gender=gender,
        birthdate=birthdate,
        email=email,
        phone=normalize_phone(phone) if phone else None,
        has_account=has_account,
        birthplace=birthplace,
        birthcountry=birthcountry,
        fc_error=given.get("fc_error"),
        credentials=_credentials(fc_rng, nir, email, given.get("credentials") or {}),
        caf_record=given.get("caf_record", True),
        preferred_username=given.get("preferred_username"),
    )
