"""Named scenarios: faults (and personas) bundled under a name a person remembers.

`python -m mock_server --scenario ameli-down`, `make serve SCENARIO=ameli-down`,
`POST /__mock__/scenarios/ameli-down`, or `@pytest.mark.scenario("ameli-down")`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from faker import Faker

from .. import texts
from ..config import PROVIDER_IDS, MockConfig
from ..personas import generate_persona
from ..store import MemoryStore


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    faults: tuple[dict[str, Any], ...] = ()
    # A persona created and locked out (too many failed logins), for "locked-account".
    locked_persona: bool = False

    def apply(self, store: MemoryStore, config: MockConfig) -> list[str]:
        """Set the preset's faults (and persona); what was done, in words."""
        done = []
        for body in self.faults:
            fault = store.faults.add(dict(body))
            done.append(f"panne {fault.id}\u00a0: {fault.to_dict()}")
        if self.locked_persona:
            faker = Faker("fr_FR")
            faker.seed_instance(config.demo_seed + 1)
            persona = generate_persona(faker)
            if store.find_persona(persona.identifier) is None:
                store.add_persona(persona)
            for _ in range(config.lockout_threshold):
                store.record_failed_login(persona.identifier, threshold=config.lockout_threshold,
                                          lock_for=timedelta(minutes=config.lockout_minutes))
            done.append(f"compte bloqué\u00a0: {persona.identifier} / {persona.password} ({persona.display_name})")
        return done


def _down(site: str, name: str) -> Preset:
    return Preset(f"{site}-down", f"{name} ne répond plus (HTTP 503 sur tout le site)",
                  faults=({"kind": "status", "status": 503, "site": site},))


PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        *(_down(provider_id, texts.PROVIDERS[provider_id]["in_text"]) for provider_id in PROVIDER_IDS),
        _down("franceconnect", "FranceConnect"),
        Preset("franceconnect-slow", "FranceConnect répond lentement (1,5 à 3 s par page)",
               faults=({"kind": "latency", "ms": [1500, 3000], "site": "franceconnect"},)),
        Preset("ameli-slow", "ameli.fr répond lentement (2 s par requête, échanges avec FranceConnect compris)",
               faults=({"kind": "latency", "ms": 2000, "site": "ameli"},)),
        Preset("sms-delayed", "Les SMS arrivent 2 minutes (horloge du simulateur) après l'envoi",
               faults=({"kind": "sms_delay", "seconds": 120},)),
        Preset("sms-down", "La passerelle SMS est en panne\u00a0: aucun SMS ne part",
               faults=({"kind": "sms_down"},)),
        Preset("mail-bounce", "Les mails de code ne sont pas distribués (rejetés)",
               faults=({"kind": "mail_bounce"},)),
        Preset("login-error", "Mon Compte répond 500 à l'envoi du formulaire de connexion",
               faults=({"kind": "status", "status": 500, "site": "moncompte", "route": "/connexion", "method": "POST"},)),
        Preset("locked-account", "Un compte bloqué après trop d'échecs de connexion", locked_persona=True),
    )
}
