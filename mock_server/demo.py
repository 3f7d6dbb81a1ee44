"""Ready-to-use demo accounts for people clicking through the mock by hand."""

from __future__ import annotations

from faker import Faker

from .config import MockConfig
from .personas import FC_ERRORS, Persona, generate_persona
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
        # FranceConnect's error personas: each provider they log into misbehaves.
        *(generate_persona(faker, fc_error=fc_error) for fc_error in FC_ERRORS),
        # Known to the identity providers, unknown to the CAF.
        generate_persona(faker, caf_record=False),
    ]


def seed_demo_personas(config: MockConfig, store: MemoryStore) -> list[Persona]:
    personas = demo_personas(config)
    for persona in personas:
        store.add_persona(persona)
    return personas
