"""A pytest plugin: the rule test cases of any rulebase folder are pytest tests.

`pytest myrules/` collects every `myrules/tests/*.yaml` (in a folder that
holds a rulebase.yaml), one test per case, run exactly as `advisor rules
test` runs them. Installed with advisor (entry point `pytest11`); it does
nothing in folders that are not rulebases.
"""

from __future__ import annotations

from pathlib import Path

import pytest

_advisors: dict[tuple[Path, str], object] = {}


def pytest_addoption(parser) -> None:
    parser.addoption("--advisor-engine", choices=("durable", "python"), default="durable",
                     help="engine that runs rule test cases (default: durable)")


def pytest_collect_file(file_path: Path, parent):
    rules_dir = file_path.parent.parent
    if file_path.suffix == ".yaml" and file_path.parent.name == "tests" and (rules_dir / "rulebase.yaml").is_file():
        return RuleCaseFile.from_parent(parent, path=file_path)
    return None


def _advisor(rules_dir: Path, engine: str):
    """One advisor per rulebase folder and engine, for the whole session."""
    from advisor.advice.advisor import Advisor
    from advisor.engines import make_engine
    from advisor.rulebase.loader import load_rulebase

    key = (rules_dir.resolve(), engine)
    if key not in _advisors:
        rulebase = load_rulebase(rules_dir)
        _advisors[key] = Advisor(rulebase, make_engine(engine, rulebase))
    return _advisors[key]


class RuleCaseFailure(Exception):
    """A case whose advice differs from its expectations (or a test file that cannot be read)."""


class RuleCaseFile(pytest.File):
    def collect(self):
        from advisor.toolkit.cases import read_case_file

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
        from advisor.errors import InputError
        from advisor.toolkit.cases import run_case

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
