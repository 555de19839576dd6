"""Every check code: its number, name, severity and what it finds.

Numbers group the checks: R0xx files, R1xx schema and conditions, R2xx ids
and references, R3xx logic, R4xx dates, R5xx sources, R6xx questions, R7xx
test cases. Codes found by the loader have no function here; the others are
registered by `@check` in the sibling modules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Iterable, Iterator

from advisor.errors import Problem, display_path
from advisor.io.documents import Document, load_yaml_file
from advisor.rulebase.loader import Rule, Rulebase
from advisor.toolkit.cases import RuleCase, read_cases
from advisor.toolkit.checks.questionfile import Questions, read_questions

SEVERITIES = ("error", "warning", "info")


@dataclass
class Context:
    """What a check looks at: the rulebase as far as it loaded."""

    rulebase: Rulebase
    broken: set[str]  # files with loader errors: their conditions are not analysed further
    today: dt.date

    def sound_rules(self) -> list[Rule]:
        return [r for r in self.rulebase.rules.values() if r.path not in self.broken]

    @cached_property
    def cases(self) -> tuple[list[RuleCase], list[Problem]]:
        """The rulebase's valid test cases, and the problems of the others."""
        return read_cases(self.rulebase.directory)

    @cached_property
    def questions(self) -> Questions | None:
        """The questionnaire's questions.yaml, or None when the rulebase has none."""
        path = self.rulebase.directory / "questions.yaml"
        return read_questions(path) if path.exists() else None

    @cached_property
    def facts(self) -> Document | None:
        """facts.yaml with its line index, when it exists and loaded without error."""
        path = self.rulebase.directory / "facts.yaml"
        return load_yaml_file(path) if path.exists() and display_path(path) not in self.broken else None

    def fact_problem(self, fact_id: str, at: tuple, message: str, fix: str | None = None) -> Problem:
        """A problem placed at `at` (a key path) inside the derived fact `fact_id` of facts.yaml."""
        items = self.facts.data["derived"]
        index = next(i for i, item in enumerate(items) if item.get("id") == fact_id)
        line, column = self.facts.where(("derived", index) + at)
        return Problem(self.facts.path, message, line, column, f"derived {fact_id}", fix)


@dataclass
class Check:
    number: str
    name: str
    severity: str
    summary: str
    function: Callable[[Context], Iterable[Problem]] | None = field(default=None, repr=False)

    def run(self, context: Context) -> Iterator[Problem]:
        for problem in self.function(context):
            problem.code = problem.code or self.name  # a check may report a finding of a more precise code
            yield problem


CATALOG: dict[str, Check] = {}


def _declare(number: str, name: str, severity: str, summary: str) -> Check:
    assert severity in SEVERITIES and name not in CATALOG, name
    CATALOG[name] = Check(number, name, severity, summary)
    return CATALOG[name]


def check(number: str, name: str, severity: str, summary: str):
    """Register a check function under its code."""
    def register(function):
        _declare(number, name, severity, summary).function = function
        return function
    return register


def registered() -> list[Check]:
    return sorted((c for c in CATALOG.values() if c.function), key=lambda c: c.number)


def rule_problem(rule: Rule, at: tuple, message: str, fix: str | None = None) -> Problem:
    """A problem placed at `at` (a key path) in a rule's file."""
    line, column = Document(rule.path, None, rule.line_of).where(at)
    return Problem(rule.path, message, line, column, ".".join(str(p) for p in at) or None, fix)


# Found by the YAML reader and the loader (advisor/io/documents.py, advisor/rulebase/loader.py).
for _row in [
    ("R000", "internal-error", "error", "a check failed on this rulebase: a bug of advisor, to report"),
    ("R001", "not-a-rulebase", "error", "the folder does not exist or has no rulebase.yaml"),
    ("R002", "unreadable", "error", "a file cannot be read: too large, not UTF-8, no permission, a folder"),
    ("R003", "yaml-syntax", "error", "a file is not valid YAML"),
    ("R004", "duplicate-key", "error", "a key appears twice in the same mapping"),
    ("R005", "unsafe-yaml", "error", "anchors, aliases or absurdly deep nesting"),
    ("R006", "no-rules", "error", "recommendations/ holds no rule file"),
    ("R101", "unknown-field", "error", "a condition reads a field that is neither in the profile nor derived"),
    ("R102", "unknown-value", "error", "a condition compares a field with a value it cannot take"),
    ("R103", "type-mismatch", "error", "a condition compares a field with a value of another type"),
    ("R104", "operator-type", "error", "an operator that does not fit the field's type, or its value's shape"),
    ("R105", "unknown-operator", "error", "a comparison uses an operator that does not exist"),
    ("R106", "bad-condition", "error", "a condition that is not all/any/not or one comparison"),
    ("R107", "scope-mismatch", "error", "a rule of scope profile reads a partnership's field"),
    ("R108", "unknown-key", "error", "a key the file format does not have"),
    ("R109", "schema", "error", "a key is missing or its value has the wrong type"),
    ("R110", "derived-case", "error", "a derived fact's case is misplaced or gives a value the fact does not have"),
    ("R111", "derived-chain", "error", "a derived fact reads another derived fact"),
    ("R112", "condition-too-large", "error", "a condition has too many alternatives once written out for the engine"),
    ("R113", "unknown-parameter", "error", "a condition names a parameter that parameters.yaml does not define"),
    ("R201", "duplicate-id", "error", "two rules, facts or questions share an id"),
    ("R202", "unknown-id", "error", "a successor, replaces or test expectation names no rule of the rulebase"),
    ("R203", "unknown-placeholder", "error", "a {placeholder} in a text names no field"),
    ("R410", "dated-order", "error", "a parameter's dated values are not in date order, or two share a date"),
    ("R501", "no-source", "error", "a rule, fact, parameter, call or table entry cites no source, or one not listed"),
]:
    _declare(*_row)
