"""FranceConnect's scopes and the claims each one releases.

The identity pivot (identité pivot) is what FranceConnect guarantees about a
person; `email` and `preferred_username` come on top, by scope.
"""

from __future__ import annotations

from typing import Any, Iterable

PIVOT_CLAIMS = ("given_name", "family_name", "birthdate", "gender", "birthplace", "birthcountry")

SCOPE_CLAIMS: dict[str, tuple[str, ...]] = {
    "openid": (),
    "given_name": ("given_name",),
    "family_name": ("family_name",),
    "birthdate": ("birthdate",),
    "gender": ("gender",),
    "birthplace": ("birthplace",),
    "birthcountry": ("birthcountry",),
    "email": ("email",),
    "preferred_username": ("preferred_username",),
    "profile": ("given_name", "family_name", "birthdate", "gender", "preferred_username"),
    "birth": ("birthplace", "birthcountry"),
    "identite_pivot": PIVOT_CLAIMS,
}

ALL_CLAIMS = tuple(dict.fromkeys(claim for claims in SCOPE_CLAIMS.values() for claim in claims))


def released_claims(scope: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(claim for name in scope for claim in SCOPE_CLAIMS.get(name, ())))


def claims_for_scope(claims: dict[str, Any], scope: Iterable[str]) -> dict[str, Any]:
    """The user's claims that the granted scope releases (absent ones stay absent)."""
    return {name: claims[name] for name in released_claims(scope) if name in claims}


def persona_claims(persona: Any) -> dict[str, Any]:
    """What an identity provider knows of a persona, as OpenID Connect claims."""
    claims = {
        "given_name": persona.given_name,
        "family_name": persona.family_name,
        "birthdate": persona.birthdate,
        "gender": persona.gender,
        "birthplace": persona.birthplace,
        "birthcountry": persona.birthcountry,
    }
    if persona.email:
        claims["email"] = persona.email
    if persona.preferred_username:
        claims["preferred_username"] = persona.preferred_username
    return claims
