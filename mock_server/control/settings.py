"""/__mock__/settings: the rules' knobs a test may turn while the mock runs.

FranceConnect's patience with a slow provider, the lockout's threshold and
length: a test proves a rule with the smallest real delay or the fewest
attempts, then puts the value back. `POST /__mock__/reset` restores the values
the mock started with.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, jsonify

from ..config import MockConfig
from ..context import mock
from . import ControlError, bp
from .inputs import some_of

STARTUP = "startup_settings"


@dataclass(frozen=True)
class Setting:
    kind: type  # int or float
    low: float
    high: float
    meaning: str

    def parse(self, name: str, value: Any) -> int | float:
        unit = "a whole number" if self.kind is int else "a number"
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or (self.kind is int and not isinstance(value, int)):
            raise ControlError(422, f"{name}: {unit} ({self.meaning})", name)
        if not math.isfinite(value) or not self.low <= value <= self.high:
            raise ControlError(422, f"{name}: between {self.low:g} and {self.high:g} ({self.meaning})", name)
        return self.kind(value)


SETTINGS: dict[str, Setting] = {
    "upstream_timeout_seconds": Setting(
        float, 0.1, 60, "seconds FranceConnect and Mon Compte wait for a token, userinfo or keys answer"),
    "lockout_threshold": Setting(int, 1, 100, "failed logins in a row that lock an identifier"),
    "lockout_minutes": Setting(int, 1, 24 * 60, "minutes a lockout lasts"),
}


def snapshot(config: MockConfig) -> dict[str, Any]:
    return {name: getattr(config, name) for name in SETTINGS}


def remember_startup(app: Flask, config: MockConfig) -> None:
    """Keep the values the mock starts with, for reset."""
    app.extensions[STARTUP] = snapshot(config)


def restore_startup() -> None:
    config = mock().config
    for name, value in current_app.extensions[STARTUP].items():
        setattr(config, name, value)


@bp.get("/settings")
def read_settings() -> Response:
    return jsonify(snapshot(mock().config))


@bp.post("/settings")
def change_settings() -> Response:
    body = some_of(SETTINGS, noun="setting", ask=f"give one or more of: {', '.join(SETTINGS)}")
    # Every value checked before any is set: a bad one changes nothing.
    values = {name: SETTINGS[name].parse(name, value) for name, value in body.items()}
    config = mock().config
    for name, value in values.items():
        setattr(config, name, value)
    return jsonify(snapshot(config))
