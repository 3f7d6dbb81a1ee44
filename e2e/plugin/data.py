"""Test data: the run seed, and personas derived from it and each test's id, so a
failure replays with the same data (`--seed`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the mock's package is imported by the fixtures that use it
    from pytest_franceconnect_mock.personas import PersonaFactory
    from mock_server.personas import Persona

from .keys import RUN_SEED


@pytest.fixture(scope="session")
def run_seed(pytestconfig: pytest.Config) -> int:
    return pytestconfig.stash[RUN_SEED]


@pytest.fixture
def persona_factory(fc_persona_factory: PersonaFactory) -> PersonaFactory:
    """Test data derived from the run seed and this test's id: a failure replays identically."""
    return fc_persona_factory


@pytest.fixture
def make_persona(fc_make_persona: Callable[..., Persona]) -> Callable[..., Persona]:
    """Create personas on the mock from this test's data ("nir", "corsican" or "provisional");
    they are removed afterwards (pytest_franceconnect_mock's fc_make_persona)."""

    def make(kind: str = "nir", **overrides: Any) -> Persona:
        if kind not in ("nir", "corsican", "provisional"):
            raise ValueError(f"unknown kind of persona {kind!r}: nir, corsican or provisional")
        return fc_make_persona(**overrides, **({} if kind == "nir" else {kind: True}))

    return make


@pytest.fixture
def persona(make_persona: Callable[..., Persona]) -> Persona:
    return make_persona()
