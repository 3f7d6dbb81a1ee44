"""What differs between the six identity providers, apart from their words
(texts.PROVIDERS) and their look (static/providers.css): the fields of each
login form, how each field's input is cleaned up, and the OpenID Connect details."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..config import PROVIDER_IDS
from ..rules.nir import normalize_nir

# Yris has no end-session endpoint, as some real providers: FranceConnect must cope.
HAS_END_SESSION = {provider_id: provider_id != "yris" for provider_id in PROVIDER_IDS}
# Providers where the person approves the login in a phone app instead of typing a password.
APPROVAL_PROVIDERS = ("franceidentite",)
# Authentication methods (RFC 8176) each kind of login reports in the id_token.
PASSWORD_AMR = ("pwd",)
APPROVAL_AMR = ("pop", "mfa")

_SPACES = re.compile(r"[\s.]+")


def _without_spaces(value: str) -> str:
    return _SPACES.sub("", value)


def _thirteen_digits(value: str) -> str | None:
    """Format check of a numéro fiscal, as a key of the field's texts."""
    return None if re.fullmatch(r"[0-9]{13}", value) else "format"


@dataclass(frozen=True)
class FormField:
    key: str  # credential key: the persona's credentials[provider][key]
    input_type: str = "text"
    autocomplete: str = "username"
    inputmode: str | None = None
    normalize: Callable[[str], str] = str.strip
    check: Callable[[str], str | None] | None = None  # on the normalized value

    @property
    def secret(self) -> bool:
        return self.input_type == "password"


def _password(inputmode: str | None = None) -> FormField:
    # Passwords are compared as typed: no trimming.
    return FormField("password", "password", "current-password", inputmode, normalize=lambda value: value)


FORMS: dict[str, tuple[FormField, ...]] = {
    "impots": (
        FormField("numero_fiscal", inputmode="numeric", normalize=_without_spaces, check=_thirteen_digits),
        _password(),
    ),
    "ameli": (
        FormField("nir", inputmode="numeric", normalize=normalize_nir),
        _password("numeric"),
    ),
    "laposte": (
        FormField("email", input_type="email", autocomplete="email"),
        _password(),
    ),
    "msa": (
        FormField("nir", inputmode="numeric", normalize=normalize_nir),
        _password(),
    ),
    "yris": (
        FormField("identifier"),
        _password(),
    ),
    "franceidentite": (),
}

assert tuple(FORMS) == PROVIDER_IDS
