"""S'identifier avec FranceConnect: Mon Compte as a FranceConnect client.

The identity FranceConnect returns is matched to a CAF record on the identity
pivot; the account page then shows that identity. Déconnexion after such a
login also ends the FranceConnect session (and, through it, the provider's).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for

from .. import texts
from ..context import mock
from ..federation import MONCOMPTE_CALLBACK_PATH, MONCOMPTE_LOGGED_OUT_PATH
from ..oidc.claims import PIVOT_CLAIMS
from ..oidc.relying_party import LoginFailed, RelyingParty
from .security import sign_in

bp = Blueprint("franceconnect", __name__, url_prefix="/connexion/franceconnect")

# What Mon Compte asks FranceConnect for: the identity pivot and the e-mail.
SCOPE = "openid given_name family_name birthdate gender birthplace birthcountry email preferred_username"

# Session keys of a FranceConnect login.
ID_TOKEN = "fc_id_token"
IDENTITY = "fc_identity"


def client() -> RelyingParty:
    return current_app.extensions["franceconnect_client"]


def _site_url(path: str) -> str:
    return mock().config.site_url("moncompte") + path


@bp.get("")
def start():
    try:
        return client().authorize_redirect(_site_url(MONCOMPTE_CALLBACK_PATH))
    except LoginFailed as failure:
        if failure.kind in ("unavailable", "timeout"):
            return render_template("franceconnect_unavailable.html"), 503
        return _refused(failure, 502)


@bp.get("/retour")
def callback():
    try:
        login = client().finish_login(request.args.to_dict())
    except LoginFailed as failure:
        if failure.kind == "denied":
            aborted = failure.error == "access_denied"
            flash(texts.FC_LOGIN["aborted"] if aborted else texts.FC_LOGIN["failed"], "info")
            return redirect(url_for("auth.login"))
        if failure.kind in ("unavailable", "timeout"):
            # Its token, userinfo or keys out of reach: the page of « S'identifier avec
            # FranceConnect » when FranceConnect is down, « Réessayer » starting again.
            return render_template("franceconnect_unavailable.html"), 503
        return _refused(failure, 403 if failure.kind in ("state", "invalid") else 502)

    identity = {name: login.userinfo[name] for name in (*PIVOT_CLAIMS, "email", "preferred_username")
                if name in login.userinfo}
    persona = mock().store.find_by_identity(identity)
    if persona is None:
        return render_template("franceconnect_no_account.html", identity=identity)
    sign_in(persona)
    session[ID_TOKEN] = login.id_token
    session[IDENTITY] = identity
    return redirect(url_for("account.home"))


def _refused(failure: LoginFailed, status: int):
    reason = f"{failure.error}: {failure.description}" if failure.description else failure.error
    return render_template("franceconnect_error.html", reason=reason), status


def identity() -> dict[str, Any] | None:
    """The identity FranceConnect returned for the current session, if it was an FC login."""
    return session.get(IDENTITY)


def logout_redirect(id_token: str):
    """Send the browser to FranceConnect's /session/end; it comes back to /deconnecte.

    FranceConnect unreachable (its discovery fails): Mon Compte's session is over
    all the same, and the person is told FranceConnect's may not be."""
    try:
        return client().logout_redirect(_site_url(MONCOMPTE_LOGGED_OUT_PATH), id_token)
    except LoginFailed:
        flash(texts.FC_LOGIN["logout_unreachable"], "info")
        return redirect(url_for("auth.logged_out"))


def finish_logout() -> None:
    """Check the state FranceConnect sent back, if this browser started a logout."""
    if request.args.get("state"):
        try:
            client().finish_logout()
        except LoginFailed:
            pass  # logged out either way; a forged state only reaches this page
