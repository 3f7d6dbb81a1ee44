"""The hands-on client page's routes (client_page.py) in the control API's OpenAPI
description: pages for a person, described as the dashboard's are."""

from __future__ import annotations

from ..oidc.claims import SCOPE_CLAIMS
from .api_description import (FORM_POST, GUARDED, Schema, error, form, form_request, ok, operation, path_parameter,
                              query, see_other, string)
from .client_page import MAX_LENGTHS, PROMPTS

TAG = "dashboard"


def client_page_paths() -> dict[str, Schema]:
    sign_in = form({
        "scope": {"anyOf": [string(), {"type": "array", "items": string()}],
                  "description": f"ticked scopes (FranceConnect's: {', '.join(SCOPE_CLAIMS)}); others are sent with a warning"},
        **{name: string(maxLength=limit) for name, limit in MAX_LENGTHS.items()},
        "prompt": string(enum=list(PROMPTS)),
        "pkce": string(description="on: send a code_challenge (S256)"),
        "confirm": string(description="1: send values the page warned about"),
    })
    answer = [query(name, string(), f"FranceConnect's {name}") for name in
              ("code", "state", "iss", "error", "error_description")]
    return {
        "/__mock__/client": {
            "get": operation("clientPage", TAG, "The hands-on client page: a sign-in form (HTML)", {
                "200": ok("The page", html=True), **GUARDED}),
            "post": operation("clientPageSignIn", TAG, "Sign in with the mock FranceConnect (the page's form)", {
                "303": see_other("Off to FranceConnect's /authorize"),
                "422": error("A value cannot be sent, or one needs confirming: the form again", html=True),
                **FORM_POST}, requestBody=form_request(sign_in)),
        },
        "/__mock__/client/callback": {
            "get": operation("clientPageCallback", TAG, "FranceConnect's redirect back (redirect_uri)", {
                "303": see_other("The code exchanged: the result"),
                "400": error("No login of this browser has this state: a page", html=True), **GUARDED},
                parameters=answer),
        },
        "/__mock__/client/result/{result_id}": {
            "get": operation("clientPageResult", TAG, "A login's result: checks, decoded tokens, HTTP calls (HTML)", {
                "200": ok("The page", html=True),
                "404": error("No such result for this browser: a page", html=True), **GUARDED},
                parameters=[path_parameter("result_id", string(), "as the callback's redirect names it")]),
        },
        "/__mock__/client/logged-out": {
            "get": operation("clientPageLoggedOut", TAG, "Back from FranceConnect's end_session_endpoint (HTML)", {
                "200": ok("The page, with the state's check", html=True), **GUARDED},
                parameters=[query("state", string(), "the state sent to end_session_endpoint")]),
        },
    }
