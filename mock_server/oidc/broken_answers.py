"""Broken answers on demand: an id_token or a userinfo answer wrong in one way.

A client under test must refuse each of them (or, for `jwks_rotated`, survive
it). They are faults of the fault board (`POST /__mock__/faults` with one of
these kinds and `client` or `persona`); FranceConnect's provider asks
`broken_answer()` before it signs an answer, and signs the broken one instead
when a fault matches the login. One record per kind: what it breaks, what is
wrong, what a strict client does, and how the token is made.
"""

from __future__ import annotations

import hashlib
import secrets
import warnings
from dataclasses import dataclass
from typing import Any, Callable

from joserfc import jwt
from joserfc.errors import SecurityWarning

from . import keys
from .claims import PIVOT_CLAIMS, persona_claims

ID_TOKEN = "id_token"
USERINFO = "userinfo"

# Key sets of the same shape as an issuer's own (one ES256 and one RS256 key, the
# RFC 7638 thumbprint as kid), made once per process by keys.key_set under these
# names: "other" is never published; "rotated" is published once an issuer rolls
# its keys (jwks_rotated).
OTHER_KEYS = "{issuer}#other"
ROTATED_KEYS = "{issuer}#rotated"

# How far in the past an expired id_token's exp is: beyond any clock tolerance a
# client may allow (FranceConnect's own tokens live 60 s).
EXPIRED_BY_SECONDS = 300
# The acr FranceConnect (eidas1, the level Mon Compte asks for) never returns.
OTHER_ACR = {"eidas1": "eidas2"}
# A wrong issuer that looks right: the same host, FranceConnect v1's path.
OTHER_ISSUER_PATH = "/api/v1"
OTHER_AUDIENCE = "un-autre-service"


@dataclass(frozen=True)
class Answer:
    """The right answer about to be signed, and whose it is."""

    issuer_id: str
    issuer: str  # its URL, the right `iss`
    claims: dict[str, Any]
    alg: str
    now: int


def _signed(answer: Answer, **changes: Any) -> str:
    """The right token with some claims changed (a value None: the claim left out)."""
    claims = {**answer.claims, **changes}
    return keys.sign(answer.issuer_id, {name: value for name, value in claims.items() if value is not None}, answer.alg)


def _other_key(answer: Answer) -> str:
    return keys.sign(OTHER_KEYS.format(issuer=answer.issuer_id), answer.claims, answer.alg)


def _unsigned(answer: Answer) -> str:
    # joserfc makes `alg: none` tokens only when asked by name, with a warning that it
    # is deprecated: making one is the point here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SecurityWarning)
        return jwt.encode({"alg": "none"}, answer.claims, None, algorithms=["none"], default_type=None)


def _expired(answer: Answer) -> str:
    exp = answer.now - EXPIRED_BY_SECONDS
    issued = exp - (answer.claims["exp"] - answer.claims["iat"])
    return _signed(answer, exp=exp, iat=issued, auth_time=min(answer.claims.get("auth_time", issued), issued))


def _rotated(answer: Answer) -> str:
    """The issuer rolls its keys now: the new ones are published beside the old, and sign."""
    from ..context import mock  # the store imports the fault board, which imports this module

    mock().store.faults.rotate_keys(answer.issuer_id)
    return keys.sign(ROTATED_KEYS.format(issuer=answer.issuer_id), answer.claims, answer.alg)


def _other_subject(answer: Answer) -> str:
    # Shaped as the provider's pairwise subjects (64 hex digits and "v1"), someone else's.
    return hashlib.sha256(secrets.token_bytes(16)).hexdigest() + "v1"


@dataclass(frozen=True)
class BrokenAnswer:
    kind: str
    answer: str  # the answer it replaces: "id_token" or "userinfo"
    wrong: str  # what is wrong in it
    client_must: str  # what a strict client does with it
    make: Callable[[Answer], str]


BROKEN_ANSWERS: dict[str, BrokenAnswer] = {record.kind: record for record in (
    BrokenAnswer("id_token_unknown_key", ID_TOKEN,
                 "signed with a key the JWKS does not have (a kid of the same form as the real ones)",
                 "fetch the JWKS again once, still find no such kid, refuse", _other_key),
    BrokenAnswer("id_token_alg_none", ID_TOKEN, "not signed at all: alg none, empty signature",
                 "refuse any alg other than the one it registered", _unsigned),
    BrokenAnswer("id_token_wrong_iss", ID_TOKEN, f"iss is another issuer (the same host, {OTHER_ISSUER_PATH})",
                 "refuse an iss other than the discovery's issuer",
                 lambda answer: _signed(answer, iss=answer.issuer.rsplit("/api/", 1)[0] + OTHER_ISSUER_PATH)),
    BrokenAnswer("id_token_wrong_aud", ID_TOKEN, f"aud is another client ({OTHER_AUDIENCE!r})",
                 "refuse a token whose aud is not its client_id", lambda answer: _signed(answer, aud=OTHER_AUDIENCE)),
    BrokenAnswer("id_token_wrong_nonce", ID_TOKEN, "nonce is not the one the client sent",
                 "refuse: the token was issued for another authorization request",
                 lambda answer: _signed(answer, nonce=secrets.token_urlsafe(36))),
    BrokenAnswer("id_token_no_nonce", ID_TOKEN, "no nonce", "refuse: it sent a nonce, the token must carry it",
                 lambda answer: _signed(answer, nonce=None)),
    BrokenAnswer("id_token_expired", ID_TOKEN, f"exp {EXPIRED_BY_SECONDS} s in the past on the mock's clock",
                 "refuse an expired token", _expired),
    BrokenAnswer("id_token_wrong_acr", ID_TOKEN, "acr is not the level asked for (eidas2 for eidas1)",
                 "refuse an acr other than the acr_values it asked for",
                 lambda answer: _signed(answer, acr=OTHER_ACR.get(answer.claims.get("acr"), "eidas1"))),
    BrokenAnswer("id_token_no_at_hash", ID_TOKEN, "no at_hash",
                 "refuse: the mock's FranceConnect sends at_hash, which ties the id_token to the access token",
                 lambda answer: _signed(answer, at_hash=None)),
    BrokenAnswer("userinfo_other_key", USERINFO, "the userinfo JWT is signed with a key the JWKS does not have",
                 "fetch the JWKS again once, still find no such kid, refuse", _other_key),
    BrokenAnswer("userinfo_other_sub", USERINFO, "the userinfo's sub is someone else's",
                 "refuse a userinfo whose sub is not the id_token's", lambda answer: _signed(
                     answer, sub=_other_subject(answer))),
    BrokenAnswer("jwks_rotated", USERINFO,
                 "the issuer rolls its keys between the id_token and userinfo: the userinfo is signed by a new "
                 "key, published in the JWKS beside the old ones from that moment",
                 "fetch the JWKS again on the unknown kid, find it, accept: the person is signed in", _rotated),
)}


def rotated_jwks(issuer_id: str) -> dict[str, Any]:
    """The public keys an issuer rolled to (jwks_rotated)."""
    return keys.key_set(ROTATED_KEYS.format(issuer=issuer_id)).as_dict(private=False)


def published_jwks(issuer_id: str) -> dict[str, Any]:
    """What the issuer's /jwks publishes: its keys, and the ones it rolled to if it did."""
    from ..context import mock  # see _rotated

    jwks = keys.public_jwks(issuer_id)
    if mock().store.faults.keys_rotated(issuer_id):
        jwks = {"keys": [*jwks["keys"], *rotated_jwks(issuer_id)["keys"]]}
    return jwks


def login_of(claims: dict[str, Any]) -> Callable[[str], bool]:
    """Whether a persona id is the person a grant's identity claims describe."""
    from ..context import mock  # see _rotated

    def is_persona(persona_id: str) -> bool:
        persona = mock().store.get_persona(persona_id)
        if persona is None:
            return False
        known = persona_claims(persona)
        return all(known.get(name) == claims.get(name) for name in PIVOT_CLAIMS)

    return is_persona


def broken_answer(kind: str, claims: dict[str, Any], alg: str, grant: Any) -> str | None:
    """ProviderSpec.broken_answer: the broken token a fault sets for this login, or None.

    A fault matches on the client the answer is for, and on the person: the
    grant's identity claims are those of the persona's (FranceConnect knows
    people by their identity pivot, not by the mock's persona ids)."""
    from flask import request

    from ..context import mock  # see _rotated
    from ..sites import FAULT_KEY

    ctx = mock()
    fault = ctx.store.faults.take_answer(kind, grant.client_id, login_of(grant.claims))
    if fault is None:
        return None
    request.environ[FAULT_KEY] = fault.id  # the journal's entry for this call names the fault
    # Both answers carry the right iss: the issuer's URL.
    answer = Answer(issuer_id=grant.issuer, issuer=claims["iss"], claims=claims, alg=alg,
                    now=int(ctx.store.clock.now().timestamp()))
    return BROKEN_ANSWERS[fault.kind].make(answer)
