"""The terminal report: what fits, why, what to do next, and what does not fit."""

from __future__ import annotations

import textwrap

from rich.console import Console
from rich.text import Text

from advisor.contract.result import ExplainedResult, ExplainedRuleResult
from advisor.errors import visible

HEADINGS = {
    "recommended": ("Recommended for you", "bold green"),
    "possible": ("Also open to you", "bold cyan"),
    "undecided": ("Needs more answers", "bold yellow"),
    "not_eligible": ("Not eligible now", "bold red"),
    "not_offered": ("Not offered at this date", "dim"),
}
INDENT = 2


class _Page:
    """Text wrapped to the terminal's width, with hanging indents under list markers.

    Wrapping is done here (textwrap) and rich only colours: nested rich tables gave the same
    layout at a tenth of the speed.
    """

    def __init__(self, width: int):
        self.width = max(width, 40)
        self.text = Text()

    def para(self, text: str, style: str = "", indent: int = INDENT, marker: str = "") -> None:
        first = " " * indent + (marker + " " if marker else "")
        rest = " " * len(first)
        for line in textwrap.wrap(text, self.width, initial_indent=first, subsequent_indent=rest) or [first]:
            self.text.append(line + "\n", style)

    def items(self, title: str, items: list[str], marker: str = "-", style: str = "") -> None:
        if not items:
            return
        self.text.append(" " * INDENT + title + "\n", "bold")
        for i, item in enumerate(items, 1):
            self.para(item, style, 2 * INDENT, f"{i}." if marker == "#" else marker)


def _sources(advice: ExplainedRuleResult) -> list[str]:
    return [s.title + (f" <{s.url}>" if s.url else "") + f" [{s.status}]" for s in advice.sources]


def _next_call(page: _Page, advice: ExplainedRuleResult) -> None:
    if advice.next_call_says:
        page.para(advice.next_call_says + (f" <{advice.next_call.page}>" if advice.next_call.page else ""),
                  "bold yellow")


def _detailed(page: _Page, advice: ExplainedRuleResult) -> None:
    page.para(advice.summary, "italic")
    _next_call(page, advice)
    page.items("Why", advice.reasons)
    if advice.collaborations and len(advice.collaborations) > 1:
        page.items("Per partnership", [f"{c.partner_country or 'partner'} (#{c.index}): "
                                       f"{c.verdict.replace('_', ' ')}" for c in advice.collaborations])
    facts = advice.key_facts
    for label, value in (("Duration", facts.duration), ("Funding", facts.funding), ("Calendar", facts.calendar),
                         ("Who applies", facts.who_applies)):
        if value:
            page.para(f"{label}: {value}")
    page.items("Next steps", advice.next_steps, "#")
    page.items("Check", advice.checklist, "[ ]")
    page.items("Sources", _sources(advice), style="dim")


def _brief(page: _Page, advice: ExplainedRuleResult) -> None:
    for reason in advice.reasons:
        page.para(reason, marker="-")
    _next_call(page, advice)
    if advice.counterfactual:
        page.para(advice.counterfactual.text, "green", marker="→")


def render_text(result: ExplainedResult, console: Console) -> None:
    """Print one profile's advice."""
    page = _Page(console.width)
    who = result.profile.name or result.profile.source or "this profile"
    page.text.append(f"Advice for {visible(who)}", "bold")  # a file name can hold terminal codes
    page.text.append(f" — as of {result.as_of.isoformat()} ")
    page.text.append(f"(rulebase {result.rulebase.version}, engine {result.engine})\n", "dim")
    for warning in result.warnings:
        page.para(f"warning: {warning}", "yellow", 0)
    if result.path:
        titles = {a.id: a.title for a in result.results}
        page.para("Your path: " + " → ".join(titles[i] for i in result.path), indent=0)
    for verdict, (heading, style) in HEADINGS.items():
        group = [a for a in result.results if a.verdict == verdict]
        if not group:
            continue
        page.text.append(f"\n{heading} ({len(group)})\n", style)
        for advice in group:
            page.text.append("• ", style)
            page.text.append(advice.title, "bold")
            page.text.append(f"  [{advice.id}]\n", "dim")
            (_detailed if verdict in ("recommended", "possible") else _brief)(page, advice)
    console.print(page.text, end="", soft_wrap=True)
