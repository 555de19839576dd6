"""`advisor rules check`: every problem of a rulebase folder, each with a code, a severity, a place and a fix.

The loader's own problems (schema, fields, values, types, references) come
first; then each check registered in the modules below runs on what could be
loaded. A check is one function that yields `Problem`s; `@check` gives it
its code. `catalog.py` lists every code, including the loader's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from advisor.errors import Problem, display_path
from advisor.rulebase.loader import default_rules_dir, inspect_rulebase
from advisor.toolkit.checks import dated, dates, files, logic, questions, sources, texts
from advisor.toolkit.checks.catalog import (
    CATALOG,
    SEVERITIES,
    Check,
    Context,
    registered,
)

__all__ = ["CATALOG", "Finding", "Report", "check_rulebase"]
CHECK_MODULES = (dated, dates, files, logic, questions, sources, texts)  # importing them registers their checks


@dataclass
class Finding:
    """A problem and the check that found it."""

    problem: Problem
    check: Check

    @property
    def severity(self) -> str:
        return self.check.severity

    def to_dict(self) -> dict:
        return {**self.problem.to_dict(), "code": self.check.number, "name": self.check.name,
                "severity": self.severity}


@dataclass
class Report:
    directory: str
    findings: list[Finding] = field(default_factory=list)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count("error")


def _sort_key(finding: Finding):
    p = finding.problem
    return (p.path, p.line or 0, p.column or 0, SEVERITIES.index(finding.severity), finding.check.number)


def check_rulebase(directory: str | Path | None = None, today: dt.date | None = None,
                   ignore: set[str] = frozenset()) -> Report:
    """Load the rulebase folder, run every check, and return the findings in file order."""
    directory = Path(directory) if directory else default_rules_dir()
    rulebase, problems = inspect_rulebase(directory)
    if rulebase is not None:
        broken = {p.path for p in problems}
        context = Context(rulebase, broken, today or dt.date.today())
        for check in registered():
            problems += list(check.run(context))
    findings = [Finding(p, CATALOG[p.code]) for p in problems]
    findings = [f for f in findings if f.check.number not in ignore and f.check.name not in ignore]
    return Report(display_path(directory), sorted(findings, key=_sort_key))
