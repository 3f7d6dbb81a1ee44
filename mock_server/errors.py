"""Error pages for people, JSON errors for the control API: never a traceback."""

from __future__ import annotations

from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from . import texts

# What an HTML form sends: its sender is a person at a page, who gets a page back.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

PAGES = {
    400: ("bad_request_title", "bad_request_text"),
    403: ("forbidden_title", "forbidden_text"),
    404: ("not_found_title", "not_found_text"),
    405: ("method_title", "method_text"),
    421: ("wrong_host_title", "wrong_host_text"),
    500: ("server_title", "server_text"),
    504: ("timeout_title", "server_text"),
}


def wants_json() -> bool:
    """The control API answers programs in JSON; its pages' forms get a page."""
    return request.path.startswith("/__mock__") and request.mimetype not in FORM_TYPES


def error_response(status: int, title: str, text: str, json_message: str) -> tuple[Response | str, int]:
    if wants_json():
        from .control import json_error

        return json_error(status, json_message)
    return render_template("error.html", title=title, text=text, status=status), status


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return error_response(400, texts.ERRORS["csrf_title"], texts.ERRORS["csrf_text"], error.description)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        title_key, text_key = PAGES.get(status, PAGES[400] if status < 500 else PAGES[500])
        response = error_response(status, texts.ERRORS[title_key], texts.ERRORS[text_key], error.description or error.name)
        if status == 405:  # werkzeug's own response, which carries the Allow header
            allow = error.get_response().headers.get("Allow")
            if allow:
                return response[0], status, {"Allow": allow}
        return response

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        app.logger.exception("unexpected error on %s %s", request.method, request.path)
        return http_error(InternalServerError())
