"""Rule test cases: YAML files of profiles and the advice they must get.

`rules/tests/*.yaml` hold `cases:`, each with a `profile` and `expect`:
a verdict per recommendation id, or a mapping with `verdict`, `failed`
(fields of failed conditions), `missing` (answers reported missing) and
`reasons_include` (words the reasons must contain).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .advice import Advisor
from .errors import InputError, Problem
from .profiles_io import profiles_from_document
from .result import Advice
from .yamlio import Document, load_yaml_file


@dataclass
class RuleCase:
    name: str
    path: str
    line: int | None
    profile: Document
    expect: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{Path(self.path).stem}: {self.name}"


@dataclass
class CaseOutcome:
    case: RuleCase
    failures: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def load_cases(rules_dir: Path) -> list[RuleCase]:
    cases: list[RuleCase] = []
    for path in sorted((Path(rules_dir) / "tests").glob("*.yaml")):
        doc = load_yaml_file(path)
        items = (doc.data or {}).get("cases") if isinstance(doc.data, dict) else None
        if not isinstance(items, list):
            raise InputError(Problem(doc.path, "a test file holds `cases:`, a list", 1, 1,
                                     fix="see rules/tests/ for examples"))
        for i, item in enumerate(items):
            line = doc.where(("cases", i))[0]
            if not isinstance(item, dict) or "profile" not in item or "expect" not in item:
                raise InputError(Problem(doc.path, "a case needs `name`, `profile` and `expect`", line))
            prefix = ("cases", i, "profile")
            lines = {k[len(prefix):]: v for k, v in doc.lines.items() if k[:len(prefix)] == prefix}
            cases.append(RuleCase(str(item.get("name", f"case {i + 1}")), doc.path, line,
                                  Document(doc.path, item["profile"], lines), item["expect"]))
    return cases


def check_advice(advice: Advice, expected: Any) -> list[str]:
    """How an advice differs from an expectation (a verdict, or a mapping; see the module docstring)."""
    spec = expected if isinstance(expected, dict) else {"verdict": expected}
    failures = []
    if "verdict" in spec and advice.verdict != spec["verdict"]:
        detail = "; ".join(advice.reasons[:3])
        failures.append(f"{advice.id}: expected {spec['verdict']}, got {advice.verdict} ({detail})")
    failed_fields = {f.field for f in advice.failed_conditions}
    for name in spec.get("failed", []):
        if name not in failed_fields:
            failures.append(f"{advice.id}: expected a failed condition on {name}, got {sorted(failed_fields) or 'none'}")
    for name in spec.get("missing", []):
        if name not in advice.missing:
            failures.append(f"{advice.id}: expected {name} among missing answers, got {advice.missing or 'none'}")
    text = " ".join(advice.reasons).lower()
    for words in spec.get("reasons_include", []):
        if words.lower() not in text:
            failures.append(f"{advice.id}: expected the reasons to mention '{words}'")
    return failures


def run_case(advisor: Advisor, case: RuleCase) -> CaseOutcome:
    outcome = CaseOutcome(case)
    try:
        (loaded,) = profiles_from_document(case.profile)
    except InputError as error:
        outcome.failures.append(f"invalid profile: {error}")
        return outcome
    result = advisor.evaluate(loaded.profile, case.id)
    by_id = {a.id: a for a in result.results}
    for rule_id, expected in case.expect.items():
        if rule_id not in by_id:
            outcome.failures.append(f"unknown recommendation id '{rule_id}'")
            continue
        outcome.failures += check_advice(by_id[rule_id], expected)
    return outcome
