"""/__mock__/franceidentite: the person's phone, simulated.

France Identité's login page waits for the person to approve the login in the
app; tests (JSON) and people (the HTML page) do it here:

- GET  /__mock__/franceidentite/pending  -> [{code, created_at, expires_at}]
- POST /__mock__/franceidentite/approve  {"persona_id", "code"?} -> {"status": "approved"}
- POST /__mock__/franceidentite/refuse   {"code"?} -> {"status": "refused"}
- GET  /__mock__/franceidentite          -> the page, one "Valider sur mon téléphone" per login

`code` may be left out when exactly one login is waiting. Both endpoints take
JSON or a form body (the page posts forms, and gets the page back).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Response, jsonify, redirect, render_template, request, url_for

from .. import texts
from ..context import mock
from ..errors import FORM_TYPES
from . import ControlError, bp, json_body

PROVIDER_ID = "franceidentite"
_CODE = re.compile(r"[0-9]{6}")


def _board():
    board = getattr(mock().store, "approvals", None)
    if board is None:
        raise ControlError(503, "France Identité is not served by this mock instance")
    return board


def _from_form() -> bool:
    return request.mimetype in FORM_TYPES


def _body(allowed: tuple[str, ...]) -> dict[str, Any]:
    if _from_form():
        # An empty form field means "not given".
        body: dict[str, Any] = {name: value for name, value in request.form.items() if value != ""}
        body.pop("csrf_token", None)
    else:
        body = json_body()
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise ControlError(422, "unknown field", unknown[0])
    return body


def _code(body: dict[str, Any]) -> str | None:
    code = body.get("code")
    if code is None:
        return None
    if not isinstance(code, str) or not _CODE.fullmatch(code.strip()):
        raise ControlError(422, "code: the 6-digit code shown on the login page, as a string", "code")
    return code.strip()


def _has_app(persona: Any) -> bool:
    return PROVIDER_ID in (getattr(persona, "credentials", None) or {})


def _answer(action: str):
    """approve or refuse, from JSON (JSON back) or from the page's form (the page back)."""
    # Imported here: the providers package imports this blueprint.
    from ..approvals import ApprovalProblem

    # The page's refuse button posts the same form as its approve button.
    allowed = ("persona_id", "code") if action == "approve" or _from_form() else ("code",)
    try:
        body = _body(allowed)
        code = _code(body)
        board = _board()
        if action == "approve":
            persona_id = body.get("persona_id")
            if not isinstance(persona_id, str) or not persona_id.strip():
                raise ControlError(422, "persona_id: the id of the persona approving on their phone", "persona_id")
            persona = mock().store.get_persona(persona_id.strip())
            if persona is None:
                raise ControlError(404, f"no persona with id {persona_id!r}", "persona_id")
            if not _has_app(persona):
                raise ControlError(409, "this persona has no France Identité account", "persona_id")
        try:
            approval = board.approve(persona.id, code) if action == "approve" else board.refuse(code)
        except ApprovalProblem as problem:
            raise ControlError(problem.status, problem.message, problem.field) from None
    except ControlError as error:
        if _from_form():
            return _page(error=error.message, status=error.status)
        raise
    status = "approved" if action == "approve" else "refused"
    if _from_form():
        return redirect(url_for("control.franceidentite_page", fait=status), 303)
    return jsonify(status=status, code=approval.code)


@bp.post("/franceidentite/approve")
def franceidentite_approve():
    return _answer("approve")


@bp.post("/franceidentite/refuse")
def franceidentite_refuse():
    return _answer("refuse")


@bp.get("/franceidentite/pending")
def franceidentite_pending() -> Response:
    return jsonify([approval.to_dict() for approval in _board().pending()])


def _page(error: str | None = None, status: int = 200):
    board = getattr(mock().store, "approvals", None)
    personas = [persona for persona in mock().store.list_personas() if _has_app(persona)]
    done = request.args.get("fait")
    words = texts.PROVIDERS[PROVIDER_ID]["control"]
    notice = words.get(done) if done in ("approved", "refused") else None
    return render_template("franceidentite_phone.html", pending=board.pending() if board else [],
                           personas=personas, words=words, notice=notice, error=error), status


@bp.get("/franceidentite")
def franceidentite_page():
    return _page()
