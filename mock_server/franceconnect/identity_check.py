"""FranceConnect's checks on the identity an identity provider returns.

As FranceConnect's core (its OidcIdentityDto, run by the feature handler
`core-fcp-default-identity-check` on the provider's userinfo): an identity that
fails any of them ends the login on FranceConnect's error page, code Y600006,
before anything reaches the service. Extra claims are ignored (stripped, as
FranceConnect's class-transformer does).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..rules.email import is_email_address

# Scope 60 (core-fcp) + code 6: CoreFcpInvalidIdentityException.
INVALID_IDENTITY = "Y600006"
# Its HTTP status ("server_error" back to the service after it); its words are
# texts.FRANCECONNECT["error_messages"]["invalid_identity"].
INVALID_IDENTITY_STATUS = 400

COG_FRANCE = "99100"
GENDERS = ("female", "male", "unspecified")
MAX_NAME_LENGTH = 256
# The INSEE's Code officiel géographique: a commune (2A/2B for Corsica) or a country (99xxx).
_COG = re.compile(r"(?:2[AB]|[0-9]{2})[0-9]{3}")
_BIRTHDATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def is_cog(value: Any) -> bool:
    return isinstance(value, str) and _COG.fullmatch(value) is not None


def is_idp_birthdate(value: Any) -> bool:
    """YYYY-MM-DD (a real date), or a presumed date: YYYY-MM-00 or YYYY-00-00."""
    if not isinstance(value, str):
        return False
    match = _BIRTHDATE.fullmatch(value)
    if match is None:
        return False
    year, month, day = (int(part) for part in match.groups())
    if month == 0:
        return day == 0 and year > 0  # born in that year, month and day unknown
    if day == 0:
        return year > 0 and 1 <= month <= 12  # born in that month, day unknown
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _name_problem(value: Any) -> str | None:
    if not isinstance(value, str):
        return "missing or not a string"
    if not 1 <= len(value) <= MAX_NAME_LENGTH:
        return f"must have 1 to {MAX_NAME_LENGTH} characters"
    return None


def identity_problems(identity: dict[str, Any]) -> dict[str, str]:
    """What FranceConnect refuses in this identity, by claim (empty: it is accepted)."""
    problems: dict[str, str] = {}
    for name in ("given_name", "family_name"):
        problem = _name_problem(identity.get(name))
        if problem:
            problems[name] = problem
    if not is_idp_birthdate(identity.get("birthdate")):
        problems["birthdate"] = "not YYYY-MM-DD (a real date), YYYY-MM-00 or YYYY-00-00"
    if identity.get("gender") not in GENDERS:
        problems["gender"] = f"not one of {', '.join(GENDERS)}"
    birthcountry = identity.get("birthcountry")
    if not is_cog(birthcountry):
        problems["birthcountry"] = "not an INSEE code"
    # The birthplace is checked for people born in France only (FranceConnect only
    # logs one given for someone born abroad).
    if birthcountry == COG_FRANCE and not is_cog(identity.get("birthplace")):
        problems["birthplace"] = "born in France: an INSEE commune code is required"
    if "preferred_username" in identity and not isinstance(identity["preferred_username"], str):
        problems["preferred_username"] = "not a string"
    # FranceConnect requires an e-mail address; the mock's personas may have none
    # (see README), so only a malformed one is refused.
    email = identity.get("email")
    if email is not None and not (isinstance(email, str) and is_email_address(email)):
        problems["email"] = "not an e-mail address"
    return problems
