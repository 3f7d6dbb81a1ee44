"""What FranceConnect needs of a persona: place and country of birth, identity
pivot, logins at the six identity providers, error behaviour; and finding a
persona back by credential or by identity."""

from __future__ import annotations

import json
import re

import pytest
from faker import Faker

from pytest_franceconnect_mock.personas import PersonaFactory
from mock_server.personas import (
    BIRTHCOUNTRY_FRANCE,
    FC_ERRORS,
    FOREIGN_BIRTHCOUNTRIES,
    PROVIDER_CREDENTIAL_FIELDS,
    Persona,
    generate_persona,
    validate_persona_input,
)
from mock_server.rules.nir import check_nir
from mock_server.rules.password import check_password
from mock_server.store import MemoryStore

NUMERO_FISCAL = re.compile(r"[0-3][0-9]{12}")
AMELI_CODE = re.compile(r"[0-9]{8}")
YRIS_ID = re.compile(r"yris-[a-z0-9]{8}")

# generate_persona(seed 7), computed before these fields existed: they must not change it.
SEED_7_BEFORE = {
    "id": "f2a752e6b438",
    "nir": "2901110841549",
    "provisional_id": None,
    "password": "K60o08JLhOOf",
    "given_name": "Brigitte",
    "family_name": "Poulain",
    "gender": "female",
    "birthdate": "1990-11-02",
    "email": "brigitte.poulain19@example.net",
    "phone": "0683016613",
    "has_account": True,
}


def seeded(seed: int) -> Faker:
    faker = Faker("fr_FR")
    faker.seed_instance(seed)
    return faker


def create(api, **body) -> dict:
    response = api.post("/__mock__/personas", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def assert_refused(api, body: dict, field: str) -> str:
    before = api.get("/__mock__/personas").get_json()
    response = api.post("/__mock__/personas", json=body)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["field"] == field and response.get_json()["error"]
    assert api.get("/__mock__/personas").get_json() == before
    return response.get_json()["error"]


# Place and country of birth ----------------------------------------------------------


@pytest.mark.parametrize("shape", [{}, {"corsican": True}, {"has_account": False}], ids=["nir", "corsican", "no-account"])
def test_birthplace_is_the_nir_commune(shape: dict) -> None:
    faker = seeded(11)
    for _ in range(100):
        persona = generate_persona(faker, **shape)
        assert persona.birthplace == persona.nir[5:10] and len(persona.birthplace) == 5
        assert persona.birthcountry == BIRTHCOUNTRY_FRANCE == "99100"
        if shape.get("corsican"):
            assert persona.birthplace[:2] in ("2A", "2B")


@pytest.mark.parametrize("nir, birthplace", [("1840375056123", "75056"), ("2 84 05 2a 004 345", "2A004"),
                                             ("1770697411001", "97411")])
def test_birthplace_of_a_given_nir(nir: str, birthplace: str) -> None:
    persona = generate_persona(seeded(12), nir=nir)
    assert persona.birthplace == birthplace and persona.birthcountry == "99100"


def test_given_birthplace_sets_the_generated_nir() -> None:
    persona = generate_persona(seeded(13), birthplace="2B120")
    assert persona.nir[5:10] == "2B120" and check_nir(persona.nir) is None
    assert persona.birthplace == "2B120"
    corsican = generate_persona(seeded(13), corsican=True, birthplace="2A004")
    assert corsican.nir[5:10] == "2A004"


def test_provisional_personas_are_born_abroad() -> None:
    faker = seeded(14)
    personas = [generate_persona(faker, provisional=True) for _ in range(200)]
    assert {p.birthplace for p in personas} == {""}
    assert {p.birthcountry for p in personas} == set(FOREIGN_BIRTHCOUNTRIES)
    assert BIRTHCOUNTRY_FRANCE not in FOREIGN_BIRTHCOUNTRIES
    assert all(re.fullmatch(r"99[0-9]{3}", code) for code in FOREIGN_BIRTHCOUNTRIES)


def test_given_birthcountry_is_kept() -> None:
    assert generate_persona(seeded(15), provisional=True, birthcountry="99401").birthcountry == "99401"


def test_identity_pivot() -> None:
    persona = generate_persona(seeded(16), provisional=True, gender="male")
    assert persona.identity_pivot == {
        "given_name": persona.given_name,
        "family_name": persona.family_name,
        "birthdate": persona.birthdate,
        "gender": "male",
        "birthplace": "",
        "birthcountry": persona.birthcountry,
    }


# Credentials ---------------------------------------------------------------------------


def assert_credential_formats(persona: Persona) -> None:
    credentials = persona.credentials
    assert list(credentials) == [p for p in PROVIDER_CREDENTIAL_FIELDS if p in credentials]
    for provider, fields in credentials.items():
        assert tuple(fields) == PROVIDER_CREDENTIAL_FIELDS[provider]
        assert all(isinstance(value, str) for value in fields.values())
        if provider not in ("ameli", "franceidentite"):
            assert check_password(fields["password"]) is None
    assert NUMERO_FISCAL.fullmatch(credentials["impots"]["numero_fiscal"])
    assert credentials["franceidentite"] == {}
    if "ameli" in credentials:
        assert AMELI_CODE.fullmatch(credentials["ameli"]["password"])


def test_a_persona_with_nir_and_email_has_every_provider() -> None:
    faker = seeded(21)
    for _ in range(50):
        persona = generate_persona(faker)
        assert list(persona.credentials) == list(PROVIDER_CREDENTIAL_FIELDS)
        assert persona.credentials["ameli"]["nir"] == persona.credentials["msa"]["nir"] == persona.nir
        assert persona.credentials["laposte"]["email"] == persona.email
        assert persona.credentials["yris"]["identifier"] == persona.email
        assert_credential_formats(persona)


def test_provisional_persona_has_no_nir_provider() -> None:
    persona = generate_persona(seeded(22), provisional=True)
    assert list(persona.credentials) == ["impots", "laposte", "yris", "franceidentite"]
    assert_credential_formats(persona)


def test_persona_without_email_has_no_laposte_and_a_yris_identifier() -> None:
    persona = generate_persona(seeded(23), email=None)
    assert list(persona.credentials) == ["impots", "ameli", "msa", "yris", "franceidentite"]
    assert YRIS_ID.fullmatch(persona.credentials["yris"]["identifier"])
    assert_credential_formats(persona)
    bare = generate_persona(seeded(23), provisional=True, email=None)
    assert list(bare.credentials) == ["impots", "yris", "franceidentite"]


def test_persona_without_caf_account_still_has_provider_accounts() -> None:
    persona = generate_persona(seeded(24), has_account=False)
    assert persona.password is None
    assert list(persona.credentials) == list(PROVIDER_CREDENTIAL_FIELDS)


def test_partial_credentials_are_completed_and_the_rest_unchanged() -> None:
    drawn = generate_persona(seeded(25))
    given = generate_persona(seeded(25), credentials={"impots": {"password": "Given1234"}, "yris": {"identifier": "moi"}})
    assert given.credentials["impots"] == {"numero_fiscal": drawn.credentials["impots"]["numero_fiscal"],
                                           "password": "Given1234"}
    assert given.credentials["yris"] == {"identifier": "moi", "password": drawn.credentials["yris"]["password"]}
    assert {p: v for p, v in given.credentials.items() if p not in ("impots", "yris")} == {
        p: v for p, v in drawn.credentials.items() if p not in ("impots", "yris")
    }


def test_fc_error_is_none_unless_given() -> None:
    assert generate_persona(seeded(26)).fc_error is None
    for error in FC_ERRORS:
        assert generate_persona(seeded(26), fc_error=error).fc_error == error


# Determinism ---------------------------------------------------------------------------


def test_same_seed_same_persona_with_credentials() -> None:
    for shape in ({}, {"provisional": True}, {"email": None}):
        first, second = generate_persona(seeded(31), **shape), generate_persona(seeded(31), **shape)
        assert first == second and first.credentials == second.credentials
    assert generate_persona(seeded(31)).credentials != generate_persona(seeded(32)).credentials


def test_seed_7_gives_the_same_persona_as_before_the_new_fields() -> None:
    persona = generate_persona(seeded(7)).to_dict()
    assert {field: persona[field] for field in SEED_7_BEFORE} == SEED_7_BEFORE
    assert list(persona)[: len(SEED_7_BEFORE)] == list(SEED_7_BEFORE)
    assert persona["birthplace"] == "10841" and persona["birthcountry"] == "99100"


def test_new_fields_take_nothing_from_the_shared_faker() -> None:
    # Whatever credentials are drawn or given, the next persona of the same faker is the same.
    plain, given = seeded(33), seeded(33)
    first = generate_persona(plain)
    generate_persona(given, birthcountry="99100", credentials={"impots": {"numero_fiscal": "1234567890123"}})
    assert generate_persona(plain) == generate_persona(given)
    assert first.credentials != {}


def test_to_dict_is_plain_json_and_round_trips() -> None:
    persona = generate_persona(seeded(34), fc_error="idp_503")
    data = json.loads(json.dumps(persona.to_dict()))
    assert Persona(**data) == persona
    assert data["credentials"]["franceidentite"] == {} and data["fc_error"] == "idp_503"


# generate_persona refusals -------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        {"birthplace": ""},  # a generated NIR gives a French birthplace
        {"corsican": True, "birthplace": "75056"},
        {"provisional": True, "credentials": {"ameli": {"password": "12345678"}}},
        {"provisional": True, "credentials": {"msa": {}}},
        {"credentials": {"ameli": {"nir": "1840375056123"}}},
        {"nir": "1840375056123", "birthplace": "75057"},
        {"email": None, "credentials": {"laposte": {}}},
        {"fc_error": "idp_404"},
    ],
)
def test_generate_persona_refuses_contradictions(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        generate_persona(seeded(0), **kwargs)


# validate_persona_input ----------------------------------------------------------------


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"birthplace": "7505"}, "birthplace", "INSEE commune code"),
        ({"birthplace": "2C004"}, "birthplace", "INSEE commune code"),
        ({"birthplace": "00123"}, "birthplace", "INSEE commune code"),
        ({"birthplace": 75056}, "birthplace", "must be a string"),
        ({"birthplace": None}, "birthplace", "must be a string"),
        ({"nir": "1840375056123", "birthplace": "75057"}, "birthplace", "commune 75056"),
        ({"nir": "1840375056123", "birthplace": ""}, "birthplace", "commune 75056"),
        ({"birthcountry": "99"}, "birthcountry", "INSEE country code"),
        ({"birthcountry": "10099"}, "birthcountry", "INSEE country code"),
        ({"fc_error": "idp_404"}, "fc_error", "idp_500"),
        ({"fc_error": 500}, "fc_error", "not null nor one of"),
        ({"credentials": []}, "credentials", "credentials: must be an object"),
        ({"credentials": {"google": {}}}, "credentials", "'google' is not a provider"),
        ({"credentials": {"impots": "x"}}, "credentials", "impots must be an object"),
        ({"credentials": {"impots": {"login": "x"}}}, "credentials", "impots.login is not a field"),
        ({"credentials": {"impots": {"password": 12345678}}}, "credentials", "impots.password must be a string"),
        ({"credentials": {"impots": {"numero_fiscal": "123"}}}, "credentials",
         "credentials: impots.numero_fiscal must be 13 digits"),
        ({"credentials": {"impots": {"numero_fiscal": "4234567890123"}}}, "credentials", "impots.numero_fiscal"),
        ({"credentials": {"impots": {"password": " "}}}, "credentials", "impots.password must not be empty"),
        ({"credentials": {"ameli": {"password": "1234567a"}}}, "credentials", "ameli.password must be 8 digits"),
        ({"credentials": {"ameli": {"nir": "123"}}}, "credentials", "ameli.nir is not a valid NIR"),
        ({"credentials": {"msa": {"nir": "1840375056123"}}}, "credentials", "msa.nir needs the persona's nir"),
        ({"nir": "1840375056123", "credentials": {"ameli": {"nir": "1840375056124"}}}, "credentials",
         "ameli.nir must be the persona's nir"),
        ({"provisional_id": "P123456789", "credentials": {"msa": {}}}, "credentials", "msa needs a NIR"),
        ({"credentials": {"laposte": {"email": "nope"}}}, "credentials", "laposte.email"),
        ({"email": None, "credentials": {"laposte": {}}}, "credentials", "laposte needs an e-mail"),
        ({"email": "a@example.org", "credentials": {"laposte": {"email": "b@example.org"}}}, "credentials",
         "laposte.email must be the persona's email"),
        ({"credentials": {"franceidentite": {"password": "x"}}}, "credentials", "franceidentite has no credentials"),
    ],
)
def test_bad_identity_input_names_its_field(data: dict, field: str, message: str) -> None:
    problem = validate_persona_input(data)
    assert problem is not None and problem[0] == field
    assert message in problem[1]


def test_good_identity_input_is_accepted() -> None:
    assert validate_persona_input({
        "nir": "2 84 05 2a 004 345",
        "birthplace": "2A004",
        "birthcountry": "99100",
        "fc_error": None,
        "email": "Camille@Example.org",
        "credentials": {
            "impots": {"numero_fiscal": "0123456789012"},
            "ameli": {"nir": "284052A004345", "password": "00000000"},
            "laposte": {"email": "camille@example.org"},
            "msa": {},
            "franceidentite": {},
        },
    }) is None
    assert validate_persona_input({"birthplace": "", "provisional_id": "P123456789"}) is None


# Control API ---------------------------------------------------------------------------


def test_control_api_keeps_explicit_identity_fields(api) -> None:
    credentials = {
        "impots": {"numero_fiscal": "3123456789012", "password": "Impots2024"},
        "ameli": {"nir": "1 84 03 75 056 123", "password": "12345678"},
        "yris": {"identifier": "camille-yris"},
    }
    persona = create(api, nir="1840375056123", birthplace="75056", fc_error="missing_claim", credentials=credentials)
    assert (persona["birthplace"], persona["birthcountry"], persona["fc_error"]) == ("75056", "99100", "missing_claim")
    assert persona["credentials"]["impots"] == credentials["impots"]
    assert persona["credentials"]["ameli"] == {"nir": "1840375056123", "password": "12345678"}
    assert persona["credentials"]["yris"]["identifier"] == "camille-yris"
    assert set(persona["credentials"]) == set(PROVIDER_CREDENTIAL_FIELDS)
    assert api.get(f"/__mock__/personas/{persona['id']}").get_json() == persona


def test_control_api_provisional_persona_is_born_abroad(api) -> None:
    persona = create(api, provisional=True, fc_error="consent_refused")
    assert persona["birthplace"] == "" and persona["birthcountry"] in FOREIGN_BIRTHCOUNTRIES
    assert set(persona["credentials"]) == {"impots", "laposte", "yris", "franceidentite"}


def test_factory_specs_round_trip_through_the_control_api(api) -> None:
    factory = PersonaFactory(5, "tests/test_persona_identity.py::round_trip")
    specs = [factory.persona(), factory.corsican(), factory.provisional(), factory.persona(email=None),
             factory.persona(has_account=False), factory.persona(fc_error="idp_timeout")]
    for spec in specs:
        created = create(api, **spec)
        del created["id"]
        # The spec leaves out what is None (but a missing phone or e-mail).
        assert created == {field: spec.get(field) for field in created}
        assert {field for field, value in created.items() if value is not None} <= set(spec)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"birthplace": "750"}, "birthplace"),
        ({"nir": "1840375056123", "birthplace": "13055"}, "birthplace"),
        ({"birthcountry": "France"}, "birthcountry"),
        ({"fc_error": "idp_418"}, "fc_error"),
        ({"fc_error": True}, "fc_error"),
        ({"credentials": "impots"}, "credentials"),
        ({"credentials": {"facebook": {}}}, "credentials"),
        ({"credentials": {"impots": {"numero_fiscal": "12345"}}}, "credentials"),
        ({"credentials": {"ameli": {"password": "1234"}}}, "credentials"),
        ({"nir": "1840375056123", "credentials": {"msa": {"nir": "2840375056123"}}}, "credentials"),
        ({"provisional_id": "P123456789", "credentials": {"ameli": {}}}, "credentials"),
        ({"email": None, "credentials": {"laposte": {"password": "Lettre123"}}}, "credentials"),
        ({"credentials": {"franceidentite": {"code": "1234"}}}, "credentials"),
    ],
)
def test_control_api_refuses_bad_identity_fields(api, body: dict, field: str) -> None:
    create(api)  # the store is not empty: it must stay as it is
    error = assert_refused(api, body, field)
    assert error.startswith(f"{field}:")


def test_numero_fiscal_error_names_provider_and_key(api) -> None:
    error = assert_refused(api, {"credentials": {"impots": {"numero_fiscal": "12"}}}, "credentials")
    assert error.startswith("credentials: impots.numero_fiscal must be 13 digits")


# Store look-ups --------------------------------------------------------------------------


@pytest.fixture
def store() -> MemoryStore:
    store = MemoryStore()
    faker = seeded(41)
    store.add_persona(generate_persona(faker))
    store.add_persona(generate_persona(faker, email=None))
    store.add_persona(generate_persona(faker, provisional=True))
    return store


def test_find_by_credential(store: MemoryStore) -> None:
    nir_persona, no_email, provisional = store.list_personas()
    impots = nir_persona.credentials["impots"]["numero_fiscal"]
    assert store.find_by_credential("impots", "numero_fiscal", impots) == nir_persona
    spaced = " ".join([nir_persona.nir[0], nir_persona.nir[1:3], nir_persona.nir[3:5], nir_persona.nir[5:]])
    assert store.find_by_credential("ameli", "nir", spaced) == nir_persona
    assert store.find_by_credential("msa", "nir", no_email.nir) == no_email
    assert store.find_by_credential("laposte", "email", nir_persona.email.upper()) == nir_persona
    assert store.find_by_credential("yris", "identifier", provisional.email.title()) == provisional
    yris_id = no_email.credentials["yris"]["identifier"]
    assert store.find_by_credential("yris", "identifier", yris_id.upper()) == no_email


def test_find_by_credential_misses(store: MemoryStore) -> None:
    nir_persona, no_email, provisional = store.list_personas()
    assert store.find_by_credential("impots", "numero_fiscal", nir_persona.nir) is None
    assert store.find_by_credential("laposte", "email", no_email.credentials["yris"]["identifier"]) is None
    assert store.find_by_credential("ameli", "nir", "2990199999999") is None
    # Case matters for what is not an e-mail or an identifier.
    password = nir_persona.credentials["laposte"]["password"]
    assert store.find_by_credential("laposte", "password", password) == nir_persona
    assert store.find_by_credential("laposte", "password", password.swapcase()) is None
    assert store.find_by_credential("franceidentite", "password", "x") is None


def test_find_by_identity(store: MemoryStore) -> None:
    for persona in store.list_personas():
        assert store.find_by_identity(persona.identity_pivot) == persona


def test_find_by_identity_ignores_accents_case_and_spaces() -> None:
    store = MemoryStore()
    persona = store.add_persona(generate_persona(seeded(42), given_name="Éléonore", family_name="Le Gall-Bérézé",
                                                 gender="female", birthdate="1984-03-10"))
    pivot = {**persona.identity_pivot, "given_name": "  eleonore ", "family_name": "LE GALL-BEREZE"}
    assert store.find_by_identity(pivot) == persona
    assert store.find_by_identity({**pivot, "given_name": "ELEONORE Marie Jeanne"}) == persona
    assert store.find_by_identity({**pivot, "birthplace": ""}) == persona  # not compared when empty
    assert store.find_by_identity({**pivot, "birthcountry": "99109"}) == persona


def test_find_by_identity_whole_given_names() -> None:
    store = MemoryStore()
    persona = store.add_persona(generate_persona(seeded(43), given_name="Jean Pierre", gender="male"))
    assert store.find_by_identity(persona.identity_pivot) == persona
    assert store.find_by_identity({**persona.identity_pivot, "given_name": "jean pierre"}) == persona
    assert store.find_by_identity({**persona.identity_pivot, "given_name": "Jean"}) is None
    assert store.find_by_identity({**persona.identity_pivot, "given_name": "Pierre Jean"}) is None


@pytest.mark.parametrize("change", [{"birthdate": "1984-03-11"}, {"gender": "male"}, {"family_name": "Le Gall"},
                                    {"given_name": "Eléonora"}, {"birthplace": "75056"}, {"given_name": ""}])
def test_find_by_identity_misses(change: dict) -> None:
    store = MemoryStore()
    persona = store.add_persona(generate_persona(seeded(42), given_name="Éléonore", family_name="Le Gall-Bérézé",
                                                 gender="female", birthdate="1984-03-10"))
    assert persona.birthplace != "75056"
    assert store.find_by_identity({**persona.identity_pivot, **change}) is None


def test_find_by_identity_with_a_persona_born_abroad() -> None:
    store = MemoryStore()
    persona = store.add_persona(generate_persona(seeded(44), provisional=True))
    # The persona has no birthplace: any birthplace of the pivot is not compared.
    assert store.find_by_identity({**persona.identity_pivot, "birthplace": "75056"}) == persona


@pytest.mark.parametrize(("body", "field"), [
    ({"birthplace": ""}, "birthplace"),
    ({"corsican": True, "birthplace": "75056"}, "birthplace"),
    ({"provisional": True, "credentials": {"ameli": {"password": "12345678"}}}, "credentials"),
])
def test_fields_valid_alone_but_not_with_the_options_are_refused(api, body, field) -> None:
    assert_refused(api, body, field)


def test_persona_without_caf_record_is_found_by_providers_not_by_the_caf(api, mock_app) -> None:
    persona = create(api, caf_record=False)
    store = mock_app.store
    assert persona["caf_record"] is False
    assert store.find_persona(persona["nir"]) is None
    assert store.find_by_identity(store.get_persona(persona["id"]).identity_pivot) is None
    assert store.find_by_credential("impots", "numero_fiscal", persona["credentials"]["impots"]["numero_fiscal"]).id == persona["id"]
    assert_refused(api, {"caf_record": "no"}, "caf_record")
