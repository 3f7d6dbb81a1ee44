"""What a person sees on FranceConnect: the provider chooser, the trip to the
identity provider and back, "Vous êtes connecté !" (with a consent box for a
private service), and logout.

As FranceConnect v2 (france-connect/sources: core-fcp's views and controllers,
its oidc-client's checks, quality/fcp's usager features): providers switched off
are shown greyed out ("Indisponible"), those a service does not offer too;
forcing one by URL is its error page (Y020017 switched off, Y020023 not for
this service, Y020019 unknown); `idp_hint` goes straight to the provider, or
back to the service with `invalid_idp_hint`; the identity a provider returns is
checked (Y600006); the chooser and the consent form send once.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from .. import texts
from ..config import PROVIDER_IDS
from ..context import mock
from ..federation import FC_CALLBACK_PATH, FC_LOGOUT_CALLBACK_PATH, FC_PATH, FRANCECONNECT
from ..french import fill
from ..identity_providers import BY_ID
from ..oidc.claims import ALL_CLAIMS, PIVOT_CLAIMS, released_claims
from ..oidc.provider import SERVER_ERROR, TECHNICAL_ERROR, USER_ABORTED, Provider, ProviderError
from ..oidc.relying_party import LoginFailed, RelyingParty
from ..oidc.clients import OidcClient
from ..oidc.state import AuthorizationRequest
from .answers import Answers
from .identity_check import INVALID_IDENTITY, INVALID_IDENTITY_STATUS, identity_problems

bp = Blueprint("interaction", __name__, url_prefix=FC_PATH)

LOGIN_KEY = "fc:login"  # the identity provider trip in progress
NOTICE_KEY = "fc:notice"  # a message for the chooser
LOGOUT_IDP_KEY = "fc:logout-idp"
HINTED_KEY = "fc:hinted"  # the request whose idp_hint was followed (once: back at the chooser, it shows)

# FranceConnect's codes for what can go wrong with an identity provider. Y020021
# and Y020022 are FranceConnect's own (its public suite checks them); the others
# are the mock's, in FranceConnect's Y02xxxx family (see README).
IDP_ERRORS = {
    "unavailable": (502, "Y020001", "idp_unavailable"),
    "timeout": (504, "Y020004", "idp_timeout"),
    "invalid": (502, "Y020026", "idp_invalid"),
}

# A provider that cannot be used for this login, chosen anyway (a form forced, an
# idp_hint): FranceConnect's oidc-client exceptions, with their HTTP status.
IDP_NOT_ALLOWED = (403, "Y020023")  # not among the service's providers (FC's blacklist/whitelist)
IDP_NOT_FOUND = (400, "Y020019")  # no such provider (FranceConnect answers 500: see README)
IDP_DISABLED = (500, "Y020017")  # switched off
# An idp_hint FranceConnect does not allow: back to the service (its OidcProviderIdpHintException).
INVALID_IDP_HINT = ("invalid_idp_hint", "An idp_hint was provided but is not allowed")


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


def _answers() -> Answers:
    return current_app.extensions["fc_answers"]


def _pending(request_id: str) -> tuple[AuthorizationRequest, OidcClient]:
    provider = _provider()
    auth_request = provider.pending(request_id)
    return auth_request, provider.client_of(auth_request)


# Which providers this login may use ----------------------------------------------


def offered(client: OidcClient, idp: str | None) -> bool:
    """Whether the service offers this provider (its `providers`; None: all of them)."""
    return client.providers is None or idp in client.providers


def chooser_entries(client: OidcClient) -> list[dict[str, Any]]:
    """The chooser's buttons: the providers shown, each selectable or greyed out
    ("Indisponible": switched off, or not offered by this service, as FranceConnect
    shows a service's excluded providers)."""
    availability = mock().store.fc_providers.all()
    return [
        {"id": idp, "name": chooser_label(idp), "active": now.active and offered(client, idp)}
        for idp, now in availability.items() if now.display
    ]


def _unusable(idp: str | None, client: OidcClient, request_id: str) -> ProviderError | None:
    """FranceConnect's error when this provider cannot be used for this login, in
    its order: the service's list first, then whether the provider exists and is on."""
    if not offered(client, idp):
        status, code = IDP_NOT_ALLOWED
    elif idp not in PROVIDER_IDS:
        status, code = IDP_NOT_FOUND
    elif not mock().store.fc_providers.get(idp).active:
        status, code = IDP_DISABLED
    else:
        return None
    return ProviderError(status, code, TECHNICAL_ERROR, back_url=url_for(".back_after_error", request_id=request_id),
                         service=client.name)


def _go_to_provider(request_id: str, client: OidcClient, idp: str | None):
    problem = _unusable(idp, client, request_id)
    if problem is not None:
        raise problem
    assert idp is not None
    trip = session.get(LOGIN_KEY)
    if trip and trip.get("request_id") == request_id and trip.get("idp") == idp and trip.get("url"):
        # The same choice sent again (a double click, a reload): the same trip, no second one.
        return redirect(trip["url"])
    # The session id stays until the person is signed in (start_session gives a new
    # one): a choice sent twice comes with the id the first one had.
    try:
        response = _idp_client(idp).authorize_redirect(_site_url(FC_CALLBACK_PATH))
    except LoginFailed as failure:  # its discovery document could not be read
        raise _idp_error(failure.kind, idp, request_id, client)
    session[LOGIN_KEY] = {"request_id": request_id, "idp": idp, "url": response.location}
    return response


@bp.get("/interaction/<request_id>")
def choose(request_id: str):
    auth_request, client = _pending(request_id)
    if _provider().reusable_session(auth_request) is not None:
        # Single sign-on: FranceConnect's session is alive, no need for the provider again.
        return redirect(url_for(".connected", request_id=request_id))
    if auth_request.idp_hint and session.get(HINTED_KEY) != request_id:
        return _follow_hint(auth_request, client)
    return render_template(
        "chooser.html",
        request_id=request_id,
        client=client,
        providers=chooser_entries(client),
        notice=session.pop(NOTICE_KEY, None),
    )


def _follow_hint(auth_request: AuthorizationRequest, client: OidcClient):
    """idp_hint: straight to that provider's login page, as FranceConnect's authorize
    middleware does; a provider it does not allow (unknown, or not among the service's)
    is an error back to the service."""
    idp = auth_request.idp_hint
    if idp not in PROVIDER_IDS or not offered(client, idp):
        return _provider().deny(auth_request, *INVALID_IDP_HINT)
    session[HINTED_KEY] = auth_request.id
    return _go_to_provider(auth_request.id, client, idp)


@bp.post("/interaction/<request_id>/fournisseur")
def choose_provider(request_id: str):
    _, client = _pending(request_id)
    return _go_to_provider(request_id, client, request.form.get("provider"))


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
    problems = identity_problems(login.userinfo)
    if problems:
        # FranceConnect's identity checks (its OidcIdentityDto): nothing goes to the service.
        current_app.logger.info("identity from %s refused: %s", idp, problems)
        raise ProviderError(INVALID_IDENTITY_STATUS, INVALID_IDENTITY,
                            texts.FRANCECONNECT["error_messages"]["invalid_identity"],
                            back_url=url_for(".back_after_error", request_id=request_id), service=client.name)
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


def consent_required(client: OidcClient, auth_request: AuthorizationRequest) -> bool:
    """A private service asks the person's consent, unless it asks for no data at all
    (scope openid alone: FranceConnect's anonymous login)."""
    return client.type == "private" and any(scope != "openid" for scope in auth_request.scope)


def _render_connected(auth_request: AuthorizationRequest, client: OidcClient, user: dict[str, Any], *,
                      consent_missing: bool = False, status: int = 200):
    shared = [(name, user["claims"][name]) for name in released_claims(auth_request.scope) if name in user["claims"]]
    return render_template("connected.html", request_id=auth_request.id, client=client, user=user,
                           provider_name=provider_in_text(user["idp"]), shared=shared,
                           consent=consent_required(client, auth_request), consent_missing=consent_missing), status


@bp.get("/interaction/<request_id>/connecte")
def connected(request_id: str):
    auth_request, client = _pending(request_id)
    user = _provider().sso_user()
    if user is None:
        return redirect(url_for(".choose", request_id=request_id))
    return _render_connected(auth_request, client, user)


@bp.post("/interaction/<request_id>/continuer")
def continue_to_service(request_id: str):
    user = _provider().sso_user()
    subject = user["subject"] if user else None
    with _answers().lock:  # a second POST at once waits here for the first one's answer
        earlier = _answers().earlier(request_id, subject)
        if earlier is not None:
            # Sent again (a double click): the answer the first one got, the same code.
            return redirect(earlier, 303)
        auth_request, client = _pending(request_id)
        if user is None:
            return redirect(url_for(".choose", request_id=request_id))
        if consent_required(client, auth_request) and not request.form.get("consent"):
            # The button is disabled until the box is ticked; a form sent without it anyway.
            return _render_connected(auth_request, client, user, consent_missing=True, status=422)
        response = _provider().complete(auth_request, user)
        _answers().remember(request_id, response.location, user["subject"])
        return response


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

