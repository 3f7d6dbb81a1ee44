"""The identity providers FranceConnect offers: one record each.

Everything that differs between impots.gouv.fr, ameli.fr, La Poste, MSA, Yris
and France Identité is here, as data: the login form's fields (how a typed value
is cleaned up and checked, how a persona's stored value is checked and drawn),
the OpenID Connect details (end-session endpoint, `amr`), how the person logs
in (a form or an approval in a phone app) and how FranceConnect shows it
(`active`, `display`, as FranceConnect's own identity-provider records have).
Their words are texts.PROVIDERS (all French text lives in texts.py); their look
is static/providers.css.

This module sits on the lowest floor (it imports only the rules and the texts),
so the personas, the sites, the control API and the suites all read it.
"""

from __future__ import annotations

import random
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import texts
from .rules.email import is_email_address
from .rules.nir import check_nir, normalize_nir
from .rules.password import DIGITS, generate_password

# Authentication methods (RFC 8176) each kind of login reports in the id_token.
PASSWORD_AMR = ("pwd",)
APPROVAL_AMR = ("pop", "mfa")

NUMERO_FISCAL_LENGTH = 13
NUMERO_FISCAL_FIRST_DIGITS = "0123"
AMELI_CODE_LENGTH = 8
YRIS_PREFIX = "yris-"
YRIS_ID_LENGTH = 8
YRIS_ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789"

_SPACES = re.compile(r"[\s.]+")
_NUMERO_FISCAL = re.compile(rf"[{NUMERO_FISCAL_FIRST_DIGITS}][0-9]{{{NUMERO_FISCAL_LENGTH - 1}}}")
_AMELI_CODE = re.compile(rf"[0-9]{{{AMELI_CODE_LENGTH}}}")

# Draws a value for a persona: (its generator, its NIR or None, its e-mail or None).
Draw = Callable[[random.Random, "str | None", "str | None"], str]
# What is wrong with a stored value, as the control API says it: (where, value) -> message.
Rule = Callable[[str, str], "str | None"]


@dataclass(frozen=True)
class CredentialField:
    """One field of a provider's login form, and the persona credential it matches."""

    key: str  # the persona's credentials[provider][key], and the form field's name
    input_type: str = "text"
    autocomplete: str = "username"
    inputmode: str | None = None
    # The form: how a typed value is cleaned up, then checked (a key of the field's texts).
    normalize: Callable[[str], str] = str.strip
    check: Callable[[str], str | None] | None = None
    # The persona: its own value ("nir", "email"), or drawn for it, and checked when given.
    own: str | None = None
    draw: Draw | None = None
    rule: Rule | None = None
    # How the control API's description shows the field (JSON Schema keywords).
    schema: Mapping[str, Any] = field(default_factory=dict)

    @property
    def secret(self) -> bool:
        return self.input_type == "password"

    def problem(self, where: str, value: str) -> str | None:
        """What is wrong with a stored value of this field, on its own."""
        problem = self.rule(where, value) if self.rule is not None else None
        if problem is None and not value.strip():
            return f"{where} must not be empty"
        return problem


@dataclass(frozen=True)
class IdentityProvider:
    id: str  # also its site: <id>.localhost
    fields: tuple[CredentialField, ...]
    # RP-initiated logout: Yris has no end-session endpoint, as some real providers.
    has_end_session: bool = True
    # The person approves the login in a phone app instead of typing a password.
    approval: bool = False
    amr: tuple[str, ...] = PASSWORD_AMR
    # FranceConnect's chooser: selectable (`active`), shown at all (`display`).
    active: bool = True
    display: bool = True

    @property
    def words(self) -> Mapping[str, Any]:
        return texts.PROVIDERS[self.id]

    @property
    def name(self) -> str:
        """Its button on FranceConnect's chooser, as the help page writes it ("FRANCE IDENTITE")."""
        return self.words["name"]

    @property
    def in_text(self) -> str:
        """Its name inside a sentence ("France Identité")."""
        return self.words["in_text"]

    @property
    def credential_keys(self) -> tuple[str, ...]:
        return tuple(spec.key for spec in self.fields)

    @property
    def identifier(self) -> CredentialField | None:
        return next((spec for spec in self.fields if not spec.secret), None)

    @property
    def needs(self) -> tuple[str, ...]:
        """What a persona must have of its own to hold an account here ("nir", "email")."""
        return tuple(spec.own for spec in self.fields if spec.own)

    def draw_credentials(self, rng: random.Random, nir: str | None, email: str | None) -> dict[str, str] | None:
        """A login here for a persona, or None when it cannot have one (no NIR, no e-mail).
        Draws nothing for a persona that cannot: the generator's sequence stays as it was."""
        own = {"nir": nir, "email": email}
        if any(not own[need] for need in self.needs):
            return None
        return {spec.key: own[spec.own] if spec.own else spec.draw(rng, nir, email) for spec in self.fields}


# Fields ---------------------------------------------------------------------


def _without_spaces(value: str) -> str:
    return _SPACES.sub("", value)


def _thirteen_digits(value: str) -> str | None:
    """Format check of a numéro fiscal, as a key of the field's texts."""
    return None if re.fullmatch(r"[0-9]{13}", value) else "format"


def _digits(rng: random.Random, count: int, first: str = DIGITS) -> str:
    return rng.choice(first) + "".join(rng.choice(DIGITS) for _ in range(count - 1))


def _nir_rule(where: str, value: str) -> str | None:
    code = check_nir(value)
    return f"{where} is not a valid NIR: {code} — {texts.NIR_ERRORS[code]}" if code else None


def _email_rule(where: str, value: str) -> str | None:
    return None if is_email_address(value) else f"{where}: {value!r} is not an e-mail address"


def _numero_fiscal_rule(where: str, value: str) -> str | None:
    if _NUMERO_FISCAL.fullmatch(value):
        return None
    return f"{where} must be {NUMERO_FISCAL_LENGTH} digits, the first one 0 to 3"


def _ameli_code_rule(where: str, value: str) -> str | None:
    return None if _AMELI_CODE.fullmatch(value) else f"{where} must be {AMELI_CODE_LENGTH} digits (ameli's code confidentiel)"


def _yris_identifier(rng: random.Random, nir: str | None, email: str | None) -> str:
    # Drawn even for a persona with an e-mail (its Yris identifier then), so that
    # having an e-mail or not changes nothing else the generator draws.
    drawn = YRIS_PREFIX + "".join(rng.choice(YRIS_ID_CHARS) for _ in range(YRIS_ID_LENGTH))
    return email or drawn


def _password(inputmode: str | None = None, *, draw: Draw | None = None, rule: Rule | None = None,
              schema: Mapping[str, Any] | None = None) -> CredentialField:
    # Passwords are compared as typed: no trimming.
    return CredentialField(
        "password", "password", "current-password", inputmode, normalize=lambda value: value,
        draw=draw or (lambda rng, nir, email: generate_password(rng)), rule=rule, schema=schema or {})


_NIR = CredentialField(
    "nir", inputmode="numeric", normalize=normalize_nir, own="nir", rule=_nir_rule,
    schema={"description": "the persona's own NIR"})


PROVIDERS: tuple[IdentityProvider, ...] = (
    IdentityProvider("impots", (
        CredentialField(
            "numero_fiscal", inputmode="numeric", normalize=_without_spaces, check=_thirteen_digits,
            draw=lambda rng, nir, email: _digits(rng, NUMERO_FISCAL_LENGTH, NUMERO_FISCAL_FIRST_DIGITS),
            rule=_numero_fiscal_rule,
            schema={"pattern": "^[0-3][0-9]{12}$", "description": "13 digits, the first one 0 to 3"}),
        _password(),
    )),
    IdentityProvider("ameli", (
        _NIR,
        _password("numeric", draw=lambda rng, nir, email: "".join(rng.choice(DIGITS) for _ in range(AMELI_CODE_LENGTH)),
                  rule=_ameli_code_rule,
                  schema={"pattern": "^[0-9]{8}$", "description": "ameli's 8-digit code confidentiel"}),
    )),
    IdentityProvider("laposte", (
        CredentialField("email", input_type="email", autocomplete="email", own="email", rule=_email_rule,
                        schema={"description": "the persona's own e-mail address"}),
        _password(),
    )),
    IdentityProvider("msa", (_NIR, _password())),
    IdentityProvider("yris", (CredentialField("identifier", draw=_yris_identifier), _password()), has_end_session=False),
    IdentityProvider("franceidentite", (), approval=True, amr=APPROVAL_AMR),
)

PROVIDER_IDS: tuple[str, ...] = tuple(provider.id for provider in PROVIDERS)
BY_ID: dict[str, IdentityProvider] = {provider.id: provider for provider in PROVIDERS}

assert tuple(texts.PROVIDERS) == PROVIDER_IDS, "texts.PROVIDERS must follow the records' order"


# FranceConnect's switches, at run time ------------------------------------------------


@dataclass(frozen=True)
class Availability:
    """How FranceConnect's chooser shows one provider now: selectable, shown at all."""

    active: bool
    display: bool


class ProviderAvailability:
    """Each provider's `active`/`display` flags as one mock instance has them now.

    The records keep the defaults; the control API switches a provider off (or hides
    it) for a test or a person, and a reset puts every record's values back. The
    store holds one board per mock instance."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._changed: dict[str, Availability] = {}

    def reset(self) -> None:
        with self._lock:
            self._changed = {}

    def get(self, idp: str) -> Availability:
        with self._lock:
            changed = self._changed.get(idp)
        if changed is not None:
            return changed
        record = BY_ID[idp]
        return Availability(record.active, record.display)

    def set(self, idp: str, *, active: bool | None = None, display: bool | None = None) -> Availability:
        """Change one provider's flags (None: unchanged); its availability now."""
        with self._lock:
            record = BY_ID[idp]
            now = self._changed.get(idp, Availability(record.active, record.display))
            now = Availability(now.active if active is None else active, now.display if display is None else display)
            if now == Availability(record.active, record.display):
                self._changed.pop(idp, None)
            else:
                self._changed[idp] = now
            return now

    def all(self) -> dict[str, Availability]:
        return {idp: self.get(idp) for idp in PROVIDER_IDS}
