"""Each site's icon at /favicon.ico: a small SVG in the site's colours, so a
browser's first page load asks for nothing that is not there (it left a red
"404 /favicon.ico" in the journal), and a tab tells which site it shows.

Every page links it (`<link rel="icon" type="image/svg+xml" href="/favicon.ico">`);
browsers take an SVG icon by its content type, whatever the path's extension.
"""

from __future__ import annotations

from typing import NamedTuple

from flask import Flask, Response
from markupsafe import Markup


class Icon(NamedTuple):
    letters: str
    background: str
    ink: str = "#fff"


# By site (the providers in their own brand colours), and the control plane's.
ICONS: dict[str, Icon] = {
    "moncompte": Icon("caf", "#0b4da2"),
    "franceconnect": Icon("FC", "#000091"),
    "impots": Icon("DG", "#000091", "#fff"),
    "ameli": Icon("a", "#0c419a"),
    "laposte": Icon("LP", "#ffc800", "#1e1e1e"),
    "msa": Icon("M", "#4f7321"),
    "yris": Icon("Y", "#5b2a86"),
    "franceidentite": Icon("FI", "#fff", "#000091"),
    "control": Icon("S", "#b34000"),
}
LINK = Markup('<link rel="icon" type="image/svg+xml" href="/favicon.ico">')
MAX_AGE_SECONDS = 86_400


def svg(icon: Icon) -> str:
    size = {1: 22, 2: 16}.get(len(icon.letters), 13)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">'
        f'<rect width="32" height="32" rx="6" fill="{icon.background}" stroke="{icon.ink}" stroke-opacity=".35"/>'
        f'<text x="16" y="{16 + size * 0.36:.1f}" text-anchor="middle" font-family="Arial,Helvetica,sans-serif" '
        f'font-size="{size}" font-weight="bold" fill="{icon.ink}">{icon.letters}</text></svg>'
    )


def add_favicon(app: Flask, key: str) -> None:
    """GET /favicon.ico on `app`: the icon of `key` (a site, or "control"), cacheable."""
    body = svg(ICONS[key])

    def favicon() -> Response:
        response = Response(body, mimetype="image/svg+xml")
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
        return response

    app.add_url_rule("/favicon.ico", "favicon", favicon)
    app.jinja_env.globals["favicon_link"] = LINK
