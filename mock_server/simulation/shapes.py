"""Answers of the wrong shape, written by a site over its own answer (WireMock's
MALFORMED_RESPONSE_CHUNK and a body cut short).

The route runs as usual (what it does, it has done: a token call's code is
spent), then its answer goes out broken:

- malformed_body: the route's status, headers and content type, and the first
  half of its body, with a Content-Length that says so: a whole HTTP answer whose
  body does not parse (JSON or a JWT cut in the middle; half an HTML page).
- truncated_body: the same half, but the Content-Length of the whole body;
  waitress sends what it has and closes the connection ("application returned
  too few bytes" in its log): the client sees the answer end early.

An empty reply (no status line at all) is not here: a WSGI application cannot
produce it, waitress writes a status line (a 500 if the application fails before
its headers). The mock's HTTP client meets it on the bad network instead.
"""

from __future__ import annotations

from flask import Response

KINDS = ("malformed_body", "truncated_body")


def misshape(response: Response, kind: str) -> Response:
    if response.status_code in (204, 304) or 100 <= response.status_code < 200:
        return response  # no body to break
    response.direct_passthrough = False  # a static file's stream, read whole here
    body = response.get_data()
    half = body[: len(body) // 2]
    response.set_data(half)
    if kind == "truncated_body":
        # Set after set_data, which counts what is sent: waitress keeps the header it is given.
        response.headers["Content-Length"] = str(len(body))
    return response
