"""Public pages: home with the blue menu bar, help pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

bp = Blueprint("pages", __name__)


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

