"""Se connecter, Se souvenir de moi, lockout, Déconnexion."""

from __future__ import annotations

import hmac
from datetime import timedelta

from flask import Blueprint, Response, current_app, redirect, render_template, request, session, url_for

from .. import lockout, texts
from . import franceconnect, remember
from ..context import mock
from .forms import BROWSER_MESSAGES, LoginForm
from .security import current_persona, is_safe_next, sign_in

bp = Blueprint("auth", __name__)

REMEMBER_COOKIE = "moncompte_identifiant"


def remembered_identifier() -> dict | None:
    """The identifier kept by "Se souvenir de moi" (never the password)."""
    raw = request.cookies.get(REMEMBER_COOKIE)
    if not raw:
        return None
    ctx = mock()
    return remember.unseal(raw, secret=current_app.secret_key, now=ctx.store.clock.now(),
                           keep_for=timedelta(days=ctx.config.remember_days))


def _update_remember_cookie(response: Response, form: LoginForm, identifier: str) -> None:
    ctx = mock()
    config = ctx.config
    if form.remember.data:
        kind = "provisional" if form.provisional.data else "nir"
        response.set_cookie(
            REMEMBER_COOKIE,
            remember.seal(kind, identifier, secret=current_app.secret_key, now=ctx.store.clock.now()),
            max_age=int(timedelta(days=config.remember_days).total_seconds()),
            httponly=True,
            samesite="Lax",
            secure=config.secure_cookies,
        )
    else:
        response.delete_cookie(REMEMBER_COOKIE, httponly=True, samesite="Lax", secure=config.secure_cookies)


def _render_login(form: LoginForm, next_url: str | None, alert: str | None = None, status: int = 200):
    return (
        render_template(
            "login.html", form=form, next_url=next_url, alert=alert, browser_messages=BROWSER_MESSAGES
        ),
        status,
    )


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    next_url = request.args.get("next")
    if not is_safe_next(next_url):
        next_url = None
    if request.method == "GET" and current_persona() is not None:
        return redirect(next_url or url_for("account.home"))

    form = LoginForm()
    if request.method == "GET":
        remembered = remembered_identifier()
        if remembered:
            form.remember.data = True
            form.provisional.data = remembered["kind"] == "provisional"
            field = form.provisional_id if form.provisional.data else form.nir
            field.data = remembered["id"]
        return _render_login(form, next_url)

    if not form.validate():
        return _render_login(form, next_url, texts.LOGIN_ERRORS["form_errors"], 422)

    identifier = form.identifier()
    locked = lockout.locked_message(texts.LOGIN_ERRORS["locked"])
    if lockout.is_locked(identifier):
        return _render_login(form, next_url, locked, 423)

    persona = mock().store.find_persona(identifier)
    if persona is not None and not persona.has_account:
        persona = None  # known to the CAF, but no online account yet
    given = (form.password.data or "").encode()
    expected = persona.password.encode() if persona else b"\0" * len(given)
    # Compared in constant time, known identifier or not.
    if hmac.compare_digest(given, expected) and persona is not None:
        lockout.record_success(identifier)
        sign_in(persona)
        response = redirect(next_url or url_for("account.home"))
        _update_remember_cookie(response, form, identifier)
        return response

    if lockout.record_failure(identifier):
        return _render_login(form, next_url, locked, 423)
    return _render_login(form, next_url, texts.LOGIN_ERRORS["bad_credentials"], 401)


@bp.post("/deconnexion")
def logout():
    id_token = session.get(franceconnect.ID_TOKEN)
    if id_token:
        # Logged in through FranceConnect: end its session too (and the provider's).
        session.clear()
        session.regenerate()
        return franceconnect.logout_redirect(id_token)
    session.destroy()
    return redirect(url_for("auth.logged_out"))


@bp.get("/deconnecte")
def logged_out() -> str:
    """Where Déconnexion ends up. A GET ends nothing: any link or image could
    otherwise log people out; someone still signed in is told so."""
    franceconnect.finish_logout()
    return render_template("logged_out.html")
