"""What the control API accepts from a request, before any route reads it.

The control plane runs on developers' laptops beside their everyday browser, so
any page they visit can send it requests. A JSON call must say it is JSON (a
page cannot send `application/json` across origins without a CORS preflight,
which the mock never grants), and the body is parsed with bounds: no nesting
deep enough to exhaust the stack, no NaN or Infinity, no integer too long to
convert.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from flask import request

JSON_TYPE = "application/json"
# Deeper than any control body needs (a persona's credentials are 3 levels).
MAX_JSON_DEPTH = 20
# Of a whole number in a query or a form: every bound is under 10**18.
MAX_DIGITS = 18


class ControlError(Exception):
    """A request the control API refuses: a 4xx with {"error": message, "field": field}."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def _is_character_text(text: str) -> bool:
    """False for a lone surrogate ("\ud800"): valid JSON, but no character, and a
    stored one would break every UTF-8 answer showing it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_tree(body: Any) -> None:
    """Depth and text of every key and value, in one walk without recursion (at most 64 KiB)."""
    stack = [(body, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ControlError(400, f"the request body is nested more than {MAX_JSON_DEPTH} levels deep", "body")
        if isinstance(item, dict):
            texts = item.keys()
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            texts = ()
            stack.extend((child, depth + 1) for child in item)
        else:
            texts = (item,) if isinstance(item, str) else ()
        if not all(_is_character_text(text) for text in texts):
            raise ControlError(400, "the request body holds a lone surrogate (\\ud800-\\udfff), which is no "
                               "character", "body")


def parse_json(data: bytes) -> Any:
    """The JSON body, or ControlError naming what is wrong with it."""
    try:
        text = data.decode("utf-8")
        body = json.loads(text, parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise ControlError(400, "the request body is not UTF-8", "body") from None
    except RecursionError:
        raise ControlError(400, f"the request body is nested more than {MAX_JSON_DEPTH} levels deep", "body") from None
    except ValueError as problem:  # includes integers longer than Python converts
        raise ControlError(400, f"the request body is not valid JSON ({problem})", "body") from None
    _check_tree(body)
    return body


def json_body() -> dict[str, Any]:
    """The request's JSON object ({} when there is no body)."""
    data = request.get_data(cache=True)
    if not data:
        return {}
    if request.mimetype != JSON_TYPE:
        raise ControlError(415, f"send the body as {JSON_TYPE}, not {request.mimetype or 'without a type'}",
                         "Content-Type")
    body = parse_json(data)
    if not isinstance(body, dict):
        raise ControlError(400, "the request body must be a JSON object", "body")
    return body


def some_of(known: Collection[str], *, noun: str, ask: str) -> dict[str, Any]:
    """The request's JSON object, naming at least one of `known` and nothing else: `ask`
    says what to give when it is empty; an unknown name is refused as an unknown `noun`."""
    body = json_body()
    if not body:
        raise ControlError(422, ask, "body")
    unknown = sorted(set(body) - set(known))
    if unknown:
        raise ControlError(422, f"unknown {noun} (known: {', '.join(known)})", unknown[0])
    return body


def whole_number(name: str, value: str, low: int, high: int) -> int:
    """A query parameter or form field holding a whole number within [low, high]."""
    # Length first: int() of thousands of digits (leading zeros too) is slow, and refused past 4,300.
    if not (value.isascii() and value.isdigit()) or len(value) > MAX_DIGITS or not low <= int(value) <= high:
        raise ControlError(422, f"{name} must be a whole number from {low} to {high}", name)
    return int(value)


TRUE_WORDS = ("true", "1")
FALSE_WORDS = ("false", "0")


def yes_or_no(name: str, value: str) -> bool:
    """A query parameter holding a boolean: true/false (any case) or 1/0."""
    word = value.lower()
    if word not in TRUE_WORDS + FALSE_WORDS:
        raise ControlError(422, f"{name} must be true or false (or 1 or 0), not {value!r}", name)
    return word in TRUE_WORDS
