"""Server-side sessions for Flask, kept in the mock's store.

The cookie holds only a random id. Logging out deletes the server copy, so a
replayed cookie finds nothing; logging in issues a new id (no session
fixation). Idle sessions expire on the mock clock.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response
from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from .store import MemoryStore


class StoreSession(CallbackDict, SessionMixin):
    def __init__(self, initial: dict[str, Any] | None, sid: str, *, new: bool) -> None:
        def on_update(self: StoreSession) -> None:
            self.modified = True

        super().__init__(initial or {}, on_update)
        self.sid = sid
        self.new = new
        self.modified = False
        self.rotate = False
        self.destroyed = False

    def regenerate(self) -> None:
        """Keep the data under a new id (call at login)."""
        self.rotate = True
        self.modified = True

    def destroy(self) -> None:
        """Forget the session on the server and in the browser (call at logout)."""
        self.clear()
        self.destroyed = True


class StoreSessionInterface(SessionInterface):
    def __init__(self, store: MemoryStore) -> None:
        self.store = store

    def open_session(self, app: Flask, request: Request) -> StoreSession:
        sid = request.cookies.get(self.get_cookie_name(app))
        if sid:
            data = self.store.load_session(sid)
            if data is not None:
                return StoreSession(data, sid, new=False)
        return StoreSession(None, self.store.new_session_id(), new=True)

    def save_session(self, app: Flask, session: StoreSession, response: Response) -> None:  # type: ignore[override]
        name = self.get_cookie_name(app)
        cookie = dict(
            domain=self.get_cookie_domain(app),
            path=self.get_cookie_path(app),
            secure=self.get_cookie_secure(app),
            httponly=self.get_cookie_httponly(app),
            samesite=self.get_cookie_samesite(app),
        )
        if session.accessed:
            response.vary.add("Cookie")
        if session.destroyed or (not session and not session.new):
            self.store.delete_session(session.sid)
            response.delete_cookie(name, **cookie)
            return
        if not session:
            return
        if session.rotate:
            self.store.delete_session(session.sid)
            session.sid = self.store.new_session_id()
        if session.modified or session.new or session.rotate:
            self.store.save_session(session.sid, dict(session))
        else:
            # Every visit restarts the idle timer, but a request that changed
            # nothing (a stylesheet, a page read) must not write back the copy it
            # loaded: a request served at the same time may have changed it since.
            self.store.touch_session(session.sid)
        if session.new or session.rotate:
            # No expiry: the cookie lives as long as the browser session.
            response.set_cookie(name, session.sid, **cookie)
