"""The terminal report: what fits, why, what to do next, and what does not fit."""

from __future__ import annotations

from rich.console import Console, Group
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from ..result import Advice, Result

HEADINGS = {
    "recommended": ("Recommended for you", "bold green"),
    "possible": ("Also open to you", "bold cyan"),
    "undecided": ("Needs more answers", "bold yellow"),
    "not_eligible": ("Not eligible now", "bold red"),
    "not_offered": ("Not offered at this date", "dim"),
}


def _source_line(advice: Advice) -> list[str]:
    return [f"{s.title}" + (f" <{s.url}>" if s.url else "") + f" [{s.status}]" for s in advice.sources]


def _detailed(advice: Advice) -> Group:
    lines: list = [Text(advice.summary, style="italic")]
    lines.append(Text("Why:", style="bold"))
    lines += [Text(f"  - {r}") for r in advice.reasons]
    if advice.collaborations and len(advice.collaborations) > 1:
        lines.append(Text("Per partnership:", style="bold"))
        for c in advice.collaborations:
            lines.append(Text(f"  - {c.partner_country or 'partner'} (#{c.index}): {c.verdict.replace('_', ' ')}"))
    facts = advice.key_facts
    for label, value in (("Duration", facts.duration), ("Funding", facts.funding), ("Calendar", facts.calendar),
                         ("Who applies", facts.who_applies)):
        if value:
            lines.append(Text.assemble((f"{label}: ", "bold"), value))
    if advice.next_steps:
        lines.append(Text("Next steps:", style="bold"))
        lines += [Text(f"  {i}. {step}") for i, step in enumerate(advice.next_steps, 1)]
    if advice.checklist:
        lines.append(Text("Check:", style="bold"))
        lines += [Text(f"  [ ] {item}") for item in advice.checklist]
    lines.append(Text("Sources:", style="bold"))
    lines += [Text(f"  {s}", style="dim") for s in _source_line(advice)]
    return Group(*lines)


def _brief(advice: Advice) -> Group:
    lines = [Text(f"  - {r}") for r in advice.reasons]
    if advice.counterfactual:
        lines.append(Text(f"  → {advice.counterfactual.text}", style="green"))
    return Group(*lines)


def render_text(result: Result, console: Console) -> None:
    """Print one profile's advice."""
    who = escape(result.profile.name or result.profile.source or "this profile")
    console.print(f"[bold]Advice for {who}[/bold] — as of {result.as_of.isoformat()}"
                  f" [dim](rulebase {escape(result.rulebase.version)}, engine {result.engine})[/dim]")
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
            console.print(Padding(body, (0, 0, 0, 2)))
