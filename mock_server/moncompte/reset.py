"""Mot de passe oublié ? — a code by SMS or by mail, then a new password."""

from __future__ import annotations

from flask import Response, redirect, render_template, url_for

from .. import texts
from ..context import mock
from ..personas import Persona
from .verification import Flow, make_blueprint


def accepts(persona: Persona | None) -> tuple[str | None, Persona | None]:
    # Everyone goes on, account or not: the screens must not tell them apart.
    return None, persona if persona is not None and persona.has_account else None


def complete(persona: Persona, password: str) -> Response:
    store = mock().store
    store.update_persona(persona.id, password=password)
    # A new password ends a lockout from failed logins.
    store.clear_failed_logins(persona.identifier)
    return redirect(url_for("reset.done"))


bp = make_blueprint(Flow("reset", "/mot-de-passe-oublie", texts.RESET, accepts, complete))


@bp.get("/termine")
def done() -> str:
    return render_template("reset_done.html")
