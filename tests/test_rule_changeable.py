"""Whether a person can change what a condition asks: the `changeable:` metadata of rule conditions."""

from __future__ import annotations

import json

import jsonschema
import pytest

from advisor.rulebase.loader import inspect_rulebase

from .conftest import ROOT
from .test_rules_diff import edited_copy


def _condition(rulebase, rule_id: str, says_start: str):
    """A rule's eligibility condition (a leaf), found by the start of its wording."""
    (leaf,) = [leaf for leaf in rulebase.rules[rule_id].conditions if (leaf.says or "").startswith(says_start)]
    return leaf


def test_the_rules_say_which_conditions_a_person_can_change(rulebase):
    # Career stage backwards (a doctor is a doctoral candidate no more) and the year of a PhD never change; a
    # career moving forward (defending the PhD) and a partnership's stage moving forward do.
    changeable = rulebase.changeable
    assert not changeable(_condition(rulebase, "eu.msca_dn", "you are a doctoral candidate"))
    assert not changeable(_condition(rulebase, "eu.erasmus", "you are a student"))
    assert changeable(_condition(rulebase, "eu.erc_stg", "you hold a doctorate"))
    assert not changeable(_condition(rulebase, "eu.erc_stg", "the next call's year minus your PhD year"))
    assert not changeable(_condition(rulebase, "fr.jefferson_fund", "your PhD is less than 15 years old"))
    assert changeable(_condition(rulebase, "cnrs.irp", "the collaboration has already produced joint results"))
    # by default, as the field says: an answer one can act on, not a partner's country or the date
    assert changeable(_condition(rulebase, "route.science_diplomacy", "you are willing to sit on committees"))
    assert not changeable(_condition(rulebase, "fr.capes_cofecub", "the partner team is in Brazil"))
    assert not changeable(_condition(rulebase, "cnrs.irp", "CNRS has not suspended"))


@pytest.mark.parametrize("file, old, new, words", [
    ("recommendations/eu.msca_dn.yaml", "changeable: false}", "changeable: sometimes}",
     ["changeable is yes/no; 'sometimes' is not", "write true"]),
    ("recommendations/eu.msca_dn.yaml", "  all:\n", "  changeable: false\n  all:\n",
     ["'changeable' is said of one comparison, not of a group"]),
    ("facts.yaml", "{field: collaboration.stage, is: none}", "{field: collaboration.stage, is: none, changeable: true}",
     ["'changeable' is read only in a rule's eligibility", "remove it"]),
])
def test_a_wrong_changeable_is_reported_with_its_place(tmp_path, file, old, new, words):
    rules = edited_copy(tmp_path, file, old, new)
    _, problems = inspect_rulebase(rules)
    (problem,) = problems
    said = str(problem)
    assert all(w in said for w in words), said
    line = next(i for i, text in enumerate((rules / file).read_text().splitlines(), 1) if "changeable" in text)
    assert problem.line == line and problem.path.endswith(file)


def test_the_rules_schema_knows_changeable():
    schema = json.loads((ROOT / "docs" / "rules.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    rule = {"id": "x.y", "title": "t", "summary": "s", "kind": "route", "path_step": 1, "serves_goals": ["consolidate"],
            "next_steps": ["n"], "sources": [{"title": "s", "status": "talk"}]}
    comparison = {"field": "career_stage", "is": "postdoc"}
    assert validator.is_valid({**rule, "eligibility": {**comparison, "changeable": False}})
    assert not validator.is_valid({**rule, "eligibility": {**comparison, "changeable": "no"}})
