"""The account space "Mon Compte", behind login."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..rules.nir import format_nir
from ..rules.phone import format_phone
from . import franceconnect
from .security import current_persona, login_required

bp = Blueprint("account", __name__, url_prefix="/mon-compte")


@bp.get("/")
@login_required
def home() -> str:
    return render_template("account.html", persona=current_persona(), fc_identity=franceconnect.identity())


@bp.get("/mes-informations")
@login_required
def profile() -> str:
    persona = current_persona()
    return render_template(
        "profile.html",
        persona=persona,
        nir=format_nir(persona.nir) if persona.nir else None,
        phone=format_phone(persona.phone),
    )


@bp.get("/mes-paiements")
@login_required
def payments() -> str:
    return render_template("payments.html", persona=current_persona())
