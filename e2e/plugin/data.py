"""Test data: the run seed, and personas derived from it and each test's id, so a
failure replays with the same data (`--seed`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the mock's package is imported by the fixtures that use it
    from fixtures.control import ControlClient
    from fixtures.personas import PersonaFactory
    from mock_server.personas import Persona

from .keys import RUN_SEED


@pytest.fixture(scope="session")
def run_seed(pytestconfig: pytest.Config) -> int:
    return pytestconfig.stash[RUN_SEED]


@pytest.fixture(scope="session")
def french_faker() -> Any:
    from faker import Faker

    return Faker("fr_FR")


@pytest.fixture
def persona_factory(run_seed: int, request: pytest.FixtureRequest, french_faker: Any) -> PersonaFactory:
    """Test data derived from the run seed and this test's id: a failure replays identically."""
    from fixtures.personas import PersonaFactory

    return PersonaFactory(run_seed, request.node.nodeid, french_faker)


@pytest.fixture
def make_persona(control: ControlClient, persona_factory: PersonaFactory) -> Iterator[Callable[..., Persona]]:
    """Create personas on the mock from this test's data; they are removed afterwards."""
    created: list[Persona] = []

    def make(kind: str = "nir", **overrides: Any) -> Persona:
        spec = {
            "nir": persona_factory.persona,
            "corsican": persona_factory.corsican,
            "provisional": persona_factory.provisional,
        }[kind](**overrides)
        persona = control.create_persona(**spec)
        created.append(persona)
        return persona

    yield make
    for persona in created:
        control.delete_persona(persona.id)


@pytest.fixture
def persona(make_persona: Callable[..., Persona]) -> Persona:
    return make_persona()
