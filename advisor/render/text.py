"""The terminal report: what fits, why, what to do next, and what does not fit."""

from __future__ import annotations

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..result import Advice, Result

HEADINGS = {
    "recommended": ("Recommended for you", "bold green"),
    "possible": ("Also open to you", "bold cyan"),
    "undecided": ("Needs more answers", "bold yellow"),
    "not_eligible": ("Not eligible now", "bold red"),
    "not_offered": ("Not offered at this date", "dim"),
}


def _bullets(items: list[str], marker: str = "-", style: str = "") -> Table:
    """A list whose wrapped lines stay aligned after the marker."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column()
    for i, item in enumerate(items, 1):
        grid.add_row(marker if marker != "#" else f"{i}.", Text(item, style=style))
    return grid


def _section(title: str, body) -> Group:
    return Group(Text(title, style="bold"), Padding(body, (0, 0, 0, 2), expand=False))


def _sources(advice: Advice) -> list[str]:
    return [s.title + (f" <{s.url}>" if s.url else "") + f" [{s.status}]" for s in advice.sources]


def _detailed(advice: Advice) -> Group:
    parts: list = [Text(advice.summary, style="italic"), _section("Why", _bullets(advice.reasons))]
    if advice.collaborations and len(advice.collaborations) > 1:
        per = [f"{c.partner_country or 'partner'} (#{c.index}): {c.verdict.replace('_', ' ')}"
               for c in advice.collaborations]
        parts.append(_section("Per partnership", _bullets(per)))
    facts = advice.key_facts
    rows = [(label, value) for label, value in (("Duration", facts.duration), ("Funding", facts.funding),
                                                ("Calendar", facts.calendar), ("Who applies", facts.who_applies))
            if value]
    if rows:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        for label, value in rows:
            grid.add_row(f"{label}:", Text(value))
        parts.append(grid)
    if advice.next_steps:
        parts.append(_section("Next steps", _bullets(advice.next_steps, "#")))
    if advice.checklist:
        parts.append(_section("Check", _bullets(advice.checklist, "[ ]")))
    parts.append(_section("Sources", _bullets(_sources(advice), style="dim")))
    return Group(*parts)


def _brief(advice: Advice) -> Table:
    items = list(advice.reasons)
    if advice.counterfactual:
        items.append("→ " + advice.counterfactual.text)
    return _bullets(items)


def render_text(result: Result, console: Console) -> None:
    """Print one profile's advice."""
    who = result.profile.name or result.profile.source or "this profile"
    console.print(Text.assemble(("Advice for ", "bold"), (who, "bold"), f" — as of {result.as_of.isoformat()} ",
                                (f"(rulebase {result.rulebase.version}, engine {result.engine})", "dim")))
    for warning in result.warnings:
        console.print(Text(f"warning: {warning}", style="yellow"))
    if result.path:
        titles = {a.id: a.title for a in result.results}
        console.print(Text.assemble(("Your path: ", "bold"), " → ".join(titles[i] for i in result.path)))
    for verdict, (heading, style) in HEADINGS.items():
        group = [a for a in result.results if a.verdict == verdict]
        if not group:
            continue
        console.print()
        console.print(Text(f"{heading} ({len(group)})", style=style))
        for advice in group:
            console.print(Text.assemble(("• ", style), (advice.title, "bold"), (f"  [{advice.id}]", "dim")))
            body = _detailed(advice) if verdict in ("recommended", "possible") else _brief(advice)
            console.print(Padding(body, (0, 0, 0, 2), expand=False))
