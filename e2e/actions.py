"""Every browser action and check a scenario makes is a step of its report, told in
French: "Je clique sur le bouton « Se connecter »", "Je vérifie que le texte
« Bonjour … » est visible".

Playwright Test records its API calls as steps by itself; Playwright for Python
has no such hook, so the harness wraps the methods a person's actions go through
(Locator's click, fill, check…, Page's goto, reload…, Keyboard's press, and every
``expect(…)`` assertion) once per test process. A wrapped call records itself into
the test's StepRecorder (e2e/steps.py) when one is active, and otherwise is the
plain call: outside a scenario nothing changes.

A step's words come from the locator itself: its role and accessible name, its
label or text, as the page objects located it (e2e/report_words.py says them).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any

from playwright import sync_api
from playwright.sync_api import APIResponse, Locator, Page

from . import report_words as words
from .steps import active, shown_address

VALUE_LENGTH = 80  # a longer value is cut in a step's text

_installed = False


def install() -> None:
    """Wrap the methods (once per process; idempotent)."""
    global _installed
    if _installed:
        return
    _installed = True
    for name in ("click", "dblclick", "tap", "fill", "clear", "press", "press_sequentially", "type",
                 "check", "uncheck", "set_checked", "select_option", "set_input_files", "hover", "focus"):
        _wrap(Locator, name, _locator_action(name))
    for name in ("goto", "go_back", "go_forward", "reload", "set_content"):
        _wrap(Page, name, _page_action(name))
    for name in ("press", "type", "insert_text"):
        _wrap(sync_api.Keyboard, name, _keyboard_action(name))
    for cls in (sync_api.LocatorAssertions, sync_api.PageAssertions, sync_api.APIResponseAssertions):
        for name in dir(cls):
            if name.startswith(("to_", "not_to_")):
                _wrap(cls, name, _check(name))
    expect_type = type(sync_api.expect)
    original_call = expect_type.__call__

    @functools.wraps(original_call)
    def call(self: Any, actual: Any, message: str | None = None) -> Any:
        assertions = original_call(self, actual, message)
        assertions._mc_subject = actual  # what the check is about, for its words
        return assertions

    expect_type.__call__ = call


Describe = Callable[..., tuple[str, "Locator | None", "Page | None"]]


def _wrap(cls: type, name: str, describe: Describe) -> None:
    original = getattr(cls, name)

    @functools.wraps(original)
    def recorded(self: Any, *args: Any, **kwargs: Any) -> Any:
        __tracebackhide__ = True  # a failure shows the scenario's line, not this one
        recorder = active()
        if recorder is None or recorder.busy:
            return original(self, *args, **kwargs)
        try:
            text, target, page = describe(self, *args, **kwargs)
        except Exception:  # words are never worth failing a test for
            text, target, page = name.replace("_", " "), None, None
        with recorder.action(text, target=target, page=page):
            return original(self, *args, **kwargs)

    setattr(cls, name, recorded)


# Actions ----------------------------------------------------------------------


def _locator_action(name: str) -> Describe:
    def describe(locator: Locator, *args: Any, **kwargs: Any) -> tuple[str, Locator, Page]:
        value = args[0] if args else next(iter(kwargs.values()), None)
        key = name
        if name == "set_checked":
            key = "check" if value else "uncheck"
        elif name == "fill" and value == "":
            key = "fill_empty"
        elif name == "select_option":
            value = value if value is not None else kwargs.get("label") or kwargs.get("index")
        text = words.ACTIONS[key].format(target=describe_locator(locator), value=quoted(value),
                                         key=key_name(value))
        return text, locator, locator.page
    return describe


def _page_action(name: str) -> Describe:
    def describe(page: Page, *args: Any, **kwargs: Any) -> tuple[str, None, Page]:
        url = args[0] if args else kwargs.get("url", "")
        return words.ACTIONS[name].format(address=shown_address(str(url))), None, page
    return describe


def _keyboard_action(name: str) -> Describe:
    def describe(keyboard: Any, *args: Any, **kwargs: Any) -> tuple[str, None, None]:
        value = args[0] if args else next(iter(kwargs.values()), "")
        return words.ACTIONS[f"keyboard_{name}"].format(key=key_name(value), value=quoted(value)), None, None
    return describe


def _check(name: str) -> Describe:
    negative = name.startswith("not_")
    base = name[4:] if negative else name
    affirmative_words, negative_words = words.PREDICATES.get(
        base, (base.replace("_", " "), "not " + base.replace("_", " ")))

    def describe(assertions: Any, *args: Any, **kwargs: Any) -> tuple[str, Locator | None, Page | None]:
        subject = getattr(assertions, "_mc_subject", None)
        expected = _expected(base, args, kwargs)
        predicate = (negative_words if negative else affirmative_words).format(value=expected)
        if isinstance(subject, Locator):
            text = words.CHECK.format(subject=describe_locator(subject), predicate=predicate)
            return text, subject, subject.page
        if isinstance(subject, Page):
            return words.CHECK.format(subject=words.PAGE_SUBJECT, predicate=predicate), None, subject
        if isinstance(subject, APIResponse):
            return words.CHECK.format(subject=words.RESPONSE_SUBJECT, predicate=predicate), None, None
        return words.CHECK.format(subject="?", predicate=predicate), None, None
    return describe


def _expected(base: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    if base == "to_have_attribute" and args:
        return f"{args[0]} = {quoted(args[1])}" if len(args) > 1 else str(args[0])
    if base == "to_have_css" and len(args) > 1:
        return f"{args[0]}: {quoted(args[1])}"
    if base == "to_have_js_property" and len(args) > 1:
        return f"{args[0]} = {quoted(args[1])}"
    if base == "to_have_count" and args:
        return str(args[0])
    value = args[0] if args else next((v for k, v in kwargs.items() if k in ("expected", "url_or_reg_exp",
                                                                            "title_or_reg_exp", "value", "name",
                                                                            "description", "role", "id")), None)
    return quoted(value)


# Words ----------------------------------------------------------------------------


def quoted(value: Any) -> str:
    """« value », cut if long; a list as « a » / « b »; a pattern as « /…/ »."""
    if value is None:
        return ""
    if isinstance(value, re.Pattern):
        value = f"/{value.pattern}/"
    if isinstance(value, (list, tuple)):
        return " / ".join(quoted(item) for item in value)
    text = str(value)
    if len(text) > VALUE_LENGTH:
        text = text[: VALUE_LENGTH - 1] + "…"
    return f"«{words.NBSP}{text}{words.NBSP}»"


def key_name(value: Any) -> str:
    return words.KEYS.get(str(value), str(value))


# A locator's words -----------------------------------------------------------------

_SELECTOR = re.compile(r"selector='(.*)'>$", re.S)
_QUOTED = r'"((?:[^"\\]|\\.)*)"[is]?'
_ROLE = re.compile(r"internal:role=([a-z]+)(.*)$")
_ROLE_NAME = re.compile(r"\[name=(?:" + _QUOTED + r"|/(.*?)/[a-z]*)\]")
_TEXTUAL = re.compile(r"internal:(label|text|has-text)=" + _QUOTED + r"$")
_ATTRIBUTE = re.compile(r"internal:(?:attr|testid)=\[([a-z-]+)=" + _QUOTED + r"\]$")
_NTH = re.compile(r"nth=(-?\d+)$")


def describe_locator(locator: Locator) -> str:
    """« le bouton « Se connecter » », « le champ « Mot de passe (8 à 64 caractères) » »…"""
    match = _SELECTOR.search(repr(locator))
    return describe_selector(match.group(1)) if match else words.ELEMENT.format(what="?")


def describe_selector(selector: str) -> str:
    parts = [part.strip() for part in selector.split(" >> ")]
    described: list[str] = []
    nth: int | None = None
    containing: str | None = None
    for part in parts:
        if (match := _NTH.match(part)):
            nth = int(match.group(1))
        elif (match := _TEXTUAL.match(part)) and match.group(1) == "has-text":
            containing = _unquote(match.group(2))
        else:
            described.append(_describe_part(part))
    target = described[-1] if described else words.ELEMENT.format(what="?")
    if containing is not None:
        target = words.CONTAINING.format(target=target, text=quoted(containing))
    if len(described) > 1:
        target = words.INSIDE.format(target=target, container=described[-2])
    if nth is not None:
        target = words.NTH.get(nth, words.NTH_OTHER).format(target=target, number=nth + 1)
    return target


def _describe_part(part: str) -> str:
    if (match := _ROLE.match(part)):
        role, rest = match.groups()
        noun = words.ROLES.get(role, words.ELEMENT.format(what=role))
        name = _ROLE_NAME.search(rest)
        if name is None:
            return noun
        text = _unquote(name.group(1)) if name.group(1) is not None else _readable_pattern(name.group(2))
        return f"{noun} {quoted(text)}"
    if (match := _TEXTUAL.match(part)):
        kind, text = match.group(1), _unquote(match.group(2))
        return (words.FIELD if kind == "label" else words.TEXT).format(name=quoted(text))
    if (match := _ATTRIBUTE.match(part)):
        attribute, text = match.group(1), _unquote(match.group(2))
        if attribute == "placeholder":
            return words.FIELD.format(name=quoted(text))
        if attribute == "alt":
            return words.IMAGE.format(name=quoted(text))
        return words.ELEMENT.format(what=quoted(text))
    return words.ELEMENT.format(what=part)


def _unquote(text: str) -> str:
    try:
        return json.loads(f'"{text}"')
    except ValueError:
        return text


def _readable_pattern(pattern: str) -> str:
    """A name given as a pattern, read as text: re.escape's backslashes and anchors gone."""
    text = re.sub(r"\\(.)", r"\1", pattern.replace(".*", "…"))
    return text.strip("^$")
