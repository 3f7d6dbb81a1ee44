"""The control API under /__mock__/: how tests and people drive the mock.

JSON in and out, on every site's host and on 127.0.0.1. Bad input gets a 4xx
with {"error": <message>, "field": <name>} and changes nothing.
"""

from __future__ import annotations

import threading
from typing import Any

from faker import Faker
from flask import Blueprint, Response, jsonify

from ..context import mock
from ..demo import seed_demo_personas
from ..personas import generate_persona, validate_persona_input
from ..store import DuplicateIdentifier
from .inputs import ControlError, json_body

bp = Blueprint("control", __name__, url_prefix="/__mock__", template_folder="templates")

# Options that shape a generated persona without being persona fields.
PERSONA_OPTIONS = ("provisional", "corsican")

_faker = Faker("fr_FR")
_faker_lock = threading.Lock()


@bp.errorhandler(ControlError)
def control_error(error: ControlError) -> tuple[Response, int]:
    return json_error(error.status, error.message, error.field)


def json_error(status: int, message: str, field: str | None = None) -> tuple[Response, int]:
    return jsonify(error=message, field=field), status


@bp.after_request
def no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/health")
def health() -> Response:
    return jsonify(status="ok")


@bp.get("/sites")
def sites() -> Response:
    return jsonify(mock().config.site_urls())


@bp.post("/reset")
def reset() -> Response:
    ctx = mock()
    ctx.store.reset()
    settings.restore_startup()
    if ctx.config.demo_personas:
        seed_demo_personas(ctx.config, ctx.store)
    return jsonify(status="reset")


@bp.get("/personas")
def list_personas() -> Response:
    return jsonify([persona.to_dict() for persona in mock().store.list_personas()])


@bp.post("/personas")
def create_persona() -> tuple[Response, int]:
    body = json_body()
    options = {}
    for name in PERSONA_OPTIONS:
        value = body.pop(name, False)
        if not isinstance(value, bool):
            raise ControlError(422, f"{name} must be true or false", name)
        options[name] = value
    problem = validate_persona_input(body)
    if problem:
        raise ControlError(422, problem[1], problem[0])
    if options["provisional"] and body.get("nir"):
        raise ControlError(422, "a provisional persona has no NIR", "nir")
    if options["corsican"] and (body.get("nir") or options["provisional"]):
        raise ControlError(422, "corsican only applies to a generated NIR", "corsican")
    store = mock().store
    with _faker_lock:
        try:
            persona = generate_persona(_faker, **options, **body)
            # A generated identifier may, rarely, already exist: draw again.
            for _ in range(5):
                if "nir" in body or "provisional_id" in body or not store.identifier_taken(persona.identifier):
                    break
                persona = generate_persona(_faker, **options, **body)
        except ValueError as problem:  # fields valid alone, but not with these options
            raise ControlError(422, str(problem), _field_of(str(problem), body))
    try:
        store.add_persona(persona)
    except DuplicateIdentifier as duplicate:
        raise ControlError(409, f"a persona with this {duplicate.field} already exists", duplicate.field)
    return jsonify(persona.to_dict()), 201


def _field_of(message: str, body: dict[str, Any]) -> str:
    """The field a generation error names ("birthplace: ..."), else the first given one."""
    name = message.split(":", 1)[0].strip()
    return name if name in body else next(iter(body), "body")


@bp.get("/personas/<persona_id>")
def get_persona(persona_id: str) -> Response:
    persona = mock().store.get_persona(persona_id)
    if persona is None:
        raise ControlError(404, f"no persona with id {persona_id!r}", "id")
    return jsonify(persona.to_dict())


@bp.delete("/personas/<persona_id>")
def delete_persona(persona_id: str) -> tuple[str, int]:
    if not mock().store.delete_persona(persona_id):
        raise ControlError(404, f"no persona with id {persona_id!r}", "id")
    return "", 204


# Routes of the other resources register themselves on the blueprint.
from . import client_page, clock, dashboard, fc_providers, franceconnect, franceidentite, openapi, outbox, sessions, settings, simulation  # noqa: E402,F401
