"""The terminal report of `advisor rules test`: each case, then the coverage table."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from advisor.errors import display_path
from advisor.toolkit.cases import CaseOutcome
from advisor.toolkit.coverage import Coverage


def _case_lines(console: Console, outcome: CaseOutcome) -> None:
    case = outcome.case
    if outcome.passed:
        console.print(f"  [green]PASS[/]  {escape(case.name)}")
        return
    console.print(f"  [bold red]FAIL[/]  {escape(case.name)}  [dim](line {case.line})[/]")
    for failure in outcome.failures:
        console.print(f"        {escape(failure)}")
    advice = {a.id: a for a in outcome.result.results} if outcome.result else {}
    for rule_id in outcome.failed_ids:
        if rule_id in advice:
            got = advice[rule_id]
            line = outcome.case.expect_lines.get(rule_id)
            console.print(f"        [dim]{rule_id} (expected on line {line}) gave {got.verdict}: "
                          f"{escape(' '.join(got.reasons))}[/]")


def _coverage_table(coverage: Coverage) -> Table:
    table = Table(title="Coverage: each rule seen applying and not; each condition seen true and false",
                  title_justify="left")
    table.add_column("rule or derived fact", no_wrap=True)
    for heading in ("applies", "does not apply", "true", "false"):
        table.add_column(heading, no_wrap=True)
    mark = {True: "[green]yes[/]", False: "[bold red]no[/]", None: "[dim]n/a[/]"}

    def seen(conditions, value: bool) -> str:
        count = sum(value in c.seen for c in conditions)
        return f"{count}/{len(conditions)}" if count == len(conditions) else f"[bold red]{count}/{len(conditions)}[/]"

    for rule in coverage.rules.values():
        table.add_row(rule.rule_id, mark[rule.applied], mark[rule.not_applied if rule.can_fail else None],
                      seen(rule.conditions, True), seen(rule.conditions, False))
    for owner, conditions in groupby(coverage.derived, key=lambda c: c.owner):
        conditions = list(conditions)
        table.add_row(owner, mark[None], mark[None], seen(conditions, True), seen(conditions, False))
    return table


def render_test_report(outcomes: list[CaseOutcome], coverage: Coverage, minimum: float | None, quiet: bool,
                       console: Console, selected: bool = False) -> None:
    for path, group in groupby(outcomes, key=lambda o: o.case.path):
        group = [o for o in group if not quiet or not o.passed]
        if group:
            console.print(f"[bold]{escape(display_path(path))}[/]")
            for outcome in group:
                _case_lines(console, outcome)
    if not quiet:
        console.print(_coverage_table(coverage))
    uncovered = [c for c in coverage.conditions() if c.missing]
    if uncovered:
        console.print("[bold]Conditions not seen both ways[/]")
        for c in uncovered:
            console.print(f"  {escape(display_path(c.path))}:{c.line}  {c.owner}: {escape(c.leaf.formula())}"
                          f"  [red]never {' nor '.join(c.missing)}[/]")
    for rule in coverage.rules.values():
        if rule.missing:
            console.print(f"  [red]{rule.rule_id}: never seen: {', '.join(rule.missing)}[/]")
    failed = sum(not o.passed for o in outcomes)
    console.print(f"{len(outcomes)} cases: {len(outcomes) - failed} passed, "
                  + (f"[bold red]{failed} failed[/]" if failed else "0 failed"))
    rules, conditions = coverage.rule_figures(), coverage.condition_figures()
    summary = (f"coverage: rules {Coverage.percent(rules):.1f}% ({rules[0]}/{rules[1]} outcomes), "
               f"conditions {Coverage.percent(conditions):.1f}% ({conditions[0]}/{conditions[1]} outcomes)")
    if selected:
        summary += " [dim](of the selected cases only)[/]"
    console.print(summary)
    if minimum is not None and min(Coverage.percent(rules), Coverage.percent(conditions)) < minimum:
        console.print(f"[bold red]coverage is below the minimum of {minimum:g}%[/]")
