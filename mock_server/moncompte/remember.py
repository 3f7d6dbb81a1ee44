"""The "Se souvenir de moi" cookie: the identifier, encrypted, never readable in the browser.

A signed cookie (itsdangerous) carries the NIR in base64 for anyone who looks
at the browser's cookies; this one is a JWE (`dir`, A256GCM, joserfc) under a
key derived from the mock's secret (HKDF, so the key signing sessions is not
the one encrypting NIRs). Tampered, expired or foreign values read as nothing.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import OctKey

HEADER = {"alg": "dir", "enc": "A256GCM"}
KINDS = ("nir", "provisional")


def _key(secret: str) -> OctKey:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"se-souvenir-de-moi").derive(secret.encode())
    return OctKey.import_key(derived)


def seal(kind: str, identifier: str, *, secret: str, now: datetime) -> str:
    payload = {"kind": kind, "id": identifier, "iat": int(now.timestamp())}
    return jwe.encrypt_compact(HEADER, json.dumps(payload).encode(), _key(secret))


def unseal(token: str, *, secret: str, now: datetime, keep_for: timedelta) -> dict[str, Any] | None:
    """{"kind", "id"} of a cookie this mock sealed less than `keep_for` ago, else None."""
    if len(token) > 1024:
        return None
    try:
        value = json.loads(jwe.decrypt_compact(token, _key(secret)).plaintext)
    except (JoseError, ValueError, TypeError):
        return None
    if not isinstance(value, dict) or value.get("kind") not in KINDS or not isinstance(value.get("id"), str) \
            or not isinstance(value.get("iat"), int) or now.timestamp() - value["iat"] > keep_for.total_seconds():
        return None
    return {"kind": value["kind"], "id": value["id"]}
