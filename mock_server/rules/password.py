"""Password rules: 8 to 64 characters, at least one letter and one digit."""

from __future__ import annotations

import random
import string

PASSWORD_MIN = 8
PASSWORD_MAX = 64
# ASCII only: str.isdigit() would also accept "²" or Arabic-Indic digits.
DIGITS = string.digits
LETTERS = string.ascii_letters
GENERATED_MIN_EACH = 2


def check_password(pw: str) -> str | None:
    if not pw:
        return "required"
    if len(pw) < PASSWORD_MIN:
        return "too_short"
    if len(pw) > PASSWORD_MAX:
        return "too_long"
    if not any(char.isalpha() for char in pw):
        return "no_letter"
    if not any(char in DIGITS for char in pw):
        return "no_digit"
    return None


def generate_password(rng: random.Random, length: int = 12) -> str:
    if not PASSWORD_MIN <= length <= PASSWORD_MAX:
        raise ValueError(f"password length must be {PASSWORD_MIN} to {PASSWORD_MAX}, not {length}")
    chars = [rng.choice(LETTERS) for _ in range(GENERATED_MIN_EACH)]
    chars += [rng.choice(DIGITS) for _ in range(GENERATED_MIN_EACH)]
    chars += [rng.choice(LETTERS + DIGITS) for _ in range(length - len(chars))]
    rng.shuffle(chars)
    return "".join(chars)
