"""The accessibility audit's bookkeeping (e2e/accessibility.py), on axe-shaped dicts: no browser."""

from __future__ import annotations

from e2e.accessibility import PageAudit, failure_message, selectors, summary_table


def violation(rule: str, impact: str | None, *targets: object, help_text: str = "Help") -> dict:
    return {
        "id": rule,
        "impact": impact,
        "help": help_text,
        "helpUrl": f"https://dequeuniversity.com/rules/axe/{rule}",
        "nodes": [{"target": list(target) if isinstance(target, tuple) else [target]} for target in targets],
    }


LOGIN_URL = "http://moncompte.localhost:4242/connexion?next=/mon-compte/"


def login_audit(*violations: dict) -> PageAudit:
    response = {"violations": list(violations), "passes": [{"id": "p"}] * 30, "incomplete": [{"id": "i"}]}
    return PageAudit.from_axe("moncompte-login", LOGIN_URL, response)


def test_counts_every_impact_and_only_critical_and_serious_block() -> None:
    page_audit = login_audit(
        violation("color-contrast", "serious", ".hint"),
        violation("region", "moderate", "p"),
        violation("label", "critical", "#nir"),
        violation("heading-order", "moderate", "h3"),
        violation("odd-rule", None, "div"),
    )
    assert page_audit.counts() == {"critical": 1, "serious": 1, "moderate": 2, "minor": 1}
    assert [v["id"] for v in page_audit.blocking()] == ["color-contrast", "label"]
    assert page_audit.property_value() == "critical=1 serious=1 moderate=2 minor=1"
    assert (page_audit.passes, page_audit.incomplete) == (30, 1)


def test_no_failure_message_without_critical_or_serious_violation() -> None:
    assert failure_message([login_audit(violation("region", "moderate", "p")), login_audit()]) == ""


def test_failure_message_names_page_url_rule_impact_help_and_elements() -> None:
    message = failure_message([
        login_audit(violation("color-contrast", "serious", ".hint", ".idp-button", help_text="Contrast too low")),
        PageAudit.from_axe("moncompte-home", "http://moncompte.localhost:4242/", {"violations": []}),
    ])
    assert message.splitlines() == [
        "1 critical or serious accessibility violation(s) on 1 page(s):",
        f"moncompte-login ({LOGIN_URL}): color-contrast [serious] Contrast too low"
        " — https://dequeuniversity.com/rules/axe/color-contrast",
        "    .hint",
        "    .idp-button",
    ]


def test_selectors_through_frames_and_shadow_roots() -> None:
    found = selectors(violation("label", "critical", "#nir", ("iframe", "#code"), (("my-widget",), "input")))
    assert found == ["#nir", "iframe >>> #code", "my-widget >>> input"]


def test_summary_table_has_one_escaped_row_per_page() -> None:
    table = summary_table([
        login_audit(violation("region", "moderate", "p"), violation("color-contrast", "serious", "a")),
        PageAudit.from_axe("<script>", "http://moncompte.localhost:4242/a?b=<c>", {"violations": []}),
    ])
    assert table.startswith('<table class="mc-table">')
    assert table.count("<tr>") == 3  # the head and two pages
    assert ("<tr><td>moncompte-login</td><td>/connexion</td><td>0</td><td>1</td><td>1</td><td>0</td>"
            "<td>30</td><td>1</td><td>region (moderate), color-contrast (serious)</td></tr>") in table
    assert "<script>" not in table and "&lt;script&gt;" in table
    assert "<td>/a</td>" in table and "<td>—</td>" in table
