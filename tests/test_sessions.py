"""Server-side sessions when requests of one browser overlap (a page and its stylesheets)."""

from __future__ import annotations

from datetime import timedelta

from flask import request

from mock_server.sites import SiteDispatcher


def test_a_request_that_changes_nothing_does_not_undo_one_served_meanwhile(mock_app: SiteDispatcher) -> None:
    app = mock_app.sites["moncompte"]
    interface, store = app.session_interface, mock_app.store
    sid = store.new_session_id()
    store.save_session(sid, {"flow:reset": {"persona_id": "known"}})
    cookie = f"{interface.get_cookie_name(app)}={sid}"

    with app.test_request_context("/static/style.css", headers={"Cookie": cookie}):
        stylesheet = interface.open_session(app, request)  # loaded first, answered last
        with app.test_request_context("/mot-de-passe-oublie", method="POST", headers={"Cookie": cookie}):
            form = interface.open_session(app, request)
            form["flow:reset"] = {"persona_id": None}
            interface.save_session(app, form, app.response_class())
        interface.save_session(app, stylesheet, app.response_class())

    assert store.load_session(sid) == {"flow:reset": {"persona_id": None}}


def test_a_request_that_changes_nothing_still_restarts_the_idle_timer(mock_app: SiteDispatcher) -> None:
    app = mock_app.sites["moncompte"]
    interface, store = app.session_interface, mock_app.store
    sid = store.new_session_id()
    store.save_session(sid, {"user": "someone"})
    cookie = f"{interface.get_cookie_name(app)}={sid}"

    store.clock.advance(timedelta(minutes=20))
    with app.test_request_context("/static/style.css", headers={"Cookie": cookie}):
        interface.save_session(app, interface.open_session(app, request), app.response_class())
    store.clock.advance(timedelta(minutes=20))

    assert store.load_session(sid) == {"user": "someone"}
