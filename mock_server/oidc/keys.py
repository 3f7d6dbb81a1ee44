"""Signing keys of each issuer, and the JWKS that publishes them.

One ES256 and one RS256 key per issuer (FranceConnect v2 offers exactly those
two algorithms; each client picks one). Keys are made once per process and
issuer: they are not secrets in a mock, and RSA generation is slow enough
(~0.1 s) that making them per test would show.
"""

from __future__ import annotations

import threading
from typing import Any

from joserfc import jwt
from joserfc.jwk import ECKey, KeySet, RSAKey

ALGORITHMS = ("ES256", "RS256")

_keys: dict[str, KeySet] = {}
_lock = threading.Lock()


def _generate(issuer_id: str) -> KeySet:
    keys = []
    for key in (ECKey.generate_key("P-256", parameters={"use": "sig", "alg": "ES256"}),
                RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"})):
        # The RFC 7638 thumbprint as kid: unique, and stable for the key's life.
        key.ensure_kid()
        keys.append(key)
    return KeySet(keys)


def key_set(issuer_id: str) -> KeySet:
    with _lock:
        if issuer_id not in _keys:
            _keys[issuer_id] = _generate(issuer_id)
        return _keys[issuer_id]


def public_jwks(issuer_id: str) -> dict[str, Any]:
    return key_set(issuer_id).as_dict(private=False)


def signing_key(issuer_id: str, alg: str):
    for key in key_set(issuer_id):
        if key.alg == alg:
            return key
    raise ValueError(f"no {alg} key for {issuer_id}")


def sign(issuer_id: str, claims: dict[str, Any], alg: str) -> str:
    key = signing_key(issuer_id, alg)
    # FranceConnect's header is alg and kid, nothing else (its conformance suite counts two).
    return jwt.encode({"alg": alg, "kid": key.kid}, claims, key, default_type=None)


def verify(issuer_id: str, token: str, algorithms: tuple[str, ...] = ALGORITHMS) -> jwt.Token:
    """Decode a token this mock signed (id_token_hint): signature checked, claims not."""
    return jwt.decode(token, key_set(issuer_id), algorithms=list(algorithms))
