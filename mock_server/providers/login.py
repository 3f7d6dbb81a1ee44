"""Where people log in at an identity provider: the form (or, for France
Identité, the page that waits for the phone), cancel, and the way back to
FranceConnect with a code.

One blueprint serves the six sites: each view reads which provider it is from
the app it runs in.
"""

from __future__ import annotations

import hmac
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request

from .. import lockout, texts
from ..context import mock
from ..oidc.claims import persona_claims
from ..oidc.provider import USER_ABORTED, Provider, ProviderError
from ..oidc.state import AuthorizationRequest
from ..personas import Persona, broken_identity
from ..approvals import APPROVED, EXPIRED, PENDING, REFUSED, ApprovalBoard
from ..identity_providers import BY_ID, CredentialField, IdentityProvider

bp = Blueprint("login", __name__)
home_bp = Blueprint("home", __name__)

# The longest a status request of the waiting page is held open (long polling).
MAX_WAIT_SECONDS = 10.0

CONSENT_REFUSED = "User refused consent"


def provider_id() -> str:
    return current_app.extensions["idp_id"]


def provider() -> Provider:
    return current_app.extensions["oidc_provider"]


def board() -> ApprovalBoard:
    return mock().store.approvals


def record() -> IdentityProvider:
    return BY_ID[provider_id()]


def uses_approval() -> bool:
    return record().approval


# Back to FranceConnect -------------------------------------------------------


def finish(auth_request: AuthorizationRequest, persona: Persona, *, amr: tuple[str, ...],
           sso_user: dict[str, Any] | None = None) -> Response:
    """The person is authenticated: back to the client with a code (or a refusal)."""
    idp = provider()
    fault = persona.fc_error
    if fault == "consent_refused":
        return idp.deny(auth_request, "access_denied", CONSENT_REFUSED)
    # An error persona's identity comes back broken (a claim left out or malformed).
    claims = broken_identity(persona_claims(persona), fault)
    if sso_user is None:
        user = idp.start_session({"subject": persona.id, "claims": claims, "amr": list(amr)})
    else:
        user = {**sso_user, "claims": claims}
    return idp.complete(auth_request, user, context={"fc_error": fault})


def _single_sign_on(auth_request: AuthorizationRequest) -> Response | None:
    """Complete at once when this browser is still logged in here (unless prompt=login)."""
    idp = provider()
    user = idp.sso_user()
    if user is None or "login" in auth_request.prompt:
        return None
    persona = mock().store.get_persona(user["subject"])
    if persona is None:  # deleted since: log in again
        idp.end_session()
        return None
    return finish(auth_request, persona, amr=tuple(user.get("amr", record().amr)), sso_user=user)


# The login form --------------------------------------------------------------


def _field_views(values: dict[str, str], errors: dict[str, str]) -> list[dict[str, Any]]:
    words = texts.PROVIDERS[provider_id()]["fields"]
    return [
        {"spec": spec, "text": words[spec.key], "value": "" if spec.secret else values.get(spec.key, ""),
         "error": errors.get(spec.key)}
        for spec in record().fields
    ]


def _render_form(auth_request: AuthorizationRequest, *, values: dict[str, str] | None = None,
                 errors: dict[str, str] | None = None, alert: str | None = None, status: int = 200):
    return render_template("login.html", request_id=auth_request.id, fields=_field_views(values or {}, errors or {}),
                           alert=alert), status


def _read_form() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(as typed, normalized, errors) for this provider's fields."""
    words = texts.PROVIDERS[provider_id()]["fields"]
    typed, clean, errors = {}, {}, {}
    for spec in record().fields:
        raw = request.form.get(spec.key, "")
        typed[spec.key] = raw
        value = spec.normalize(raw)
        clean[spec.key] = value
        if not value.strip():
            errors[spec.key] = words[spec.key]["required"]
        elif spec.check is not None:
            problem = spec.check(value)
            if problem:
                errors[spec.key] = words[spec.key][problem]
    return typed, clean, errors


def _check_credentials(clean: dict[str, str]) -> Persona | None:
    """The persona these credentials log in, or None: same work whether the identifier exists or not."""
    fields: tuple[CredentialField, ...] = record().fields
    identifier = next(spec for spec in fields if not spec.secret)
    persona = mock().store.find_by_credential(provider_id(), identifier.key, clean[identifier.key])
    stored = persona.credentials.get(provider_id()) if persona is not None else None
    matches = stored is not None
    for spec in fields:
        if not spec.secret:
            continue
        given = clean[spec.key].encode()
        expected = stored.get(spec.key, "").encode() if stored is not None else b"\0" * len(given)
        # Constant time, known identifier or not.
        matches = hmac.compare_digest(given, expected) and matches
    return persona if matches else None


@bp.get("/connexion/<request_id>")
def page(request_id: str):
    auth_request = provider().pending(request_id)
    response = _single_sign_on(auth_request)
    if response is not None:
        return response
    if uses_approval():
        return _render_waiting(auth_request)
    return _render_form(auth_request)


@bp.post("/connexion/<request_id>")
def submit(request_id: str):
    auth_request = provider().pending(request_id)
    if uses_approval():  # no form here: the phone approves
        return _render_waiting(auth_request)
    typed, clean, errors = _read_form()
    if errors:
        return _render_form(auth_request, values=typed, errors=errors,
                            alert=texts.PROVIDER_PAGES["form_errors"], status=422)
    # Providers lock an identifier after repeated failures too, as Mon Compte does.
    lock_key = f"{provider_id()}:{_identifier_of(clean)}"
    locked = lockout.locked_message(texts.PROVIDER_PAGES["locked"])
    if lockout.is_locked(lock_key):
        return _render_form(auth_request, values=typed, alert=locked, status=423)
    persona = _check_credentials(clean)
    if persona is None:
        # The identifier stays in its field; the password does not.
        if lockout.record_failure(lock_key):
            return _render_form(auth_request, values=typed, alert=locked, status=423)
        return _render_form(auth_request, values=typed, alert=texts.PROVIDERS[provider_id()]["bad_credentials"],
                            status=401)
    lockout.record_success(lock_key)
    return finish(auth_request, persona, amr=record().amr)


def _identifier_of(clean: dict[str, str]) -> str:
    spec = next(spec for spec in record().fields if not spec.secret)
    return clean[spec.key].casefold()


@bp.post("/connexion/<request_id>/annuler")
def cancel(request_id: str) -> Response:
    auth_request = provider().pending(request_id)
    if uses_approval():
        board().close(auth_request.id)
    return provider().deny(auth_request, "access_denied", USER_ABORTED)


# France Identité: waiting for the phone -------------------------------------------


def _render_waiting(auth_request: AuthorizationRequest, *, message: str | None = None, status: int = 200):
    approval = board().open(auth_request.id)
    return render_template("approval_wait.html", request_id=auth_request.id, approval=approval,
                           message=message), status


@bp.get("/attente/<request_id>/statut")
def approval_status(request_id: str) -> tuple[Response, int] | Response:
    """{"status": "pending" | "approved" | "refused" | "expired"}; `wait=N` holds the
    answer up to N seconds (at most 10) until the phone answers."""
    # Read-only: a long poll that ends after the login moved on does not write
    # back the session it loaded (see StoreSessionInterface.save_session).
    if not uses_approval():
        abort(404)
    try:
        provider().pending(request_id)
    except ProviderError as error:
        return jsonify(status="unknown", error=error.code), 404
    try:
        wait = float(request.args.get("wait", "0"))
    except ValueError:
        wait = -1.0
    if not 0 <= wait <= MAX_WAIT_SECONDS:
        return jsonify(error="wait: seconds, between 0 and 10", field="wait"), 400
    approval = board().wait(request_id, wait)
    if approval is None:
        return jsonify(status="unknown"), 404
    return jsonify(status=approval.status)


@bp.route("/attente/<request_id>/suite", methods=["GET", "POST"])
def after_approval(request_id: str):
    """Once the phone answered: back to FranceConnect. Still waiting: the waiting page again."""
    if not uses_approval():
        abort(404)
    auth_request = provider().pending(request_id)
    words = texts.PROVIDERS[provider_id()]
    approval = board().get(auth_request.id)
    if approval is None:
        return _render_waiting(auth_request)
    if approval.status == EXPIRED:
        return _render_waiting(auth_request, message=words["expired"])
    if approval.status == PENDING:
        return _render_waiting(auth_request, message=words["still_pending"])
    board().close(auth_request.id)
    if approval.status == REFUSED:
        return provider().deny(auth_request, "access_denied", CONSENT_REFUSED)
    assert approval.status == APPROVED
    persona = mock().store.get_persona(approval.persona_id or "")
    if persona is None:  # deleted between the approval and now
        return provider().deny(auth_request, "access_denied", USER_ABORTED)
    return finish(auth_request, persona, amr=record().amr)


# Home page of the site -----------------------------------------------------------


@home_bp.get("/")
def index() -> str:
    return render_template("home.html")
