"""Première connexion ? Créer Mon Compte — for people the CAF knows who have
no online account yet: prove it with a code, choose a password, and in."""

from __future__ import annotations

from flask import Response, flash, redirect, url_for

from .. import texts
from ..context import mock
from ..personas import Persona
from .security import sign_in
from .verification import Flow, make_blueprint


def accepts(persona: Persona | None) -> tuple[str | None, Persona | None]:
    if persona is None:
        return texts.SIGNUP["unknown"], None
    if persona.has_account:
        return texts.SIGNUP["already"], None
    return None, persona


def complete(persona: Persona, password: str) -> Response:
    store = mock().store
    store.update_persona(persona.id, password=password, has_account=True)
    sign_in(persona)
    flash(texts.SIGNUP["welcome"], "info")
    return redirect(url_for("account.home"))


bp = make_blueprint(Flow("signup", "/creer-mon-compte", texts.SIGNUP, accepts, complete))
