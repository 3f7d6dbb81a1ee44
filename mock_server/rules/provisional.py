"""The provisional identifier, for people without a NIR yet.

The real format is not public: the mock uses the letter P followed by 9 digits.
"""

from __future__ import annotations

import random
import re

from .nir import SEPARATORS

PREFIX = "P"
DIGIT_COUNT = 9
PATTERN = re.compile(rf"{PREFIX}[0-9]{{{DIGIT_COUNT}}}")

_DROP_SEPARATORS = str.maketrans("", "", SEPARATORS)


def normalize_provisional_id(raw: str) -> str:
    return raw.translate(_DROP_SEPARATORS).upper()


def check_provisional_id(raw: str) -> str | None:
    value = normalize_provisional_id(raw)
    if not value:
        return "required"
    if not PATTERN.fullmatch(value):
        return "bad_format"
    return None


def generate_provisional_id(rng: random.Random) -> str:
    return PREFIX + "".join(rng.choice("0123456789") for _ in range(DIGIT_COUNT))
