"""French mobile numbers (06 and 07), stored as 10 digits: "0612345678"."""

from __future__ import annotations

import random
import re

from .nir import MASK, SEPARATORS

MOBILE = re.compile(r"0[67][0-9]{8}")
# International forms of +33 6…: the trunk 0 replaces the country code.
COUNTRY_PREFIXES = ("+33", "0033")

_DROP_SEPARATORS = str.maketrans("", "", SEPARATORS + "-")


def normalize_phone(raw: str) -> str:
    phone = raw.translate(_DROP_SEPARATORS)
    for prefix in COUNTRY_PREFIXES:
        if phone.startswith(prefix):
            return "0" + phone[len(prefix) :]
    return phone


def check_phone(raw: str) -> str | None:
    return None if MOBILE.fullmatch(normalize_phone(raw)) else "bad_format"


def generate_mobile(rng: random.Random) -> str:
    return rng.choice(("06", "07")) + "".join(rng.choice("0123456789") for _ in range(8))


def _pairs(phone: str) -> str:
    return " ".join(phone[i : i + 2] for i in range(0, len(phone), 2))


def format_phone(phone: str) -> str:
    """'0612345678' -> '06 12 34 56 78'."""
    return _pairs(normalize_phone(phone))


def mask_phone(phone: str) -> str:
    """'0612345678' -> '06 •• •• •• 78'."""
    phone = normalize_phone(phone)
    return _pairs(phone[:2] + MASK * (len(phone) - 4) + phone[-2:])
