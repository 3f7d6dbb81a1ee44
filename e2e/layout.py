"""Layout checks for small screens, run inside the page.

`layout_problems(page)` returns what a person on a phone would trip over:
- the page scrolls sideways, or a visible heading, paragraph, label, field,
  button or link sticks out of the viewport;
- a tap target (button, link, field, checkbox or its label, summary) is
  smaller than 24×24 CSS px (WCAG 2.2, 2.5.8 Target Size (Minimum)); links
  inside a sentence are exempt, as WCAG says;
- a tap target, scrolled into view, is not what a tap at its centre hits
  (`document.elementFromPoint`): something covers it.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

# WCAG 2.2 success criterion 2.5.8: 24 by 24 CSS pixels.
MIN_TARGET = 24

_CHECKS = r"""
({ width, minTarget }) => {
  const problems = [];
  const SLACK = 0.5;  // sub-pixel rounding of fractional layouts
  const root = document.documentElement;
  const viewport = Math.min(window.innerWidth, width);

  const role = (el) => {
    const explicit = el.getAttribute("role");
    if (explicit) return explicit;
    const tag = el.tagName.toLowerCase();
    if (/^h[1-6]$/.test(tag)) return "heading";
    if (tag === "input") {
      const type = (el.getAttribute("type") || "text").toLowerCase();
      return { checkbox: "checkbox", radio: "radio", submit: "button", button: "button", reset: "button" }[type] || "textbox";
    }
    return { a: "link", button: "button", select: "combobox", textarea: "textbox", p: "paragraph",
             label: "label", summary: "summary", legend: "legend", li: "listitem", dt: "term", dd: "definition" }[tag] || tag;
  };

  const name = (el) => {
    const text = (s) => (s || "").replace(/\s+/g, " ").trim();
    if (el.getAttribute("aria-label")) return text(el.getAttribute("aria-label"));
    const ids = el.getAttribute("aria-labelledby");
    if (ids) return text(ids.split(/\s+/).map((id) => document.getElementById(id)?.innerText).join(" "));
    if (el.labels && el.labels.length) return text(el.labels[0].innerText);
    return text(el.innerText || el.value || el.getAttribute("alt") || el.getAttribute("title")).slice(0, 80);
  };

  const box = (r) => ({ x: Math.round(r.left + window.scrollX), y: Math.round(r.top + window.scrollY),
                        width: Math.round(r.width), height: Math.round(r.height) });

  // Not shown to a sighted person on purpose: display/visibility/opacity, the
  // "visually hidden" 1 px pattern, or a skip link parked outside the page
  // until it gets focus (absolutely placed beyond the left or top edge).
  const shown = (el) => {
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) return false;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;
    const style = getComputedStyle(el);
    if (style.clipPath.startsWith("inset(50%") || /^rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)$/.test(style.clip)) return false;
    const parked = r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0;
    if (parked && (style.position === "absolute" || style.position === "fixed")) return false;
    return true;
  };

  const report = (el, what, r) => problems.push({ role: role(el), name: name(el), what, box: box(r) });

  if (root.scrollWidth > viewport) {
    problems.push({ role: "document", name: document.title,
                    what: `scrolls sideways: ${root.scrollWidth} px wide in a ${viewport} px viewport`,
                    box: { x: 0, y: 0, width: root.scrollWidth, height: root.scrollHeight } });
  }

  // 1. Nothing cut off.
  const content = "h1, h2, h3, h4, h5, h6, p, label, legend, dt, dd, li, input, select, textarea, button, a[href], summary";
  for (const el of document.querySelectorAll(content)) {
    if (el.type === "hidden" || !shown(el)) continue;
    const r = el.getBoundingClientRect();
    const left = r.left + window.scrollX, right = r.right + window.scrollX;
    if (left < -SLACK || right > viewport + SLACK) {
      report(el, `sticks out of the ${viewport} px viewport (${Math.round(left)} to ${Math.round(right)})`, r);
    }
  }

  // 2. Tap targets: big enough, and the element a tap at their centre hits.
  const isToggle = (el) => el.type === "checkbox" || el.type === "radio";

  // A link inside a sentence: its block holds words of its own besides the link.
  const inSentence = (el) => {
    if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    if (!block) return false;
    const around = block.innerText.replace(el.innerText, "");
    return /[\p{L}\p{N}]/u.test(around);
  };

  // Where a tap lands: the centre of the largest line box (a wrapped link's
  // bounding box can be centred on the gap between its lines).
  const centre = (el) => {
    const rects = [...el.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
    const r = rects.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a), rects[0]);
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  };

  const hits = (el, hit) => {
    if (!hit) return false;
    if (hit === el || el.contains(hit)) return true;
    if (el.labels) for (const label of el.labels) if (label === hit || label.contains(hit)) return true;
    if (hit.tagName === "LABEL" && hit.control === el) return true;
    return false;
  };

  const targets = "a[href], button, input, select, textarea, summary, [role=button], [role=link]";
  const saved = { x: window.scrollX, y: window.scrollY };
  for (const el of document.querySelectorAll(targets)) {
    if (el.type === "hidden") continue;
    // A custom checkbox may hide the box itself and show its label instead.
    const faces = [el, ...(isToggle(el) && el.labels ? el.labels : [])].filter(shown);
    if (!faces.length) continue;
    const face = faces[0];
    const r = face.getBoundingClientRect();
    const big = faces.some((f) => {
      const b = f.getBoundingClientRect();
      return b.width >= minTarget - SLACK && b.height >= minTarget - SLACK;
    });
    if (!big && !inSentence(el)) {
      report(el, `tap target ${Math.round(r.width)}×${Math.round(r.height)} px, under ${minTarget}×${minTarget}`, r);
    }
    face.scrollIntoView({ block: "center", inline: "nearest", behavior: "instant" });
    const { x, y } = centre(face);
    const hit = document.elementFromPoint(x, y);
    if (!hits(el, hit)) {
      const cover = hit ? `${hit.tagName.toLowerCase()}${hit.id ? "#" + hit.id : ""}${hit.className && typeof hit.className === "string" ? "." + hit.className.trim().split(/\s+/).join(".") : ""}` : "nothing";
      report(el, `covered: a tap at its centre hits ${cover}`, face.getBoundingClientRect());
    }
  }
  window.scrollTo({ left: saved.x, top: saved.y, behavior: "instant" });
  return problems;
}
"""


@dataclass(frozen=True)
class Problem:
    where: str  # the page, e.g. "moncompte-login"
    role: str
    name: str
    what: str
    box: dict[str, int]

    def __str__(self) -> str:
        b = self.box
        return f"{self.where}: {self.role} {self.name!r}: {self.what} [x={b['x']} y={b['y']} {b['width']}×{b['height']}]"


def layout_problems(page: Page, where: str) -> list[Problem]:
    """What is cut off, too small to tap or covered on the page as it shows now."""
    width = page.viewport_size["width"] if page.viewport_size else 10**6
    found = page.evaluate(_CHECKS, {"width": width, "minTarget": MIN_TARGET})
    return [Problem(where, **item) for item in found]


def describe(problems: list[Problem]) -> str:
    """One line per problem, for an assertion message a person can act on."""
    return f"{len(problems)} layout problem(s):\n" + "\n".join(f"  - {problem}" for problem in problems)
