"""What a test is called in the reports and where it is filed: in French, by the
help page's sections, then the simulation, accessibility and mobile suites.

A scenario's title is its ``title`` marker (``@pytest.mark.title("Je me connecte …")``,
``{case.name}`` filled from its parameters); a test without one is shown by its name.
Its place is its tutorial section if it illustrates one, else its suite's marker.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pytest

from fixtures import guide

from . import report_words as words

SCENARIOS_FOLDER = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Group:
    title: str
    markers: tuple[str, ...]


# In the reports' order: the help page's sections first, as guide.SECTIONS has them.
GROUPS: tuple[Group, ...] = (
    Group(guide.WHERE.title, ("help",)),
    Group(guide.LOGIN.title, ("login", "bad_nir", "remember_me", "lockout", "signup")),
    Group(guide.FORGOT.title, ("reset",)),
    Group(guide.FRANCECONNECT.title, ("franceconnect",)),
    Group(guide.LOGOUT.title, ("logout",)),
    Group(words.OTHER_GROUPS["simulation"], ("simulation", "security")),
    Group(words.OTHER_GROUPS["a11y"], ("a11y",)),
    Group(words.OTHER_GROUPS["mobile"], ("mobile",)),
)
HARNESS = Group(words.OTHER_GROUPS["harness"], ())
FAST = Group(words.OTHER_GROUPS["fast"], ())
ORDER: tuple[str, ...] = tuple(group.title for group in (*GROUPS, HARNESS, FAST))
_BY_SECTION = {section.key: section.title for section in guide.SECTIONS}


def is_scenario(item: pytest.Item) -> bool:
    """A browser scenario of the e2e suites (not a fast test of the mock)."""
    return _in_scenarios_folder(str(item.path))


@functools.lru_cache(maxsize=None)
def _in_scenarios_folder(path: str) -> bool:  # asked at every report of every test: once per file
    return SCENARIOS_FOLDER in Path(path).resolve().parents


def title(item: pytest.Item) -> str:
    marker = item.get_closest_marker("title")
    if marker is None or not marker.args:
        return item.name
    text = str(marker.args[0])
    callspec = getattr(item, "callspec", None)
    try:
        return text.format(**callspec.params) if callspec is not None else text
    except (KeyError, AttributeError, IndexError, ValueError) as error:
        raise pytest.UsageError(f"{item.nodeid}: its title marker cannot be filled in: {error!r}") from error


def group(item: pytest.Item) -> tuple[str, str]:
    """(group, sub-group): "Comment me connecter à Mon Compte ?", "Numéro de sécurité sociale erroné"."""
    if not is_scenario(item):
        return FAST.title, Path(str(item.path)).stem
    names = [mark.name for mark in item.iter_markers()]
    story = next((words.SUITES[name] for name in names if name in words.SUITES), "")
    tutorial = item.get_closest_marker("tutorial")
    if tutorial is not None and tutorial.args and tutorial.args[0] in _BY_SECTION:
        return _BY_SECTION[tutorial.args[0]], story
    for candidate in GROUPS:
        if any(name in candidate.markers for name in names):
            return candidate.title, story
    return HARNESS.title, story


def rank(group_title: str) -> int:
    """Where a group comes in the reports."""
    return ORDER.index(group_title) if group_title in ORDER else len(ORDER)
