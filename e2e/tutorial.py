"""The illustrated tutorial: the help page's sections, each step with its fresh screenshot.

Built at the end of ``make tutorial`` from the parts the tutorial scenarios wrote
(see e2e/plugin/tutorial.py): one self-contained HTML file, images inlined, that opens
offline and reads on a phone.
"""

from __future__ import annotations

import base64
import json
import struct
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from fixtures import guide

from .steps import shown_address

TEMPLATES = Path(__file__).parent / "templates"
PARTS = ".parts"  # under the tutorial folder: one JSON file per tutorial test, written by e2e/plugin/tutorial.py


@dataclass
class Journey:
    title: str
    nodeid: str
    passed: bool
    position: int
    steps: list[dict[str, Any]]


@dataclass
class SectionView:
    section: guide.Section
    journeys: list[Journey] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.journeys) and all(
            journey.passed and journey.steps and all(step["screenshot"] for step in journey.steps)
            for journey in self.journeys
        )


def read_parts(folder: Path) -> list[SectionView]:
    """The parts, grouped by section in the help page's order, journeys in collection order."""
    views = {section.key: SectionView(section) for section in guide.SECTIONS}
    for path in sorted((folder / PARTS).glob("*.json")):
        part = json.loads(path.read_text(encoding="utf-8"))
        views[part["section"]].journeys.append(Journey(
            title=part.get("journey", ""), nodeid=part["nodeid"], passed=part["passed"],
            position=part.get("position", 0), steps=part["steps"],
        ))
    for view in views.values():
        view.journeys.sort(key=lambda journey: (journey.position, journey.nodeid))
    return list(views.values())


def png_size(encoded: str) -> tuple[int, int] | None:
    """Width and height from a base64 PNG's header: the page reserves each picture's
    room before it is decoded, so a link to a section lands where it should."""
    header = base64.b64decode(encoded[:44] + "=" * (-len(encoded[:44]) % 4))
    if len(header) < 24 or header[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", header[16:24])


MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def french_date(moment: datetime) -> str:
    """4 décembre 2026."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def caption(step: dict[str, Any]) -> str:
    """What the page is, in its own French title, else where it is."""
    return step.get("page_title") or shown_address(step.get("url", ""))


def render(sections: list[SectionView], *, generated_at: datetime, version: str = "") -> str:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    environment.filters["caption"] = caption
    environment.filters["png_size"] = png_size
    return environment.get_template("tutorial.html").render(
        sections=sections, intro=guide.WHERE.intro, generated_on=french_date(generated_at), version=version,
    )


def build_tutorial(folder: Path, *, sections: list[SectionView] | None = None, version: str = "") -> Path:
    """Write folder/index.html from folder/.parts (or from `sections` already read
    from them), then remove the parts; returns the page's path."""
    if sections is None:
        sections = read_parts(folder)
    target = folder / "index.html"
    target.write_text(render(sections, generated_at=datetime.now(timezone.utc), version=version), encoding="utf-8")
    for path in (folder / PARTS).glob("*.json"):
        path.unlink()
    (folder / PARTS).rmdir()
    return target


def missing_sections(sections: list[SectionView]) -> list[str]:
    return [view.section.title for view in sections if not view.complete]
