"""The input rules: each bad input gets its code, generated data is valid, rules.js agrees."""

from __future__ import annotations

import random

import pytest

from fixtures.bad_inputs import BAD_NIRS, BAD_PASSWORDS, BAD_PROVISIONAL_IDS, BadInput
from mock_server import texts
from mock_server.rules.nir import (
    GENERATED_DEPARTMENTS,
    NIR_LENGTH,
    check_nir,
    format_nir,
    generate_nir,
    mask_nir,
    normalize_nir,
)
from mock_server.rules.password import PASSWORD_MAX, PASSWORD_MIN, check_password, generate_password
from mock_server.rules.phone import check_phone, format_phone, generate_mobile, mask_phone, normalize_phone
from mock_server.rules.provisional import check_provisional_id, generate_provisional_id, normalize_provisional_id

VALID_NIR = "1841275123456"
DRAWS = 500

CATALOGUES = [
    (BAD_NIRS, check_nir, texts.NIR_ERRORS),
    (BAD_PASSWORDS, check_password, texts.PASSWORD_ERRORS),
    (BAD_PROVISIONAL_IDS, check_provisional_id, texts.PROVISIONAL_ERRORS),
]


# The catalogues ---------------------------------------------------------------


@pytest.mark.parametrize("case", BAD_NIRS, ids=lambda c: c.id)
def test_each_bad_nir_gets_its_code(case: BadInput) -> None:
    assert check_nir(case.value) == case.code
    assert case.message == texts.NIR_ERRORS[case.code]


@pytest.mark.parametrize("case", BAD_PASSWORDS, ids=lambda c: c.id)
def test_each_bad_password_gets_its_code(case: BadInput) -> None:
    assert check_password(case.value) == case.code
    assert case.message == texts.PASSWORD_ERRORS[case.code]


@pytest.mark.parametrize("case", BAD_PROVISIONAL_IDS, ids=lambda c: c.id)
def test_each_bad_provisional_id_gets_its_code(case: BadInput) -> None:
    assert check_provisional_id(case.value) == case.code
    assert case.message == texts.PROVISIONAL_ERRORS[case.code]


@pytest.mark.parametrize("cases, check, messages", CATALOGUES, ids=["nir", "password", "provisional"])
def test_catalogue_covers_every_code_with_unique_ids(cases, check, messages) -> None:
    assert {case.code for case in cases} == set(messages)
    assert len({case.id for case in cases}) == len(cases)
    assert all(case.description for case in cases)


# Which characters each later rule looks at: the bad NIR must differ from the
# valid one only there, and putting the valid characters back must fix it.
RULE_POSITIONS = {"temporary_nia": slice(0, 1), "bad_sex": slice(0, 1), "bad_month": slice(3, 5), "bad_department": slice(5, 7)}


@pytest.mark.parametrize("case", [c for c in BAD_NIRS if c.code in RULE_POSITIONS], ids=lambda c: c.id)
def test_bad_nir_breaks_only_its_rule(case: BadInput) -> None:
    nir, where = normalize_nir(case.value), RULE_POSITIONS[case.code]
    differing = {i for i, (a, b) in enumerate(zip(nir, VALID_NIR, strict=True)) if a != b}
    assert differing and differing <= set(range(where.start, where.stop))
    assert check_nir(nir[: where.start] + VALID_NIR[where] + nir[where.stop :]) is None


# NIR ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "1 84 12 75 123 456",
        "1.84.12.75.123.456",
        "1\u00a084\u00a012\u00a075\u00a0123\u00a0456",  # non-breaking spaces, as pasted from a PDF
        "1\u202f84\u202f12\u202f75\u202f123\u202f456",  # narrow no-break spaces
        "1\t84 12. 75 123 456 ",
    ],
)
def test_nir_separators_are_ignored(raw: str) -> None:
    assert normalize_nir(raw) == VALID_NIR
    assert check_nir(raw) is None


@pytest.mark.parametrize("raw, normalized", [("2 84 05 2a 012 345", "284052A012345"), ("1840920b12345", "1840920B12345")])
def test_corsican_letters_may_be_lower_case(raw: str, normalized: str) -> None:
    assert normalize_nir(raw) == normalized


@pytest.mark.parametrize(
    "nir, code",
    [
        ("284052A012345", None),
        ("284052B012345", None),
        ("1840920A12345", "invalid_characters"),  # the A is one place too far right
        ("18405A2012345", "invalid_characters"),  # A2 is not Corsica
        ("1841201123456", None),
        ("1841295123456", None),
        ("1841220123456", None),  # 20: Corsica before 1976
        ("1841297123456", None),
        ("1841298123456", None),
        ("1841299123456", None),
        ("2840175123456", None),
        ("1 84 12 75 123 4567", "too_long"),
        ("184127512345６", "invalid_characters"),  # full-width digit
        ("18412751234٥6", "invalid_characters"),  # Arabic-Indic digit: isdigit() but not 0-9
        ("1841275123456\n", "invalid_characters"),
    ],
)
def test_nir_edge_values(nir: str, code: str | None) -> None:
    assert check_nir(nir) == code


def test_generated_nirs_are_valid_and_metropolitan_by_default() -> None:
    rng = random.Random(20240501)
    nirs = [generate_nir(rng) for _ in range(DRAWS)]
    assert all(check_nir(nir) is None and len(nir) == NIR_LENGTH for nir in nirs)
    assert all(nir[5:7] in GENERATED_DEPARTMENTS and nir[5:7] != "20" for nir in nirs)
    assert {nir[0] for nir in nirs} == {"1", "2"}
    assert len(set(nirs)) > DRAWS * 0.99


def test_generate_nir_honours_its_arguments() -> None:
    rng = random.Random(3)
    for _ in range(DRAWS):
        department = rng.choice(("2A", "2B", "2a", "13", "99"))
        nir = generate_nir(rng, sex=2, birth_year=1976, birth_month=2, department=department)
        assert check_nir(nir) is None
        assert nir[:5] == "27602" and nir[5:7] == department.upper()
        assert "001" <= nir[7:10] <= "999" and "001" <= nir[10:13] <= "999"


@pytest.mark.parametrize(
    "kwargs", [{"sex": 3}, {"sex": 7}, {"birth_month": 13}, {"department": "96"}, {"department": "2C"}]
)
def test_generate_nir_refuses_arguments_that_make_a_bad_nir(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        generate_nir(random.Random(0), **kwargs)


def test_generation_is_deterministic() -> None:
    assert [generate_nir(random.Random(42)) for _ in range(3)] == [generate_nir(random.Random(42))] * 3


def test_format_and_mask_nir() -> None:
    assert format_nir(VALID_NIR) == "1 84 12 75 123 456"
    assert format_nir("2.84.05.2a.012.345") == "2 84 05 2A 012 345"
    assert mask_nir(VALID_NIR) == "1 84 12 •• ••• •••"
    assert mask_nir("284052A012345") == "2 84 05 •• ••• •••"


# Provisional identifier ---------------------------------------------------


def test_provisional_id_normalization() -> None:
    assert normalize_provisional_id(" p 123.456.789 ") == "P123456789"
    assert check_provisional_id("p123 456 789") is None


@pytest.mark.parametrize("value", ["P１23456789", "P123456789\n", "PP12345678", "P-123456789"])
def test_provisional_id_edge_values(value: str) -> None:
    assert check_provisional_id(value) == "bad_format"


def test_generated_provisional_ids_are_valid() -> None:
    rng = random.Random(11)
    ids = [generate_provisional_id(rng) for _ in range(DRAWS)]
    assert all(check_provisional_id(value) is None and value == normalize_provisional_id(value) for value in ids)


# Password -----------------------------------------------------------------


@pytest.mark.parametrize(
    "pw, code",
    [
        ("abcdef12", None),
        ("a1" * 32, None),
        ("Éléonore2024", None),  # accented letters are letters
        ("パスワードです12", None),
        ("\U0001f600" * 6 + "a1", None),  # 8 code points, even if 14 UTF-16 units
        ("abcdefg٣", "no_digit"),  # Arabic-Indic digit: not 0-9
        ("abcdefg²", "no_digit"),
        ("        ", "no_letter"),
    ],
)
def test_password_edge_values(pw: str, code: str | None) -> None:
    assert check_password(pw) == code


def test_generated_passwords_are_valid() -> None:
    rng = random.Random(5)
    for length in (PASSWORD_MIN, 12, PASSWORD_MAX):
        for _ in range(DRAWS):
            pw = generate_password(rng, length)
            assert check_password(pw) is None and len(pw) == length and pw.isascii()
            assert sum(c.isalpha() for c in pw) >= 2 and sum(c.isdigit() for c in pw) >= 2


@pytest.mark.parametrize("length", [PASSWORD_MIN - 1, PASSWORD_MAX + 1])
def test_generate_password_refuses_invalid_lengths(length: int) -> None:
    with pytest.raises(ValueError):
        generate_password(random.Random(0), length)


# Phone --------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, normalized",
    [
        ("06 12 34 56 78", "0612345678"),
        ("06.12.34.56.78", "0612345678"),
        ("06-12-34-56-78", "0612345678"),
        ("+33 6 12 34 56 78", "0612345678"),
        ("0033 7 12 34 56 78", "0712345678"),
        ("+33\u00a07\u00a012\u00a034\u00a056\u00a078", "0712345678"),
    ],
)
def test_phone_normalization(raw: str, normalized: str) -> None:
    assert normalize_phone(raw) == normalized
    assert check_phone(raw) is None


@pytest.mark.parametrize(
    "raw", ["", "0123456789", "0812345678", "061234567", "06123456789", "+44 6 12 34 56 78", "06 12 34 56 7A"]
)
def test_bad_phones(raw: str) -> None:
    assert check_phone(raw) == "bad_format"


def test_generated_mobiles_are_valid() -> None:
    rng = random.Random(8)
    phones = [generate_mobile(rng) for _ in range(DRAWS)]
    assert all(check_phone(p) is None and normalize_phone(p) == p for p in phones)
    assert {p[:2] for p in phones} == {"06", "07"}


def test_format_and_mask_phone() -> None:
    assert format_phone("0612345678") == "06 12 34 56 78"
    assert format_phone("+33 6 12 34 56 78") == "06 12 34 56 78"
    assert mask_phone("0612345678") == "06 •• •• •• 78"
