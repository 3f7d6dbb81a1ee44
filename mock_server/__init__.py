"""Flask mock of caf.fr "Mon Compte", of FranceConnect and of its identity providers."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from .config import MockConfig

if TYPE_CHECKING:  # imported by create_app: `import mock_server.texts` alone stays light
    from .sites import SiteDispatcher
    from .store import MemoryStore


def create_app(config: MockConfig | None = None, store: MemoryStore | None = None) -> SiteDispatcher:
    """Build every site of the mock around one store, behind one WSGI app."""
    from . import franceconnect, moncompte, providers, root
    from .demo import seed_demo_personas
    from .federation import register_builtin_clients
    from .sites import SiteDispatcher
    from .store import MemoryStore

    config = config or MockConfig()
    store = store or MemoryStore(session_idle=timedelta(minutes=config.session_idle_minutes))
    register_builtin_clients(config, store)
    if config.demo_personas:
        seed_demo_personas(config, store)
    sites = {
        "moncompte": moncompte.create_app(config, store),
        "franceconnect": franceconnect.create_app(config, store),
        **providers.create_apps(config, store),
    }
    return SiteDispatcher(config, store, sites, root.create_app(config, store))
