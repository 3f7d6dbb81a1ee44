"""Access to the mock's config and store from inside any of its Flask apps."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from .config import MockConfig
from .store import MemoryStore


@dataclass(frozen=True)
class MockContext:
    config: MockConfig
    store: MemoryStore


def attach(app: Flask, config: MockConfig, store: MemoryStore) -> None:
    app.extensions["mock"] = MockContext(config, store)


def mock() -> MockContext:
    return current_app.extensions["mock"]
