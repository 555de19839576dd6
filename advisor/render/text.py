"""The terminal report: what fits, why, what to do next, and what does not fit."""

from __future__ import annotations

import datetime as dt
import textwrap

from rich.console import Console
from rich.text import Text

from advisor.contract.catalogue import Catalogue
from advisor.contract.result import ExplainedResult, ExplainedRuleResult
from advisor.contract.words import SOURCE_STATUS
from advisor.errors import visible
from advisor.render.short import (
    VERDICT_HEADINGS,
    VERDICT_WORDS,
    ShortAnswer,
    short_answer,
)

STYLES = {"recommended": "bold green", "possible": "bold cyan", "undecided": "bold yellow",
          "not_eligible": "bold red", "not_offered": "dim"}
HEADINGS = {verdict: (heading, STYLES[verdict]) for verdict, heading in VERDICT_HEADINGS.items()}
MARKS = {"recommended": "✓", "possible": "○", "undecided": "?", "not_eligible": "✗", "not_offered": "–"}
DETAILS_HINT = "Add --details for the reasons, next steps, official pages and sources of each."
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
    return [s.title + (f" <{s.url}>" if s.url else "") + f" [{SOURCE_STATUS[s.status]}]" for s in advice.sources]


def _next_call(page: _Page, advice: ExplainedRuleResult) -> None:
    if advice.next_call_says:
        page.para(advice.next_call_says, "bold yellow")


def _detailed(page: _Page, advice: ExplainedRuleResult) -> None:
    page.para(advice.summary, "italic")
    _next_call(page, advice)
    page.items("Why", advice.reasons)
    if advice.collaborations and len(advice.collaborations) > 1:
        page.items("Per partnership", [f"{c.partner[:1].upper()}{c.partner[1:]}: {VERDICT_WORDS[c.verdict]}"
                                       for c in advice.collaborations])
    facts = advice.key_facts
    for label, value in (("Duration", facts.duration), ("Funding", facts.funding), ("Calendar", facts.calendar),
                         ("Who applies", facts.who_applies)):
        if value:
            page.para(f"{label}: {value}")
    page.items("Next steps", advice.next_steps, "#")
    if advice.page:
        page.text.append(" " * INDENT + "Official page: ", "bold")
        page.text.append(advice.page + "\n", f"link {advice.page}")
    page.items("Check", advice.checklist, "[ ]")
    page.items("Sources", _sources(advice), style="dim")


def _brief(page: _Page, advice: ExplainedRuleResult) -> None:
    for reason in advice.reasons:
        page.para(reason, marker="-")
    _next_call(page, advice)
    if advice.counterfactual:
        page.para(advice.counterfactual.text, "green", marker="→")


def _short(page: _Page, short: ShortAnswer) -> None:
    page.text.append("\nIn short\n", "bold")
    page.para(short.standing)
    if short.next_rung:
        page.para(f"Next rung: {short.next_rung}.")
    if not short.actions:
        page.para("No instrument is recommended for your stated goals yet: see what is open to you and what "
                  "is missing below.")
        return
    page.text.append(" " * INDENT + "What to do next\n", "bold")
    for i, action in enumerate(short.actions, 1):
        page.text.append(" " * INDENT + f"{i}. ")
        page.text.append(action.title, "bold")
        page.text.append("\n")
        page.para(action.step, indent=2 * INDENT + 1)
        page.para("Why: " + action.why, indent=2 * INDENT + 1)
        if action.when:
            page.para(action.when, "yellow", indent=2 * INDENT + 1)
        if action.page:
            page.text.append(" " * (2 * INDENT + 1) + "Page: ")
            page.text.append(action.page + "\n", f"link {action.page}")


def _line(advice: ExplainedRuleResult, catalogue: Catalogue, as_of: dt.date) -> str:
    """What one recommendation's line says after its title: its next call, or in a few words why it is not open."""
    if advice.verdict in ("recommended", "possible"):
        return advice.next_call_says or ""
    if advice.verdict == "not_eligible" and advice.failed_conditions:
        return "not met: " + advice.failed_conditions[0].says
    if advice.verdict == "not_offered":
        if advice.valid_from and as_of < advice.valid_from:
            return f"offered from {advice.valid_from.year}"
        if advice.valid_until and as_of >= advice.valid_until:
            successor = catalogue.rules.get(advice.successor) if advice.successor else None
            last_year = (advice.valid_until - dt.timedelta(days=1)).year
            return f"ended in {last_year}" + (f"; now {successor.title}" if successor else "")
    return advice.reasons[0] if advice.reasons else ""


def _one_line(page: _Page, advice: ExplainedRuleResult, style: str, catalogue: Catalogue, as_of: dt.date) -> None:
    """One recommendation: its mark, its title and a few words on why, wrapped under the title."""
    said = _line(advice, catalogue, as_of)
    eligible = advice.verdict in ("recommended", "possible")
    lines = textwrap.wrap(f"{advice.title}: {said}" if said else advice.title, page.width - INDENT - 2,
                          subsequent_indent="  ")
    page.text.append(" " * INDENT + MARKS[advice.verdict] + " ", style)
    title_end = len(advice.title)  # the title is bold (for what is open to you), the words after it plain or dim
    for i, line in enumerate(lines):
        prefix = "" if i == 0 else " " * (INDENT + 2)
        cut = max(0, min(len(line), title_end)) if i == 0 else 0
        page.text.append(prefix + line[:cut], "bold" if eligible else "")
        page.text.append(line[cut:] + "\n", "" if eligible else "dim")
        title_end -= len(line) + 1


def render_text(result: ExplainedResult, console: Console, catalogue: Catalogue, details: bool = False) -> None:
    """Print one profile's advice: the short answer, then one line per recommendation, or everything with
    `details`."""
    page = _Page(console.width)
    short = short_answer(result, catalogue)
    page.text.append(f"Advice for {visible(short.who)}", "bold")  # a file name can hold terminal codes
    page.text.append(f", for {short.as_of}\n")
    for warning in result.warnings:
        page.para(f"warning: {warning}", "yellow", 0)
    _short(page, short)
    for verdict, (heading, style) in HEADINGS.items():
        group = [a for a in result.results if a.verdict == verdict]
        if not group:
            continue
        page.text.append(f"\n{heading} ({len(group)})\n", style)
        for advice in group:
            if not details:
                _one_line(page, advice, style, catalogue, result.as_of)
                continue
            page.text.append("• ", style)
            page.text.append(advice.title + "\n", "bold")
            (_detailed if verdict in ("recommended", "possible") else _brief)(page, advice)
    if not details:
        page.text.append(f"\n{DETAILS_HINT}\n", "dim")
    page.text.append(f"\nRulebase: {catalogue.rulebase.name}, version {result.rulebase.version}.\n", "dim")
    console.print(page.text, end="", soft_wrap=True)
