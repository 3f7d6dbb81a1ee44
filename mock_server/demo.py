"""Ready-to-use demo accounts for people clicking through the mock by hand."""

from __future__ import annotations

from faker import Faker

from .config import MockConfig
from .personas import Persona, generate_persona
from .store import MemoryStore


def demo_personas(config: MockConfig) -> list[Persona]:
    faker = Faker("fr_FR")
    faker.seed_instance(config.demo_seed)
    return [
        generate_persona(faker),
        generate_persona(faker, corsican=True),
        generate_persona(faker, provisional=True),
        # Known to the CAF, no online account yet: for "Créer Mon Compte".
        generate_persona(faker, has_account=False),
    ]


def seed_demo_personas(config: MockConfig, store: MemoryStore) -> list[Persona]:
    personas = demo_personas(config)
    for persona in personas:
        store.add_persona(persona)
    return personas
