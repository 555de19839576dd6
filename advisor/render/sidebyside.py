"""Side-by-side tables for the terminal: what-if verdict changes, and instruments compared."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from advisor.advice.compare import ASPECTS, Compared, VerdictChange, why
from advisor.render.report import md_escape

STYLES = {"recommended": "green", "possible": "cyan", "undecided": "yellow", "not_eligible": "red",
          "not_offered": "dim"}


def verdict_text(verdict: str) -> Text:
    return Text(verdict.replace("_", " "), style=STYLES.get(verdict, ""))


def whatif_table(changes: list[VerdictChange], title: str) -> Table:
    """One row per recommendation whose verdict changes: now, what if, and why."""
    table = Table(title=title, box=box.SIMPLE_HEAVY, show_lines=True, title_justify="left")
    table.add_column("Instrument", ratio=2, min_width=22)
    table.add_column("Now", no_wrap=True)
    table.add_column("What if", no_wrap=True)
    table.add_column("Why", ratio=5)
    for change in changes:
        reasons = Text("\n".join(why(change.after)))
        if change.before.reasons:
            reasons.append("\nnow: " + why(change.before)[0], style="dim")
        table.add_row(Text(change.title), verdict_text(change.before.verdict),
                      verdict_text(change.after.verdict), reasons)
    return table


def compare_table(rows: list[Compared]) -> Table:
    """Instruments as columns headed by their titles, aspects as rows."""
    table = Table(box=box.SIMPLE_HEAVY, show_lines=True)
    table.add_column("")
    for row in rows:
        table.add_column(Text(row.title, style="bold"), ratio=1)
    for key, label in ASPECTS:
        cells = []
        for row in rows:
            value = getattr(row, key)
            if key == "status":
                cells.append(verdict_text(row.verdict).append(row.status[len(row.verdict):]))
            else:
                cells.append(Text("\n".join(f"- {v}" for v in value) if isinstance(value, list) else value))
        table.add_row(Text(label, style="bold"), *cells)
    return table


def compare_markdown(rows: list[Compared]) -> str:
    """The same comparison as a Markdown table."""
    lines = ["| | " + " | ".join(md_escape(r.title) for r in rows) + " |",
             "|---" * (len(rows) + 1) + "|"]
    for key, label in ASPECTS:
        cells = [getattr(r, key) for r in rows]
        lines.append(f"| **{label}** | " + " | ".join(md_escape("; ".join(c) if isinstance(c, list) else c)
                                                       for c in cells) + " |")
    return "\n".join(lines) + "\n"
