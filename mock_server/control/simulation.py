"""Faults and the request journal, through the control API."""

from __future__ import annotations

from flask import Response, jsonify, request

from ..config import SITES
from ..context import mock
from ..simulation.faults import FaultError
from ..simulation.presets import PRESETS
from . import ControlError, bp, json_body
from .inputs import whole_number, yes_or_no
from .outbox import _since

JOURNAL_FILTERS = ("site", "path", "method", "status", "persona", "since", "after", "limit", "static")


@bp.get("/faults")
def list_faults() -> Response:
    return jsonify([fault.to_dict() for fault in mock().store.faults.list()])


@bp.post("/faults")
def add_fault() -> tuple[Response, int]:
    try:
        fault = mock().store.faults.add(json_body())
    except FaultError as error:
        raise ControlError(422, str(error), error.field)
    return jsonify(fault.to_dict()), 201


@bp.delete("/faults")
def clear_faults() -> tuple[str, int]:
    mock().store.faults.reset()
    return "", 204


@bp.delete("/faults/<int:fault_id>")
def remove_fault(fault_id: int) -> tuple[str, int]:
    if not mock().store.faults.remove(fault_id):
        raise ControlError(404, f"no active fault with id {fault_id}", "id")
    return "", 204


def _whole(name: str, low: int, high: int) -> int | None:
    value = request.args.get(name)
    if value is None:
        return None
    return whole_number(name, value, low, high)


@bp.get("/journal")
def journal() -> Response:
    args = request.args
    unknown = sorted(set(args) - set(JOURNAL_FILTERS))
    if unknown:
        raise ControlError(422, f"unknown filter {unknown[0]!r}; filters: {', '.join(JOURNAL_FILTERS)}", unknown[0])
    site = args.get("site")
    if site is not None and site not in SITES:
        raise ControlError(422, f"site must be one of {', '.join(SITES)}", "site")
    path = args.get("path")
    if path is not None and not path.startswith("/"):
        raise ControlError(422, "path must start with /", "path")
    entries = mock().store.journal.entries(
        site=site,
        path=path,
        method=args["method"].upper() if args.get("method") else None,
        status=_whole("status", 0, 599),
        persona=args.get("persona"),
        since=_since(args.get("since")),
        after=_whole("after", 0, 10**12),
        limit=_whole("limit", 1, 10_000),
        static=yes_or_no("static", args["static"]) if "static" in args else True,
    )
    return jsonify([entry.to_dict() for entry in entries])


@bp.delete("/journal")
def clear_journal() -> tuple[str, int]:
    mock().store.journal.reset()
    return "", 204


@bp.get("/scenarios")
def list_scenarios() -> Response:
    return jsonify([{"name": preset.name, "description": preset.description, "faults": list(preset.faults)}
                    for preset in PRESETS.values()])


@bp.post("/scenarios/<name>")
def apply_scenario(name: str) -> tuple[Response, int]:
    preset = PRESETS.get(name)
    if preset is None:
        raise ControlError(404, f"no scenario {name!r}; see GET /__mock__/scenarios", "name")
    ctx = mock()
    return jsonify(name=name, done=preset.apply(ctx.store, ctx.config)), 201
