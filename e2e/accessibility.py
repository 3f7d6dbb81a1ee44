"""axe-core audits of a page: run them, sort what they find by impact, say it
plainly in a failure message, a report table and junit properties.

Critical and serious violations fail a test; moderate and minor ones are
reported only. Everything here but `audit` works on axe's plain result dicts,
so it is tested without a browser (tests/test_accessibility_report.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

_AXE = Axe()  # axe-core as shipped with axe-playwright-python
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")


@dataclass(frozen=True)
class PageAudit:
    """What axe found on one page."""

    name: str  # the tour's stop name, e.g. "moncompte-login"
    url: str
    violations: list[dict[str, Any]] = field(default_factory=list)
    passes: int = 0  # rules checked and passed
    incomplete: int = 0  # rules axe could not decide (to check by hand)

    @classmethod
    def from_axe(cls, name: str, url: str, response: dict[str, Any]) -> "PageAudit":
        return cls(
            name=name,
            url=url,
            violations=list(response.get("violations", [])),
            passes=len(response.get("passes", [])),
            incomplete=len(response.get("incomplete", [])),
        )

    def counts(self) -> dict[str, int]:
        """Violated rules per impact, every impact present (0 if none)."""
        counts = dict.fromkeys(IMPACTS, 0)
        for violation in self.violations:
            counts[impact_of(violation)] += 1
        return counts

    def blocking(self) -> list[dict[str, Any]]:
        return [violation for violation in self.violations if impact_of(violation) in BLOCKING]

    def property_value(self) -> str:
        """For junit.xml: "critical=0 serious=0 moderate=1 minor=0"."""
        return " ".join(f"{impact}={count}" for impact, count in self.counts().items())


def audit(page: Page, name: str) -> PageAudit:
    """Run axe-core on the page as it is showing now."""
    results = _AXE.run(page)
    return PageAudit.from_axe(name, page.url, results.response)


def impact_of(violation: dict[str, Any]) -> str:
    # axe leaves impact null on rules of no impact level; count them as the least.
    impact = violation.get("impact")
    return impact if impact in IMPACTS else "minor"


def selectors(violation: dict[str, Any]) -> list[str]:
    """The offending elements' CSS selectors; a path through frames or shadow roots joined by " >>> "."""
    found = []
    for node in violation.get("nodes", []):
        parts = [part if isinstance(part, str) else " >>> ".join(part) for part in node.get("target", [])]
        found.append(" >>> ".join(parts))
    return found


def failure_message(audits: list[PageAudit]) -> str:
    """Every critical or serious violation, one paragraph each: page, URL, rule, help, elements."""
    lines = []
    for page_audit in audits:
        for violation in page_audit.blocking():
            lines.append(
                f"{page_audit.name} ({page_audit.url}): {violation['id']} [{impact_of(violation)}] "
                f"{violation.get('help', '')} — {violation.get('helpUrl', '')}"
            )
            lines.extend(f"    {selector}" for selector in selectors(violation))
    if not lines:
        return ""
    count = sum(len(page_audit.blocking()) for page_audit in audits)
    pages = sum(1 for page_audit in audits if page_audit.blocking())
    return f"{count} critical or serious accessibility violation(s) on {pages} page(s):\n" + "\n".join(lines)


def summary_table(audits: list[PageAudit]) -> str:
    """The report's table: one row per page audited."""
    head = "".join(f"<th>{escape(title)}</th>" for title in (
        "Page", "URL", *IMPACTS, "passed rules", "to review", "violations"))
    rows = []
    for page_audit in audits:
        counts = page_audit.counts()
        rules = ", ".join(f"{violation['id']} ({impact_of(violation)})" for violation in page_audit.violations)
        cells = [page_audit.name, urlsplit(page_audit.url).path or "/",
                 *(str(counts[impact]) for impact in IMPACTS), str(page_audit.passes),
                 str(page_audit.incomplete), rules or "—"]
        rows.append("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in cells) + "</tr>")
    return (f'<table class="mc-table"><caption>axe-core</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
