"""Register applications with the mock FranceConnect, so any application can
use it as its FranceConnect in development.

POST registers a client_id not registered yet (409 otherwise: a second
registration must not silently drop the first one's name and logout URIs);
PUT /clients/<client_id> creates or replaces one on purpose. Mon Compte's own
client can be neither replaced nor deleted."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from ..context import mock
from ..federation import FC_PATH, FRANCECONNECT
from ..oidc.clients import OidcClient, client_from_registration, registration_problem
from ..oidc.state import ClientTaken
from . import ControlError, bp, json_body

CLIENTS = "/__mock__/franceconnect/clients"


def _issuer() -> str:
    return mock().config.site_url(FRANCECONNECT) + FC_PATH


def _described(client: OidcClient, *, with_secret: bool) -> dict[str, Any]:
    """A client as the control API answers it: with its issuer and discovery URL."""
    return {**client.to_dict(with_secret=with_secret), "issuer": _issuer(),
            "discovery_url": f"{_issuer()}/.well-known/openid-configuration"}


def _checked(body: dict[str, Any]) -> OidcClient:
    problem = registration_problem(body)
    if problem:
        raise ControlError(422, problem[1], problem[0])
    return client_from_registration(body)


def _taken(taken: ClientTaken) -> ControlError:
    client_id = taken.existing.client_id
    if taken.existing.builtin:
        return ControlError(409, "this client_id belongs to Mon Compte and cannot be replaced", "client_id")
    return ControlError(409, f"client_id {client_id!r} is registered already; PUT {CLIENTS}/{client_id} "
                             "replaces it, DELETE removes it", "client_id")


@bp.post("/franceconnect/clients")
def register_fc_client() -> tuple[Response, int]:
    client = _checked(json_body())
    try:
        mock().store.oidc.add_client(FRANCECONNECT, client, replace=False)
    except ClientTaken as taken:
        raise _taken(taken) from None
    return jsonify(_described(client, with_secret=True)), 201


@bp.put("/franceconnect/clients/<client_id>")
def put_fc_client(client_id: str) -> tuple[Response, int]:
    body = json_body()
    if "client_id" in body and body["client_id"] != client_id:
        raise ControlError(422, f"the body's client_id {body['client_id']!r} is not the path's {client_id!r} "
                                "(leave it out of the body)", "client_id")
    client = _checked({**body, "client_id": client_id})
    try:
        created = mock().store.oidc.add_client(FRANCECONNECT, client, replace=True)
    except ClientTaken as taken:
        raise _taken(taken) from None
    return jsonify(_described(client, with_secret=True)), 201 if created else 200


@bp.get("/franceconnect/clients")
def list_fc_clients() -> Response:
    return jsonify([client.to_dict(with_secret=False) for client in mock().store.oidc.list_clients(FRANCECONNECT)])


@bp.get("/franceconnect/clients/<client_id>")
def get_fc_client(client_id: str) -> Response:
    client = mock().store.oidc.get_client(FRANCECONNECT, client_id)
    if client is None:
        raise ControlError(404, f"no client with id {client_id!r}", "client_id")
    return jsonify(_described(client, with_secret=False))


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
