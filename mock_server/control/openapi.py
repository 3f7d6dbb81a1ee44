"""GET /__mock__/openapi.json: the control API's OpenAPI 3.1 description, for
schemathesis (`make fuzz`) and any OpenAPI tool."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import Response, jsonify

from . import bp


@cache
def description() -> dict[str, Any]:
    # Imported on first use: the description reads the constants of the control
    # modules, which import this package; a slip there breaks this route only.
    from .api_description import build

    return build()


@bp.get("/openapi.json")
def openapi_description() -> Response:
    return jsonify(description())
