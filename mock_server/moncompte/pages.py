"""Public pages: home with the blue menu bar, help pages, not-yet-built services."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from .. import texts

bp = Blueprint("pages", __name__)

# Links of the login page whose flows arrive in later versions of the mock.
UNAVAILABLE = {
    "franceconnect": ("/connexion/franceconnect", texts.LOGIN["franceconnect"]),
}


@bp.get("/")
def home() -> str:
    return render_template("home.html")


# Help pages from caf.fr's help page, by the path they live at.
HELP_PAGES = {
    "numero-securite-sociale": "help_where.html",
    "identifiants-oublies": "help_forgot.html",
    "franceconnect": "help_franceconnect.html",
    "tutoriel": "help_tutorial.html",
}


@bp.get("/aide/<slug>")
def help_page(slug: str) -> str:
    if slug not in HELP_PAGES:
        abort(404)
    return render_template(HELP_PAGES[slug])


def _unavailable(feature: str):
    def view() -> str:
        return render_template("unavailable.html", feature=feature)

    return view


for _name, (_path, _feature) in UNAVAILABLE.items():
    bp.add_url_rule(_path, f"unavailable_{_name}", _unavailable(_feature), methods=["GET"])
