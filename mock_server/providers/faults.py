"""Identity providers that fail at the token endpoint, by persona.

A persona's `fc_error` travels in the grant's context (set at login); when
FranceConnect exchanges the code, the provider answers as a broken server
would. FranceConnect must show its own error page, whatever the provider did.
"""

from __future__ import annotations

import threading

from flask import Response

from ..context import mock
from ..oidc.state import Grant

# How much longer than FranceConnect's patience a timing-out provider stalls.
TIMEOUT_MARGIN_SECONDS = 2.0

INTERNAL_ERROR_PAGE = (
    "<!doctype html><html><head><title>500 Internal Server Error</title></head>"
    "<body><h1>Internal Server Error</h1></body></html>"
)
UNAVAILABLE_PAGE = (
    "<!doctype html><html><head><title>503 Service Unavailable</title></head>"
    "<body><h1>Service Unavailable</h1></body></html>"
)
GATEWAY_TIMEOUT_PAGE = (
    "<!doctype html><html><head><title>504 Gateway Timeout</title></head>"
    "<body><h1>Gateway Timeout</h1></body></html>"
)
RETRY_AFTER_SECONDS = 120


def token_fault(grant: Grant) -> Response | None:
    """The broken answer to a token request for this grant, or None for the normal one."""
    fault = grant.context.get("fc_error")
    if fault == "idp_500":
        return Response(INTERNAL_ERROR_PAGE, 500, content_type="text/html; charset=utf-8")
    if fault == "idp_503":
        return Response(UNAVAILABLE_PAGE, 503, content_type="text/html; charset=utf-8",
                        headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    if fault == "idp_timeout":
        # Blocks this worker thread only; FranceConnect gives up before the end.
        threading.Event().wait(mock().config.upstream_timeout_seconds + TIMEOUT_MARGIN_SECONDS)
        return Response(GATEWAY_TIMEOUT_PAGE, 504, content_type="text/html; charset=utf-8")
    return None
