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
from typing import Callable, TypeVar

from advisor.errors import Problem, display_path
from advisor.rulebase.loader import default_rules_dir, inspect_rulebase
from advisor.toolkit.checks import (
    always,
    dated,
    dates,
    files,
    logic,
    questions,
    sources,
    testcases,
    texts,
)
from advisor.toolkit.checks.catalog import (
    CATALOG,
    SEVERITIES,
    Check,
    Context,
    registered,
)

__all__ = ["CATALOG", "Finding", "Report", "check_rulebase"]
T = TypeVar("T")
CHECK_MODULES = (always, dated, dates, files, logic, questions, sources, testcases, texts)  # importing them registers their checks


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


def _guarded(what: str, directory: Path, work: Callable[[], T], instead: Callable[[list[Problem]], T]) -> T:
    """What `work` gives; if it fails (a bug of ours, never of the rulebase), one finding saying so, so that the
    command still lists the other findings rather than stopping on a traceback."""
    try:
        return work()
    except Exception as error:  # noqa: BLE001 - any failure of a check is reported, never raised
        return instead([Problem(display_path(directory), f"internal error in {what}: {type(error).__name__}: {error}",
                                fix="please report it to the maintainers of advisor, with this message and the "
                                "rulebase; the other findings stand", code="internal-error")])


def check_rulebase(directory: str | Path | None = None, today: dt.date | None = None,
                   ignore: set[str] = frozenset()) -> Report:
    """Load the rulebase folder, run every check, and return the findings in file order."""
    directory = Path(directory) if directory else default_rules_dir()
    rulebase, problems = _guarded("loading the rulebase", directory, lambda: inspect_rulebase(directory),
                                  lambda found: (None, found))
    if rulebase is not None:
        broken = {p.path for p in problems}
        context = Context(rulebase, broken, today or dt.date.today())
        for check in registered():
            problems += _guarded(f"check {check.number} {check.name}", directory, lambda: list(check.run(context)),
                                 lambda found: found)
    # a code of the YAML reader's that the catalog does not list: the file is unreadable as a rulebase file
    findings = [Finding(p, CATALOG.get(p.code) or CATALOG["unreadable"]) for p in problems]
    findings = [f for f in findings if f.check.number not in ignore and f.check.name not in ignore]
    return Report(display_path(directory), sorted(findings, key=_sort_key))
