"""Personas: consistent with their NIR, deterministic per seed, validated field by field."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from faker import Faker

from pytest_franceconnect_mock import personas as test_data
from pytest_franceconnect_mock.personas import PersonaFactory
from mock_server import texts
from mock_server.personas import FIELD_CHECKS, FIELDS, Persona, generate_persona, validate_persona_input
from mock_server.rules.nir import check_nir
from mock_server.rules.password import check_password
from mock_server.rules.phone import check_phone
from mock_server.rules.provisional import check_provisional_id

ROOT = Path(__file__).resolve().parents[1]
EMAIL = re.compile(r"[a-z0-9.-]+[0-9]{1,2}@example\.(org|com|net)")


def seeded(seed: int) -> Faker:
    faker = Faker("fr_FR")
    faker.seed_instance(seed)
    return faker


def assert_consistent(persona: Persona) -> None:
    born = date.fromisoformat(persona.birthdate)
    if persona.nir:
        assert check_nir(persona.nir) is None
        assert persona.gender == {"1": "male", "2": "female"}[persona.nir[0]]
        assert (f"{born.year % 100:02d}", f"{born.month:02d}") == (persona.nir[1:3], persona.nir[3:5])
        assert persona.provisional_id is None and persona.identifier == persona.nir
    else:
        assert check_provisional_id(persona.provisional_id) is None
        assert persona.identifier == persona.provisional_id
    assert check_password(persona.password) is None
    assert check_phone(persona.phone) is None and persona.phone.isdigit()
    assert EMAIL.fullmatch(persona.email), persona.email
    assert re.fullmatch(r"[0-9a-f]{12}", persona.id)
    assert persona.given_name and persona.family_name
    assert persona.display_name == f"{persona.given_name} {persona.family_name}"


# Generation ---------------------------------------------------------------


@pytest.mark.parametrize("shape", [{}, {"corsican": True}, {"provisional": True}], ids=["nir", "corsican", "provisional"])
def test_generated_personas_are_consistent(shape: dict) -> None:
    faker = seeded(1)
    for _ in range(200):
        persona = generate_persona(faker, **shape)
        assert_consistent(persona)
        assert (persona.nir is None) == bool(shape.get("provisional"))
        if shape.get("corsican"):
            assert persona.nir[5:7] in ("2A", "2B")


def test_one_seed_fixes_the_whole_persona() -> None:
    assert generate_persona(seeded(9)) == generate_persona(seeded(9))
    assert generate_persona(seeded(9)) != generate_persona(seeded(10))


def test_both_genders_and_email_domains_occur() -> None:
    faker = seeded(2)
    personas = [generate_persona(faker) for _ in range(100)]
    assert {p.gender for p in personas} == {"female", "male"}
    assert {p.email.rsplit("@", 1)[1] for p in personas} == {"example.org", "example.com", "example.net"}


def test_email_is_ascii_and_derived_from_the_names() -> None:
    persona = generate_persona(seeded(3), given_name="Éléonore", family_name="Le Gall-Bérézé")
    assert persona.email.startswith("eleonore.le-gall-bereze")
    assert EMAIL.fullmatch(persona.email)


def test_given_nir_gives_gender_and_birthdate() -> None:
    persona = generate_persona(seeded(4), nir="2 84 05 2a 012 345")
    assert persona.nir == "284052A012345"
    assert persona.gender == "female"
    assert persona.birthdate.startswith("1984-05-")
    assert_consistent(persona)


def test_given_nir_of_a_recent_year_is_of_an_adult() -> None:
    persona = generate_persona(seeded(4), nir="1000175123456")
    born = date.fromisoformat(persona.birthdate)
    assert born.year % 100 == 0 and born.month == 1
    assert date.today().year - born.year >= 18


def test_given_gender_and_birthdate_give_a_matching_nir() -> None:
    persona = generate_persona(seeded(5), gender="female", birthdate="1976-02-29")
    assert persona.nir[:5] == "27602"
    assert_consistent(persona)


def test_given_fields_are_kept_and_normalized() -> None:
    given = {
        "password": "secret123",
        "given_name": "Camille",
        "family_name": "Durand",
        "email": "camille@example.org",
        "phone": "+33 6 12 34 56 78",
    }
    persona = generate_persona(seeded(6), **given)
    assert persona.phone == "0612345678"
    assert {k: getattr(persona, k) for k in given} == {**given, "phone": "0612345678"}


def test_given_provisional_id_makes_a_provisional_persona() -> None:
    persona = generate_persona(seeded(6), provisional_id="p 123 456 789")
    assert persona.nir is None and persona.provisional_id == "P123456789"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"provisional": True, "nir": "1841275123456"},
        {"corsican": True, "nir": "1841275123456"},
        {"corsican": True, "provisional": True},
        {"nir": "123"},
        {"colour": "blue"},
        {"gender": "female", "nir": "1841275123456"},
    ],
)
def test_generate_persona_refuses_contradictions_and_bad_fields(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        generate_persona(seeded(0), **kwargs)


def test_to_dict_is_json_ready_and_round_trips() -> None:
    persona = generate_persona(seeded(7), provisional=True)
    data = json.loads(json.dumps(persona.to_dict()))
    assert Persona(**data) == persona
    assert list(data) == ["id", *FIELDS]


def test_fields_are_every_input_and_each_has_a_check() -> None:
    assert FIELDS == tuple(f.name for f in dataclasses.fields(Persona))[1:]
    assert set(FIELD_CHECKS) == set(FIELDS)


# validate_persona_input ---------------------------------------------------


def test_a_generated_persona_is_valid_input() -> None:
    data = generate_persona(seeded(8)).to_dict()
    del data["id"], data["provisional_id"]
    assert validate_persona_input(data) is None
    assert validate_persona_input({}) is None


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"colour": "blue"}, "colour", "unknown field"),
        ({"id": "abc"}, "id", "unknown field"),
        ({"nir": 1841275123456}, "nir", "nir: must be a string, not int"),
        ({"nir": None}, "nir", "nir: must be a string, not NoneType"),
        ({"nir": "123"}, "nir", f"nir: too_short — {texts.NIR_ERRORS['too_short']}"),
        ({"nir": "7841275123456"}, "nir", f"nir: temporary_nia — {texts.NIR_ERRORS['temporary_nia']}"),
        ({"provisional_id": "X12"}, "provisional_id", f"provisional_id: bad_format — {texts.PROVISIONAL_ERRORS['bad_format']}"),
        ({"password": "onlyletters"}, "password", f"password: no_digit — {texts.PASSWORD_ERRORS['no_digit']}"),
        ({"phone": "0123"}, "phone", "phone: bad_format"),
        ({"email": "not-an-address"}, "email", "email: 'not-an-address' is not an e-mail address"),
        ({"gender": "other"}, "gender", "gender: 'other' is not 'female' or 'male'"),
        ({"birthdate": "31/12/1990"}, "birthdate", "YYYY-MM-DD"),
        ({"birthdate": "19901231"}, "birthdate", "YYYY-MM-DD"),
        ({"birthdate": "1990-02-30"}, "birthdate", "YYYY-MM-DD"),
        ({"given_name": "  "}, "given_name", "given_name: must not be empty"),
        ({"nir": "1841275123456", "provisional_id": "P123456789"}, "provisional_id", "not both"),
        ({"nir": "1841275123456", "gender": "female"}, "gender", "'male'"),
        ({"nir": "1841275123456", "birthdate": "1984-11-02"}, "birthdate", "month 12"),
        ({"nir": "1841275123456", "birthdate": "1985-12-02"}, "birthdate", "ending in 84"),
        ({"password": "ok123456", "phone": "1"}, "phone", "phone:"),
    ],
)
def test_bad_input_names_its_field_and_problem(data: dict, field: str, message: str) -> None:
    problem = validate_persona_input(data)
    assert problem is not None and problem[0] == field
    assert message in problem[1]


def test_matching_nir_gender_and_birthdate_are_accepted() -> None:
    assert validate_persona_input({"nir": "1841275123456", "gender": "male", "birthdate": "1884-12-31"}) is None


# PersonaFactory (the suites' side) -----------------------------------------


def draw_all(factory: PersonaFactory) -> list:
    return [factory.persona(), factory.password(), factory.nir(), factory.corsican(), factory.provisional()]


def test_same_seed_and_test_id_replay_the_same_data() -> None:
    assert draw_all(PersonaFactory(421337, "e2e/test_login.py::test_a")) == draw_all(
        PersonaFactory(421337, "e2e/test_login.py::test_a")
    )


@pytest.mark.parametrize("seed, test_id", [(421337, "e2e/test_login.py::test_b"), (421338, "e2e/test_login.py::test_a")])
def test_other_test_id_or_seed_gives_other_data(seed: int, test_id: str) -> None:
    reference = draw_all(PersonaFactory(421337, "e2e/test_login.py::test_a"))
    other = draw_all(PersonaFactory(seed, test_id))
    assert all(a != b for a, b in zip(reference, other, strict=True))


def test_test_seed_does_not_depend_on_the_process() -> None:
    # hash() of a str changes with PYTHONHASHSEED; the test seed must not.
    code = "from pytest_franceconnect_mock.personas import test_seed; print(test_seed(7, 'tests/x.py::y'))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": hash_seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for hash_seed in ("1", "2")
    }
    assert outputs == {f"{test_data.test_seed(7, 'tests/x.py::y')}\n"}


def test_factory_specs_are_ready_to_post() -> None:
    factory = PersonaFactory(1, "tests/test_personas.py::ready")
    for spec in (factory.persona(), factory.corsican(), factory.provisional()):
        assert "id" not in spec and None not in spec.values()
        assert validate_persona_input(spec) is None
    assert "nir" not in factory.provisional() and factory.corsican()["nir"][5:7] in ("2A", "2B")


def test_factory_overrides_and_fresh_values() -> None:
    factory = PersonaFactory(1, "tests/test_personas.py::overrides")
    spec = factory.persona(nir="1841275123456", password="secret123")
    assert (spec["nir"], spec["password"], spec["gender"]) == ("1841275123456", "secret123", "male")
    assert check_password(factory.password()) is None and check_nir(factory.nir()) is None
    assert factory.password() != factory.password()
    assert isinstance(factory.faker, Faker)
