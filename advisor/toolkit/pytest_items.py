"""The pytest items of rule test cases (see `advisor.toolkit.pytest_plugin`): one per case, run as `advisor
rules test` runs it, with one advisor per rulebase folder and engine for the whole pytest session.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.advice.advisor import Advisor, open_advisor
from advisor.errors import InputError
from advisor.toolkit.cases import read_case_file, run_case

_advisors: dict[tuple[Path, str], Advisor] = {}


def _advisor(rules_dir: Path, engine: str) -> Advisor:
    """One advisor per rulebase folder and engine, for the whole session."""
    key = (rules_dir.resolve(), engine)
    if key not in _advisors:
        _advisors[key] = open_advisor(rules_dir, engine)
    return _advisors[key]


class RuleCaseFailure(Exception):
    """A case whose advice differs from its expectations (or a test file that cannot be read)."""


class RuleCaseFile(pytest.File):
    def collect(self):
        cases, problems = read_case_file(self.path)
        if problems:
            yield RuleCaseItem.from_parent(self, name="invalid test file", case=None,
                                           problems=[str(p) for p in problems])
        for case in cases:
            yield RuleCaseItem.from_parent(self, name=case.name, case=case, problems=[])


class RuleCaseItem(pytest.Item):
    def __init__(self, *, case, problems: list[str], **kwargs):
        super().__init__(**kwargs)
        self.case, self.problems = case, problems

    def runtest(self) -> None:
        if self.problems:
            raise RuleCaseFailure("\n".join(self.problems))
        try:
            advisor = _advisor(self.path.parent.parent, self.config.getoption("advisor_engine"))
        except InputError as error:
            raise RuleCaseFailure(f"the rulebase has errors (advisor rules check lists them):\n{error}") from None
        outcome = run_case(advisor, self.case)
        if not outcome.passed:
            raise RuleCaseFailure("\n".join(outcome.failures))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, RuleCaseFailure):
            where = f"{self.case.path}:{self.case.line}: " if self.case else ""
            return f"{where}{excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        line = (self.case.line or 1) - 1 if self.case else 0
        return self.path, line, f"rule case: {self.name}"
