"""What a person sees on FranceConnect: the provider chooser, the trip to the
identity provider and back, "Vous êtes connecté !", and logout."""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for

from .. import texts
from ..config import PROVIDER_IDS
from ..context import mock
from ..federation import FC_CALLBACK_PATH, FC_LOGOUT_CALLBACK_PATH, FC_PATH, FRANCECONNECT
from ..french import fill
from ..identity_providers import BY_ID
from ..oidc.claims import ALL_CLAIMS, PIVOT_CLAIMS, released_claims
from ..oidc.provider import SERVER_ERROR, USER_ABORTED, Provider, ProviderError
from ..oidc.relying_party import LoginFailed, RelyingParty
from ..oidc.clients import OidcClient
from ..oidc.state import AuthorizationRequest

bp = Blueprint("interaction", __name__, url_prefix=FC_PATH)

LOGIN_KEY = "fc:login"  # the identity provider trip in progress
NOTICE_KEY = "fc:notice"  # a message for the chooser
LOGOUT_IDP_KEY = "fc:logout-idp"

# FranceConnect's codes for what can go wrong with an identity provider. Y020021
# and Y020022 are FranceConnect's own (its public suite checks them); the others
# are the mock's, in FranceConnect's Y02xxxx family (see README).
IDP_ERRORS = {
    "unavailable": (502, "Y020001", "idp_unavailable"),
    "timeout": (504, "Y020004", "idp_timeout"),
    "invalid": (502, "Y020026", "idp_invalid"),
    "missing_claims": (502, "Y020025", "missing_claims"),
}


def error_id() -> str:
    """The reference shown on error pages, for support (as FranceConnect shows one)."""
    return str(uuid.uuid4())


def _provider() -> Provider:
    return current_app.extensions["oidc_provider"]


def _idp_client(idp: str) -> RelyingParty:
    return current_app.extensions["idp_clients"][idp]


def chooser_label(idp: str) -> str:
    """The provider's button on the chooser, as the help page writes it ("FRANCE IDENTITE")."""
    return BY_ID[idp].name


def provider_in_text(idp: str) -> str:
    """The provider's name inside a sentence ("France Identité")."""
    return BY_ID[idp].in_text


def _site_url(path: str) -> str:
    return mock().config.site_url(FRANCECONNECT) + path


def _pending(request_id: str) -> tuple[AuthorizationRequest, OidcClient]:
    provider = _provider()
    auth_request = provider.pending(request_id)
    return auth_request, provider.client_of(auth_request)


@bp.get("/interaction/<request_id>")
def choose(request_id: str):
    auth_request, client = _pending(request_id)
    if _provider().reusable_session(auth_request) is not None:
        # Single sign-on: FranceConnect's session is alive, no need for the provider again.
        return redirect(url_for(".connected", request_id=request_id))
    return render_template(
        "chooser.html",
        request_id=request_id,
        client=client,
        providers=[(idp, chooser_label(idp)) for idp in PROVIDER_IDS],
        notice=session.pop(NOTICE_KEY, None),
    )


@bp.post("/interaction/<request_id>/fournisseur")
def choose_provider(request_id: str):
    _, client = _pending(request_id)
    idp = request.form.get("provider")
    if idp not in PROVIDER_IDS:
        abort(400)
    # Off to the provider: a new session id, as at every change of who this browser is.
    session.regenerate()
    session[LOGIN_KEY] = {"request_id": request_id, "idp": idp}
    try:
        return _idp_client(idp).authorize_redirect(_site_url(FC_CALLBACK_PATH))
    except LoginFailed as failure:  # its discovery document could not be read
        raise _idp_error(failure.kind, idp, request_id, client)


@bp.get("/interaction/<request_id>/retour")
def back_to_service(request_id: str):
    auth_request, _ = _pending(request_id)
    session.pop(LOGIN_KEY, None)
    return _provider().deny(auth_request, "access_denied", USER_ABORTED)


@bp.get("/interaction/<request_id>/abandon")
def back_after_error(request_id: str):
    auth_request, _ = _pending(request_id)
    session.pop(LOGIN_KEY, None)
    return _provider().deny(auth_request, "server_error", SERVER_ERROR)


def _idp_error(kind: str, idp: str, request_id: str, client: OidcClient, **details: str) -> ProviderError:
    status, code, message_key = IDP_ERRORS[kind]
    message = fill(texts.FRANCECONNECT["error_messages"][message_key], provider=provider_in_text(idp), **details)
    return ProviderError(status, code, message, back_url=url_for(".back_after_error", request_id=request_id),
                         service=client.name)


@bp.get("/oidc-callback")
def idp_callback():
    pending = session.get(LOGIN_KEY)
    if not pending:
        raise ProviderError(400, "Y150003")
    request_id, idp = pending["request_id"], pending["idp"]
    _, client = _pending(request_id)
    try:
        login = _idp_client(idp).finish_login(request.args.to_dict())
    except LoginFailed as failure:
        if failure.kind == "denied":
            session.pop(LOGIN_KEY, None)
            session[NOTICE_KEY] = fill(texts.FRANCECONNECT["login_aborted"], provider=provider_in_text(idp))
            return redirect(url_for(".choose", request_id=request_id))
        if failure.kind == "state":
            if failure.error == "missing_state":
                raise ProviderError(400, "Y020021")
            raise ProviderError(403, "Y020022")
        raise _idp_error(failure.kind, idp, request_id, client)
    missing = login.missing_pivot_claims()
    if missing:
        raise _idp_error("missing_claims", idp, request_id, client, claims=", ".join(missing))
    session.pop(LOGIN_KEY, None)
    claims = {name: login.userinfo[name] for name in ALL_CLAIMS if name in login.userinfo}
    _provider().start_session({
        # FranceConnect knows people by their identity pivot, whichever provider they used.
        "subject": "|".join(str(claims.get(name, "")) for name in PIVOT_CLAIMS),
        "claims": claims,
        "idp": idp,
        "idp_id_token": login.id_token,
        "amr": login.id_claims.get("amr") or ["pwd"],
    })
    return redirect(url_for(".connected", request_id=request_id))


@bp.get("/interaction/<request_id>/connecte")
def connected(request_id: str):
    auth_request, client = _pending(request_id)
    user = _provider().sso_user()
    if user is None:
        return redirect(url_for(".choose", request_id=request_id))
    shared = [(name, user["claims"][name]) for name in released_claims(auth_request.scope) if name in user["claims"]]
    return render_template("connected.html", request_id=request_id, client=client, user=user,
                           provider_name=provider_in_text(user["idp"]), shared=shared)


@bp.post("/interaction/<request_id>/continuer")
def continue_to_service(request_id: str):
    auth_request, _ = _pending(request_id)
    user = _provider().sso_user()
    if user is None:
        return redirect(url_for(".choose", request_id=request_id))
    return _provider().complete(auth_request, user)


# Logout ---------------------------------------------------------------------


def end_session(user: dict[str, Any] | None):
    """/session/end: FranceConnect's session is gone; log out of the identity provider too."""
    if user and user.get("idp"):
        idp = user["idp"]
        client = _idp_client(idp)
        if client.has_end_session():
            session[LOGOUT_IDP_KEY] = idp
            try:
                return client.logout_redirect(_site_url(FC_LOGOUT_CALLBACK_PATH), user["idp_id_token"])
            except LoginFailed:
                session.pop(LOGOUT_IDP_KEY, None)
        return _logged_out(idp, idp_logged_out=False)
    return _logged_out(None, idp_logged_out=False)


@bp.get("/client/logout-callback")
def logout_callback():
    idp = session.pop(LOGOUT_IDP_KEY, None)
    if idp is None:
        raise ProviderError(400, "Y150003")
    try:
        _idp_client(idp).finish_logout()
    except LoginFailed:
        raise ProviderError(403, "Y020022")
    return _logged_out(idp, idp_logged_out=True)


def _logged_out(idp: str | None, *, idp_logged_out: bool):
    pending = _provider().pending_logout()
    return render_template(
        "logged_out.html",
        provider_name=provider_in_text(idp) if idp else None,
        idp_logged_out=idp_logged_out,
        client_name=pending["client"] if pending else None,
        return_url=_provider().logout_return_url(),
    )

