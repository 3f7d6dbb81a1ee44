"""Public pages: home with the blue menu bar, help pages, not-yet-built services."""

from __future__ import annotations

from flask import Blueprint, render_template

from .. import texts

bp = Blueprint("pages", __name__)

# Links of the login page whose flows arrive in later versions of the mock.
UNAVAILABLE = {
    "forgot_password": ("/mot-de-passe-oublie", texts.LOGIN["forgot_password"]),
    "franceconnect": ("/connexion/franceconnect", texts.LOGIN["franceconnect"]),
    "signup": ("/creer-mon-compte", texts.LOGIN["signup"]),
}


@bp.get("/")
def home() -> str:
    return render_template("home.html")


@bp.get("/aide/numero-securite-sociale")
def help_where() -> str:
    return render_template("help_where.html")


@bp.get("/aide/identifiants-oublies")
def help_forgot() -> str:
    return render_template("help_forgot.html")


@bp.get("/aide/franceconnect")
def help_franceconnect() -> str:
    return render_template("help_franceconnect.html")


@bp.get("/aide/tutoriel")
def help_tutorial() -> str:
    return render_template("help_tutorial.html")


def _unavailable(feature: str):
    def view() -> str:
        return render_template("unavailable.html", feature=feature)

    return view


for _name, (_path, _feature) in UNAVAILABLE.items():
    bp.add_url_rule(_path, f"unavailable_{_name}", _unavailable(_feature), methods=["GET"])
