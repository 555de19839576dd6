"""A session as the adviser reads it on the terminal: answers, notes, history, evaluations, scenarios."""

from __future__ import annotations

from collections import Counter
from typing import Any

import yaml
from rich.console import Console
from rich.table import Table
from rich.text import Text

from advisor.errors import visible
from advisor.io.profiles import dump_profile
from advisor.sessions.store import Session


def as_typed(value: Any) -> str:
    """An answer as it would be typed after FIELD= (unknown when absent)."""
    if value is None:
        return "unknown"
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def change_lines(changes: list[dict[str, Any]]) -> list[str]:
    """One line per changed answer: `field: before → after`."""
    lines = [f"{c['field']}: {as_typed(c['before'])} → {as_typed(c['after'])}" for c in changes]
    return lines or ["No answer changed."]


def history_line(record: dict[str, Any]) -> Text:
    changes = record.get("changes", [])
    if record.get("revision") == 1 and len(changes) > 3:
        return Text.assemble((f"#1 {record.get('at', '')}", "dim"), f"  {record.get('by', '')}: "
                             f"{len(changes)} answers (`advisor session history NAME --revision 1` shows them)")
    described = "; ".join(f"{c['field']}: {as_typed(c.get('before'))} → {as_typed(c.get('after'))}" for c in changes)
    return Text.assemble((f"#{record.get('revision', '?')} {record.get('at', '')}", "dim"),
                         f"  {record.get('by', '')}: ", described or "no answers yet")


def evaluation_line(record: dict[str, Any]) -> Text:
    counts = Counter(record.get("verdicts", {}).values())
    rulebase = record.get("rulebase", {})
    return Text.assemble((record.get("at", ""), "dim"),
                         f"  as of {record.get('as_of', '?')}, rulebase {rulebase.get('version', '?')}, "
                         f"answers #{record.get('revision', '?')}: {counts.get('recommended', 0)} recommended, "
                         f"{counts.get('possible', 0)} possible, {counts.get('undecided', 0)} undecided"
                         + (f"; path: {' → '.join(record['path'])}" if record.get("path") else ""))


def sessions_table(root: str, rows: list[tuple[str, str | None, list[str] | None]]) -> Table:
    """One row per session: its name, then the researcher's name and counts, or why it is damaged."""
    table = Table("session", "researcher", "created", "last change", "revisions", "notes", "evaluations",
                  title=f"Sessions in {root}", title_justify="left")
    for name, damaged, cells in rows:
        if damaged is not None:
            table.add_row(Text(name), Text(f"damaged: {damaged}", style="red"), "", "", "", "", "")
        else:
            table.add_row(Text(name), *(Text(visible(cell)) for cell in cells))  # never read as markup
    return table


def show_session(session: Session, console: Console, whole_history: bool) -> None:
    """Everything a session holds, most recent last."""
    info, profile, history = session.info(), session.profile(), session.history()
    notes, evaluations, scenarios, exports = (session.notes(), session.evaluations(), session.scenarios(),
                                              session.exports())
    console.print(Text.assemble(("Session ", "bold"), (session.name, "bold"), f"  created {info.created}, ",
                                f"{len(history)} revision(s)  ", (str(session.folder), "dim")))
    console.print(Text("\nAnswers", style="bold"))
    console.print(Text(yaml.safe_dump(dump_profile(profile), sort_keys=False, allow_unicode=True).rstrip()))
    console.print(Text(f"\nNotes ({len(notes)})", style="bold"))
    for note in notes:
        console.print(Text.assemble((visible(str(note.get("at", ""))), "dim"), "  ",
                                    visible(str(note.get("text", "")))))  # notes may come from a shared folder
    shown = history if whole_history else history[-5:]
    console.print(Text(f"\nHistory ({len(history)} revisions{'' if whole_history else ', the last 5; --all for all'})",
                       style="bold"))
    for record in shown:
        console.print(history_line(record))
    console.print(Text(f"\nEvaluations ({len(evaluations)})", style="bold"))
    for record in evaluations[-5:]:
        console.print(evaluation_line(record))
    console.print(Text(f"\nScenarios ({len(scenarios)})", style="bold"))
    for scenario in scenarios:
        changed = scenario.data.get("verdict_changes", [])
        console.print(Text(f"{scenario.name}: {'; '.join(map(str, scenario.data.get('changes', [])))} "
                           f"({len(changed)} verdict change(s), {scenario.data.get('at', '')})"))
    if exports:
        console.print(Text(f"\nReports written ({len(exports)})", style="bold"))
        for record in exports:
            console.print(Text(f"{record.get('at', '')}  {record.get('path', '')} ({record.get('format', '')})"))
