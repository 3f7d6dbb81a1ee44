"""Register applications with the mock FranceConnect, so any application can
use it as its FranceConnect in development."""

from __future__ import annotations

from flask import Response, jsonify

from ..context import mock
from ..federation import FC_PATH, FRANCECONNECT
from ..oidc.clients import client_from_registration, registration_problem
from . import ControlError, bp, json_body


def _issuer() -> str:
    return mock().config.site_url(FRANCECONNECT) + FC_PATH


@bp.post("/franceconnect/clients")
def register_fc_client() -> tuple[Response, int]:
    body = json_body()
    problem = registration_problem(body)
    if problem:
        raise ControlError(422, problem[1], problem[0])
    state = mock().store.oidc
    existing = state.get_client(FRANCECONNECT, body["client_id"])
    if existing is not None and existing.builtin:
        raise ControlError(409, "this client_id belongs to Mon Compte and cannot be replaced", "client_id")
    client = state.register_client(FRANCECONNECT, client_from_registration(body))
    return jsonify(
        **client.to_dict(),
        issuer=_issuer(),
        discovery_url=f"{_issuer()}/.well-known/openid-configuration",
    ), 201


@bp.get("/franceconnect/clients")
def list_fc_clients() -> Response:
    return jsonify([client.to_dict(with_secret=False) for client in mock().store.oidc.list_clients(FRANCECONNECT)])


@bp.delete("/franceconnect/clients/<client_id>")
def delete_fc_client(client_id: str) -> tuple[str, int]:
    state = mock().store.oidc
    client = state.get_client(FRANCECONNECT, client_id)
    if client is None:
        raise ControlError(404, f"no client with id {client_id!r}", "client_id")
    if client.builtin:
        raise ControlError(409, "Mon Compte's client cannot be deleted", "client_id")
    state.delete_client(FRANCECONNECT, client_id)
    return "", 204
