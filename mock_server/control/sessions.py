"""/__mock__/sessions: a persona signed in to Mon Compte without the login page.

For scenarios whose subject is not the login itself (the account space,
Déconnexion, Back after logout, session expiry…): the mock opens the same
server-side session a login opens, and answers a Playwright storage state whose
cookie the test's browser context takes, as Playwright's authentication guide
does (`browser.new_context(storage_state=…)` or `context.add_cookies(…)`).
"""

from __future__ import annotations

from flask import Response, jsonify

from ..context import mock
from ..moncompte.security import signed_in_session
from ..site_app import session_cookie_name
from . import ControlError, bp, json_body

SITE = "moncompte"


@bp.post("/sessions")
def create_session() -> tuple[Response, int]:
    body = json_body()
    unknown = sorted(set(body) - {"persona_id"})
    if unknown:
        raise ControlError(422, "unknown field (give persona_id)", unknown[0])
    persona_id = body.get("persona_id")
    if not isinstance(persona_id, str) or not persona_id:
        raise ControlError(422, "persona_id: the id of a persona, as POST /__mock__/personas answers it", "persona_id")
    ctx = mock()
    persona = ctx.store.get_persona(persona_id)
    if persona is None:
        raise ControlError(404, f"no persona with id {persona_id!r}", "persona_id")
    if not persona.has_account:
        raise ControlError(409, "this persona has no Mon Compte account yet (has_account is false)", "persona_id")
    sid = ctx.store.new_session_id()
    ctx.store.save_session(sid, signed_in_session(persona.id, ctx.store.clock.now()))
    cookie = {
        "name": session_cookie_name(SITE),
        "value": sid,
        # The site's host without the port (cookies ignore ports): host-only, as the site sets it.
        "domain": f"{SITE}.{ctx.config.domain}",
        "path": "/",
        "expires": -1,  # ends with the browser, as the login's
        "httpOnly": True,
        "secure": ctx.config.secure_cookies,
        "sameSite": "Lax",
    }
    return jsonify(cookies=[cookie], origins=[]), 201
