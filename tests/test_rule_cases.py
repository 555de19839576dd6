"""The rulebase's own test cases (rules/tests/*.yaml), run through durable_rules."""

from __future__ import annotations

import pytest

from advisor.rulebase.loader import default_rules_dir
from advisor.toolkit.cases import load_cases, run_case

CASES = load_cases(default_rules_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_rule_case(advisor, case):
    outcome = run_case(advisor, case)
    assert outcome.passed, f"{case.path}:{case.line}: " + "\n".join(outcome.failures)


def _verdicts(case, rule_id):
    expected = case.expect.get(rule_id)
    return expected.get("verdict") if isinstance(expected, dict) else expected


def test_every_rule_has_a_positive_and_a_negative_case(rulebase):
    for rule_id, rule in rulebase.rules.items():
        verdicts = {_verdicts(c, rule_id) for c in CASES}
        assert verdicts & {"recommended", "possible"}, f"{rule_id}: no case where it applies"
        negative = {"not_eligible", "not_offered"} if rule.spec.eligibility or rule.spec.valid_until else \
            {"not_eligible", "not_offered", "possible", "undecided"}
        assert verdicts & negative, f"{rule_id}: no case where it does not apply"
