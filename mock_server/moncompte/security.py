"""Who is logged in, which pages need it, and where we may send people back to."""

from __future__ import annotations

from datetime import datetime
from functools import wraps
from typing import Any, Callable
from urllib.parse import urlsplit

from flask import flash, redirect, request, session, url_for
from werkzeug.exceptions import HTTPException

from .. import texts
from ..context import mock
from ..personas import Persona
from ..rules.nir import normalize_nir


def current_persona() -> Persona | None:
    persona_id = session.get("persona_id")
    return mock().store.get_persona(persona_id) if persona_id else None


def signed_in_session(persona_id: str, now: datetime) -> dict[str, str]:
    """What a Mon Compte session holds once someone is signed in (whichever way)."""
    return {"persona_id": persona_id, "auth_time": now.isoformat()}


def sign_in(persona: Persona) -> None:
    """Start the signed-in session, under a new session id (no session fixation)."""
    session.regenerate()
    session.update(signed_in_session(persona.id, mock().store.clock.now()))


def persona_of_request() -> str | None:
    """Who a request is from: the logged-in persona, or the one whose identifier a form carries."""
    if session.get("persona_id"):
        return session["persona_id"]
    if request.method == "POST":
        try:
            form = request.form
        except HTTPException:  # a body too large or malformed: no one to name
            return None
        raw = form.get("provisional_id") if form.get("provisional") else form.get("nir")
        raw = raw or form.get("identifier")
        if raw:
            persona = mock().store.find_persona(normalize_nir(raw))
            return persona.id if persona else None
    return None


def is_safe_next(target: str | None) -> bool:
    """Only paths of this site: no scheme, no host, no protocol-relative trick."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if any(ord(char) < 32 for char in target) or "\\" in target:
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if current_persona() is None:
            flash(texts.LOGIN_REQUIRED, "info")
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper
