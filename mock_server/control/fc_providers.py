"""Switch FranceConnect's identity providers on and off at run time, as
FranceConnect's operators do with a provider's `active` and `display` flags.

`active: false` greys the provider out on the chooser ("Indisponible") and makes
choosing it anyway FranceConnect's error page (Y020017); `display: false` hides
it. The provider records keep the defaults: `POST /__mock__/reset` puts them back.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from ..context import mock
from ..identity_providers import BY_ID, PROVIDER_IDS, Availability
from . import ControlError, bp
from .inputs import some_of

FLAGS = ("active", "display")


def _described(idp: str, now: Availability) -> dict[str, Any]:
    record = BY_ID[idp]
    return {"id": idp, "name": record.name, "active": now.active, "display": now.display,
            "default": {"active": record.active, "display": record.display}}


def _known(idp: str) -> str:
    if idp not in BY_ID:
        raise ControlError(404, f"no identity provider {idp!r} (known: {', '.join(PROVIDER_IDS)})", "provider")
    return idp


@bp.get("/franceconnect/providers")
def list_fc_providers() -> Response:
    return jsonify([_described(idp, now) for idp, now in mock().store.fc_providers.all().items()])


@bp.put("/franceconnect/providers/<idp>")
def set_fc_provider(idp: str) -> Response:
    """{"active": false} and/or {"display": false}; a flag left out keeps its value."""
    _known(idp)
    body = some_of(FLAGS, noun="field", ask=f"give {' and/or '.join(FLAGS)} (true or false)")
    for name, value in body.items():
        if not isinstance(value, bool):
            raise ControlError(422, f"{name} must be true or false", name)
    now = mock().store.fc_providers.set(idp, active=body.get("active"), display=body.get("display"))
    return jsonify(_described(idp, now))
