"""Rule test cases: YAML files of profiles and the advice they must get.

`rules/tests/*.yaml` hold `cases:`, each with a `profile` and `expect`:
a verdict per recommendation id, or a mapping with `verdict`, `failed`
(fields of failed conditions), `missing` (answers reported missing) and
`reasons_include` (words the reasons must contain). `advisor rules test`
and pytest (tests/test_rule_cases.py, and the plugin in
`advisor.toolkit.pytest_plugin` for any rulebase folder) run the same cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from advisor.advice.advisor import Advisor
from advisor.contract.profile import Profile
from advisor.contract.result import (
    VERDICT_ORDER,
    ExplainedResult,
    ExplainedRuleResult,
    Verdict,
)
from advisor.errors import InputError, Problem, did_you_mean
from advisor.io.documents import Document, load_yaml_file
from advisor.io.profiles import profiles_from_document
from advisor.rulebase.loader import validate_document


class Expectation(BaseModel):
    """What one recommendation must say for the case's profile."""

    model_config = ConfigDict(extra="forbid")

    verdict: Verdict | None = None
    failed: list[str] = Field(default_factory=list, description="fields (or derived facts) of failed conditions")
    missing: list[str] = Field(default_factory=list, description="answers the advice must report missing")
    reasons_include: list[str] = Field(default_factory=list, description="words the reasons must contain")


class CaseSpec(BaseModel):
    """One rule test case: a profile and the advice it must get."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, description="what the case shows; used in reports")
    profile: dict[str, Any] = Field(description="a profile, as in a profile file")
    expect: dict[str, Verdict | Expectation] = Field(
        min_length=1, description="per recommendation id: a verdict, or a mapping with verdict/failed/missing/"
        "reasons_include")


class CaseFile(BaseModel):
    """A rule test file (`tests/<id>.yaml`)."""

    model_config = ConfigDict(extra="forbid")

    cases: list[CaseSpec] = Field(min_length=1)


@dataclass
class RuleCase:
    name: str
    path: str
    line: int | None
    profile: Document
    expect: dict[str, Any]
    expect_lines: dict[str, int | None] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{Path(self.path).stem}: {self.name}"


@dataclass
class CaseOutcome:
    case: RuleCase
    failures: list[str] = field(default_factory=list)
    failed_ids: list[str] = field(default_factory=list)  # recommendation ids whose expectation was not met
    profile: Profile | None = None
    result: ExplainedResult | None = None

    @property
    def passed(self) -> bool:
        return not self.failures


def _read_file(doc: Document) -> tuple[list[RuleCase], list[Problem]]:
    items = doc.data.get("cases") if isinstance(doc.data, dict) else None
    if not isinstance(items, list) or set(doc.data) != {"cases"}:
        return [], [Problem(doc.path, "a test file holds `cases:`, a list of cases and nothing else", 1, 1,
                            fix="see rules/tests/ for examples", code="test-file")]
    cases, problems = [], []
    for i, item in enumerate(items):
        at = ("cases", i)
        spec, found = validate_document(CaseSpec, doc, at)
        problems += [replace(p, code="test-file") for p in _expectation_problems(doc, at, item, found)]
        if spec is None:
            continue
        prefix = at + ("profile",)
        lines = {k[len(prefix):]: v for k, v in doc.lines.items() if k[:len(prefix)] == prefix}
        profile = Document(doc.path, item["profile"], lines)
        try:
            profiles_from_document(profile)
        except InputError as error:
            problems += [replace(p, code="test-file", field=f"cases[{i}].profile.{p.field or ''}".rstrip("."))
                         for p in error.problems]
            continue
        expect_lines = {rule_id: doc.where(at + ("expect", rule_id))[0] for rule_id in item["expect"]}
        cases.append(RuleCase(spec.name or f"case {i + 1}", doc.path, doc.where(at)[0], profile, item["expect"],
                              expect_lines))
    return cases, problems


def _expectation_problems(doc: Document, at: tuple, item: Any, found: list[Problem]) -> list[Problem]:
    """Validation problems of one case, with those of its expectations in a rule author's terms: an expectation
    is a verdict or a mapping, and validation reports a mistake in either against both forms (`literal[...]`,
    `Expectation`), twice; a misspelt verdict (`recomended`) is said to be one, with the verdicts to choose from."""
    expect = item.get("expect") if isinstance(item, dict) else None
    if not isinstance(expect, dict):
        return found
    kept = found
    for rule_id, value in expect.items():
        prefix = f"expect.{rule_id}."
        mine = [p for p in kept if (p.field or "").startswith(prefix)]
        if not mine:
            continue
        kept = [p for p in kept if p not in mine]
        verdict = value.get("verdict") if isinstance(value, dict) else value
        line, column = doc.where(at + ("expect", rule_id) + (("verdict",) if isinstance(value, dict) else ()))
        if isinstance(verdict, str) and verdict not in VERDICT_ORDER:
            guess = did_you_mean(verdict, VERDICT_ORDER)
            fix = (f"did you mean '{guess}'? " if guess else "") + "verdicts: " + ", ".join(VERDICT_ORDER)
            kept.append(Problem(doc.path, f"'{verdict}' is not a verdict", line, column, prefix.rstrip("."), fix))
        elif isinstance(value, dict):  # the mapping's own mistakes (an unknown key...), named without the form
            branch = prefix + "Expectation."
            for p in mine:
                if p.field.startswith(branch):
                    key = p.field[len(branch):]
                    guess = did_you_mean(key, Expectation.model_fields) if p.message == "unknown key" else None
                    line, column = doc.where(at + ("expect", rule_id, key.split(".")[0]))
                    kept.append(replace(p, field=prefix + key, line=line, column=column,
                                        fix=f"did you mean '{guess}'?" if guess else p.fix))
        else:
            kept.append(Problem(doc.path, "must be a verdict, or a mapping of verdict, failed, missing and "
                                "reasons_include", line, column, prefix.rstrip("."),
                                "write one of: " + ", ".join(VERDICT_ORDER)))
    return kept


def read_case_file(path: Path) -> tuple[list[RuleCase], list[Problem]]:
    """The valid cases of one test file, and the problems of the others."""
    try:
        doc = load_yaml_file(path)
    except InputError as error:
        return [], [p if p.code else replace(p, code="unreadable") for p in error.problems]
    return _read_file(doc)


def read_cases(rules_dir: Path) -> tuple[list[RuleCase], list[Problem]]:
    """Every valid case of `tests/*.yaml`, and the problems of the invalid ones."""
    cases: list[RuleCase] = []
    problems: list[Problem] = []
    for path in sorted((Path(rules_dir) / "tests").glob("*.yaml")):
        found, trouble = read_case_file(path)
        cases += found
        problems += trouble
    return cases, problems


def load_cases(rules_dir: Path) -> list[RuleCase]:
    """Every case of `tests/*.yaml`; InputError lists the problems of invalid files."""
    cases, problems = read_cases(rules_dir)
    if problems:
        raise InputError(problems)
    return cases


def check_advice(advice: ExplainedRuleResult, expected: Any) -> list[str]:
    """How an advice differs from an expectation (a verdict, or a mapping; see the module docstring)."""
    spec = expected if isinstance(expected, dict) else {"verdict": expected}
    failures = []
    if spec.get("verdict") and advice.verdict != spec["verdict"]:
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
    outcome.profile = loaded.profile
    outcome.result = advisor.explain(advisor.evaluate(loaded.profile, case.id))
    by_id = outcome.result.by_id()
    for rule_id, expected in case.expect.items():
        if rule_id not in by_id:
            outcome.failures.append(f"{rule_id}: unknown recommendation id")
            outcome.failed_ids.append(rule_id)
            continue
        failures = check_advice(by_id[rule_id], expected)
        if failures:
            outcome.failures += failures
            outcome.failed_ids.append(rule_id)
    return outcome
