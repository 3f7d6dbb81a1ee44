"""The report's HTML fragments: Jinja templates in e2e/templates/report/, beside the
tutorial's, escaped by Jinja. What is already HTML (a block inside another) is passed
as ``Markup``."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from .. import report_words as words
from ..steps import shown_address

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "report"


class _OneLineLoader(FileSystemLoader):
    """Templates are laid out on several lines for people; the fragments go inside
    pytest-html's <div>s, where line breaks between tags would only add space. The
    template's own lines are joined; the values put in them are left as they are."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        return "".join(line.strip() for line in source.splitlines()), filename, uptodate


@functools.cache
def _environment() -> Environment:
    environment = Environment(loader=_OneLineLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                              undefined=StrictUndefined)
    environment.globals.update(words=words, address=shown_address)
    return environment


def render(name: str, **context: Any) -> str:
    return _environment().get_template(name).render(**context)


def html(text: str) -> Markup:
    """A block already rendered, to go inside another as it is."""
    return Markup(text)
